"""Several accounts on one sandbox: a key sees its own data, each key has its own rate limit."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from sandbox import RateLimit, SandboxOptions
from sandbox.fleet import FleetSandbox
from sandbox.instatus import InstatusData
from sandbox.statuspage import StatuspageData
from tests.sandbox.http_client import V1Client, fetch

FIRST = StatuspageData.from_size(seed=21, size="tiny")
SECOND = StatuspageData.from_size(seed=22, size="tiny")


@pytest.fixture
def fleet() -> Iterator[FleetSandbox]:
    with FleetSandbox(statuspage=[FIRST, SECOND]) as sandbox:
        yield sandbox


def test_each_key_lists_the_pages_of_its_own_account(fleet: FleetSandbox) -> None:
    first = V1Client(fleet, FIRST).json("/pages")
    second = V1Client(fleet, SECOND).json("/pages")
    assert [page["id"] for page in first] == FIRST.page_ids
    assert [page["id"] for page in second] == SECOND.page_ids
    assert not set(FIRST.page_ids) & set(SECOND.page_ids)
    # A key reads no page of another account, and an unknown key gets the API's own 401.
    assert V1Client(fleet, FIRST).get(f"/pages/{SECOND.page_ids[0]}").status == 404
    stranger = StatuspageData.from_size(seed=23, size="tiny")
    assert V1Client(fleet, stranger).get("/pages").status == 401


def test_account_ground_truth_is_what_that_key_alone_serves(fleet: FleetSandbox) -> None:
    truth = FleetSandbox.account_ground_truth(statuspage=SECOND)
    assert [page["id"] for page in truth["pages"]] == SECOND.page_ids
    merged = fleet.ground_truth("statuspage")
    assert len(merged["pages"]) == len(FIRST.page_ids) + len(SECOND.page_ids)


def test_public_pages_of_every_account_are_served() -> None:
    first, second = InstatusData.from_size(seed=31, size="tiny"), InstatusData.from_size(seed=32)
    with FleetSandbox(instatus=[first, second]) as sandbox:
        template = sandbox.instatus_public_url_template
        for data in (first, second):
            truth = FleetSandbox.account_ground_truth(instatus=data)
            host = f"{truth['status_pages'][0]['subdomain']}.instatus.com"
            assert fetch(template.format(host=host)).status == 200


def test_per_key_rate_limit_counts_each_key_on_its_own() -> None:
    # 2 requests per 60 s window: the third request of a key is refused, the other key's pass.
    limit = RateLimit(requests_per_second=2 / 60, window_s=60, per_key=True)
    with FleetSandbox(statuspage=[FIRST, SECOND], options=SandboxOptions(rate_limit=limit)) as sb:
        first, second = V1Client(sb, FIRST), V1Client(sb, SECOND)
        assert [first.get("/pages").status for _ in range(3)] == [200, 200, 429]
        assert [second.get("/pages").status for _ in range(2)] == [200, 200]
        assert second.get("/pages").status == 429
        stats = sb.stats()
    assert stats["rate_limited"] == 2
    keys = [entry["key"] for entry in stats["requests"]]
    assert len(set(keys)) == 2
    assert None not in keys
    # The log tells keys apart without holding one.
    assert not {FIRST.api_key, SECOND.api_key} & {key or "" for key in keys}


def test_without_per_key_the_limit_is_shared_by_every_key() -> None:
    limit = RateLimit(requests_per_second=2 / 60, window_s=60)
    with FleetSandbox(statuspage=[FIRST, SECOND], options=SandboxOptions(rate_limit=limit)) as sb:
        assert V1Client(sb, FIRST).get("/pages").status == 200
        assert V1Client(sb, SECOND).get("/pages").status == 200
        assert V1Client(sb, SECOND).get("/pages").status == 429


def test_a_hold_keeps_matching_requests_until_released(fleet: FleetSandbox) -> None:
    hold = fleet.hold(r"/pages$")
    answers: list[int] = []
    waiting = threading.Thread(
        target=lambda: answers.append(V1Client(fleet, FIRST).get("/pages").status)
    )
    waiting.start()
    assert hold.arrived.wait(30)
    # Other paths pass while the held request waits.
    assert V1Client(fleet, SECOND).get(f"/pages/{SECOND.page_ids[0]}").status == 200
    assert answers == []
    hold.release()
    waiting.join(30)
    assert answers == [200]


def test_a_rendezvous_lets_keys_through_once_all_have_come(fleet: FleetSandbox) -> None:
    meeting = fleet.rendezvous(keys=2, timeout_s=60)
    answers: list[int] = []
    first = threading.Thread(
        target=lambda: answers.append(V1Client(fleet, FIRST).get("/pages").status)
    )
    first.start()
    # The first key waits for the second; the second key's arrival lets both through.
    assert V1Client(fleet, SECOND).get("/pages").status == 200
    first.join(30)
    assert answers == [200]
    assert not meeting.timed_out
    # Later requests of a key that already came pass at once.
    assert V1Client(fleet, FIRST).get("/pages").status == 200


def test_a_rendezvous_that_nobody_joins_times_out_and_says_so(fleet: FleetSandbox) -> None:
    meeting = fleet.rendezvous(keys=2, timeout_s=0.01)
    assert V1Client(fleet, FIRST).get("/pages").status == 200
    assert meeting.timed_out


def test_serve_with_accounts_prints_each_key_and_limits_each_key_alone() -> None:
    command = [sys.executable, "-m", "sandbox.cli", "serve", "--port", "0", "--size", "tiny"]
    command += ["--seed", "4", "--accounts", "2", "--rate-limit", "0.05", "--rate-limit-window"]
    command += ["20", "--rate-limit-per-key"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(7)]
            url = lines[0].removeprefix("sandbox listening on ").strip()
            keys = [line.split()[-1] for line in lines if line.startswith("statuspage account")]
            assert keys == [StatuspageData.from_size(seed=s, size="tiny").api_key for s in (4, 5)]
            pages = url + "/statuspage/v1/pages"
            for key in keys:  # one request per 20 s window and key: each key's first one passes
                assert fetch(pages, headers={"Authorization": f"OAuth {key}"}).status == 200
            assert fetch(pages, headers={"Authorization": f"OAuth {keys[0]}"}).status == 429
        finally:
            process.terminate()
            code = process.wait(timeout=15)
    assert code == 0
