"""Instatus runtime changes: incidents and maintenances added or touched between two runs.

Incremental tests add events (listed first, newest first) and touch old ones (an update appended
at a given time). Only these changes live in memory; every generated row stays a pure function of
the seed (`sandbox.instatus_skeleton`).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from sandbox.generate import to_ms
from sandbox.instatus_skeleton import (
    RECENT_INCIDENTS,
    RECENT_MAINTENANCES,
    Event,
    InstatusSkeleton,
    Update,
    cuid,
)
from sandbox.lookups import Timeline

TOUCH_MESSAGE = "We are providing an additional update."
"""The message of every update appended by touching an event."""
EVENT_KINDS = ("incidents", "maintenances")


class InstatusChanges:
    """The incidents and maintenances of every page as they stand after the runtime changes."""

    def __init__(self, skeleton: InstatusSkeleton) -> None:
        self.skeleton = skeleton
        self._timelines = {
            kind: Timeline(
                len(skeleton.pages),
                generated=partial(skeleton.event, kind),
                generated_id=partial(skeleton.event_id, kind),
                generated_count=partial(skeleton.event_count, kind),
            )
            for kind in EVENT_KINDS
        }

    def count(self, page: int, stream: str) -> int:
        """Rows of a page-scoped list, by stream name."""
        if stream in EVENT_KINDS:
            return self._timelines[stream].count(page)
        return int(getattr(self.skeleton.specs[page], stream))

    def events(self, page: int, kind: str, start: int, stop: int) -> list[Event]:
        return self._timelines[kind].events(page, start, stop)

    def find_event(self, page: int, kind: str, event_id: str) -> Event | None:
        timeline = self._timelines[kind]
        with timeline.lock:
            for position in range(timeline.count(page)):
                if timeline.event_id(page, position) == event_id:
                    return timeline.events(page, position, position + 1)[0]
        return None

    def active(self, page: int, kind: str) -> list[Event]:
        """Events summary.json shows; only added ones and the newest few generated can be."""
        recent = RECENT_INCIDENTS if kind == "incidents" else RECENT_MAINTENANCES
        timeline = self._timelines[kind]
        with timeline.lock:
            window = timeline.added(page) + min(recent, self.skeleton.event_count(kind, page))
            return [event for event in timeline.events(page, 0, window) if event.active]

    def touch(self, kind: str, page_id: str, count: int, at: datetime) -> list[str]:
        """Append an update at `at` to `count` events, oldest untouched first; their ids."""
        page = self.skeleton.by_id.get(page_id)
        at_ms = to_ms(at)

        def new_update(event: Event, appended: int) -> Update:
            update_id = cuid(self.skeleton.seed, page.index, "touch", event.id, appended)
            return Update(update_id, event.status, TOUCH_MESSAGE, at_ms, True)

        return self._timelines[kind].touch(page.index, count, new_update)

    def add(self, kind: str, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` new events at `at`, listed first; their ids."""
        page = self.skeleton.by_id.get(page_id)
        at_ms = to_ms(at)
        new_event = partial(self.skeleton.new_event, page, kind, at_ms=at_ms)
        return self._timelines[kind].add(page.index, count, new_event)
