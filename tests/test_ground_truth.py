"""Every published stream of every tap: a full sync equals the sandbox's ground truth, keys once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from sandbox import Sandbox
from tests.taps import FullSync, TapSpec, streams_and_keys

STREAMS = list(streams_and_keys())
# The shared sandbox and full sync are fixtures of module scope: so is the tap parameter.
every_stream = pytest.mark.parametrize(
    ("tap", "stream"),
    STREAMS,
    ids=[f"{tap.api}-{stream}" for tap, stream in STREAMS],
    scope="module",
)


def sorted_by_key(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: tuple(row[name] for name in key))


@every_stream
def test_every_stream_equals_ground_truth(
    tap: TapSpec[Any], stream: str, full_sync: FullSync, tap_sandbox: Sandbox
) -> None:
    run, _ = full_sync
    truth = tap_sandbox.ground_truth(tap.api)[stream]
    assert truth, f"the sandbox has no {stream} rows: the test would prove nothing"
    key = tap.keys[stream]
    assert sorted_by_key(run.records.get(stream, []), key) == sorted_by_key(truth, key)


@every_stream
def test_primary_keys_are_unique(tap: TapSpec[Any], stream: str, full_sync: FullSync) -> None:
    run, _ = full_sync
    counts = Counter(tuple(row[name] for name in tap.keys[stream]) for row in run.records[stream])
    assert [key for key, n in counts.items() if n > 1] == []
