"""A full Instatus sync: every stream equals ground truth, owner-only pages skipped, no secrets."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.minimums import instatus_minimum
from tests.taprun import TapRun

STREAMS = [
    "status_pages",
    "components",
    "incidents",
    "incident_updates",
    "maintenances",
    "maintenance_updates",
    "templates",
    "team",
    "subscribers",
    "metrics",
    "user",
    "public_data",
]
# Secret keys of nested site rows (docs/apis/instatus.md, "Secrets in nested site rows").
SECRET_KEYS = [
    "twilioToken",
    "smtpPass",
    "sesSecretAccessKey",
    "datadogApiKey",
    "mailgunKey",
    "secretToBypassPrivacy",
    "secureLinkToken",
]


def key_of(stream: str) -> str:
    return "page_id" if stream == "public_data" else "id"


@pytest.mark.parametrize("stream", STREAMS)
def test_every_stream_equals_ground_truth(
    in_full_sync: tuple[TapRun, dict[str, Any]], in_sandbox: Sandbox, stream: str
) -> None:
    run, _ = in_full_sync
    truth = in_sandbox.ground_truth("instatus")[stream]
    assert truth
    key = key_of(stream)
    assert sorted(run.records.get(stream, []), key=lambda r: r[key]) == sorted(
        truth, key=lambda r: r[key]
    )


@pytest.mark.parametrize("stream", STREAMS)
def test_primary_keys_are_unique(in_full_sync: tuple[TapRun, dict[str, Any]], stream: str) -> None:
    run, _ = in_full_sync
    counts = Counter(row[key_of(stream)] for row in run.records[stream])
    assert [key for key, n in counts.items() if n > 1] == []


def test_full_sync_makes_exactly_the_minimum_requests(
    in_full_sync: tuple[TapRun, dict[str, Any]], in_sandbox: Sandbox, in_data: InstatusData
) -> None:
    _, stats = in_full_sync
    truth = in_sandbox.ground_truth("instatus")
    assert stats["total"] == instatus_minimum(truth)
    assert stats["rate_limited"] == 0
    paths = Counter(request["path"] for request in stats["requests"])
    assert paths["/instatus/v2/pages"] == 1
    assert not any("/incident-updates" in p or "/maintenance-updates" in p for p in paths)
    assert all(
        r["query"].get("per_page") == "100"
        for r in stats["requests"]
        if "/instatus/v" in r["path"] and "user" not in r["path"]
    )


def test_owner_only_page_is_kept_and_its_lists_skipped_after_one_refusal(
    in_full_sync: tuple[TapRun, dict[str, Any]], in_sandbox: Sandbox
) -> None:
    run, stats = in_full_sync
    truth = in_sandbox.ground_truth("instatus")
    readable = {row["page_id"] for row in truth["components"]}
    [not_owned] = [row["id"] for row in truth["status_pages"] if row["id"] not in readable]
    assert not_owned in {row["id"] for row in run.records["status_pages"]}
    assert not_owned in {row["page_id"] for row in run.records["public_data"]}
    # One refused request and one warning for the whole page, naming every list it skips.
    refused = [r["path"] for r in stats["requests"] if r["status"] == 401]
    assert refused == [f"/instatus/v1/{not_owned}/components"]
    [warning] = [line for line in run.stderr.splitlines() if f"for page_id={not_owned}:" in line]
    assert (
        "Skipped streams components, incidents, maintenances, templates, team, subscribers, "
        f"metrics for page_id={not_owned}: 401 Unauthorized from GET {refused[0]}"
    ) in warning
    assert "skipped stream partition(s)" in run.stderr


def test_no_secret_of_the_sandbox_reaches_the_output(
    in_full_sync: tuple[TapRun, dict[str, Any]], in_data: InstatusData
) -> None:
    run, _ = in_full_sync
    assert "SANDBOX-SECRET-" not in run.output
    assert in_data.api_key not in run.output
    for key in SECRET_KEYS:
        assert f'"{key}"' not in run.stdout
    sites = re.findall(r'"site":\{[^{}]*\}', run.stdout)
    assert sites
    assert all(set(json.loads(site[7:])) <= {"id", "name", "subdomain"} for site in sites)


def test_public_summaries_never_receive_the_key(
    in_full_sync: tuple[TapRun, dict[str, Any]],
) -> None:
    _, stats = in_full_sync
    assert stats["auth_on_public"] is False
    assert any(r["path"].startswith("/instatus-public/status.") for r in stats["requests"])


def test_team_rows_are_flat(in_full_sync: tuple[TapRun, dict[str, Any]]) -> None:
    run, _ = in_full_sync
    assert all("user" not in row and row["userId"] and row["email"] for row in run.records["team"])


def test_updates_carry_their_parents_keys(in_full_sync: tuple[TapRun, dict[str, Any]]) -> None:
    run, _ = in_full_sync
    incidents = {row["id"]: row["page_id"] for row in run.records["incidents"]}
    for update in run.records["incident_updates"]:
        assert incidents[update["incident_id"]] == update["page_id"]
        assert update["incident_id"] == update["incidentId"]
    maintenances = {row["id"]: row["page_id"] for row in run.records["maintenances"]}
    for update in run.records["maintenance_updates"]:
        assert maintenances[update["maintenance_id"]] == update["page_id"]
