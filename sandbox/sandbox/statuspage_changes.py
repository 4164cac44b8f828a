"""Statuspage runtime changes: incidents added or touched between two runs.

Incremental tests add incidents (listed first, newest first) and touch old ones (an update
appended at a given time). Only these changes live in memory; every generated row stays a pure
function of the seed (`sandbox.statuspage_skeleton`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sandbox.generate import to_ms
from sandbox.lookups import Timeline
from sandbox.statuspage_skeleton import RECENT_ROWS, Incident, StatuspageSkeleton, Update, ident

TOUCH_BODY = "We are providing an additional update on this event."
"""The body of every update appended by touching an incident."""


class StatuspageChanges:
    """The incidents of every page as they stand after the runtime changes."""

    def __init__(self, skeleton: StatuspageSkeleton) -> None:
        self.skeleton = skeleton
        self._incidents = Timeline(
            len(skeleton.pages),
            generated=skeleton.incident,
            generated_id=skeleton.incident_id,
            generated_count=skeleton.incident_count,
        )

    def count(self, page: int, stream: str) -> int:
        """Rows of a page-scoped v1 list, by ground-truth stream name."""
        if stream == "incidents":
            return self._incidents.count(page)
        return int(getattr(self.skeleton.specs[page], stream))

    def incidents(self, page: int, start: int, stop: int) -> list[Incident]:
        """Incidents at positions [start, stop), newest first, with the updates appended."""
        return self._incidents.events(page, start, stop)

    def recent(self, page: int, keep: Callable[[Incident], bool]) -> list[Incident]:
        """The incidents `keep` accepts among those that can be open or upcoming."""
        # Only added incidents and the RECENT_ROWS newest generated ones can be open.
        timeline = self._incidents
        with timeline.lock:
            window = timeline.added(page) + min(RECENT_ROWS, self.skeleton.incident_count(page))
            return [incident for incident in timeline.events(page, 0, window) if keep(incident)]

    def touch(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Append an update at `at` to `count` incidents, oldest untouched first; their ids."""
        page = self.skeleton.by_id.get(page_id)
        at_ms = to_ms(at)

        def new_update(incident: Incident, appended: int) -> Update:
            update_id = ident(self.skeleton.seed, page.index, "touch", incident.id, appended)
            return Update(update_id, incident.status, TOUCH_BODY, at_ms, None, True)

        return self._incidents.touch(page.index, count, new_update)

    def add(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` new investigating incidents at `at`, listed first; their ids."""
        page = self.skeleton.by_id.get(page_id)
        at_ms = to_ms(at)
        return self._incidents.add(
            page.index, count, lambda number: self.skeleton.new_incident(page, number, at_ms)
        )
