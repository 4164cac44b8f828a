"""Lookups and runtime timelines every API's data class shares.

- `preset`: a size preset by name, or an error naming the known ones.
- `require_counts`: a spec's row counts checked once for all APIs.
- `Index`: items by id (or host, subdomain, ...): `find` answers None for a path id that matches
  nothing (the mounts turn it into a 404), `get` raises a KeyError naming it (a test's mistake).
- `Timeline`: the incidents (or maintenances) of each page, newest first: the ones added at
  runtime before the generated ones, with the updates appended at runtime by touching them.
  Generated events stay pure functions of their row; only the runtime changes live in memory.
  `EventHistory` derives an event's status and times from its updates.
- `chunked`: a long list read in slices, so ground truth never renders a whole list at once.
- `MadeOnce`: what a page makes on first use (its incidents, its indexes), kept per page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import fields, replace
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sandbox.generate import touch_order

T = TypeVar("T")
V = TypeVar("V")


def preset(presets: Mapping[str, T], size: str) -> T:
    """The preset named `size`; a ValueError naming every known size otherwise."""
    if size not in presets:
        raise ValueError(f"unknown size {size!r}; expected one of {sorted(presets)}")
    return presets[size]


def require_counts(spec: Any, *derived: int) -> None:
    """A ValueError naming the spec's class when one of its `int` fields or `derived` is < 0."""
    counts = [getattr(spec, field.name) for field in fields(spec) if field.type == "int"]
    if min([*counts, *derived], default=0) < 0:
        raise ValueError(f"{type(spec).__name__} counts must not be negative")


class Index(Generic[V]):
    """Values by key; `fold` normalises a looked-up text key first (e.g. `str.lower`)."""

    def __init__(
        self,
        noun: str,
        pairs: Iterable[tuple[Hashable, V]],
        *,
        fold: Callable[[str], str] | None = None,
    ) -> None:
        self.noun = noun
        self._values = dict(pairs)
        self._fold = fold

    def __len__(self) -> int:
        return len(self._values)

    def _key(self, key: Hashable) -> Hashable:
        return self._fold(key) if self._fold is not None and isinstance(key, str) else key

    def find(self, key: Hashable) -> V | None:
        """The value of `key`, None when nothing has it."""
        return self._values.get(self._key(key))

    def get(self, key: Hashable) -> V:
        """The value of `key`; a KeyError such as "unknown page id 'x'" when nothing has it."""
        value = self.find(key)
        if value is None:
            raise KeyError(f"unknown {self.noun} {key!r}")
        return value


class TimelineEvent(Protocol):
    """What a `Timeline` needs of an event: a frozen dataclass with an id and its updates."""

    __dataclass_fields__: ClassVar[dict[str, Any]]

    @property
    def id(self) -> str: ...

    @property
    def updates(self) -> tuple[Any, ...]: ...


E = TypeVar("E", bound=TimelineEvent)


class EventUpdate(Protocol):
    """What `EventHistory` reads of an update."""

    @property
    def status(self) -> str: ...

    @property
    def at_ms(self) -> int: ...


class EventHistory:
    """An event's status and times, read from its updates (oldest first).

    A base of the event dataclasses, so every API derives them one way.
    """

    updates: tuple[EventUpdate, ...]

    @property
    def status(self) -> str:
        """The status of the latest update."""
        return self.updates[-1].status

    @property
    def updated_ms(self) -> int:
        """The time of the latest update."""
        return max(update.at_ms for update in self.updates)

    def first_at(self, *statuses: str) -> int | None:
        """The time of the first update with one of `statuses`, None when there is none."""
        return next((u.at_ms for u in self.updates if u.status in statuses), None)


class Timeline(Generic[E]):
    """One kind of event per page, newest first, with the changes made at runtime.

    Positions count the added events first (newest first), then the generated rows: position
    `p` is generated row `p - added`. `generated(page, row)` builds a generated event,
    `generated_id(page, row)` only its id, `generated_count(page)` says how many rows there are.
    """

    def __init__(
        self,
        pages: int,
        *,
        generated: Callable[[int, int], E],
        generated_id: Callable[[int, int], str],
        generated_count: Callable[[int], int],
    ) -> None:
        self._generated = generated
        self._generated_id = generated_id
        self._generated_count = generated_count
        self._added: list[list[E]] = [[] for _ in range(pages)]
        self._extra_updates: dict[str, list[Any]] = {}
        # Re-entrant: touching reads events while holding it.
        self.lock = threading.RLock()

    def added(self, page: int) -> int:
        """How many events were added to the page at runtime (they come first)."""
        with self.lock:
            return len(self._added[page])

    def count(self, page: int) -> int:
        """Events of the page, added and generated."""
        with self.lock:
            return len(self._added[page]) + self._generated_count(page)

    def event_id(self, page: int, position: int) -> str:
        """The id at `position` without building the event."""
        added = self._added[page]
        if position < len(added):
            return added[position].id
        return self._generated_id(page, position - len(added))

    def events(self, page: int, start: int, stop: int) -> list[E]:
        """Events at positions [start, stop), each with the updates appended to it."""
        with self.lock:
            added = self._added[page]
            extra = self._extra_updates
            result = []
            for position in range(start, stop):
                if position < len(added):
                    event = added[position]
                else:
                    event = self._generated(page, position - len(added))
                if event.id in extra:
                    event = replace(event, updates=event.updates + tuple(extra[event.id]))
                result.append(event)
            return result

    def touch(self, page: int, count: int, new_update: Callable[[E, int], object]) -> list[str]:
        """Append `new_update(event, updates appended so far)` to `count` events; their ids.

        Untouched events first, oldest first: a client stopping early on the update time
        misses exactly these.
        """
        with self.lock:
            total = self.count(page)
            oldest_first = [self.event_id(page, p) for p in range(total - 1, -1, -1)]
            chosen = touch_order(oldest_first, self._extra_updates, count)
            for event_id, position in chosen:
                event = self.events(page, position, position + 1)[0]
                updates = self._extra_updates.setdefault(event_id, [])
                updates.append(new_update(event, len(updates)))
        return [event_id for event_id, _ in chosen]

    def add(self, page: int, count: int, new_event: Callable[[int], E]) -> list[str]:
        """Add `new_event(number)` for the next `count` numbers, listed first; their ids."""
        with self.lock:
            added = self._added[page]
            new = [new_event(len(added) + n) for n in range(count)]
            self._added[page] = new[::-1] + added
        return [event.id for event in new]


class MadeOnce(Generic[T]):
    """Values made on first use, one per page index, under a lock the data class may share.

    Sharing one re-entrant lock lets a maker read another `MadeOnce` of the same class without
    two threads taking their locks in opposite orders.
    """

    def __init__(self, lock: threading.Lock | threading.RLock) -> None:
        self._lock = lock
        self._values: dict[int, T] = {}

    def get(self, page: int, make: Callable[[], T]) -> T:
        with self._lock:
            if page not in self._values:
                self._values[page] = make()
            return self._values[page]


def chunked(count: int, rows: Callable[[int, int], list[T]], chunk: int = 1000) -> Iterator[T]:
    """`rows(start, stop)` over [0, count) a chunk at a time."""
    for start in range(0, count, chunk):
        yield from rows(start, start + chunk)
