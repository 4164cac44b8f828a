"""Fractional settings as a config file (the SDK reads them as Decimal) or as numeric strings.

Meltano hands the four fractional settings over as strings when they come from the environment,
and the SDK reads every JSON number with a fraction as `Decimal`: each tap must run with both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from sandbox.instatus import InstatusData
from sandbox.statuspage import StatuspageData
from tests.taprun import run_tap

FRACTIONAL_SETTINGS = (
    "requests_per_second",
    "max_wait_seconds",
    "backoff_base_seconds",
    "request_timeout_seconds",
)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(
        statuspage=StatuspageData.from_size(seed=3, size="tiny"),
        instatus=InstatusData.from_size(seed=3, size="tiny"),
        configcat=ConfigCatData.from_size(seed=3, size="tiny"),
    ) as running:
        yield running


def tap_config(tap: str, sandbox: Sandbox) -> dict[str, Any]:
    if tap == "tap-statuspage":
        assert sandbox.statuspage is not None
        return {
            "api_url": sandbox.statuspage_api_url,
            "api_key": sandbox.statuspage.api_key,
            "organization_id": sandbox.statuspage.organization_id,
        }
    if tap == "tap-instatus":
        assert sandbox.instatus is not None
        return {
            "api_url": sandbox.instatus_api_url,
            "api_key": sandbox.instatus.api_key,
            "public_url_template": sandbox.instatus_public_url_template,
        }
    assert sandbox.configcat is not None
    return {
        "api_url": sandbox.configcat_api_url,
        "username": sandbox.configcat.username,
        "password": sandbox.configcat.password,
        "start_date": "2026-05-01T00:00:00Z",
    }


def api_of(tap: str) -> str:
    return tap.removeprefix("tap-")


def assert_full_sync(tap: str, sandbox: Sandbox, config: dict[str, Any], tmp_path: Path) -> None:
    run = run_tap(tap, config, tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    truth = sandbox.ground_truth(api_of(tap))
    counts = {stream: len(run.records.get(stream, [])) for stream in truth}
    assert counts == {stream: len(rows) for stream, rows in truth.items()}


@pytest.mark.parametrize("tap", ["tap-statuspage", "tap-instatus", "tap-configcat"])
@pytest.mark.parametrize("whole", [False, True], ids=["fraction", "whole-float"])
def test_fractional_numbers_in_the_config_file(
    tap: str, whole: bool, sandbox: Sandbox, tmp_path: Path
) -> None:
    """`30.5` and even `2.0` reach the tap as Decimal: the socket timeout must still work."""
    numbers = {
        "requests_per_second": 1000.0 if whole else 999.5,
        "max_wait_seconds": 10.0 if whole else 10.5,
        "backoff_base_seconds": 1.0 if whole else 0.05,
        "request_timeout_seconds": 30.0 if whole else 30.5,
    }
    assert_full_sync(tap, sandbox, {**tap_config(tap, sandbox), **numbers}, tmp_path)


@pytest.mark.parametrize("tap", ["tap-statuspage", "tap-instatus", "tap-configcat"])
def test_numeric_strings_as_meltano_hands_them_from_the_environment(
    tap: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    numbers = {
        "requests_per_second": "999.5",
        "max_wait_seconds": " 10 ",
        "backoff_base_seconds": "0.05",
        "request_timeout_seconds": "30.5",
    }
    assert_full_sync(tap, sandbox, {**tap_config(tap, sandbox), **numbers}, tmp_path)


@pytest.mark.parametrize("setting", FRACTIONAL_SETTINGS)
def test_a_non_numeric_string_fails_with_one_line_naming_the_setting(
    setting: str, sandbox: Sandbox, tmp_path: Path
) -> None:
    config = {**tap_config("tap-statuspage", sandbox), setting: "ten"}

    run = run_tap("tap-statuspage", config, tmp_path)

    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [line] = [line for line in run.stderr.splitlines() if "tap-statuspage: error:" in line]
    assert line.endswith(f'{setting} must be a number (for example 2.5), not "ten"'), line
    assert run.records == {}
