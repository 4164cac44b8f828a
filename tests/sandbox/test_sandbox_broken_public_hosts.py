"""Public hosts that fail: an HTML page, no answer at all, or 503; ground truth leaves them out."""

from __future__ import annotations

import http.client

import pytest

from sandbox import Sandbox
from sandbox.instatus import InstatusData, InstatusPageSpec
from sandbox.statuspage import PageSpec, StatuspageData
from tests.sandbox.http_client import Reply, fetch


def answer(url: str) -> Reply | None:
    """The reply, or None when the server closed the connection without one."""
    try:
        return fetch(url)
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None


def assert_mode(reply: Reply | None, mode: str) -> None:
    if mode == "unreachable":
        assert reply is None
        return
    assert reply is not None
    if mode == "html":
        assert reply.status == 200
        assert reply.headers["Content-Type"].startswith("text/html")
        assert reply.body.startswith(b"<!doctype html>")
    else:
        assert reply.status == 503


@pytest.mark.parametrize("mode", ["html", "unreachable", "error"])
def test_instatus_broken_public_host(mode: str) -> None:
    data = InstatusData(seed=3, pages=[InstatusPageSpec(), InstatusPageSpec(public_source=mode)])
    with Sandbox(instatus=data) as sandbox:
        template = sandbox.instatus_public_url_template
        assert_mode(answer(template.format(host=data.hosts[1])), mode)
        healthy = answer(template.format(host=data.hosts[0]))
        assert healthy is not None
        assert healthy.status == 200
        truth = sandbox.ground_truth("instatus")
        stats = sandbox.stats()
    assert [r["page_id"] for r in truth["public_data"]] == [data.page_ids[0]]
    assert len(truth["status_pages"]) == 2
    # Stats record a closed connection as status 0.
    expected = {"html": 200, "unreachable": 0, "error": 503}[mode]
    assert stats["requests"][0]["status"] == expected


@pytest.mark.parametrize("mode", ["html", "unreachable", "error"])
def test_statuspage_broken_public_host(mode: str) -> None:
    data = StatuspageData(seed=3, pages=[PageSpec(), PageSpec(public_source=mode)])
    with Sandbox(statuspage=data) as sandbox:
        broken, healthy = sandbox.statuspage_public_urls[1], sandbox.statuspage_public_urls[0]
        for endpoint in ("summary.json", "incidents.json", "scheduled-maintenances.json"):
            assert_mode(answer(f"{broken}/api/v2/{endpoint}"), mode)
            reply = answer(f"{healthy}/api/v2/{endpoint}")
            assert reply is not None
            assert reply.status == 200
        public = sandbox.ground_truth("statuspage-public")
        manage = sandbox.ground_truth("statuspage")
    assert [r["id"] for r in public["pages"]] == [data.page_ids[0]]
    assert {r["page_id"] for r in public["incidents"]} == {data.page_ids[0]}
    # The manage API is another host: its ground truth keeps both pages.
    assert len(manage["pages"]) == 2


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown public source mode 'down'"):
        InstatusPageSpec(public_source="down")
    with pytest.raises(ValueError, match="unknown public source mode 'down'"):
        PageSpec(public_source="down")
