"""A full Instatus sync: owner-only pages skipped, no secrets, updates under their parents."""

from __future__ import annotations

import json
import re
from collections import Counter

from sandbox import Sandbox
from sandbox.instatus import InstatusData
from tests.minimums import instatus_minimum
from tests.taps import INSTATUS_SITE_SECRET_FIELDS, FullSync


def test_full_sync_makes_exactly_the_minimum_requests(
    full_sync: FullSync, tap_sandbox: Sandbox, tap_data: InstatusData
) -> None:
    _, stats = full_sync
    truth = tap_sandbox.ground_truth("instatus")
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
    full_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    run, stats = full_sync
    truth = tap_sandbox.ground_truth("instatus")
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
    full_sync: FullSync, tap_data: InstatusData
) -> None:
    run, _ = full_sync
    assert "SANDBOX-SECRET-" not in run.output
    assert tap_data.api_key not in run.output
    for key in INSTATUS_SITE_SECRET_FIELDS:
        assert f'"{key}"' not in run.stdout
    sites = re.findall(r'"site":\{[^{}]*\}', run.stdout)
    assert sites
    assert all(set(json.loads(site[7:])) <= {"id", "name", "subdomain"} for site in sites)


def test_public_summaries_never_receive_the_key(
    full_sync: FullSync,
) -> None:
    _, stats = full_sync
    assert stats["auth_on_public"] is False
    assert any(r["path"].startswith("/instatus-public/status.") for r in stats["requests"])


def test_team_rows_are_flat(full_sync: FullSync) -> None:
    run, _ = full_sync
    assert all("user" not in row and row["userId"] and row["email"] for row in run.records["team"])


def test_updates_carry_their_parents_keys(full_sync: FullSync) -> None:
    run, _ = full_sync
    incidents = {row["id"]: row["page_id"] for row in run.records["incidents"]}
    for update in run.records["incident_updates"]:
        assert incidents[update["incident_id"]] == update["page_id"]
        assert update["incident_id"] == update["incidentId"]
    maintenances = {row["id"]: row["page_id"] for row in run.records["maintenances"]}
    for update in run.records["maintenance_updates"]:
        assert maintenances[update["maintenance_id"]] == update["page_id"]
