"""Declared stream capabilities: what a leaf stream states instead of overriding SDK hooks.

Each is plain data (or a pure function of a row) that the kit's streams apply; docs/design.md,
"Kit capabilities", says when a stream uses which.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tap_kit.errors import PartitionUnavailableError

#: A pure function of one row: the row to keep (a new dict), or None to drop it.
RowShape = Callable[[dict[str, Any]], dict[str, Any] | None]
#: A pure function of a decoded object body: the rows it holds (an envelope of lists, a report).
BodyRows = Callable[[dict[str, Any]], Iterable[dict[str, Any]]]
#: A pure function of a parent record: one value its children's context carries.
ContextValue = Callable[[Mapping[str, Any]], Any]

#: Context key of the feed path a request reads (several feeds per partition).
FEED_PATH_KEY = "feed_path"


@dataclass(frozen=True)
class Feed:
    """One endpoint of a partition that reads several: its path and the key of its rows."""

    path: str
    records_key: str | None = None

    def answered(self, url_path: str) -> bool:
        """Whether a response for `url_path` came from this feed (`{name}` matches a segment)."""
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(self.path))
        return re.search(f"{pattern}$", url_path) is not None


def utc_text(moment: datetime) -> str:
    """`2026-05-01T00:00:00Z`: an aware UTC instant as APIs write it."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


#: One window: its first and its last instant.
Span = tuple[datetime, datetime]


def _instant(value: Any) -> datetime | None:
    """An aware instant from a date-time text (UTC when it names no offset); None otherwise."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Windows(ABC):
    """How a partition is cut into consecutive windows, each read as two query parameters.

    The kit reads every window in turn, then moves the bookmark once, after the last one.
    """

    @abstractmethod
    def spans(
        self, bookmark: Any, start_setting: Any, now: datetime, context: Mapping[str, Any]
    ) -> list[Span]:
        """The windows to read up to `now`, oldest first, from the bookmark or start setting."""

    @abstractmethod
    def params(self, window: Span) -> dict[str, str]:
        """The query parameters of one window."""

    @property
    @abstractmethod
    def param_names(self) -> tuple[str, str]:
        """The names of the two query parameters."""

    @abstractmethod
    def bookmark_after(self, window: Span) -> str:
        """The bookmark once every window up to `window` is read."""


@dataclass(frozen=True)
class TimeWindows(Windows):
    """Windows of a fixed length from the bookmark to now, their bounds sent as UTC instants.

    Without a bookmark or start date the first window starts `history` before now. The bookmark
    ends at the last window's end less `clock_margin` (our clock is not the server's), so a
    quiet partition costs one window next time.
    """

    length: timedelta
    history: timedelta
    clock_margin: timedelta
    from_param: str
    to_param: str

    def windows(self, start: datetime | None, now: datetime) -> list[Span]:
        """The windows covering `start` (or now - history) to `now`, oldest first."""
        begin = now - self.history if start is None else start
        begin = begin if begin.tzinfo else begin.replace(tzinfo=UTC)
        found: list[Span] = []
        while begin < now:
            end = min(begin + self.length, now)
            found.append((begin, end))
            begin = end
        return found

    def spans(
        self, bookmark: Any, start_setting: Any, now: datetime, context: Mapping[str, Any]
    ) -> list[Span]:
        del context
        starts = [m for m in (_instant(bookmark), _instant(start_setting)) if m is not None]
        return self.windows(max(starts, default=None), now)

    def params(self, window: Span) -> dict[str, str]:
        return {self.from_param: utc_text(window[0]), self.to_param: utc_text(window[1])}

    @property
    def param_names(self) -> tuple[str, str]:
        return self.from_param, self.to_param

    def bookmark_after(self, window: Span) -> str:
        return utc_text(window[1] - self.clock_margin)


def _zone(name: Any) -> tzinfo:
    """The named IANA time zone; UTC when there is none or it is unknown."""
    if not isinstance(name, str) or not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _day(value: Any, zone: tzinfo) -> date | None:
    """The date of a date text as is, or of a date-time counted in `zone`; None if neither."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    moment = _instant(value)
    return moment.astimezone(zone).date() if moment is not None else None


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass(frozen=True)
class CalendarMonths(Windows):
    """Calendar months of the partition's time zone, bounds sent as first and last day.

    Months run from the month of the latest of (the bookmark, the start setting, the partition's
    own first day) to the month of today there, the last one ending today. The bookmark is the
    first day of the last month read, so the next run reads that (then still open) month again.
    """

    #: Query parameters that take the first and the last day of the month (YYYY-MM-DD).
    start_param: str
    end_param: str
    #: Context keys holding the partition's first day (date or date-time); the first set one wins.
    first_day_keys: tuple[str, ...] = ()
    #: Context key holding the partition's IANA time zone; months are counted there (else UTC).
    time_zone_key: str | None = None

    def spans(
        self, bookmark: Any, start_setting: Any, now: datetime, context: Mapping[str, Any]
    ) -> list[Span]:
        zone = _zone(context.get(self.time_zone_key) if self.time_zone_key else None)
        today = now.astimezone(zone).date()
        own_first = next(
            (day for key in self.first_day_keys if (day := _day(context.get(key), zone))), None
        )
        candidates = [_day(bookmark, zone), _day(start_setting, zone), own_first]
        month = max((day for day in candidates if day is not None), default=today).replace(day=1)
        found: list[Span] = []
        while month <= today:
            following = _next_month(month)
            last = min(following - timedelta(days=1), today)
            found.append((_midnight(month, zone), _midnight(last, zone)))
            month = following
        return found

    def params(self, window: Span) -> dict[str, str]:
        first, last = window
        return {self.start_param: first.date().isoformat(), self.end_param: last.date().isoformat()}

    @property
    def param_names(self) -> tuple[str, str]:
        return self.start_param, self.end_param

    def bookmark_after(self, window: Span) -> str:
        return window[0].date().isoformat()


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


@dataclass(frozen=True)
class FanOut:
    """Read a partition once per key of another stream (e.g. per environment of a product).

    `key` is the other stream's key field, stamped on each row and sent as a context value;
    `scope` the context keys that select the other stream's partition.
    """

    stream: str
    key: str
    scope: tuple[str, ...]

    def scope_of(self, context: Mapping[str, Any]) -> dict[str, Any]:
        return {name: context[name] for name in self.scope}


def _frozen(values: Mapping[str, Any]) -> Hashable:
    return tuple(sorted((name, repr(value)) for name, value in values.items()))


@dataclass
class Refused:
    """A list the API refused, kept for whoever depends on it."""

    error: PartitionUnavailableError


@dataclass
class StreamKeys:
    """Keys each fan-out source read per partition, or its refusal; owned by the tap."""

    _read: dict[tuple[str, Hashable], list[Any] | Refused] = field(default_factory=dict)

    def record(self, stream: str, partition: Mapping[str, Any], keys: list[Any] | Refused) -> None:
        self._read[stream, _frozen(partition)] = keys

    def get(self, stream: str, partition: Mapping[str, Any]) -> list[Any] | Refused | None:
        """The keys read (or the refusal); None when that partition was not read yet."""
        return self._read.get((stream, _frozen(partition)))


@dataclass
class EmbeddedRows:
    """Rows a parent record embeds for a child stream, handed over with the child's context.

    The parent hands them over as it builds the context of its children; the child takes
    them when the SDK syncs it with that context. Owned by the tap, keyed by the child stream
    and the context, so nothing depends on which record a stream read last.
    """

    _rows: dict[tuple[str, Hashable], list[dict[str, Any]]] = field(default_factory=dict)
    _bodies: dict[tuple[str, Hashable], dict[str, Any]] = field(default_factory=dict)

    def hand_over(self, child: str, context: Mapping[str, Any], rows: list[dict[str, Any]]) -> None:
        self._rows[child, _frozen(context)] = rows

    def take(self, child: str, context: Mapping[str, Any]) -> list[dict[str, Any]]:
        return self._rows.pop((child, _frozen(context)), [])

    def keep_body(self, stream: str, key: Any, body: dict[str, Any]) -> None:
        """The body a record of `stream` came from, for its embedded children."""
        self._bodies[stream, repr(key)] = body

    def body_of(self, stream: str, key: Any) -> dict[str, Any]:
        return self._bodies.pop((stream, repr(key)), {})
