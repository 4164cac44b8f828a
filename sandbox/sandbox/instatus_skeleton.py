"""Instatus skeleton: size presets, the page and event models and their seeded generation.

Every value is a pure function of (seed, page index, collection, row index). The pages, their
component layout and the generated incidents and maintenances are built here; rendering them as
the API serves them is `sandbox.instatus_render`, runtime changes `sandbox.instatus_changes`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from sandbox.generate import (
    DAY,
    EPOCH_MS,
    HOUR,
    MAINTENANCE_FATES,
    MINUTE,
    YEAR,
    Layout,
    Rng,
    base36_id,
    bursts_newest_first_ms,
    cycled,
    fit,
    incident_progress,
    maintenance_run_ms,
    newest_first_ms,
)
from sandbox.lookups import EventHistory, Index, MadeOnce, require_counts
from sandbox.server import broken_public_source

RECENT_INCIDENTS = 5
"""Only the newest generated incidents may be unresolved, so summary scans stay short."""
RECENT_MAINTENANCES = 2
"""Only the newest generated maintenances may be upcoming or in progress."""
PUBLIC_HOST_SUFFIX = ".instatus.com"

INCIDENT_STATUSES = ("INVESTIGATING", "IDENTIFIED", "MONITORING", "RESOLVED")
MAINTENANCE_STATUSES = ("NOTSTARTEDYET", "INPROGRESS", "COMPLETED")
STREAMS = ("components", "incidents", "maintenances", "templates", "team", "subscribers", "metrics")
"""The page-scoped lists, named like their ground-truth streams and their path segments."""

_COMPANIES = (
    "Acme",
    "Globex",
    "Initech",
    "Hooli",
    "Umbrella",
    "Vandelay",
    "Wonka",
    "Cyberdyne",
    "Tyrell",
    "Soylent",
)
SERVICES = (
    "API",
    "Dashboard",
    "Website",
    "Payments",
    "Webhooks",
    "Email notifications",
    "SMS notifications",
    "Search",
    "Authentication",
    "File storage",
    "CDN",
    "DNS",
    "Database",
    "Background jobs",
    "Mobile app",
    "Reporting",
    "Integrations",
    "Billing",
)
GROUPS = ("Core", "Frontend", "Infrastructure", "Integrations", "EU", "US", "APAC", "Partners")
INCIDENT_TITLES = (
    "Elevated {} errors",
    "{} is slow",
    "{} unavailable for some users",
    "Degraded performance of {}",
    "Delays in {}",
)
MAINTENANCE_TITLES = ("{} upgrade", "Scheduled maintenance of {}", "{} migration")
MESSAGES = {
    "INVESTIGATING": "We are investigating.",
    "IDENTIFIED": "We have identified the issue and are working on a fix.",
    "MONITORING": "A fix has been deployed and we are monitoring the results.",
    "RESOLVED": "This incident has been resolved.",
    "NOTSTARTEDYET": "Scheduled.",
    "INPROGRESS": "The maintenance is in progress.",
    "COMPLETED": "The maintenance has been completed.",
}


def cuid(*key: object) -> str:
    """A cuid-style id: "c" and 24 lowercase alphanumerics, like every Instatus id.

    See (docs/apis/instatus.md, "Ids").
    """
    return "c" + base36_id(*key, length=24, digest_size=16)


def company(index: int) -> str:
    return cycled(_COMPANIES, index)


def subdomain_of(index: int) -> str:
    """Subdomains depend on the page index only, so presets can name custom domains."""
    return re.sub(r"[^a-z0-9]", "", company(index).lower())


# Specs and presets


@dataclass(frozen=True)
class InstatusPageSpec:
    """Row counts of one generated status page. `components` counts the parent (group) rows."""

    components: int = 12
    incidents: int = 20
    maintenances: int = 3
    templates: int = 2
    team: int = 2
    subscribers: int = 30
    metrics: int = 2
    owner: bool = True
    """False: /v2/pages lists the page, every page-scoped endpoint answers 401 forbidden.

    See (docs/apis/instatus.md, "Owner-only pages").
    """
    custom_domain: str | None = None
    """The page's `customDomain`, which is then its public host."""
    component_groups: int | None = None
    """Parent rows among `components`; None means components // 10, at most 8."""
    public_source: str = "ok"
    """How the page's public host answers summary.json: one of `PUBLIC_SOURCE_MODES`."""

    def __post_init__(self) -> None:
        broken_public_source(self.public_source)  # rejects an unknown mode
        require_counts(self, self.groups)
        if self.components < 2 * self.groups:
            raise ValueError("each component group needs its parent row and at least one member")
        domain = self.custom_domain
        if domain is not None and not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", domain):
            raise ValueError("custom_domain must be a lowercase host name")

    @property
    def groups(self) -> int:
        if self.component_groups is not None:
            return self.component_groups
        return min(len(GROUPS), self.components // 10)

    @property
    def rows(self) -> int:
        """Rows of the seven page-scoped lists together."""
        return sum(getattr(self, stream) for stream in STREAMS)


def _spec(counts: str, *, owner: bool = True, domain_of: int | None = None) -> InstatusPageSpec:
    """A spec from the seven counts in the order of the docstring's table (groups derived)."""
    c, i, m, t, team, s, metrics = (int(part) for part in counts.split())
    domain = None if domain_of is None else f"status.{subdomain_of(domain_of)}.example"
    return InstatusPageSpec(c, i, m, t, team, s, metrics, owner=owner, custom_domain=domain)


def _medium_small_page(index: int) -> InstatusPageSpec:
    return _spec(
        "8 12 2 1 2 20 1",
        owner=index % 10 != 9,
        domain_of=index if index % 10 == 4 else None,
    )


SIZE_PRESETS: Mapping[str, tuple[InstatusPageSpec, ...]] = {
    "tiny": (replace(_spec("6 4 2 2 2 5 1"), component_groups=1),),
    "small": (
        _spec("150 100 12 5 3 120 2"),
        _spec("20 10 2 3 2 15 1", owner=False),
        _spec("12 15 4 0 1 30 0", domain_of=2),
    ),
    "medium": (
        _spec("300 2000 200 40 10 3000 10"),
        *(_medium_small_page(index) for index in range(1, 105)),
    ),
    "large": (
        _spec("1000 20000 2000 200 25 50000 50"),
        *(_spec("200 3000 300 20 5 3000 5", domain_of=3 if n == 3 else None) for n in (1, 2, 3)),
        _spec("200 3000 300 20 5 3000 5", owner=False),
    ),
}


# Internal models (times in epoch milliseconds)


@dataclass(frozen=True)
class Page:
    index: int
    spec: InstatusPageSpec
    id: str
    name: str
    subdomain: str
    host: str
    created_ms: int
    updated_ms: int
    layout: Layout

    @property
    def spec_shaped(self) -> bool:
        """Every third page answers in the documented shapes instead of the observed ones.

        Component ids instead of {id, name} objects in subscribers, Date.toString() text
        and string durations in summary.json: both kinds reach real clients.
        """
        return self.index % 3 == 2


@dataclass(frozen=True)
class Update:
    id: str
    status: str
    message: str
    at_ms: int
    notify: bool


@dataclass(frozen=True)
class Event(EventHistory):
    """An incident or a maintenance (`kind` is the stream name)."""

    kind: str
    id: str
    name: str
    impact: str
    created_ms: int
    start_ms: int
    end_ms: int | None
    """The planned end of a maintenance; None for incidents."""
    component_rows: tuple[int, ...]
    updates: tuple[Update, ...]
    """Oldest first, as served."""

    @property
    def active(self) -> bool:
        """Shown by summary.json: an unresolved incident or a not completed maintenance.

        See (docs/apis/instatus.md, "Public summary").
        """
        return self.status not in ("RESOLVED", "COMPLETED")


class InstatusSkeleton:
    """The seeded pages and the generated rows behind every list, before rendering."""

    def __init__(self, seed: int, specs: Sequence[InstatusPageSpec]) -> None:
        self.seed = seed
        self.specs = tuple(specs)
        self.user_id = cuid(seed, "user-id")
        self.pages = [self._make_page(index, spec) for index, spec in enumerate(self.specs)]
        self.by_id = Index("page id", ((page.id, page) for page in self.pages))
        self.by_host = Index("public host", ((page.host, page) for page in self.pages))
        if len(self.by_host) != len(self.pages):
            raise ValueError("two pages share a public host")
        self._incident_times: MadeOnce[tuple[int, ...]] = MadeOnce(threading.Lock())

    def _make_page(self, index: int, spec: InstatusPageSpec) -> Page:
        rng = Rng(self.seed, index, "page")
        subdomain = subdomain_of(index)
        return Page(
            index=index,
            spec=spec,
            id=cuid(self.seed, index, "page-id"),
            name=f"{company(index)} Status",
            subdomain=subdomain,
            host=spec.custom_domain or subdomain + PUBLIC_HOST_SUFFIX,
            created_ms=EPOCH_MS - 3 * YEAR - rng.below(180 * DAY),
            updated_ms=EPOCH_MS - rng.below(30 * DAY),
            layout=Layout(spec.components, spec.groups),
        )

    # Components

    def component_id(self, page: Page, row: int) -> str:
        return cuid(self.seed, page.index, "component-id", row)

    def component_name(self, page: Page, row: int) -> str:
        return page.layout.row_name(row, GROUPS, SERVICES)

    def parent_id(self, page: Page, group: int) -> str:
        return self.component_id(page, page.layout.group_row(group))

    def subject(self, page: Page, rows: tuple[int, ...]) -> str:
        return self.component_name(page, rows[0]) if rows else "Platform"

    # Incidents and maintenances

    def event_count(self, kind: str, page: int) -> int:
        """Generated rows of `kind` ("incidents" or "maintenances") on the page."""
        return int(getattr(self.specs[page], kind))

    def event_id(self, kind: str, page: int, row: int) -> str:
        return cuid(self.seed, page, kind, "id", row)

    def event(self, kind: str, page: int, row: int) -> Event:
        if kind == "incidents":
            return self._incident(self.pages[page], row)
        return self._maintenance(self.pages[page], row)

    def _incident(self, page: Page, row: int) -> Event:
        rng = Rng(self.seed, page.index, "incident", row)
        rng.below(2)  # formerly the creation time's jitter: kept so other fields stay as they were
        created = self.incident_times(page)[row]
        rows = page.layout.pick_leaves(rng, 0, 3)
        statuses, times = incident_progress(
            rng, created, recent=row < RECENT_INCIDENTS, statuses=INCIDENT_STATUSES
        )
        timeline = zip(statuses, times, strict=True)
        updates = self._updates(
            page, "incident-update", row, timeline, notify=lambda: rng.chance(0.8)
        )
        return Event(
            kind="incidents",
            id=cuid(self.seed, page.index, "incidents", "id", row),
            name=rng.pick(INCIDENT_TITLES).format(self.subject(page, rows)),
            impact=rng.pick(
                ("DEGRADEDPERFORMANCE", "PARTIALOUTAGE", "PARTIALOUTAGE", "MAJOROUTAGE")
            ),
            created_ms=created,
            start_ms=created - (rng.below(30) * MINUTE if rng.chance(0.3) else 0),
            end_ms=None,
            component_rows=rows,
            updates=updates,
        )

    def incident_times(self, page: Page) -> tuple[int, ...]:
        """Creation times of the generated incidents, newest first, in bursts over months."""
        return self._incident_times.get(
            page.index,
            lambda: bursts_newest_first_ms(
                Rng(self.seed, page.index, "incident-times"),
                page.spec.incidents,
                recent=RECENT_INCIDENTS,
                close=lambda row: False,
            ),
        )

    def _maintenance(self, page: Page, row: int) -> Event:
        rng = Rng(self.seed, page.index, "maintenance", row)
        created = newest_first_ms(rng, row, page.spec.maintenances, min_step=HOUR, max_step=7 * DAY)
        limit = EPOCH_MS - MINUTE
        phase = rng.pick(("upcoming", "running", "done")) if row < RECENT_MAINTENANCES else "done"
        if phase == "upcoming":
            statuses = ["NOTSTARTEDYET"]
            times = [created]
            start = EPOCH_MS + rng.between(1, 14) * DAY
            end = start + rng.between(1, 4) * HOUR
        elif phase == "running":
            # Rows are at least half an hour old, so the start fits between creation and epoch.
            statuses = ["NOTSTARTEDYET", "INPROGRESS"]
            start = max(created + MINUTE, EPOCH_MS - rng.between(30 * MINUTE, 3 * HOUR))
            times = [created, start]
            end = EPOCH_MS + rng.between(1, 4) * HOUR
        else:
            statuses = list(MAINTENANCE_STATUSES)
            fates = Rng(self.seed, page.index, "maintenance-fates").shuffled(MAINTENANCE_FATES)
            planned, actual = maintenance_run_ms(rng, fates[row % len(fates)])
            times = fit(created, [0, rng.between(HOUR, 5 * DAY), actual], limit)
            start, end = times[1], times[1] + planned
        rows = page.layout.pick_leaves(rng, 1, 3)
        timeline = zip(statuses, times, strict=True)
        updates = self._updates(page, "maintenance-update", row, timeline, notify=lambda: True)
        return Event(
            kind="maintenances",
            id=cuid(self.seed, page.index, "maintenances", "id", row),
            name=rng.pick(MAINTENANCE_TITLES).format(self.subject(page, rows)),
            impact="UNDERMAINTENANCE",
            created_ms=created,
            start_ms=start,
            end_ms=end,
            component_rows=rows,
            updates=updates,
        )

    def _updates(
        self,
        page: Page,
        label: str,
        row: int,
        timeline: Iterable[tuple[str, int]],
        notify: Callable[[], bool],
    ) -> tuple[Update, ...]:
        """The updates of a generated event from its (status, time) pairs, oldest first."""
        return tuple(
            Update(
                id=cuid(self.seed, page.index, label, row, n),
                status=status,
                message=MESSAGES[status],
                at_ms=at,
                notify=notify(),
            )
            for n, (status, at) in enumerate(timeline)
        )

    def new_event(self, page: Page, kind: str, number: int, at_ms: int) -> Event:
        rng = Rng(self.seed, page.index, "added", kind, number)
        rows = page.layout.pick_leaves(rng, 1, 2)
        status = "INVESTIGATING" if kind == "incidents" else "NOTSTARTEDYET"
        update_id = cuid(self.seed, page.index, "added-update", kind, number)
        titles = INCIDENT_TITLES if kind == "incidents" else MAINTENANCE_TITLES
        maintenance = kind == "maintenances"
        return Event(
            kind=kind,
            id=cuid(self.seed, page.index, "added-id", kind, number),
            name=rng.pick(titles).format(self.subject(page, rows)),
            impact="UNDERMAINTENANCE" if maintenance else "PARTIALOUTAGE",
            created_ms=at_ms,
            start_ms=at_ms + DAY if maintenance else at_ms,
            end_ms=at_ms + DAY + 2 * HOUR if maintenance else None,
            component_rows=rows,
            updates=(Update(update_id, status, MESSAGES[status], at_ms, True),),
        )
