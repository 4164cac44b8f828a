"""The lookups the sandbox's data classes share: presets, indexes, timelines, chunked reads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from sandbox.configcat import ProductSpec
from sandbox.instatus import InstatusPageSpec
from sandbox.lookups import (
    EventHistory,
    Index,
    MadeOnce,
    Timeline,
    chunked,
    preset,
    require_counts,
)
from sandbox.statuspage import PageSpec


@dataclass(frozen=True)
class Update:
    status: str
    at_ms: int


@dataclass(frozen=True)
class Incident(EventHistory):
    id: str
    updates: tuple[Update, ...]


def generated(page: int, row: int) -> Incident:
    """Row 0 is the newest: generated rows get older as the row grows."""
    return Incident(f"p{page}-r{row}", (Update("open", 1000 - row), Update("closed", 2000 - row)))


def timeline(rows: int = 4) -> Timeline[Incident]:
    return Timeline(
        2,
        generated=generated,
        generated_id=lambda page, row: f"p{page}-r{row}",
        generated_count=lambda page: rows,
    )


def test_preset_names_every_known_size_when_the_size_is_unknown() -> None:
    assert preset({"tiny": 1, "small": 2}, "small") == 2
    with pytest.raises(
        ValueError, match=r"unknown size 'huge'; expected one of \['small', 'tiny'\]"
    ):
        preset({"tiny": 1, "small": 2}, "huge")


def test_index_finds_by_folded_key_and_names_what_it_misses() -> None:
    pages = Index("page id", [("abc", 0), ("def", 1)], fold=str.lower)
    assert pages.find("ABC") == 0
    assert pages.find("nope") is None
    assert len(pages) == 2
    with pytest.raises(KeyError, match="unknown page id 'nope'"):
        pages.get("nope")
    assert Index("setting id", [(7, "seven")]).find(7) == "seven"


def test_added_events_come_first_newest_first_then_the_generated_rows() -> None:
    events = timeline()
    made = events.add(0, 2, lambda n: Incident(f"new{n}", (Update("open", 5000 + n),)))
    assert made == ["new0", "new1"]
    assert events.add(0, 1, lambda n: Incident(f"new{n}", (Update("open", 6000),))) == ["new2"]
    assert events.count(0) == 7
    assert events.added(0) == 3
    assert [e.id for e in events.events(0, 0, 5)] == ["new2", "new1", "new0", "p0-r0", "p0-r1"]
    assert [events.event_id(0, p) for p in range(7)] == [e.id for e in events.events(0, 0, 7)]
    assert events.count(1) == 4, "another page is unchanged"


def test_touching_appends_to_the_oldest_untouched_events_first() -> None:
    events = timeline(rows=3)
    first = events.touch(0, 2, lambda event, n: Update(f"again{n}", 9000))
    assert first == ["p0-r2", "p0-r1"]
    second = events.touch(0, 2, lambda event, n: Update(f"again{n}", 9500))
    assert second == ["p0-r0", "p0-r2"]
    touched = events.events(0, 2, 3)[0]
    assert touched.id == "p0-r2"
    assert [u.status for u in touched.updates] == ["open", "closed", "again0", "again1"]
    assert touched.status == "again1"
    assert touched.updated_ms == 9500
    assert generated(0, 2).updated_ms == 1998, "the generated row itself is left as it was"


def test_event_history_reads_status_and_times_from_the_updates() -> None:
    incident = Incident("i", (Update("open", 10), Update("fixed", 30), Update("open", 20)))
    assert incident.status == "open"
    assert incident.updated_ms == 30
    assert incident.first_at("fixed", "closed") == 30
    assert incident.first_at("closed") is None


def test_chunked_reads_every_row_once_in_slices() -> None:
    asked: list[tuple[int, int]] = []

    def rows(start: int, stop: int) -> list[int]:
        asked.append((start, stop))
        return list(range(start, min(stop, 2500)))

    assert list(chunked(2500, rows)) == list(range(2500))
    assert asked == [(0, 1000), (1000, 2000), (2000, 3000)]


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (InstatusPageSpec, "subscribers"),
        (InstatusPageSpec, "component_groups"),
        (PageSpec, "page_access_groups"),
        (ProductSpec, "audit_log_burst"),
        (ProductSpec, "organization"),
    ],
)
def test_every_spec_rejects_a_negative_count_naming_itself(spec: type, field: str) -> None:
    with pytest.raises(ValueError, match=f"^{spec.__name__} counts must not be negative$"):
        spec(**{field: -1})


def test_a_count_of_zero_is_valid() -> None:
    require_counts(PageSpec(components=0, component_groups=0, metrics=0, metrics_providers=0))


def test_made_once_makes_each_pages_value_once_across_threads() -> None:
    made: list[int] = []
    gate = threading.Barrier(8)
    values: MadeOnce[list[int]] = MadeOnce(threading.Lock())

    def make(page: int) -> list[int]:
        made.append(page)
        return [page]

    def read(page: int) -> list[int]:
        gate.wait()
        return values.get(page, lambda: make(page))

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(read, [0, 1] * 4))
    assert sorted(made) == [0, 1]
    assert all(value is got[page] for page, value in zip([0, 1] * 4, got, strict=True))


def test_a_maker_may_read_another_made_once_of_the_same_lock() -> None:
    shared = threading.RLock()
    times: MadeOnce[tuple[int, ...]] = MadeOnce(shared)
    counts: MadeOnce[int] = MadeOnce(shared)
    count = counts.get(3, lambda: len(times.get(3, lambda: (5, 4, 3))))
    assert count == 3
    assert times.get(3, lambda: ()) == (5, 4, 3)
