"""Component status timelines of a Statuspage page and Statuspage's uptime rule over them.

Each incident update that lists components says which status the incident holds on them from
then on (or that it releases them). A component's status at any time is the worst status any
incident holds on it then, `operational` when none does; each listed component of an update gets
the transition (status before, status after) in that one timeline. So overlapping incidents stay
consistent: one raising a component to `major_outage` while another holds `partial_outage`
returns it to `partial_outage` when it releases, not to `operational`.

The uptime rule (docs/apis/statuspage.md, "Component uptime"): over a range of local days clipped
to [the component's start, now], seconds in `major_outage` count fully and seconds in
`partial_outage` count 0.3; every other status counts as up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from sandbox.generate import DAY, MINUTE, SECOND, UNIX

OPERATIONAL = "operational"
MAJOR_OUTAGE = "major_outage"
PARTIAL_OUTAGE = "partial_outage"
SEVERITY: Mapping[str, int] = {
    OPERATIONAL: 0,
    "under_maintenance": 1,
    "degraded_performance": 2,
    PARTIAL_OUTAGE: 3,
    MAJOR_OUTAGE: 4,
}
"""Worse is higher: the status a component shows while several incidents hold it."""
PARTIAL_WEIGHT = Fraction(3, 10)
"""A second of partial outage counts 0.3 of a second of major outage."""
MAX_RANGE_MONTHS = 6
"""An uptime range may span at most 6 calendar months."""


@dataclass(frozen=True)
class Step:
    """One update of one incident: the components it lists and what the incident holds on them.

    `hold` is the status the incident holds from `at_ms` on, `operational` to release the
    components, or None to list them without a change (a maintenance's `scheduled` update).
    """

    at_ms: int
    order: tuple[int, int]
    """Tie-breaker among steps at the same millisecond: (incident row, update number)."""
    incident_id: str
    rows: tuple[int, ...]
    hold: str | None


@dataclass(frozen=True)
class Segment:
    """From `at_ms` until the next segment, the component shows `status`, held by `holders`."""

    at_ms: int
    status: str
    holders: tuple[str, ...]


def _worst(held: Mapping[str, str]) -> str:
    return max(held.values(), key=SEVERITY.__getitem__, default=OPERATIONAL)


def resolve(
    steps: Iterable[Step],
) -> tuple[dict[tuple[int, int], tuple[tuple[int, str, str], ...]], dict[int, list[Segment]]]:
    """The (row, old, new) transitions of every step by `order`, and each row's segments."""
    held: dict[int, dict[str, str]] = defaultdict(dict)
    transitions: dict[tuple[int, int], tuple[tuple[int, str, str], ...]] = {}
    segments: dict[int, list[Segment]] = defaultdict(list)
    for step in sorted(steps, key=lambda s: (s.at_ms, s.order)):
        changes = []
        for row in step.rows:
            holds = held[row]
            old = _worst(holds)
            if step.hold == OPERATIONAL:
                holds.pop(step.incident_id, None)
            elif step.hold is not None:
                holds[step.incident_id] = step.hold
            new = _worst(holds)
            changes.append((row, old, new))
            holders = tuple(sorted(i for i, status in holds.items() if status == new))
            segments[row].append(Segment(step.at_ms, new, holders))
        transitions[step.order] = tuple(changes)
    return transitions, dict(segments)


def status_at(segments: Sequence[Segment], at_ms: int) -> str:
    """The component's status at `at_ms` (operational before its first transition)."""
    status = OPERATIONAL
    for segment in segments:
        if segment.at_ms > at_ms:
            break
        status = segment.status
    return status


@dataclass(frozen=True)
class Outage:
    """Milliseconds in each outage status within a window and the incidents that held them."""

    major_ms: int
    partial_ms: int
    major_ids: tuple[str, ...]
    partial_ids: tuple[str, ...]


def outage_in(segments: Sequence[Segment], start_ms: int, end_ms: int) -> Outage:
    """Time in major and partial outage within [start_ms, end_ms)."""
    spent = {MAJOR_OUTAGE: 0, PARTIAL_OUTAGE: 0}
    ids: dict[str, list[str]] = {MAJOR_OUTAGE: [], PARTIAL_OUTAGE: []}
    for n, segment in enumerate(segments):
        until = segments[n + 1].at_ms if n + 1 < len(segments) else end_ms
        overlap = min(until, end_ms) - max(segment.at_ms, start_ms)
        if overlap <= 0 or segment.status not in spent:
            continue
        spent[segment.status] += overlap
        ids[segment.status] += [i for i in segment.holders if i not in ids[segment.status]]
    return Outage(
        spent[MAJOR_OUTAGE],
        spent[PARTIAL_OUTAGE],
        tuple(ids[MAJOR_OUTAGE]),
        tuple(ids[PARTIAL_OUTAGE]),
    )


def local_midnight_ms(day: date, offset_min: int) -> int:
    """Epoch ms of 00:00 of `day` in a fixed offset from UTC."""
    return (day - UNIX.date()).days * DAY - offset_min * MINUTE


def local_date(ms: int, offset_min: int) -> date:
    """The date at epoch ms `ms` in a fixed offset from UTC."""
    return UNIX.date() + timedelta(days=(ms + offset_min * MINUTE) // DAY)


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return date(year, month + 1, min(day.day, (first_of_next - timedelta(days=1)).day))


def month_ranges(first: date, today: date) -> list[tuple[date, date]]:
    """(start, end) of each calendar month from the one containing `first` to the one containing
    `today`: whole months, the last one ending `today`."""
    ranges = []
    start = first.replace(day=1)
    while start <= today:
        following = add_months(start, 1)
        ranges.append((start, min(following - timedelta(days=1), today)))
        start = following
    return ranges


def uptime_percentage(major_s: int, partial_s: int, range_s: int) -> float:
    """100 * (1 - (major + 0.3 * partial) / range), rounded half up to 2 decimals (100 when the
    clipped range is empty or had no outage)."""
    if range_s <= 0 or major_s == partial_s == 0:
        return 100.0
    exact = 100 * (1 - (major_s + PARTIAL_WEIGHT * partial_s) / Fraction(range_s))
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Uptime:
    """Statuspage's uptime figures of one component over one range of local days."""

    range_start: date
    range_end: date
    major_s: int
    partial_s: int
    range_s: int
    percentage: float
    major_ids: tuple[str, ...]
    partial_ids: tuple[str, ...]
    warnings: tuple[str, ...]


def uptime(
    segments: Sequence[Segment],
    range_start: date,
    range_end: date,
    *,
    offset_min: int,
    component_start: date,
    now_ms: int,
) -> Uptime:
    """The rule: [range_start 00:00, range_end + 1 day 00:00) local, clipped to [component start
    00:00 local, now]; major seconds count 1, partial seconds 0.3."""
    start_ms = local_midnight_ms(range_start, offset_min)
    end_ms = local_midnight_ms(range_end + timedelta(days=1), offset_min)
    warnings = []
    clip_start = local_midnight_ms(component_start, offset_min)
    if start_ms < clip_start:
        warnings.append(
            f"The range starts before the component's start date {component_start.isoformat()}:"
            " uptime is counted from that date."
        )
        start_ms = clip_start
    if end_ms > now_ms:
        warnings.append("The range ends after the current time: uptime is counted until now.")
        end_ms = now_ms
    range_s = max(0, end_ms - start_ms) // SECOND
    outage = outage_in(segments, start_ms, end_ms) if range_s else Outage(0, 0, (), ())
    major_s, partial_s = outage.major_ms // SECOND, outage.partial_ms // SECOND
    return Uptime(
        range_start=range_start,
        range_end=range_end,
        major_s=major_s,
        partial_s=partial_s,
        range_s=range_s,
        percentage=uptime_percentage(major_s, partial_s, range_s),
        major_ids=outage.major_ids,
        partial_ids=outage.partial_ids,
        warnings=tuple(warnings),
    )
