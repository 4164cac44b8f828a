"""The kit's pagination, retries and error policy through a real tap against a real local server."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tap_kit import PageStyle, TapFatalError
from tap_kit.errors import SettingsError
from tests.kit.demo_tap import EventsTap, ItemsStream, fatal_error, run_demo
from tests.kit.scripted_server import Reply, ScriptedServer, paged

SECRET = "kit-secret-key-7f3a9c2e"


def config(server: ScriptedServer, **extra: object) -> dict[str, object]:
    return {
        "api_url": server.url,
        "api_key": SECRET,
        "requests_per_second": 1000,
        "backoff_base_seconds": 0.01,
        "max_tries": 3,
        **extra,
    }


def rows(n: int, prefix: str = "r") -> list[dict[str, str]]:
    return [{"id": f"{prefix}{i}"} for i in range(n)]


def one_owner(server: ScriptedServer, items: list[dict[str, str]]) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    server.responders["/owners/o1/items"] = paged(items, first_page=1, size_param="per_page")


def test_reads_every_page_and_stops_on_the_short_one(server: ScriptedServer) -> None:
    one_owner(server, rows(250))
    _, records = run_demo(config(server))
    assert [r["id"] for r in records["items"]] == [f"r{i}" for i in range(250)]
    assert all(r["owner_id"] == "o1" for r in records["items"])
    assert [q["page"] for q in server.requests_to("/owners/o1/items")] == ["1", "2", "3"]
    assert {q["per_page"] for q in server.requests_to("/owners/o1/items")} == {"100"}
    assert len(server.requests_to("/owners")) == 1


def test_exactly_full_last_page_costs_one_empty_request(server: ScriptedServer) -> None:
    one_owner(server, rows(200))
    _, records = run_demo(config(server))
    assert len(records["items"]) == 200
    assert [q["page"] for q in server.requests_to("/owners/o1/items")] == ["1", "2", "3"]


def test_empty_list_costs_one_request(server: ScriptedServer) -> None:
    one_owner(server, [])
    _, records = run_demo(config(server))
    assert "items" not in records
    assert len(server.requests_to("/owners/o1/items")) == 1


def test_endpoint_ignoring_page_stops_with_a_warning(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    server.responders["/owners/o1/items"] = lambda q: Reply(body=rows(100))
    with caplog.at_level(logging.WARNING):
        _, records = run_demo(config(server))
    assert len(server.requests_to("/owners/o1/items")) == 2
    assert len(records["items"]) == 100  # The repeated page brings nothing new: not emitted.
    assert "ignores the page parameter" in caplog.text


def test_rate_limit_waits_what_retry_after_says_and_logs_it_once(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    one_owner(server, rows(3))
    server.queued["/owners/o1/items"].append(
        Reply(429, {"message": "slow down"}, {"Retry-After": "1"})
    )
    server.queued["/owners/o1/items"].append(
        Reply(420, {"message": "slow down"}, {"Retry-After": "0"})
    )
    with caplog.at_level(logging.WARNING):
        _, records = run_demo(config(server))
    assert len(records["items"]) == 3
    waits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Waiting")]
    assert len(waits) == 2
    assert waits[0].startswith("Waiting 1.0 s before try 2 of 3")
    assert "429 Too Many Requests, Retry-After: 1" in waits[0]
    assert "420" in waits[1]


def test_server_errors_drops_and_timeouts_are_retried(server: ScriptedServer) -> None:
    one_owner(server, rows(3))
    queue = server.queued["/owners/o1/items"]
    queue.append(Reply(503, {"message": "down"}))
    queue.append(Reply(drop=True))
    _, records = run_demo(config(server, max_tries=4))
    assert len(records["items"]) == 3
    assert len(server.requests_to("/owners/o1/items")) == 3

    queue.append(Reply(delay=1.0, body=rows(3)))
    _, records = run_demo(config(server, request_timeout_seconds=0.3))
    assert len(records["items"]) == 3


def test_retries_give_up_after_max_tries(server: ScriptedServer) -> None:
    one_owner(server, rows(3))
    server.responders["/owners/o1/items"] = lambda q: Reply(502, {"message": "bad gateway"})
    with pytest.raises(Exception, match="502 Bad Gateway from GET /owners/o1/items: bad gateway"):
        run_demo(config(server))
    assert len(server.requests_to("/owners/o1/items")) == 3


def test_401_on_the_first_call_fails_fast_naming_the_setting(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(401, {"message": "Could not authenticate"})
    assert fatal_error(config(server)) == (
        "401 Unauthorized from GET /owners: Could not authenticate. Check the api_key setting."
    )
    assert len(server.log) == 1


@pytest.mark.parametrize("status", [401, 403, 404])
def test_refused_partition_is_skipped_with_a_warning_and_summary(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}, {"id": "o2"}])
    server.responders["/owners/o1/items"] = lambda q: Reply(status, {"message": "not yours"})
    server.responders["/owners/o2/items"] = paged(rows(2), first_page=1, size_param="per_page")
    with caplog.at_level(logging.WARNING):
        tap, records = run_demo(config(server))
    assert [r["owner_id"] for r in records["items"]] == ["o2", "o2"]
    assert [r["id"] for r in records["owners"]] == ["o1", "o2"]
    assert f"Skipped stream items for owner_id=o1: {status}" in caplog.text
    assert "1 skipped stream partition(s)" in caplog.text
    assert len(tap.skipped) == 1


def test_strict_setting_turns_a_skip_into_a_failure(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    server.responders["/owners/o1/items"] = lambda q: Reply(403, {"message": "not yours"})
    with pytest.raises(TapFatalError, match="owner_id=o1; fail_on_skipped_partitions is true"):
        run_demo(config(server, fail_on_skipped_partitions=True))


def test_other_client_errors_fail_with_status_path_and_api_message(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(400, {"message": "bad filter\nvalue"})
    with pytest.raises(
        TapFatalError, match=r"^400 Bad Request from GET /owners: bad filter value$"
    ):
        run_demo(config(server))


def test_a_body_that_is_not_json_fails_clearly(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(raw=b"<html>oops</html>")
    with pytest.raises(
        TapFatalError, match=r"200 from GET /owners: the body is not JSON \(text/html\)"
    ):
        run_demo(config(server))


def test_credentials_travel_only_in_headers(server: ScriptedServer) -> None:
    one_owner(server, rows(1))
    run_demo(config(server))
    for _path, query, headers in server.log:
        assert SECRET not in str(query)
        assert headers["Authorization"] == f"Bearer {SECRET}"


def test_cli_failure_is_one_line_without_secrets(server: ScriptedServer, tmp_path: Path) -> None:
    # The API echoes the key back in its message: the kit must still never print it.
    server.responders["/owners"] = lambda q: Reply(403, {"message": f"key {SECRET} is not allowed"})
    config_file = tmp_path / "config.json"
    config_file.write_text(__import__("json").dumps(config(server)))
    script = textwrap.dedent(
        """
        import sys
        from tap_kit import run_cli
        from tests.kit.demo_tap import DemoTap
        sys.argv = ["tap-demo", "--config", sys.argv[1]]
        run_cli(DemoTap)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(config_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    error_lines = [line for line in result.stderr.splitlines() if "tap-demo: error:" in line]
    assert len(error_lines) == 1
    assert "403 Forbidden from GET /owners: key *** is not allowed" in error_lines[0]
    assert "Traceback" not in result.stderr


def test_a_more_pages_flag_in_the_body_ends_paging(server: ScriptedServer) -> None:
    style = PageStyle(
        first_page=1,
        size_param="pageSize",
        page_param="pageNumber",
        more_flag=("paging", "hasNext"),
    )
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    pages = {"1": (rows(100, "a"), True), "2": (rows(100, "b"), False)}
    server.responders["/owners/o1/items"] = lambda q: Reply(
        body={"paging": {"hasNext": pages[q["pageNumber"]][1]}, "data": pages[q["pageNumber"]][0]}
    )
    original = (ItemsStream.page_style, ItemsStream.records_key)
    ItemsStream.page_style, ItemsStream.records_key = style, "data"
    try:
        _, records = run_demo(config(server))
    finally:
        ItemsStream.page_style, ItemsStream.records_key = original
    assert len(records["items"]) == 200
    assert [q["pageNumber"] for q in server.requests_to("/owners/o1/items")] == ["1", "2"]
    assert {q["pageSize"] for q in server.requests_to("/owners/o1/items")} == {"100"}


def test_a_partition_skipped_halfway_keeps_its_old_bookmark(server: ScriptedServer) -> None:
    newer = [{"id": f"n{i}", "updated_at": "2024-06-01T00:00:00Z"} for i in range(100)]
    older = [{"id": f"o{i}", "updated_at": "2024-05-01T00:00:00Z"} for i in range(5)]
    start = {"start_date": "2024-04-01T00:00:00Z"}
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    server.queued["/owners/o1/events"].append(Reply(body=newer))
    server.queued["/owners/o1/events"].append(Reply(403, {"message": "not now"}))
    first, records = run_demo(config(server, **start), tap_class=EventsTap)
    assert len(records["events"]) == 100
    partitions = first.state["bookmarks"]["events"]["partitions"]
    assert all("replication_key_value" not in p for p in partitions)  # not 2024-06

    server.responders["/owners/o1/events"] = paged(
        newer + older, first_page=1, size_param="per_page"
    )
    _, records = run_demo(config(server, **start), state=first.state, tap_class=EventsTap)
    assert {r["id"] for r in records["events"]} >= {f"o{i}" for i in range(5)}


def test_a_negative_rate_fails_in_one_line_naming_the_setting(server: ScriptedServer) -> None:
    one_owner(server, rows(1))
    with pytest.raises(SettingsError, match="requests_per_second must be at least 0, not -1"):
        run_demo(config(server, requests_per_second=-1))
    assert server.log == []  # Refused before any request.
