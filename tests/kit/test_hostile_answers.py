"""Answers a correct API never gives: repeated pages, wrong body shapes, cut or odd JSON, drips."""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any, ClassVar

import pytest

from tap_kit import TapFatalError
from tests.kit.demo_tap import ProfileStream, ProfileTap, fatal_error, run_demo
from tests.kit.scripted_server import Reply, ScriptedServer, paged
from tests.kit.test_http_policy import config, rows

ITEMS = "/owners/o1/items"


def one_owner(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("Waiting")]


# Finding 1: pagination that never ends.


def test_rotating_pages_that_ignore_page_stop_without_a_duplicate(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    one_owner(server)
    hundred = rows(100)

    def rotated(query: dict[str, str]) -> Reply:
        shift = 7 * int(query["page"])  # `page` changes only the order, never the rows
        return Reply(body=hundred[shift % 100 :] + hundred[: shift % 100])

    server.responders[ITEMS] = rotated
    with caplog.at_level(logging.WARNING):
        _, records = run_demo(config(server))
    ids = [r["id"] for r in records["items"]]
    assert Counter(ids) == Counter(r["id"] for r in hundred)  # each row once
    assert len(server.requests_to(ITEMS)) == 2
    [warning] = [r.getMessage() for r in caplog.records if "Stopped paging" in r.getMessage()]
    assert "items" in warning
    assert "ignores the page parameter" in warning


def test_rows_repeated_across_pages_are_emitted_once_and_paging_goes_on(
    server: ScriptedServer,
) -> None:
    # A row inserted while paging shifts the list: page 2 starts with page 1's last row.
    one_owner(server)
    pages = {"1": rows(100), "2": rows(200)[99:199], "3": rows(230)[199:]}
    server.responders[ITEMS] = lambda q: Reply(body=pages[q["page"]])
    _, records = run_demo(config(server))
    assert [r["id"] for r in records["items"]] == [r["id"] for r in rows(230)]
    assert [q["page"] for q in server.requests_to(ITEMS)] == ["1", "2", "3"]


def test_a_repeated_page_brings_no_embedded_children_twice(server: ScriptedServer) -> None:
    # The repeated page yields no parent record, so its children are never read again.
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    server.responders[ITEMS] = lambda q: Reply(body=rows(100))
    _, records = run_demo(config(server))
    assert len(records["items"]) == 100


# Finding 4: bad bodies.


def test_truncated_json_on_a_200_is_retried_like_a_5xx(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    one_owner(server)
    server.responders[ITEMS] = paged(rows(3), first_page=1, size_param="per_page")
    full = json.dumps(rows(3)).encode()
    cut = Reply(raw=full[: len(full) // 2], content_type="application/json")
    server.queued[ITEMS].append(cut)
    with caplog.at_level(logging.WARNING):
        _, records = run_demo(config(server))
    assert [r["id"] for r in records["items"]] == ["r0", "r1", "r2"]
    [line] = retry_lines(caplog)
    assert "truncated or malformed JSON" in line
    assert f"GET 127.0.0.1:{server.url.rsplit(':', 1)[1]}{ITEMS}" in line


def test_truncated_json_every_time_fails_naming_the_endpoint(server: ScriptedServer) -> None:
    one_owner(server)
    server.responders[ITEMS] = lambda q: Reply(raw=b'[{"id": "r0"', content_type="text/plain")
    message = fatal_error(config(server))
    assert ITEMS in message
    assert "failed on all 3 tries" in message
    assert "cut short or is not valid JSON" in message
    assert len(server.requests_to(ITEMS)) == 3


def test_a_lone_surrogate_is_accepted_as_the_json_module_accepts_it(
    server: ScriptedServer,
) -> None:
    one_owner(server)
    body = b'[{"id": "r0", "name": "cut emoji \\ud83d"}, {"id": "r1", "name": "ok \\ud83d\\ude00"}]'
    server.responders[ITEMS] = lambda q: Reply(raw=body, content_type="application/json")
    _, records = run_demo(config(server))
    names = {r["id"]: r["name"] for r in records["items"]}
    # The pair is one emoji; the lone half cannot travel as UTF-8 and becomes U+FFFD.
    assert names == {"r0": "cut emoji \ufffd", "r1": "ok \U0001f600"}


def test_an_object_on_a_list_endpoint_is_retried_then_fails_never_a_record(
    server: ScriptedServer,
) -> None:
    one_owner(server)
    server.responders[ITEMS] = lambda q: Reply(body={"message": "Service under maintenance"})
    message = fatal_error(config(server))
    assert ITEMS in message
    assert "an object where an array was expected" in message
    assert "Service under maintenance" in message
    assert len(server.requests_to(ITEMS)) == 3


def test_an_object_on_a_list_endpoint_once_is_recovered(server: ScriptedServer) -> None:
    one_owner(server)
    server.responders[ITEMS] = paged(rows(2), first_page=1, size_param="per_page")
    server.queued[ITEMS].append(Reply(body={"message": "Service under maintenance"}))
    _, records = run_demo(config(server))
    assert [r["id"] for r in records["items"]] == ["r0", "r1"]


def test_a_single_object_endpoint_declares_it_and_keeps_working(server: ScriptedServer) -> None:
    one_owner(server)
    server.responders["/owners/o1/profile"] = lambda q: Reply(body={"id": "p1", "name": "Ann"})
    _, records = run_demo(config(server), tap_class=ProfileTap)
    assert records["profiles"] == [{"id": "p1", "owner_id": "o1", "name": "Ann"}]


def test_a_list_on_a_single_object_endpoint_is_an_error(server: ScriptedServer) -> None:
    one_owner(server)
    server.responders["/owners/o1/profile"] = lambda q: Reply(body=[{"id": "p1"}])
    with pytest.raises(TapFatalError, match="an array where an object was expected"):
        run_demo(config(server), tap_class=ProfileTap)


def test_a_null_body_yields_no_rows_with_a_warning_naming_the_endpoint(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    one_owner(server)
    server.responders[ITEMS] = lambda q: Reply(body=None)
    with caplog.at_level(logging.WARNING):
        _, records = run_demo(config(server))
    assert "items" not in records
    [warning] = [r.getMessage() for r in caplog.records if "null" in r.getMessage()]
    assert f"{ITEMS} answered null instead of an array" in warning
    assert len(server.requests_to(ITEMS)) == 1


def test_a_parent_row_without_its_key_fails_in_one_line_naming_the_endpoint(
    server: ScriptedServer,
) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"name": "no id"}])
    message = fatal_error(config(server, max_tries=2))
    assert "/owners failed on all 2 tries (max_tries)" in message
    assert "a row without id" in message


# Finding 9: request_timeout_seconds bounds the whole request.


def test_a_body_dripped_past_the_timeout_is_abandoned_and_retried(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    one_owner(server)
    server.responders[ITEMS] = paged(rows(3), first_page=1, size_param="per_page")
    # A byte every 20 ms: no single read waits long, but the whole body would take ~60 s.
    padded = [{"id": f"r{i}", "name": "x" * 900} for i in range(3)]
    server.queued[ITEMS].append(Reply(body=padded, drip=0.02))
    with caplog.at_level(logging.WARNING):
        _, records = run_demo(config(server, request_timeout_seconds=3))
    assert [r["id"] for r in records["items"]] == ["r0", "r1", "r2"]
    first_retry = next(line for line in retry_lines(caplog) if ITEMS in line)
    assert "request timed out" in first_retry
    assert len(server.requests_to(ITEMS)) >= 2


def test_a_body_dripped_past_the_timeout_every_time_fails_naming_the_setting(
    server: ScriptedServer,
) -> None:
    one_owner(server)
    padded = [{"id": f"r{i}", "name": "x" * 900} for i in range(3)]
    server.responders[ITEMS] = lambda q: Reply(body=padded, drip=0.02)
    message = fatal_error(config(server, request_timeout_seconds=0.5, max_tries=2))
    assert f"{ITEMS} failed on all 2 tries (max_tries)" in message
    assert "no complete answer within 0.5 s" in message
    assert "request_timeout_seconds" in message


def test_a_close_delimited_body_cut_at_the_timeout_is_a_timeout_not_a_short_body(
    server: ScriptedServer,
) -> None:
    one_owner(server)
    padded = [{"id": f"r{i}", "name": "x" * 900} for i in range(3)]
    # Without Content-Length a cut connection just ends the body: it must not pass as the answer.
    server.responders[ITEMS] = lambda q: Reply(body=padded, drip=0.02, close_delimited=True)
    message = fatal_error(config(server, request_timeout_seconds=0.5, max_tries=2))
    assert "no complete answer within 0.5 s" in message
    assert "request_timeout_seconds" in message


# Finding 8: failure lines.


def test_each_retry_logs_one_line_naming_host_and_path(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    one_owner(server)
    server.responders[ITEMS] = paged(rows(3), first_page=1, size_param="per_page")
    server.queued[ITEMS].append(Reply(503, {"message": "down"}))
    server.queued[ITEMS].append(Reply(drop=True))
    with caplog.at_level(logging.DEBUG):
        run_demo(config(server, max_tries=4))
    host = server.url.removeprefix("http://")
    about_retries = [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.INFO
        and (
            "Backing off" in r.getMessage()
            or "Waiting" in r.getMessage()
            or "Retry" in r.getMessage()
        )
    ]
    assert about_retries == [
        f"Waiting 0.0 s before try 2 of 4 of GET {host}{ITEMS} (stream items): "
        "503 Service Unavailable, exponential backoff",
        f"Waiting 0.0 s before try 3 of 4 of GET {host}{ITEMS} (stream items): "
        "connection dropped, exponential backoff",
    ]


def test_an_unreachable_host_names_the_endpoint_and_the_api_url_setting() -> None:
    tap_config = {"api_url": "http://127.0.0.1:9", "api_key": "k" * 12, "max_tries": 2}
    tap_config["backoff_base_seconds"] = 0
    assert fatal_error(tap_config) == (
        "GET 127.0.0.1:9/owners failed on all 2 tries (max_tries): could not connect. "
        "Check the api_url setting (127.0.0.1:9) and the network."
    )


class ElsewhereStream(ProfileStream):
    """Rows read from a second host, configured by its own setting."""

    url_setting = "profile_url"

    @property
    def url_base(self) -> str:
        return str(self.config["profile_url"])


class ElsewhereTap(ProfileTap):
    config_jsonschema: ClassVar[dict[str, Any]] = {
        **ProfileTap.config_jsonschema,
        "properties": {
            **ProfileTap.config_jsonschema["properties"],
            "profile_url": {"type": "string"},
        },
    }
    stream_types = (ProfileTap.stream_types[0], ElsewhereStream)


def test_an_unreachable_second_host_blames_its_own_setting(server: ScriptedServer) -> None:
    one_owner(server)
    message = fatal_error(config(server, profile_url="http://127.0.0.1:9"), tap_class=ElsewhereTap)
    assert message.startswith("GET 127.0.0.1:9/owners/o1/profile failed on all 3 tries")
    assert "Check the profile_url setting (127.0.0.1:9)" in message
    assert "api_url" not in message


def test_a_404_on_the_root_list_names_the_api_url_setting(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(404, {"message": "Not Found"})
    assert fatal_error(config(server)) == (
        "404 Not Found from GET /owners: Not Found. Check the api_url setting."
    )
