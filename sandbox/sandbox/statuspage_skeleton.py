"""Statuspage skeleton: size presets, the page, component and incident models, seeded generation.

Every value is a pure function of (seed, page index, collection, row index). A page's incidents
are made together at first use, because the component transitions in their updates form one
timeline per component (`sandbox.statuspage_timeline`), which also gives each component's current
status. Rendering as the API serves it is `sandbox.statuspage_render` (and
`sandbox.statuspage_lists` for the seeded rows of the other lists), runtime changes
`sandbox.statuspage_changes`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sandbox.generate import (
    DAY,
    EPOCH_MS,
    HOUR,
    MAINTENANCE_FATES,
    MINUTE,
    SECOND,
    YEAR,
    Layout,
    Rng,
    base36_id,
    bursts_newest_first_ms,
    cycled,
    fit,
    incident_progress,
    maintenance_run_ms,
    utc_date,
)
from sandbox.lookups import EventHistory, Index, MadeOnce, require_counts
from sandbox.server import broken_public_source
from sandbox.statuspage_timeline import SEVERITY, Segment, Step, resolve, status_at

RECENT_ROWS = 5
"""Only the newest generated incidents may be unresolved or upcoming, so v2 scans stay short."""

# Fixed offsets in minutes; daylight saving is ignored so timestamps stay deterministic.
TIME_ZONES: Mapping[str, int] = {
    "UTC": 0,
    "America/Los_Angeles": -480,
    "America/New_York": -300,
    "Europe/Berlin": 60,
    "Asia/Tokyo": 540,
    "Australia/Sydney": 600,
}
_DEFAULT_ZONES = ("America/Los_Angeles", "UTC", "Europe/Berlin", "Asia/Tokyo", "America/New_York")

COMPONENT_STATUSES = (
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)
SUBSCRIBER_STATES = ("active", "unconfirmed", "quarantined")
SUBSCRIBER_TYPES = ("email", "sms", "webhook", "slack", "teams", "integration_partner")
# One repeating block of subscriber (type, state) slots; shuffled per page. Filtering by type or
# state then maps a filtered position to a row with arithmetic instead of a scan.
_SUBSCRIBER_TYPE_SLOTS = (
    ("email",) * 9 + ("sms", "webhook") * 3 + ("slack", "teams") * 2 + ("integration_partner",)
)
_SUBSCRIBER_STATE_SLOTS = ("active",) * 14 + ("unconfirmed",) * 4 + ("quarantined",) * 2

_COMPANIES = (
    "Ctrlv Solutions",
    "Acme Cloud",
    "Globex",
    "Initech",
    "Umbrella Systems",
    "Hooli",
    "Vandelay Industries",
    "Wonka Payments",
)
_SERVICES = (
    "API Gateway",
    "Payment Service",
    "Fraud Detection Service",
    "Web Application",
    "Mobile Apps",
    "Search",
    "Webhooks",
    "Email Delivery",
    "SMS Delivery",
    "Authentication",
    "Billing",
    "Reporting",
    "Data Export",
    "CDN",
    "DNS",
    "Object Storage",
    "Database Cluster",
    "Message Queue",
    "Analytics",
    "Admin Console",
    "Jira Administration",
    "File Uploads",
)
_GROUPS = (
    "Backend",
    "Frontend",
    "Infrastructure",
    "Integrations",
    "EU Region",
    "US Region",
    "APAC Region",
    "Third-party Services",
)
INCIDENT_TITLES = (
    "{} Timeout Errors",
    "Elevated error rates on {}",
    "Degraded performance of {}",
    "{} unavailable for some customers",
    "Delayed processing in {}",
    "Increased latency for {}",
)
MAINTENANCE_TITLES = (
    "Scheduled maintenance of {}",
    "{} database upgrade",
    "Network maintenance affecting {}",
)
UPDATE_BODIES = {
    "investigating": "We are currently investigating this issue. Some requests may fail or take "
    "longer to process.",
    "identified": "The issue has been identified and a fix is being implemented.",
    "monitoring": "A fix has been implemented and we are monitoring the results.",
    "resolved": "This incident has been resolved.",
    "scheduled": "We will be undergoing scheduled maintenance during this time.",
    "in_progress": "Scheduled maintenance is currently in progress. We will provide updates as "
    "necessary.",
    "verifying": "Verification is currently underway for the maintenance items.",
    "completed": "The scheduled maintenance has been completed.",
}


def ident(*key: object) -> str:
    """A 12-character lowercase alphanumeric id, like every Statuspage id.

    See (docs/apis/statuspage.md, "Record shapes").
    """
    return base36_id(*key, length=12)


# Specs and presets


@dataclass(frozen=True)
class PageSpec:
    """Row counts of one generated page. `components` counts group rows too."""

    components: int = 12
    component_groups: int = 2
    incidents: int = 20
    subscribers: int = 30
    incident_templates: int = 3
    metrics_providers: int = 1
    metrics: int = 3
    page_access_users: int = 4
    page_access_groups: int = 1
    access_status: int | None = None
    """401, 403 or 404: every page-scoped endpoint answers it while /pages still lists the page."""
    time_zone: str | None = None
    """A key of TIME_ZONES; None picks one by page index."""
    public_source: str = "ok"
    """How the page's public v2 host answers every endpoint: one of `PUBLIC_SOURCE_MODES`."""

    def __post_init__(self) -> None:
        broken_public_source(self.public_source)  # rejects an unknown mode
        require_counts(self)
        if self.components < 2 * self.component_groups:
            raise ValueError("each component group needs its group row and at least one member")
        if self.metrics and not self.metrics_providers:
            raise ValueError("metrics need at least one metrics provider")
        if self.access_status not in (None, 401, 403, 404):
            raise ValueError("access_status must be None, 401, 403 or 404")
        if self.time_zone is not None and self.time_zone not in TIME_ZONES:
            raise ValueError(f"time_zone must be one of {sorted(TIME_ZONES)}")


def _spec(counts: str) -> PageSpec:
    """A PageSpec from the nine counts in the order of the table in `sandbox.statuspage`."""
    c, g, i, s, t, mp, m, pau, pag = (int(part) for part in counts.split())
    return PageSpec(c, g, i, s, t, mp, m, pau, pag)


SIZE_PRESETS: Mapping[str, tuple[tuple[PageSpec, ...], int]] = {
    "tiny": ((_spec("6 1 5 7 2 1 2 0 0"),), 3),
    "small": (
        (
            _spec("200 3 120 250 5 2 4 100 3"),
            _spec("37 2 15 40 0 0 0 0 0"),
            _spec("101 5 100 100 101 1 3 12 2"),
        ),
        130,
    ),
    "medium": (
        (
            _spec("1000 10 2000 4000 50 3 30 500 20"),
            _spec("300 6 700 1500 20 1 5 0 0"),
            _spec("50 2 150 300 5 1 2 20 2"),
        ),
        250,
    ),
    "large": (
        (
            _spec("5000 40 15000 50000 200 5 100 5000 50"),
            _spec("1000 10 5000 15000 50 2 20 1000 10"),
            *(_spec("200 4 1000 2000 10 1 5 100 3"),) * 3,
        ),
        1000,
    ),
    "huge": (
        (
            _spec("2000 20 20000 1000000 100 3 50 2000 20"),
            _spec("200 4 1000 5000 10 1 5 100 3"),
        ),
        2000,
    ),
}


# Internal models (times in epoch milliseconds; rendered per API version)


@dataclass(frozen=True)
class Page:
    index: int
    spec: PageSpec
    id: str
    name: str
    subdomain: str
    time_zone: str
    offset_min: int
    created_ms: int
    updated_ms: int
    layout: Layout
    subscriber_slots: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Component:
    id: str
    group_index: int | None
    is_group: bool
    name: str
    description: str | None
    position: int
    status: str | None
    showcase: bool
    automation_email: str
    start_date: str | None
    created_ms: int
    updated_ms: int

    @property
    def uptime_start(self) -> date:
        """Where its uptime begins: its start date, else the day it was created (UTC)."""
        return date.fromisoformat(self.start_date or utc_date(self.created_ms))


@dataclass(frozen=True)
class Update:
    id: str
    status: str
    body: str
    at_ms: int
    affected: tuple[tuple[int, str, str], ...] | None
    """(component row, old status, new status) or None."""
    deliver_notifications: bool


@dataclass(frozen=True)
class Maintenance:
    scheduled_for_ms: int
    scheduled_until_ms: int
    remind_prior: bool
    reminded_ms: int | None
    auto_in_progress: bool
    auto_completed: bool
    to_maintenance_state: bool
    to_operational_state: bool
    notify_at_start: bool
    notify_at_end: bool


@dataclass(frozen=True)
class Postmortem:
    body: str
    published_ms: int
    last_updated_ms: int
    notified_subscribers: bool
    notified_twitter: bool


@dataclass(frozen=True)
class Incident(EventHistory):
    id: str
    name: str
    impact: str
    impact_override: str | None
    created_ms: int
    started_ms: int
    component_rows: tuple[int, ...]
    updates: tuple[Update, ...]
    """Oldest first; rendered newest first like the API.

    See (docs/apis/statuspage.md, "Record shapes").
    """
    metadata: Mapping[str, Mapping[str, str]]
    shortlink: str
    maintenance: Maintenance | None
    postmortem: Postmortem | None
    postmortem_ignored: bool

    @property
    def updated_ms(self) -> int:
        """The latest update, or the postmortem's last edit when that is later."""
        last = super().updated_ms
        return max(last, self.postmortem.last_updated_ms) if self.postmortem else last


@dataclass(frozen=True)
class Resolved:
    """A page's generated incidents (newest first) and each component row's status segments."""

    incidents: tuple[Incident, ...]
    segments: Mapping[int, Sequence[Segment]]


class StatuspageSkeleton:
    """The pages of one seed with their components and generated incidents, made on demand."""

    def __init__(
        self, seed: int, specs: Sequence[PageSpec], organization_id: str, users: int
    ) -> None:
        self.seed = seed
        self.specs = tuple(specs)
        self.organization_id = organization_id
        self.users = users
        self.pages = [self._make_page(index, spec) for index, spec in enumerate(self.specs)]
        self.by_id = Index("page id", ((page.id, page) for page in self.pages))
        self.by_subdomain = Index("subdomain", ((page.subdomain, page) for page in self.pages))
        # One lock for all three: making a page's incidents reads its times and component rows.
        made_once = threading.RLock()
        self._resolved_pages: MadeOnce[Resolved] = MadeOnce(made_once)
        self._component_rows: MadeOnce[Index[int]] = MadeOnce(made_once)
        self._incident_times: MadeOnce[tuple[int, ...]] = MadeOnce(made_once)

    # Generation: pages

    def _make_page(self, index: int, spec: PageSpec) -> Page:
        rng = Rng(self.seed, index, "page")
        name = cycled(_COMPANIES, index)
        time_zone = spec.time_zone or _DEFAULT_ZONES[index % len(_DEFAULT_ZONES)]
        types = rng.shuffled(_SUBSCRIBER_TYPE_SLOTS)
        states = rng.shuffled(_SUBSCRIBER_STATE_SLOTS)
        return Page(
            index=index,
            spec=spec,
            id=ident(self.seed, index, "page-id"),
            name=name,
            subdomain=re.sub(r"[^a-z0-9]", "", name.lower()),
            time_zone=time_zone,
            offset_min=TIME_ZONES[time_zone],
            created_ms=EPOCH_MS - 3 * YEAR - rng.below(180 * DAY),
            updated_ms=EPOCH_MS - rng.below(30 * DAY),
            layout=Layout(spec.components, spec.component_groups),
            subscriber_slots=tuple(zip(types, states, strict=True)),
        )

    # Generation: components and groups

    def component_id(self, page: Page, row: int) -> str:
        return ident(self.seed, page.index, "component-id", row)

    def component(self, page: Page, row: int) -> Component:
        rng = Rng(self.seed, page.index, "component", row)
        group, offset = page.layout.locate(row)
        is_group = group is not None and offset < 0
        created = page.created_ms + rng.below(60 * DAY) // SECOND * SECOND
        updated = created + (rng.below(400 * DAY) // SECOND * SECOND if rng.chance(0.5) else 0)
        if is_group:
            status: str | None = "" if rng.chance(0.75) else None
            position = (group or 0) + 1
        else:
            rng.below(100)  # formerly a random status: kept so the other fields stay as they were
            status = self.status_now(page, row)
            position = offset + 1 if group is not None else page.layout.groups + offset + 1
        description = f"{self.component_name(page, row)} for all customers"
        return Component(
            id=self.component_id(page, row),
            group_index=group,
            is_group=is_group,
            name=self.component_name(page, row),
            description=description if rng.chance(0.3) else None,
            position=position,
            status=status,
            showcase=not is_group and rng.chance(0.8),
            automation_email=f"component+{rng.hex(32)}@notifications.statuspage.io",
            # Group rows carry a start date too on real components.json pages.
            start_date=None if rng.chance(0.2) else utc_date(created),
            created_ms=created,
            updated_ms=updated,
        )

    def component_rows(self, page: Page) -> Index[int]:
        """Component rows (groups included) by component id, indexed on first use."""
        ids = ((self.component_id(page, row), row) for row in range(page.layout.rows))
        return self._component_rows.get(page.index, lambda: Index("component id", ids))

    def status_now(self, page: Page, row: int) -> str:
        """The component's status at the epoch, the end of its generated timeline."""
        return status_at(self.resolved(page).segments.get(row, ()), EPOCH_MS)

    def component_name(self, page: Page, row: int) -> str:
        return page.layout.row_name(row, _GROUPS, _SERVICES)

    def display_name(self, page: Page, row: int) -> str:
        """Name in affected_components: members are prefixed by their group.

        See (docs/apis/statuspage.md, "Record shapes").
        """
        group, offset = page.layout.locate(row)
        name = self.component_name(page, row)
        return f"{cycled(_GROUPS, group)} - {name}" if group is not None and offset >= 0 else name

    def group_id_of(self, page: Page, component: Component) -> str | None:
        if component.group_index is None or component.is_group:
            return None
        return self.component_id(page, page.layout.group_row(component.group_index))

    # Generation: incidents

    def resolved(self, page: Page) -> Resolved:
        """Every generated incident of the page with its component transitions, made once."""
        return self._resolved_pages.get(page.index, lambda: self._resolve(page))

    def _resolve(self, page: Page) -> Resolved:
        drafts = [self._draft_incident(page, row) for row in range(page.spec.incidents)]
        steps = [step for _, incident_steps in drafts for step in incident_steps]
        transitions, segments = resolve(steps)
        incidents = tuple(
            replace(
                draft,
                updates=tuple(
                    replace(update, affected=transitions.get((row, n)))
                    for n, update in enumerate(draft.updates)
                ),
            )
            for row, (draft, _) in enumerate(drafts)
        )
        return Resolved(incidents, segments)

    def incident_count(self, page_index: int) -> int:
        """Generated incidents of the page (the ones added at runtime not counted)."""
        return self.specs[page_index].incidents

    def incident_id(self, page_index: int, row: int) -> str:
        """The id of generated incident `row` without making the page's incidents."""
        return ident(self.seed, page_index, "incident-id", row)

    def incident(self, page_index: int, row: int) -> Incident:
        """Generated incident `row` (0 is the newest) with its component transitions."""
        return self.resolved(self.pages[page_index]).incidents[row]

    def _incident_start(self, page: Page, row: int) -> tuple[Rng, int, tuple[int, ...]]:
        """The incident's seeded stream, its creation time and the components it picks itself."""
        rng = Rng(self.seed, page.index, "incident", row)
        rng.below(2)  # formerly the creation time's jitter: kept so other fields stay as they were
        return rng, self.incident_times(page)[row], page.layout.pick_leaves(rng, 0, 4)

    def incident_times(self, page: Page) -> tuple[int, ...]:
        """Creation times of the generated incidents, newest first, in bursts over months.

        A long incident stays within hours of the next newer one, which then overlaps it.
        """
        return self._incident_times.get(
            page.index,
            lambda: bursts_newest_first_ms(
                Rng(self.seed, page.index, "incident-times"),
                page.spec.incidents,
                recent=RECENT_ROWS,
                close=lambda row: self._is_long(page, row),
            ),
        )

    def _is_long(self, page: Page, row: int) -> bool:
        """A quarter of incidents last many hours: outages past a local midnight, overlaps."""
        return Rng(self.seed, page.index, "incident-long", row).chance(0.25)

    def _incident_rows(
        self, page: Page, row: int, own: tuple[int, ...], shape: Rng
    ) -> tuple[tuple[int, ...], bool]:
        """Its own picks, and often one of the next older incident's when that one lasts long:
        two incidents then hold one component at once (the second value says so)."""
        if row + 1 >= page.spec.incidents or not self._is_long(page, row + 1):
            return own, False
        _, _, older = self._incident_start(page, row + 1)
        if older and shape.chance(0.6):
            return tuple(sorted({*own, shape.pick(older)})), True
        return own, False

    def _draft_incident(self, page: Page, row: int) -> tuple[Incident, list[Step]]:
        """Incident `row` without its transitions, and the steps that make them."""
        rng, created, own = self._incident_start(page, row)
        # The timeline's own draws: `rng` draws what it drew before timelines existed, so every
        # other field, and the number of updates, stays as it was.
        shape = Rng(self.seed, page.index, "incident-timeline", row)
        limit = EPOCH_MS - MINUTE
        incident_id = self.incident_id(page.index, row)
        rows, overlaps = self._incident_rows(page, row, own, shape)
        is_long = self._is_long(page, row)
        subject = self.component_name(page, rows[0]) if rows else "all services"
        recent = row < RECENT_ROWS
        if rng.chance(0.15):
            return self._maintenance(
                page,
                rng,
                incident_id=incident_id,
                row=row,
                created=created,
                rows=rows,
                subject=subject,
                recent=recent,
            )
        impact = rng.pick(("none", "minor", "minor", "major", "major", "critical"))
        if is_long:
            impact = shape.pick(("minor", "major", "major", "major", "critical"))  # mostly partial
        if overlaps:
            # Mostly worse than the long incident it overlaps: a major outage over a partial one.
            impact = shape.pick(("minor", "major", "critical", "critical", "critical"))
        broken = "major_outage" if impact == "critical" else "partial_outage"
        if impact in ("none", "minor"):
            broken = "degraded_performance"
        statuses, times = incident_progress(
            rng,
            created,
            recent=recent,
            statuses=("investigating", "identified", "monitoring", "resolved"),
        )
        if is_long:
            # Hours between updates: such an outage often runs past a local midnight.
            stretch = shape.between(4, 12)
            gaps = [b - a for a, b in zip([created, *times], times, strict=False)]
            times = fit(created, [gap * stretch for gap in gaps], limit)
        updates, steps = [], []
        for n, (status, at) in enumerate(zip(statuses, times, strict=True)):
            hold = broken
            if status == "resolved":
                hold = "operational"
            elif status == "investigating" and broken == "major_outage" and shape.chance(0.4):
                hold = "partial_outage"  # escalated to a major outage by the next update
            elif status == "monitoring" and shape.chance(0.5):
                hold = "degraded_performance"  # a fix is out: recovering
            unlisted_first = n == 0 and bool(own) and rng.chance(0.3)
            listed = () if not rows or unlisted_first else rows
            if listed:
                steps.append(Step(at, (row, n), incident_id, listed, hold))
            updates.append(self._update(page, (row, n), status, at, notify=rng.chance(0.9)))
        resolved = times[-1] if statuses[-1] == "resolved" else None
        postmortem = None
        if resolved is not None and resolved + 3 * DAY < limit and rng.chance(0.2):
            published = resolved + rng.between(1 * DAY, 3 * DAY)
            postmortem = Postmortem(
                body=f"##### Issue\n{subject} was degraded.\n\n##### Resolution\nWe rolled back.",
                published_ms=published,
                last_updated_ms=published - rng.below(HOUR),
                notified_subscribers=rng.chance(0.5),
                notified_twitter=False,
            )
        override = rng.pick(("minor", "major", "critical")) if rng.chance(0.15) else None
        incident = Incident(
            id=incident_id,
            name=rng.pick(INCIDENT_TITLES).format(subject),
            impact=impact,
            impact_override=override,
            created_ms=created,
            started_ms=created - (rng.below(30) * MINUTE if rng.chance(0.3) else 0),
            component_rows=rows,
            updates=tuple(updates),
            metadata={"jira": {"issue_id": f"OPS-{rng.between(100, 9999)}"}}
            if rng.chance(0.2)
            else {},
            shortlink=f"https://stspg.io/{ident(self.seed, page.index, 'shortlink', row)}",
            maintenance=None,
            postmortem=postmortem,
            postmortem_ignored=postmortem is None and rng.chance(0.3),
        )
        return incident, steps

    def _maintenance(
        self,
        page: Page,
        rng: Rng,
        *,
        incident_id: str,
        row: int,
        created: int,
        rows: tuple[int, ...],
        subject: str,
        recent: bool,
    ) -> tuple[Incident, list[Step]]:
        limit = EPOCH_MS - MINUTE
        phase = rng.pick(("upcoming", "active", "done")) if recent else "done"
        if phase == "upcoming":
            statuses = ["scheduled"]
            times = [created]
            scheduled_for = EPOCH_MS + rng.between(1, 14) * DAY
            scheduled_until = scheduled_for + rng.between(1, 4) * HOUR
        elif phase == "active":
            statuses = ["scheduled", "in_progress"]
            times = fit(created, [0, rng.between(MINUTE, 30 * MINUTE)], limit)
            scheduled_for = times[1]
            scheduled_until = EPOCH_MS + rng.between(1, 4) * HOUR
        else:
            statuses = ["scheduled", "in_progress"]
            statuses += ["verifying"] if rng.chance(0.4) else []
            statuses.append("completed")
            fates = Rng(self.seed, page.index, "maintenance-fates").shuffled(MAINTENANCE_FATES)
            planned, actual = maintenance_run_ms(rng, fates[row % len(fates)])
            gaps = [0, rng.between(HOUR, 10 * DAY), actual]
            if len(statuses) > 3:
                # Verification starts in the second half of the actual run.
                verified = actual // 2 + rng.below(actual // 2)
                gaps[2:] = [verified, actual - verified]
            times = fit(created, gaps, limit)
            scheduled_for = times[1]
            scheduled_until = scheduled_for + planned
        # What the maintenance holds on its components after each update; None lists them as is.
        holds: dict[str, str | None] = {
            "scheduled": None,
            "in_progress": "under_maintenance",
            "verifying": "under_maintenance",
            "completed": "operational",
        }
        updates = tuple(
            self._update(page, (row, n), status, at, notify=True)
            for n, (status, at) in enumerate(zip(statuses, times, strict=True))
        )
        steps = [
            Step(at, (row, n), incident_id, rows, holds[status])
            for n, (status, at) in enumerate(zip(statuses, times, strict=True))
            if rows
        ]
        remind = rng.chance(0.5)
        reminded = scheduled_for - HOUR if remind and scheduled_for - HOUR < limit else None
        incident = Incident(
            id=incident_id,
            name=rng.pick(MAINTENANCE_TITLES).format(subject),
            impact="maintenance",
            impact_override=None,
            created_ms=created,
            started_ms=scheduled_for,
            component_rows=rows,
            updates=updates,
            metadata={},
            shortlink=f"https://stspg.io/{ident(self.seed, page.index, 'shortlink', row)}",
            maintenance=Maintenance(
                scheduled_for_ms=scheduled_for,
                scheduled_until_ms=scheduled_until,
                remind_prior=remind,
                reminded_ms=reminded,
                auto_in_progress=rng.chance(0.7),
                auto_completed=rng.chance(0.7),
                to_maintenance_state=rng.chance(0.5),
                to_operational_state=rng.chance(0.5),
                notify_at_start=rng.chance(0.5),
                notify_at_end=rng.chance(0.5),
            ),
            postmortem=None,
            postmortem_ignored=False,
        )
        return incident, steps

    def _update(
        self, page: Page, order: tuple[int, int], status: str, at_ms: int, *, notify: bool
    ) -> Update:
        """Generated update `n` of incident `row` (`order`); `resolved` adds its transitions."""
        row, n = order
        body = UPDATE_BODIES[status]
        update_id = ident(self.seed, page.index, "update", row, n)
        return Update(update_id, status, body, at_ms, None, notify)

    def new_incident(self, page: Page, number: int, at_ms: int) -> Incident:
        rng = Rng(self.seed, page.index, "added-incident", number)
        rows = page.layout.pick_leaves(rng, 1, 2)
        subject = self.component_name(page, rows[0]) if rows else "all services"
        update = Update(
            id=ident(self.seed, page.index, "added-update", number),
            status="investigating",
            body=UPDATE_BODIES["investigating"],
            at_ms=at_ms,
            # Added after the generated history: each component moves on from its status now.
            affected=tuple(
                (r, old, max(old, "degraded_performance", key=SEVERITY.__getitem__))
                for r in rows
                for old in [self.status_now(page, r)]
            )
            or None,
            deliver_notifications=True,
        )
        return Incident(
            id=ident(self.seed, page.index, "added-incident-id", number),
            name=rng.pick(INCIDENT_TITLES).format(subject),
            impact="minor",
            impact_override=None,
            created_ms=at_ms,
            started_ms=at_ms,
            component_rows=rows,
            updates=(update,),
            metadata={},
            shortlink=f"https://stspg.io/{ident(self.seed, page.index, 'added-link', number)}",
            maintenance=None,
            postmortem=None,
            postmortem_ignored=False,
        )
