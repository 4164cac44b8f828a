"""API-independent primitives of the sandbox's data generators.

Deterministic randomness and ids (every value is a pure function of a key tuple), time constants
and timestamp renderings (times are epoch milliseconds), the layout of grouped component lists,
the incident and row timelines the status-page APIs share, and request-parameter parsing.
Nothing here reads the clock; changing any of it changes what every seed generates.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Container, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TypeVar

T = TypeVar("T")

SECOND = 1000
"""One second in milliseconds, the unit of every generated time."""
MINUTE = 60 * SECOND
"""One minute in milliseconds."""
HOUR = 60 * MINUTE
"""One hour in milliseconds."""
DAY = 24 * HOUR
"""One day in milliseconds."""
YEAR = 365 * DAY
"""365 days in milliseconds."""
UNIX = datetime(1970, 1, 1, tzinfo=UTC)
"""The Unix epoch, the origin of epoch milliseconds."""
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
"""The fixed "now" of the status-page generators: their generated history lies before it."""
EPOCH_MS = int((EPOCH - UNIX).total_seconds()) * SECOND
"""`EPOCH` in epoch milliseconds."""

_MASK64 = (1 << 64) - 1
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


# Deterministic randomness and ids


def digest(key: tuple[object, ...], size: int = 8) -> bytes:
    """The `size`-byte blake2b digest of ``repr(key)``, the root of every generated value."""
    return hashlib.blake2b(repr(key).encode(), digest_size=size).digest()


def digest64(key: tuple[object, ...]) -> int:
    """The 8-byte digest of `key` as an unsigned integer."""
    return int.from_bytes(digest(key), "big")


def base36_id(*key: object, length: int, digest_size: int = 8) -> str:
    """`length` lowercase alphanumerics from the digest of `key` (least significant digit first)."""
    value = int.from_bytes(digest(key, digest_size), "big") % 36**length
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 36)
        chars.append(_BASE36[digit])
    return "".join(chars)


def uuid_id(*key: object) -> str:
    """A version-4 UUID string from the 16-byte digest of `key`."""
    return str(uuid.UUID(bytes=digest(key, 16), version=4))


def label_hex(label: str, size: int) -> str:
    """The hex blake2b digest (`size` bytes) of a plain text label, e.g. for seeded credentials."""
    return hashlib.blake2b(label.encode(), digest_size=size).hexdigest()


class Rng:
    """splitmix64 seeded from a key: cheap enough to create one per record."""

    __slots__ = ("_state",)

    def __init__(self, *key: object) -> None:
        self._state = digest64(key)

    def next(self) -> int:
        """The next 64-bit value."""
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK64
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """A value in [0, n); 0 when n is not positive."""
        return self.next() % n if n > 0 else 0

    def between(self, low: int, high: int) -> int:
        """A value in [low, high]."""
        return low + self.below(high - low + 1)

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.next() < probability * 2**64

    def pick(self, items: Sequence[T]) -> T:
        """One of `items`."""
        return items[self.below(len(items))]

    def distinct(self, n: int, k: int) -> list[int]:
        """min(n, k) distinct values of [0, n) in the order drawn."""
        chosen: list[int] = []
        while len(chosen) < min(n, k):
            value = self.below(n)
            if value not in chosen:
                chosen.append(value)
        return chosen

    def shuffled(self, items: Sequence[T]) -> tuple[T, ...]:
        """`items` in a Fisher-Yates shuffled order."""
        result = list(items)
        for i in range(len(result) - 1, 0, -1):
            j = self.below(i + 1)
            result[i], result[j] = result[j], result[i]
        return tuple(result)

    def hex(self, length: int) -> str:
        """`length` lowercase hex digits."""
        return "".join(f"{self.next():016x}" for _ in range(length // 16 + 1))[:length]


class IdSequence:
    """Increasing integer ids with small random gaps from a seeded base, like shared id spaces."""

    def __init__(self, seed: int, name: str, low: int, high: int, max_gap: int) -> None:
        self._rng = Rng(seed, "ids", name)
        self._next = low + self._rng.below(high - low)
        self._max_gap = max_gap

    def take(self) -> int:
        """The next id."""
        value = self._next
        self._next += 1 + self._rng.below(self._max_gap)
        return value


def cycled(pool: Sequence[str], index: int) -> str:
    """Names repeat with a counter once the pool is exhausted, so they stay unique."""
    name = pool[index % len(pool)]
    return name if index < len(pool) else f"{name} {index // len(pool) + 1}"


# Timestamps


def _clock(ms: int, offset_min: int = 0) -> str:
    moment = UNIX + timedelta(milliseconds=ms + offset_min * MINUTE)
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def utc_s(ms: int | None) -> str | None:
    """ISO-8601 UTC to the second (``2025-03-04T05:06:07Z``); None stays None."""
    return None if ms is None else _clock(ms) + "Z"


def utc_ms(ms: int | None) -> str | None:
    """ISO-8601 UTC to the millisecond (``2025-03-04T05:06:07.089Z``); None stays None."""
    return None if ms is None else f"{_clock(ms)}.{ms % SECOND:03d}Z"


def local_ms(ms: int | None, offset_min: int) -> str | None:
    """Like `utc_ms` in a fixed offset from UTC (``...07.089+09:00``); None stays None."""
    if ms is None:
        return None
    if offset_min == 0:
        return utc_ms(ms)
    sign = "+" if offset_min > 0 else "-"
    hours, minutes = divmod(abs(offset_min), 60)
    return f"{_clock(ms, offset_min)}.{ms % SECOND:03d}{sign}{hours:02d}:{minutes:02d}"


def js_date_text(ms: int | None) -> str | None:
    """UTC as JavaScript's Date.toString() writes it (``Sat Jun 11 2022 18:55:50 GMT+0000 ...``)."""
    if ms is None:
        return None
    moment = UNIX + timedelta(milliseconds=ms)
    return f"{moment:%a %b %d %Y %H:%M:%S} GMT+0000 (Coordinated Universal Time)"


def utc_date(ms: int) -> str:
    """The UTC date (``2025-03-04``)."""
    return _clock(ms)[:10]


# Not built on `_clock`: strftime's %Y does not pad years before 1000 and days are cached.
@lru_cache(maxsize=4096)
def _day(days: int) -> str:
    return f"{UNIX + timedelta(days=days):%Y-%m-%d}"


def utc_trimmed(ms: int | None) -> str | None:
    """UTC with trimmed milliseconds, as .NET writes them: ``...:11.52Z``, ``...:11Z``."""
    if ms is None:
        return None
    days, rest = divmod(ms, DAY)
    seconds, millis = divmod(rest, SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    fraction = f".{millis:03d}".rstrip("0") if millis else ""
    return f"{_day(days)}T{hour:02d}:{minute:02d}:{second:02d}{fraction}Z"


def as_utc(moment: datetime) -> datetime:
    """`moment` itself when it has a time zone, else the same wall time read as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def to_ms(at: datetime) -> int:
    """Epoch milliseconds of `at` (naive means UTC), rounded to the nearest."""
    return round((as_utc(at) - UNIX).total_seconds() * SECOND)


def epoch_us(moment: datetime) -> int:
    """Exact epoch microseconds of a time-zone-aware `moment`."""
    return (moment - UNIX) // timedelta(microseconds=1)


# Layout and timelines


class Layout:
    """Row order of a component list: each group row followed by its members, then ungrouped."""

    def __init__(self, rows: int, groups: int) -> None:
        self.rows = rows
        self.groups = groups
        self.leaves = rows - groups
        self.grouped = max(groups, self.leaves // 2) if groups else 0
        self._base, self._extra = divmod(self.grouped, groups) if groups else (0, 0)

    def members(self, group: int) -> int:
        """How many members the group has."""
        return self._base + (1 if group < self._extra else 0)

    def group_row(self, group: int) -> int:
        """Row of the group's own row."""
        return group * (self._base + 1) + min(group, self._extra)

    def member_rows(self, group: int) -> range:
        """Rows of the group's members."""
        first = self.group_row(group) + 1
        return range(first, first + self.members(group))

    def locate(self, row: int) -> tuple[int | None, int]:
        """(group, member offset, -1 for the group row) or (None, index among ungrouped rows)."""
        if row >= self.grouped + self.groups:
            return None, row - self.grouped - self.groups
        big = self._base + 2
        split = self._extra * big
        if row < split:
            group, offset = divmod(row, big)
        else:
            quotient, offset = divmod(row - split, self._base + 1)
            group = self._extra + quotient
        return group, offset - 1

    def leaf_row(self, leaf: int) -> int:
        """Row of the leaf-th non-group component."""
        if leaf >= self.grouped:
            return self.groups + leaf
        big = self._base + 1
        split = self._extra * big
        if leaf < split:
            group, offset = divmod(leaf, big)
        else:
            quotient, offset = divmod(leaf - split, self._base)
            group = self._extra + quotient
        return self.group_row(group) + 1 + offset

    def pick_leaves(self, rng: Rng, low: int, high: int) -> tuple[int, ...]:
        """Rows of low..high distinct non-group components, in row order."""
        picks = rng.distinct(self.leaves, rng.between(low, high))
        return tuple(self.leaf_row(leaf) for leaf in sorted(picks))

    def row_name(self, row: int, group_names: Sequence[str], leaf_names: Sequence[str]) -> str:
        """A group row cycles through `group_names` by group, any other row `leaf_names` by row."""
        group, offset = self.locate(row)
        if group is not None and offset < 0:
            return cycled(group_names, group)
        return cycled(leaf_names, row)


def fit(start: int, gaps: Sequence[int], limit: int) -> list[int]:
    """Cumulative times from `start`, squeezed so the last one is at most `limit`."""
    total = sum(gaps)
    room = max(0, limit - start)
    scale = min(1.0, room / total) if total else 1.0
    times, at = [], start
    for gap in gaps:
        at += int(gap * scale)
        times.append(at)
    return times


def newest_first_ms(rng: Rng, row: int, rows: int, *, min_step: int, max_step: int) -> int:
    """Time of row `row` of a newest-first list: 3 years / rows apart (clamped), before EPOCH."""
    step = max(min_step, min(max_step, 3 * YEAR // max(rows, 1)))
    return EPOCH_MS - (row + 1) * step + rng.below(step // 2)


HISTORY_SPAN = 270 * DAY
"""How far back a newest-first list of bursts reaches at least, so reports show many months."""


def bursts_newest_first_ms(
    rng: Rng, rows: int, *, recent: int, close: Callable[[int], bool]
) -> tuple[int, ...]:
    """Times of a newest-first list in bursts: hours apart within one, days between them.

    The `recent` newest rows and every row `close(row)` says must stay near the next newer one
    (a long incident that newer one overlaps) follow their newer row within hours. The gaps
    between bursts stretch so the oldest row is HISTORY_SPAN (or `rows` times 6 hours, up to 3
    years) before EPOCH; a list of only recent rows stays within hours of EPOCH.
    """
    gaps: list[int] = []
    bursts: list[bool] = []
    for row in range(rows):
        if row == 0:
            gap, burst = rng.between(3 * HOUR, 6 * HOUR), False
        elif close(row):
            gap, burst = rng.between(10 * MINUTE, 2 * HOUR), False
        elif row >= recent and rng.chance(0.3):
            gap, burst = rng.between(DAY, 10 * DAY), True
        else:
            gap, burst = rng.between(20 * MINUTE, 6 * HOUR), False
        gaps.append(gap)
        bursts.append(burst)
    span = max(HISTORY_SPAN, min(3 * YEAR, rows * 6 * HOUR))
    within = sum(gap for gap, burst in zip(gaps, bursts, strict=True) if not burst)
    between = sum(gaps) - within
    stretch = (span - within) / between if between and span > within else 1.0
    stretched = [
        int(gap * stretch) if burst else gap for gap, burst in zip(gaps, bursts, strict=True)
    ]
    squeeze = min(1.0, span / max(1, sum(stretched)))
    times, back = [], 0
    for gap in stretched:
        back += max(SECOND, int(gap * squeeze))
        times.append(EPOCH_MS - back)
    return tuple(times)


MAINTENANCE_FATES = ("overran",) * 3 + ("early",) * 2 + ("on time",) * 5
"""One block of how completed maintenances end, shuffled per page and cycled through by row."""


def maintenance_run_ms(rng: Rng, fate: str) -> tuple[int, int]:
    """(planned, actual) duration of a completed maintenance with its fate (MAINTENANCE_FATES).

    An overrun runs 10 minutes or more past the window, an early end stops well before it, one
    on time ends within the minute before it.
    """
    planned = rng.between(2, 8) * 30 * MINUTE
    if fate == "overran":
        return planned, planned + rng.between(10 * MINUTE, planned)
    if fate == "early":
        return planned, planned - rng.between(planned // 10, planned // 2)
    return planned, planned - rng.below(MINUTE)


def oldest_first_ms(rng: Rng, row: int, rows: int) -> int:
    """Time of row `row` of an oldest-first list spread over the 3 years before EPOCH."""
    span = 3 * YEAR
    step = max(SECOND, span // max(rows, 1))
    return EPOCH_MS - span + row * step + rng.below(step)


def incident_progress(
    rng: Rng, created: int, *, recent: bool, statuses: tuple[str, str, str, str]
) -> tuple[list[str], list[int]]:
    """Update statuses and times of an incident (statuses: investigating .. resolved names)."""
    investigating, identified, monitoring, resolved = statuses
    reached = [investigating]
    reached += [s for s in (identified, monitoring) if rng.chance(0.6)]
    reached.append(resolved)
    if recent and rng.chance(0.4):
        reached = reached[: rng.between(1, len(reached) - 1)]
    gaps = [rng.below(SECOND)] + [rng.between(5 * MINUTE, 90 * MINUTE) for _ in reached[1:]]
    return reached, fit(created, gaps, EPOCH_MS - MINUTE)


def touch_order(
    oldest_first: Sequence[str], touched: Container[str], count: int
) -> list[tuple[str, int]]:
    """(id, newest-first position) of `count` ids to touch: untouched ones first, oldest first."""
    fresh = [item for item in oldest_first if item not in touched]
    again = [item for item in oldest_first if item in touched]
    positions = {item: len(oldest_first) - 1 - n for n, item in enumerate(oldest_first)}
    return [(item, positions[item]) for item in (fresh + again)[:count]]


# Request parameters


def int_param(query: Mapping[str, str], name: str, default: int) -> int:
    """The integer query parameter `name`, or `default` when absent or not an integer."""
    try:
        return int(query[name])
    except (KeyError, ValueError):
        return default


def page_window(
    query: Mapping[str, str], size_param: str, *, default_size: int, max_size: int, first_page: int
) -> tuple[int, int]:
    """(start row, size) of a page-numbered request; the size is clamped to 1..max_size."""
    size = min(max_size, max(1, int_param(query, size_param, default_size)))
    page = max(first_page, int_param(query, "page", first_page))
    return (page - first_page) * size, size


def parse_time(text: str) -> datetime | None:
    """An ISO-8601 time parameter (naive means UTC), or None when it is not one."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return as_utc(moment)
