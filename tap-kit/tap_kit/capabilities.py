"""Declared stream capabilities: what a leaf stream states instead of overriding SDK hooks.

Each is plain data (or a pure function of a row) that the kit's streams apply; docs/design.md,
"Kit capabilities", says when a stream uses which.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

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


@dataclass(frozen=True)
class TimeWindows:
    """Consecutive windows from the bookmark to now, each sent as two query parameters.

    Without a bookmark or start date the first window starts `history` before now. The bookmark
    ends at the last window's end less `clock_margin` (our clock is not the server's), so a
    quiet partition costs one window next time.
    """

    length: timedelta
    history: timedelta
    clock_margin: timedelta
    from_param: str
    to_param: str

    def windows(self, start: datetime | None, now: datetime) -> list[tuple[datetime, datetime]]:
        """The windows covering `start` (or now - history) to `now`, oldest first."""
        begin = now - self.history if start is None else start
        begin = begin if begin.tzinfo else begin.replace(tzinfo=UTC)
        found: list[tuple[datetime, datetime]] = []
        while begin < now:
            end = min(begin + self.length, now)
            found.append((begin, end))
            begin = end
        return found

    def params(self, window: tuple[datetime, datetime]) -> dict[str, str]:
        return {self.from_param: utc_text(window[0]), self.to_param: utc_text(window[1])}

    def bookmark_after(self, window: tuple[datetime, datetime]) -> str:
        """The bookmark once every window up to `window` is read."""
        return utc_text(window[1] - self.clock_margin)


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
