"""Atlassian Statuspage for the sandbox: a seeded, lazy data generator and two mounts.

`StatuspageManageApi` speaks the manage API v1 under ``/statuspage/v1`` and
`StatuspagePublicApi` the public Status API v2 under ``/statuspage-public/<subdomain>/api/v2``,
both as described in ``docs/apis/statuspage.md``.

Every record is a pure function of (seed, page index, collection, row index): a page of any list
is computed when it is served, so a million subscribers cost nothing until asked for. Incidents
are the exception: a page's incidents are made together at first use, because the component
transitions in their updates form one timeline per component (`sandbox.statuspage_timeline`),
which also gives each component's current status and its uptime
(docs/apis/statuspage.md, "Component transitions" and "Component uptime"). Only the
incidents added or touched at runtime (`add_incidents`, `touch_incidents`) live in memory.
All generated times lie before the fixed epoch 2026-01-01T00:00:00Z (only the `scheduled_for`
of upcoming maintenances lies after it); the clock is never read.

Size presets of `StatuspageData.from_size` (exact counts; "components" include the group rows,
whose number equals "groups"; "pau"/"pag" are page access users/groups)::

    preset  page  components groups incidents subscribers templates providers metrics  pau  pag
    tiny    0              6      1         5           7         2         1       2    0    0
    small   0            200      3       120         250         5         2       4  100    3
            1             37      2        15          40         0         0       0    0    0
            2            101      5       100         100       101         1       3   12    2
    medium  0           1000     10      2000        4000        50         3      30  500   20
            1            300      6       700        1500        20         1       5    0    0
            2             50      2       150         300         5         1       2   20    2
    large   0           5000     40     15000       50000       200         5     100 5000   50
            1           1000     10      5000       15000        50         2      20 1000   10
            2..4 each    200      4      1000        2000        10         1       5  100    3
    huge    0           2000     20     20000     1000000       100         3      50 2000   20
            1            200      4      1000        5000        10         1       5  100    3

Organization users: tiny 3, small 130, medium 250, large 1000, huge 2000.
About 15 % of incidents are scheduled maintenances; each incident embeds 1 to 4 updates.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sandbox.generate import (
    DAY,
    EPOCH_MS,
    HOUR,
    MINUTE,
    SECOND,
    YEAR,
    Layout,
    Rng,
    base36_id,
    cycled,
    fit,
    incident_progress,
    label_hex,
    local_ms,
    newest_first_ms,
    oldest_first_ms,
    page_window,
    to_ms,
    touch_order,
    utc_date,
    utc_ms,
    utc_s,
)
from sandbox.server import GroundTruthStreams, Record, Request, Response, broken_public_source
from sandbox.statuspage_timeline import (
    MAX_RANGE_MONTHS,
    SEVERITY,
    Segment,
    Step,
    Uptime,
    add_months,
    local_date,
    month_ranges,
    resolve,
    status_at,
    uptime,
)

MAX_PAGE_SIZE = 100
"""Default and maximum page size of every paginated v1 list.

See (docs/apis/statuspage.md, "Pagination").
"""
RECENT_ROWS = 5
"""Only the newest generated incidents may be unresolved or upcoming, so v2 scans stay short."""
PUBLIC_LIST_LIMIT = 50
"""incidents.json and scheduled-maintenances.json return the 50 most recent items.

See (docs/apis/statuspage.md, "Public Status API v2").
"""

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
_INCIDENT_TITLES = (
    "{} Timeout Errors",
    "Elevated error rates on {}",
    "Degraded performance of {}",
    "{} unavailable for some customers",
    "Delayed processing in {}",
    "Increased latency for {}",
)
_MAINTENANCE_TITLES = (
    "Scheduled maintenance of {}",
    "{} database upgrade",
    "Network maintenance affecting {}",
)
_UPDATE_BODIES = {
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
_FIRST_NAMES = ("Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken")
_LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Knuth")
_AREA_CODES = ("202", "415", "312", "646", "512", "303")
_METRIC_NAMES = ("API latency", "Error rate", "Requests per second", "Queue depth", "Uptime")
_METRIC_SUFFIXES = ("ms", "%", "req/s", "jobs", "%")
_PROVIDERS = (
    ("Pingdom", "https://api.pingdom.com/api/3.1"),
    ("NewRelic", "https://api.newrelic.com/v2"),
    ("Datadog", "https://api.datadoghq.com/api/v1"),
    ("Librato", "https://metrics-api.librato.com/v1"),
    ("Self", None),
)
_STATUS_TEXT = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
_IMPACT_RANK = {"none": 0, "maintenance": 0, "minor": 1, "major": 2, "critical": 3}
_ACCESS_MESSAGES = {
    401: "Could not authenticate",
    403: "You are not authorized to access this resource.",
    404: "The requested resource could not be found.",
}
NOT_FOUND = _ACCESS_MESSAGES[404]


def _ident(*key: object) -> str:
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
        counts = (
            self.components,
            self.component_groups,
            self.incidents,
            self.subscribers,
            self.incident_templates,
            self.metrics_providers,
            self.metrics,
            self.page_access_users,
            self.page_access_groups,
        )
        if min(counts) < 0:
            raise ValueError("PageSpec counts must not be negative")
        if self.components < 2 * self.component_groups:
            raise ValueError("each component group needs its group row and at least one member")
        if self.metrics and not self.metrics_providers:
            raise ValueError("metrics need at least one metrics provider")
        if self.access_status not in (None, 401, 403, 404):
            raise ValueError("access_status must be None, 401, 403 or 404")
        if self.time_zone is not None and self.time_zone not in TIME_ZONES:
            raise ValueError(f"time_zone must be one of {sorted(TIME_ZONES)}")


def _spec(counts: str) -> PageSpec:
    """A PageSpec from the nine counts in the order of the module docstring's table."""
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
class _Page:
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
class _Component:
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


@dataclass(frozen=True)
class _Update:
    id: str
    status: str
    body: str
    at_ms: int
    affected: tuple[tuple[int, str, str], ...] | None
    """(component row, old status, new status) or None."""
    deliver_notifications: bool


@dataclass(frozen=True)
class _Maintenance:
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
class _Postmortem:
    body: str
    published_ms: int
    last_updated_ms: int
    notified_subscribers: bool
    notified_twitter: bool


@dataclass(frozen=True)
class _Incident:
    id: str
    name: str
    impact: str
    impact_override: str | None
    created_ms: int
    started_ms: int
    component_rows: tuple[int, ...]
    updates: tuple[_Update, ...]
    """Oldest first; rendered newest first like the API.

    See (docs/apis/statuspage.md, "Record shapes").
    """
    metadata: Mapping[str, Mapping[str, str]]
    shortlink: str
    maintenance: _Maintenance | None
    postmortem: _Postmortem | None
    postmortem_ignored: bool

    @property
    def status(self) -> str:
        return self.updates[-1].status

    @property
    def updated_ms(self) -> int:
        last = max(update.at_ms for update in self.updates)
        return max(last, self.postmortem.last_updated_ms) if self.postmortem else last

    def first_at(self, *statuses: str) -> int | None:
        return next((u.at_ms for u in self.updates if u.status in statuses), None)


@dataclass(frozen=True)
class _Resolved:
    """A page's generated incidents (newest first) and each component row's status segments."""

    incidents: tuple[_Incident, ...]
    segments: Mapping[int, Sequence[Segment]]


@dataclass
class _Overrides:
    """Runtime changes: incidents added per page (newest first) and updates appended by id."""

    added: list[list[_Incident]] = field(default_factory=list)
    extra_updates: dict[str, list[_Update]] = field(default_factory=dict)


class StatuspageData:
    """Seeded Statuspage data: pages, their lists, organization users and runtime changes."""

    def __init__(
        self,
        seed: int = 1,
        pages: Sequence[PageSpec] = (PageSpec(),),
        organization_id: str | None = None,
        users: int = 0,
        api_key: str | None = None,
    ) -> None:
        self.seed = seed
        self.specs = tuple(pages)
        self.organization_id = organization_id or _ident(seed, "organization")
        self.users = users
        key_hex = label_hex(f"statuspage-key-{seed}", 8)
        self.api_key = api_key or f"sandbox-statuspage-key-{key_hex}"
        self._pages = [self._make_page(index, spec) for index, spec in enumerate(self.specs)]
        self._by_id = {page.id: page for page in self._pages}
        self._by_subdomain = {page.subdomain: page for page in self._pages}
        # Re-entrant: touch_incidents reads incidents while holding it.
        self._lock = threading.RLock()
        self._overrides = _Overrides(added=[[] for _ in self._pages])
        self._resolved_pages: dict[int, _Resolved] = {}
        self._component_rows_by_page: dict[int, dict[str, int]] = {}
        self._makers: dict[str, Callable[[_Page, int], Record]] = {
            "component_groups": self._component_group_v1,
            "components": lambda page, row: self._component_v1(page, self._component(page, row)),
            "subscribers": self._subscriber,
            "incident_templates": self._template,
            "metrics_providers": self._metrics_provider,
            "metrics": self._metric,
            "page_access_users": self._page_access_user,
            "page_access_groups": self._page_access_group,
        }

    @classmethod
    def from_size(cls, seed: int = 1, size: str = "small") -> StatuspageData:
        if size not in SIZE_PRESETS:
            raise ValueError(f"unknown size {size!r}; expected one of {sorted(SIZE_PRESETS)}")
        specs, users = SIZE_PRESETS[size]
        return cls(seed=seed, pages=specs, users=users)

    # Lookups

    @property
    def page_ids(self) -> list[str]:
        return [page.id for page in self._pages]

    @property
    def subdomains(self) -> list[str]:
        return [page.subdomain for page in self._pages]

    def _page(self, page_id: str) -> _Page:
        if page_id not in self._by_id:
            raise KeyError(f"unknown page id {page_id!r}")
        return self._by_id[page_id]

    def find_page(self, page_id: str) -> int | None:
        page = self._by_id.get(page_id)
        return None if page is None else page.index

    def find_subdomain(self, subdomain: str) -> int | None:
        page = self._by_subdomain.get(subdomain)
        return None if page is None else page.index

    def access_status(self, page_index: int) -> int | None:
        return self._pages[page_index].spec.access_status

    # v1 lists

    def count(self, page_index: int, stream: str) -> int:
        """Rows of a page-scoped v1 list, by ground-truth stream name."""
        page = self._pages[page_index]
        if stream == "incidents":
            with self._lock:
                return len(self._overrides.added[page_index]) + page.spec.incidents
        return int(getattr(page.spec, stream))

    def records(self, page_index: int, stream: str, start: int, stop: int) -> list[Record]:
        """Rows [start, stop) of a page-scoped v1 list, rendered as the API serves them."""
        page = self._pages[page_index]
        stop = min(stop, self.count(page_index, stream))
        if stream == "incidents":
            return [self._incident_v1(page, inc) for inc in self._incidents(page, start, stop)]
        make = self._makers[stream]
        return [make(page, row) for row in range(start, stop)]

    def subscribers(
        self, page_index: int, state: str, type_: str | None, start: int, size: int
    ) -> list[Record]:
        """The 0-based filtered window of /subscribers; `state` may be "all".

        See (docs/apis/statuspage.md, "Zero-based page and limit").
        """
        page = self._pages[page_index]
        slots = [
            k
            for k, (mode, slot_state) in enumerate(page.subscriber_slots)
            if state in ("all", slot_state) and type_ in (None, mode)
        ]
        if not slots:
            return []
        period = len(page.subscriber_slots)
        rows: list[int] = []
        for position in range(start, start + size):
            cycle, slot = divmod(position, len(slots))
            row = cycle * period + slots[slot]
            if row >= page.spec.subscribers:
                break
            rows.append(row)
        return [self._subscriber(page, row) for row in rows]

    def page_v1(self, page_index: int) -> Record:
        return self._page_v1(self._pages[page_index])

    def users_v1(self, start: int, stop: int) -> list[Record]:
        return [self._user(index) for index in range(start, min(stop, self.users))]

    # Component uptime (docs/apis/statuspage.md, "Component uptime")

    def component_uptime(
        self, page_index: int, component_id: str, start: str | None, end: str | None
    ) -> tuple[int, Record]:
        """(HTTP status, body) of GET .../components/{component_id}/uptime?start=&end=."""
        page = self._pages[page_index]
        row = self._component_rows(page).get(component_id)
        if row is None:
            return 404, {"message": NOT_FOUND}
        component = self._component(page, row)
        if component.is_group:
            # Groups have their own endpoint, /component-groups/{id}/uptime.
            return 404, {"message": NOT_FOUND}
        if not component.showcase:
            return 422, {
                "message": "Uptime is not available: the component's uptime showcase is off"
            }
        today = local_date(EPOCH_MS, page.offset_min)
        wanted = _uptime_range(start, end, today, _component_start(component))
        if isinstance(wanted, str):
            return 422, {"message": wanted}
        first, last = wanted
        return 200, self._uptime_body(page, row, component, first, last)

    def _component_rows(self, page: _Page) -> Mapping[str, int]:
        with self._lock:
            rows = self._component_rows_by_page.get(page.index)
            if rows is None:
                rows = {self._component_id(page, r): r for r in range(page.layout.rows)}
                self._component_rows_by_page[page.index] = rows
            return rows

    def _uptime_figures(
        self, page: _Page, row: int, component: _Component, first: date, last: date
    ) -> Uptime:
        return uptime(
            self._resolved(page).segments.get(row, ()),
            first,
            last,
            offset_min=page.offset_min,
            component_start=_component_start(component),
            now_ms=EPOCH_MS,
        )

    def _uptime_body(
        self, page: _Page, row: int, component: _Component, first: date, last: date
    ) -> Record:
        figures = self._uptime_figures(page, row, component, first, last)
        # Real payloads send the percentage as a number or as numeric text: every other page.
        percentage: float | str = figures.percentage
        if page.index % 2:
            percentage = f"{figures.percentage:.2f}"
        return {
            "id": component.id,
            "name": component.name,
            "range_start": first.isoformat(),
            "range_end": last.isoformat(),
            "uptime_percentage": percentage,
            "major_outage": figures.major_s,
            "partial_outage": figures.partial_s,
            "warnings": list(figures.warnings),
            "related_events": {
                "major_outage": [{"id": i} for i in figures.major_ids],
                "partial_outage": [{"id": i} for i in figures.partial_ids],
            },
            # Not in the API reference, but sent: the zone the range's days are counted in.
            "time_zone": page.time_zone,
        }

    def uptime_months(
        self, page_index: int, *, today: date | None = None, since: date | None = None
    ) -> Iterator[tuple[int, _Component, date, date]]:
        """(component row, first day, last day) of every month a correct tap asks for: each
        component with uptime, from the month of its start (or of `since`, when later) to the
        month of `today` (default: the page's date at the sandbox's "now"), which ends `today`."""
        page = self._pages[page_index]
        last = today or local_date(EPOCH_MS, page.offset_min)
        for row in range(page.layout.rows):
            component = self._component(page, row)
            if component.is_group or not component.showcase:
                continue
            first = max(_component_start(component), since or date.min)
            for month_start, month_end in month_ranges(first, last):
                yield row, component, month_start, month_end

    def ground_truth_uptime(
        self, *, today: Mapping[str, date] | None = None, since: date | None = None
    ) -> list[Record]:
        """What a correct tap emits for `component_uptime`, the stream a run selects explicitly:
        not in `ground_truth_manage` because it depends on the run's date, `today` (by page id;
        default each page's date at the sandbox's "now") and the `start_date` setting (`since`)."""
        return [
            record
            for page in self._pages
            if not page.spec.access_status
            for record in self.component_uptime_records(
                page.index, today=(today or {}).get(page.id), since=since
            )
        ]

    def component_uptime_records(
        self, page_index: int, *, today: date | None = None, since: date | None = None
    ) -> list[Record]:
        """The `component_uptime` records a correct tap emits for one page (see uptime_months)."""
        page = self._pages[page_index]
        return [
            {
                **self._uptime_body(page, row, component, first, last),
                "page_id": page.id,
                "component_id": component.id,
            }
            for row, component, first, last in self.uptime_months(
                page_index, today=today, since=since
            )
        ]

    def uptime_by_component_month(
        self, *, today: Mapping[str, date] | None = None, since: date | None = None
    ) -> list[Record]:
        """The uptime truth per page, component and month, as plain figures (for reconciling
        rebuilt uptime): seconds in major and partial outage, counted seconds, percentage."""
        figures = []
        for page in self._pages:
            last = (today or {}).get(page.id)
            months = self.uptime_months(page.index, today=last, since=since)
            for row, component, first, end in months:
                result = self._uptime_figures(page, row, component, first, end)
                figures.append(
                    {
                        "page_id": page.id,
                        "component_id": component.id,
                        "month": first.replace(day=1).isoformat(),
                        "range_start": first.isoformat(),
                        "range_end": end.isoformat(),
                        "major_outage_seconds": result.major_s,
                        "partial_outage_seconds": result.partial_s,
                        "counted_seconds": result.range_s,
                        "uptime_percentage": result.percentage,
                    }
                )
        return figures

    def component_segments(self, page_index: int, component_id: str) -> list[Segment]:
        """The component's status segments, oldest first (operational before the first)."""
        page = self._pages[page_index]
        row = self._component_rows(page)[component_id]
        return list(self._resolved(page).segments.get(row, ()))

    # Runtime changes

    def touch_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Append an update at `at` to `count` incidents, oldest untouched first; return their ids.

        The oldest rows are picked so that a client stopping early on `updated_at` misses them.
        Generated times all precede 2026-01-01, so any later `at` becomes their `updated_at`.
        """
        page = self._page(page_id)
        at_ms = to_ms(at)
        with self._lock:
            extra = self._overrides.extra_updates
            oldest_first = [
                self._incident_id(page, position)
                for position in range(self.count(page.index, "incidents") - 1, -1, -1)
            ]
            chosen = touch_order(oldest_first, extra, count)
            for incident_id, position in chosen:
                status = self._incidents(page, position, position + 1)[0].status
                updates = extra.setdefault(incident_id, [])
                update_id = _ident(self.seed, page.index, "touch", incident_id, len(updates))
                body = "We are providing an additional update on this event."
                updates.append(_Update(update_id, status, body, at_ms, None, True))
        return [incident_id for incident_id, _ in chosen]

    def add_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` new investigating incidents at `at`, listed first; return their ids."""
        page = self._page(page_id)
        at_ms = to_ms(at)
        with self._lock:
            added = self._overrides.added[page.index]
            new = [self._new_incident(page, len(added) + n, at_ms) for n in range(count)]
            self._overrides.added[page.index] = new[::-1] + added
        return [incident.id for incident in new]

    def _incident_id(self, page: _Page, position: int) -> str:
        added = self._overrides.added[page.index]
        if position < len(added):
            return added[position].id
        return self._base_incident_id(page, position - len(added))

    def _base_incident_id(self, page: _Page, row: int) -> str:
        return _ident(self.seed, page.index, "incident-id", row)

    # Ground truth

    def ground_truth_manage(self, readable_only: bool = False) -> GroundTruthStreams:
        """What a correct tap emits in v1 mode: API records plus `page_id` where they lack it."""
        pages = [p for p in self._pages if not (readable_only and p.spec.access_status)]
        yield "pages", (self._page_v1(page) for page in self._pages)
        for stream in (
            "component_groups",
            "components",
            "incidents",
            "incident_templates",
            "subscribers",
            "metrics_providers",
            "metrics",
            "page_access_users",
            "page_access_groups",
        ):
            yield stream, self._scoped(pages, stream)
        yield "incident_updates", self._manage_updates(pages)
        yield "users", (self._user(index) for index in range(self.users))

    def ground_truth_public(self) -> GroundTruthStreams:
        """What a correct tap emits in public mode (access_status does not apply to v2).

        A page whose public host is broken (`PageSpec.public_source`) emits nothing.
        """
        pages = [page for page in self._pages if page.spec.public_source == "ok"]
        yield "pages", (self._public_page(page) for page in pages)
        yield "page_status", ({"page_id": p.id, **self._public_status(p)} for p in pages)
        yield "components", (c for page in pages for c in self._public_components(page))
        yield (
            "component_groups",
            (c for page in pages for c in self._public_components(page) if c["group"]),
        )
        yield "incidents", (i for page in pages for i in self._public_history(page))
        yield "incident_updates", self._public_updates(pages)

    def _scoped(self, pages: Iterable[_Page], stream: str) -> Iterator[Record]:
        chunk = 1000
        for page in pages:
            for start in range(0, self.count(page.index, stream), chunk):
                for record in self.records(page.index, stream, start, start + chunk):
                    record.setdefault("page_id", page.id)
                    yield record

    def _manage_updates(self, pages: Iterable[_Page]) -> Iterator[Record]:
        for incident in self._scoped(pages, "incidents"):
            for update in incident["incident_updates"]:
                update.setdefault("page_id", incident["page_id"])
                yield update

    def _public_updates(self, pages: Iterable[_Page]) -> Iterator[Record]:
        for page in pages:
            for incident in self._public_history(page):
                for update in incident["incident_updates"]:
                    update.setdefault("page_id", page.id)
                    yield update

    # Public v2 payloads (docs/apis/statuspage.md, "Public Status API v2")

    def public_payload(self, page_index: int, endpoint: str) -> Record | None:
        """The v2 response object for `endpoint` (e.g. "summary.json"), None when unknown."""
        page = self._pages[page_index]
        parts = self._public_parts(page).get(endpoint)
        if parts is None:
            return None
        return {"page": self._public_page(page)} | {key: make() for key, make in parts}

    def _public_parts(self, page: _Page) -> dict[str, list[tuple[str, Callable[[], object]]]]:
        """The keys after `page` of each v2 endpoint, each with the function that fills it."""
        components = ("components", lambda: self._public_components(page))
        status = ("status", lambda: self._public_status(page))
        unresolved = ("incidents", lambda: self._public_recent(page, _is_open_incident))
        maintenances = "scheduled_maintenances"
        return {
            "summary.json": [
                components,
                unresolved,
                (maintenances, lambda: self._public_recent(page, _is_open_maintenance)),
                status,
            ],
            "status.json": [status],
            "components.json": [components],
            "incidents.json": [("incidents", lambda: self._public_latest(page, maintenance=False))],
            "incidents/unresolved.json": [unresolved],
            "scheduled-maintenances.json": [
                (maintenances, lambda: self._public_latest(page, maintenance=True))
            ],
            "scheduled-maintenances/upcoming.json": [
                (maintenances, lambda: self._public_recent(page, _is_upcoming_maintenance))
            ],
            "scheduled-maintenances/active.json": [
                (maintenances, lambda: self._public_recent(page, _is_active_maintenance))
            ],
        }

    def _public_page(self, page: _Page) -> Record:
        return {
            "id": page.id,
            "name": page.name,
            "url": f"https://{page.subdomain}.statuspage.io",
            "time_zone": page.time_zone,
            "updated_at": local_ms(page.updated_ms, page.offset_min),
        }

    def _public_status(self, page: _Page) -> Record:
        open_incidents = self._recent_models(page, _is_open_incident)
        rank = max((_IMPACT_RANK[i.impact] for i in open_incidents), default=0)
        indicator = ("none", "minor", "major", "critical")[rank]
        return {"indicator": indicator, "description": _STATUS_TEXT[indicator]}

    def _public_components(self, page: _Page) -> list[Record]:
        return [self._component_v2(page, self._component(page, r)) for r in range(page.layout.rows)]

    def _public_history(self, page: _Page) -> list[Record]:
        return self._public_latest(page, maintenance=False) + self._public_latest(
            page, maintenance=True
        )

    def _public_latest(self, page: _Page, *, maintenance: bool) -> list[Record]:
        found: list[_Incident] = []
        total = self.count(page.index, "incidents")
        for position in range(total):
            incident = self._incidents(page, position, position + 1)[0]
            if (incident.maintenance is not None) == maintenance:
                found.append(incident)
                if len(found) == PUBLIC_LIST_LIMIT:
                    break
        return [self._incident_v2(page, incident) for incident in found]

    def _public_recent(self, page: _Page, keep: Callable[[_Incident], bool]) -> list[Record]:
        return [self._incident_v2(page, i) for i in self._recent_models(page, keep)]

    def _recent_models(self, page: _Page, keep: Callable[[_Incident], bool]) -> list[_Incident]:
        # Only added incidents and the RECENT_ROWS newest generated ones can be open.
        with self._lock:
            window = len(self._overrides.added[page.index]) + min(RECENT_ROWS, page.spec.incidents)
            return [i for i in self._incidents(page, 0, window) if keep(i)]

    # Generation: pages

    def _make_page(self, index: int, spec: PageSpec) -> _Page:
        rng = Rng(self.seed, index, "page")
        name = cycled(_COMPANIES, index)
        time_zone = spec.time_zone or _DEFAULT_ZONES[index % len(_DEFAULT_ZONES)]
        types = rng.shuffled(_SUBSCRIBER_TYPE_SLOTS)
        states = rng.shuffled(_SUBSCRIBER_STATE_SLOTS)
        return _Page(
            index=index,
            spec=spec,
            id=_ident(self.seed, index, "page-id"),
            name=name,
            subdomain=re.sub(r"[^a-z0-9]", "", name.lower()),
            time_zone=time_zone,
            offset_min=TIME_ZONES[time_zone],
            created_ms=EPOCH_MS - 3 * YEAR - rng.below(180 * DAY),
            updated_ms=EPOCH_MS - rng.below(30 * DAY),
            layout=Layout(spec.components, spec.component_groups),
            subscriber_slots=tuple(zip(types, states, strict=True)),
        )

    def _page_v1(self, page: _Page) -> Record:
        rng = Rng(self.seed, page.index, "page-record")
        has_logos = page.index % 2 == 0
        logo_at = utc_s(page.created_ms + 2 * DAY) if has_logos else None
        logo_size = rng.between(2_000, 90_000) if has_logos else None

        def logo_url(kind: str) -> str:
            return f"https://assets.example.com/{page.id}/{kind}.png" if has_logos else ""

        def small_logo(kind: str) -> Record:
            return {"updated_at": logo_at, "size": logo_size, "url": logo_url(kind)}

        def large_logo(kind: str) -> Record:
            url = logo_url(kind)
            return {
                "updated_at": logo_at,
                "original_url": url,
                "size": logo_size,
                "normal_url": url,
                "retina_url": url,
            }

        domain = f"status.{page.subdomain}.example.com" if page.index % 3 == 1 else None
        return {
            "id": page.id,
            "created_at": utc_s(page.created_ms),
            "updated_at": utc_s(page.updated_ms),
            "name": page.name,
            "page_description": None,
            "headline": "Live status of our services" if has_logos else None,
            "branding": "premium" if has_logos else "basic",
            "subdomain": page.subdomain,
            "domain": domain,
            "url": f"https://www.{page.subdomain}.example.com" if has_logos else None,
            "support_url": None,
            "hidden_from_search": False,
            "allow_page_subscribers": True,
            "allow_incident_subscribers": True,
            "allow_email_subscribers": True,
            "allow_sms_subscribers": rng.chance(0.7),
            "allow_rss_atom_feeds": True,
            "allow_webhook_subscribers": rng.chance(0.5),
            "notifications_from_email": f"noreply@{page.subdomain}.example.com"
            if has_logos
            else None,
            "notifications_email_footer": "You received this email because you are subscribed "
            f"to {page.name}'s service status notifications.",
            "activity_score": rng.below(1000),
            "twitter_username": None,
            "viewers_must_be_team_members": page.spec.page_access_users > 0,
            "ip_restrictions": None,
            "city": None,
            "state": None,
            "country": None,
            "time_zone": page.time_zone,
            "css_body_background_color": "ffffff",
            "css_font_color": "333333",
            "css_light_font_color": "757575",
            "css_greens": "1e8542",
            "css_yellows": "f1c40f",
            "css_oranges": "b35e14",
            "css_blues": "207ab6",
            "css_reds": "de2f1b",
            "css_border_color": "E0E0E0",
            "css_graph_color": "3498db",
            "css_link_color": "207ab6",
            "css_no_data": "b3bac5",
            "favicon_logo": small_logo("favicon"),
            "transactional_logo": large_logo("transactional"),
            "hero_cover": large_logo("hero"),
            "email_logo": large_logo("email"),
            "twitter_logo": small_logo("twitter"),
        }

    # Generation: components and groups

    def _component_id(self, page: _Page, row: int) -> str:
        return _ident(self.seed, page.index, "component-id", row)

    def _component(self, page: _Page, row: int) -> _Component:
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
            status = self._status_now(page, row)
            position = offset + 1 if group is not None else page.layout.groups + offset + 1
        description = f"{self._component_name(page, row)} for all customers"
        return _Component(
            id=self._component_id(page, row),
            group_index=group,
            is_group=is_group,
            name=self._component_name(page, row),
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

    def _status_now(self, page: _Page, row: int) -> str:
        """The component's status at the epoch, the end of its generated timeline."""
        return status_at(self._resolved(page).segments.get(row, ()), EPOCH_MS)

    def _component_name(self, page: _Page, row: int) -> str:
        return page.layout.row_name(row, _GROUPS, _SERVICES)

    def _display_name(self, page: _Page, row: int) -> str:
        """Name in affected_components: members are prefixed by their group.

        See (docs/apis/statuspage.md, "Record shapes").
        """
        group, offset = page.layout.locate(row)
        name = self._component_name(page, row)
        return f"{cycled(_GROUPS, group)} - {name}" if group is not None and offset >= 0 else name

    def _group_id_of(self, page: _Page, component: _Component) -> str | None:
        if component.group_index is None or component.is_group:
            return None
        return self._component_id(page, page.layout.group_row(component.group_index))

    def _component_v1(self, page: _Page, c: _Component) -> Record:
        return {
            "id": c.id,
            "page_id": page.id,
            "group_id": self._group_id_of(page, c),
            "created_at": utc_s(c.created_ms),
            "updated_at": utc_s(c.updated_ms),
            "group": c.is_group,
            "name": c.name,
            "description": c.description,
            "position": c.position,
            "status": c.status,
            "showcase": c.showcase,
            "only_show_if_degraded": False,
            "automation_email": c.automation_email,
            "start_date": c.start_date,
        }

    def _component_v2(self, page: _Page, c: _Component) -> Record:
        status = c.status
        members: list[str] = []
        if c.is_group and c.group_index is not None:
            rows = page.layout.member_rows(c.group_index)
            members = [self._component_id(page, row) for row in rows]
            # A v2 group row shows the worst status of its members.
            statuses = [self._component(page, row).status for row in rows]
            status = max(statuses, key=lambda s: COMPONENT_STATUSES.index(s or "operational"))
        record: Record = {
            "id": c.id,
            "name": c.name,
            "status": status,
            "created_at": local_ms(c.created_ms, page.offset_min),
            "updated_at": local_ms(c.updated_ms, page.offset_min),
            "position": c.position,
            "description": c.description,
            "showcase": c.showcase,
            "start_date": c.start_date,
            "group_id": self._group_id_of(page, c),
            "page_id": page.id,
            "group": c.is_group,
            "only_show_if_degraded": False,
        }
        if c.is_group:
            record["components"] = members
        return record

    def _component_group_v1(self, page: _Page, group: int) -> Record:
        row = page.layout.group_row(group)
        c = self._component(page, row)
        return {
            "id": c.id,
            "page_id": page.id,
            "name": c.name,
            "description": c.description,
            "components": [self._component_id(page, r) for r in page.layout.member_rows(group)],
            "position": c.position,
            "created_at": utc_s(c.created_ms),
            "updated_at": utc_s(c.updated_ms),
        }

    # Generation: incidents

    def _incidents(self, page: _Page, start: int, stop: int) -> list[_Incident]:
        with self._lock:
            added = self._overrides.added[page.index]
            extra = self._overrides.extra_updates
            result = []
            for position in range(start, stop):
                if position < len(added):
                    incident = added[position]
                else:
                    incident = self._base_incident(page, position - len(added))
                if incident.id in extra:
                    incident = replace(
                        incident, updates=incident.updates + tuple(extra[incident.id])
                    )
                result.append(incident)
            return result

    def _resolved(self, page: _Page) -> _Resolved:
        """Every generated incident of the page with its component transitions, made once."""
        with self._lock:
            resolved = self._resolved_pages.get(page.index)
            if resolved is None:
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
                resolved = _Resolved(incidents, segments)
                self._resolved_pages[page.index] = resolved
            return resolved

    def _base_incident(self, page: _Page, row: int) -> _Incident:
        return self._resolved(page).incidents[row]

    def _incident_shape(self, page: _Page, row: int) -> tuple[tuple[int, ...], bool]:
        """(components it picks itself, whether it lasts many hours) of incident `row`."""
        rng = Rng(self.seed, page.index, "incident-shape", row)
        return page.layout.pick_leaves(rng, 0, 4), rng.chance(0.25)

    def _incident_rows(self, page: _Page, row: int) -> tuple[tuple[int, ...], bool]:
        """Its own picks, and often one of the next older incident's when that one lasts long:
        two incidents then hold one component at once (the second value says so)."""
        rows, _ = self._incident_shape(page, row)
        if row + 1 >= page.spec.incidents:
            return rows, False
        older_rows, older_is_long = self._incident_shape(page, row + 1)
        rng = Rng(self.seed, page.index, "incident-overlap", row)
        if older_rows and older_is_long and rng.chance(0.6):
            return tuple(sorted({*rows, rng.pick(older_rows)})), True
        return rows, False

    def _draft_incident(self, page: _Page, row: int) -> tuple[_Incident, list[Step]]:
        """Incident `row` without its transitions, and the steps that make them."""
        rng = Rng(self.seed, page.index, "incident", row)
        # Newest first: row 0 is the most recent, and every row stays before the epoch.
        created = newest_first_ms(rng, row, page.spec.incidents, min_step=MINUTE, max_step=6 * HOUR)
        limit = EPOCH_MS - MINUTE
        incident_id = self._base_incident_id(page, row)
        rows, overlaps = self._incident_rows(page, row)
        _, is_long = self._incident_shape(page, row)
        subject = self._component_name(page, rows[0]) if rows else "all services"
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
        if overlaps:
            # Mostly worse than the long incident it overlaps: a major outage over a partial one.
            impact = rng.pick(("minor", "major", "critical", "critical"))
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
            stretch = rng.between(4, 12)
            gaps = [b - a for a, b in zip([created, *times], times, strict=False)]
            times = fit(created, [gap * stretch for gap in gaps], limit)
        updates, steps = [], []
        for n, (status, at) in enumerate(zip(statuses, times, strict=True)):
            hold = broken
            if status == "resolved":
                hold = "operational"
            elif status == "investigating" and broken == "major_outage" and rng.chance(0.4):
                hold = "partial_outage"  # escalated to a major outage by the next update
            elif status == "monitoring" and rng.chance(0.5):
                hold = "degraded_performance"  # a fix is out: recovering
            listed = () if not rows or (n == 0 and rng.chance(0.3)) else rows
            if listed:
                steps.append(Step(at, (row, n), incident_id, listed, hold))
            updates.append(
                _Update(
                    id=_ident(self.seed, page.index, "update", row, n),
                    status=status,
                    body=_UPDATE_BODIES[status],
                    at_ms=at,
                    affected=None,
                    deliver_notifications=rng.chance(0.9),
                )
            )
        resolved = times[-1] if statuses[-1] == "resolved" else None
        postmortem = None
        if resolved is not None and resolved + 3 * DAY < limit and rng.chance(0.2):
            published = resolved + rng.between(1 * DAY, 3 * DAY)
            postmortem = _Postmortem(
                body=f"##### Issue\n{subject} was degraded.\n\n##### Resolution\nWe rolled back.",
                published_ms=published,
                last_updated_ms=published - rng.below(HOUR),
                notified_subscribers=rng.chance(0.5),
                notified_twitter=False,
            )
        override = rng.pick(("minor", "major", "critical")) if rng.chance(0.15) else None
        incident = _Incident(
            id=incident_id,
            name=rng.pick(_INCIDENT_TITLES).format(subject),
            impact=impact,
            impact_override=override,
            created_ms=created,
            started_ms=created - (rng.below(30) * MINUTE if rng.chance(0.3) else 0),
            component_rows=rows,
            updates=tuple(updates),
            metadata={"jira": {"issue_id": f"OPS-{rng.between(100, 9999)}"}}
            if rng.chance(0.2)
            else {},
            shortlink=f"https://stspg.io/{_ident(self.seed, page.index, 'shortlink', row)}",
            maintenance=None,
            postmortem=postmortem,
            postmortem_ignored=postmortem is None and rng.chance(0.3),
        )
        return incident, steps

    def _maintenance(
        self,
        page: _Page,
        rng: Rng,
        *,
        incident_id: str,
        row: int,
        created: int,
        rows: tuple[int, ...],
        subject: str,
        recent: bool,
    ) -> tuple[_Incident, list[Step]]:
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
            gaps = [0, rng.between(HOUR, 10 * DAY)]
            gaps += [rng.between(30 * MINUTE, 3 * HOUR) for _ in statuses[2:]]
            times = fit(created, gaps, limit)
            scheduled_for = times[1]
            scheduled_until = times[-1]
        # What the maintenance holds on its components after each update; None lists them as is.
        holds: dict[str, str | None] = {
            "scheduled": None,
            "in_progress": "under_maintenance",
            "verifying": "under_maintenance",
            "completed": "operational",
        }
        updates = tuple(
            _Update(
                id=_ident(self.seed, page.index, "update", row, n),
                status=status,
                body=_UPDATE_BODIES[status],
                at_ms=at,
                affected=None,
                deliver_notifications=True,
            )
            for n, (status, at) in enumerate(zip(statuses, times, strict=True))
        )
        steps = [
            Step(at, (row, n), incident_id, rows, holds[status])
            for n, (status, at) in enumerate(zip(statuses, times, strict=True))
            if rows
        ]
        remind = rng.chance(0.5)
        reminded = scheduled_for - HOUR if remind and scheduled_for - HOUR < limit else None
        incident = _Incident(
            id=incident_id,
            name=rng.pick(_MAINTENANCE_TITLES).format(subject),
            impact="maintenance",
            impact_override=None,
            created_ms=created,
            started_ms=scheduled_for,
            component_rows=rows,
            updates=updates,
            metadata={},
            shortlink=f"https://stspg.io/{_ident(self.seed, page.index, 'shortlink', row)}",
            maintenance=_Maintenance(
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

    def _new_incident(self, page: _Page, number: int, at_ms: int) -> _Incident:
        rng = Rng(self.seed, page.index, "added-incident", number)
        rows = page.layout.pick_leaves(rng, 1, 2)
        subject = self._component_name(page, rows[0]) if rows else "all services"
        update = _Update(
            id=_ident(self.seed, page.index, "added-update", number),
            status="investigating",
            body=_UPDATE_BODIES["investigating"],
            at_ms=at_ms,
            # Added after the generated history: each component moves on from its status now.
            affected=tuple(
                (r, old, max(old, "degraded_performance", key=SEVERITY.__getitem__))
                for r in rows
                for old in [self._status_now(page, r)]
            )
            or None,
            deliver_notifications=True,
        )
        return _Incident(
            id=_ident(self.seed, page.index, "added-incident-id", number),
            name=rng.pick(_INCIDENT_TITLES).format(subject),
            impact="minor",
            impact_override=None,
            created_ms=at_ms,
            started_ms=at_ms,
            component_rows=rows,
            updates=(update,),
            metadata={},
            shortlink=f"https://stspg.io/{_ident(self.seed, page.index, 'added-link', number)}",
            maintenance=None,
            postmortem=None,
            postmortem_ignored=False,
        )

    def _affected(self, page: _Page, update: _Update) -> list[Record] | None:
        if update.affected is None:
            return None
        return [
            {
                "code": self._component_id(page, row),
                "name": self._display_name(page, row),
                "old_status": old,
                "new_status": new,
            }
            for row, old, new in update.affected
        ]

    def _tweet_id(self, page: _Page, update: _Update) -> int | None:
        """A 19-digit tweet id on about a third of the updates, an integer as public pages send."""
        rng = Rng(self.seed, page.index, "tweet", update.id)
        return 1_000_000_000_000_000_000 + rng.below(10**18) if rng.chance(0.35) else None

    def _tweet_id_v1(self, page: _Page, update: _Update) -> int | str | None:
        """The v1 spec types tweet_id as a string: every other page sends it as one."""
        tweet_id = self._tweet_id(page, update)
        return str(tweet_id) if tweet_id is not None and page.index % 2 else tweet_id

    def _tweeted_ms(self, page: _Page, update: _Update) -> int | None:
        return None if self._tweet_id(page, update) is None else update.at_ms + 2 * SECOND

    def _incident_v1(self, page: _Page, inc: _Incident) -> Record:
        m, pm = inc.maintenance, inc.postmortem
        return {
            "id": inc.id,
            "components": [
                self._component_v1(page, self._component(page, r)) for r in inc.component_rows
            ],
            "created_at": utc_s(inc.created_ms),
            "impact": inc.impact,
            "impact_override": inc.impact_override,
            "incident_updates": [
                {
                    "id": u.id,
                    "incident_id": inc.id,
                    "affected_components": self._affected(page, u),
                    "body": u.body,
                    "created_at": utc_ms(u.at_ms),
                    "custom_tweet": None,
                    "deliver_notifications": u.deliver_notifications,
                    "display_at": utc_ms(u.at_ms),
                    "status": u.status,
                    "tweet_id": self._tweet_id_v1(page, u),
                    "twitter_updated_at": utc_ms(self._tweeted_ms(page, u)),
                    "updated_at": utc_ms(u.at_ms),
                    "wants_twitter_update": self._tweet_id(page, u) is not None,
                }
                for u in reversed(inc.updates)
            ],
            "metadata": {key: dict(value) for key, value in inc.metadata.items()},
            "monitoring_at": utc_s(inc.first_at("monitoring")),
            "name": inc.name,
            "page_id": page.id,
            "postmortem_body": pm.body if pm else None,
            "postmortem_body_last_updated_at": utc_s(pm.last_updated_ms) if pm else None,
            "postmortem_ignored": inc.postmortem_ignored,
            "postmortem_notified_subscribers": pm.notified_subscribers if pm else False,
            "postmortem_notified_twitter": pm.notified_twitter if pm else False,
            "postmortem_published_at": utc_s(pm.published_ms) if pm else None,
            "resolved_at": utc_s(inc.first_at("resolved", "completed")),
            "scheduled_auto_completed": m.auto_completed if m else False,
            "scheduled_auto_in_progress": m.auto_in_progress if m else False,
            "scheduled_for": utc_s(m.scheduled_for_ms) if m else None,
            "auto_transition_deliver_notifications_at_end": m.notify_at_end if m else None,
            "auto_transition_deliver_notifications_at_start": m.notify_at_start if m else None,
            "auto_transition_to_maintenance_state": m.to_maintenance_state if m else None,
            "auto_transition_to_operational_state": m.to_operational_state if m else None,
            "scheduled_remind_prior": m.remind_prior if m else False,
            "scheduled_reminded_at": utc_s(m.reminded_ms) if m else None,
            "scheduled_until": utc_s(m.scheduled_until_ms) if m else None,
            "shortlink": inc.shortlink,
            "started_at": utc_s(inc.started_ms),
            "status": inc.status,
            "updated_at": utc_s(inc.updated_ms),
            "reminder_intervals": "[3, 6, 12, 24]" if m and m.remind_prior else None,
        }

    def _incident_v2(self, page: _Page, inc: _Incident) -> Record:
        offset = page.offset_min
        record: Record = {
            "id": inc.id,
            "name": inc.name,
            "status": inc.status,
            "created_at": local_ms(inc.created_ms, offset),
            "updated_at": local_ms(inc.updated_ms, offset),
            "monitoring_at": local_ms(inc.first_at("monitoring"), offset),
            "resolved_at": local_ms(inc.first_at("resolved", "completed"), offset),
            "impact": inc.impact,
            "shortlink": inc.shortlink,
            "started_at": local_ms(inc.started_ms, offset),
            "page_id": page.id,
            "incident_updates": [
                {
                    "id": u.id,
                    "status": u.status,
                    "body": u.body,
                    "incident_id": inc.id,
                    "created_at": local_ms(u.at_ms, offset),
                    "updated_at": local_ms(u.at_ms, offset),
                    "display_at": local_ms(u.at_ms, offset),
                    "affected_components": self._affected(page, u),
                    "deliver_notifications": u.deliver_notifications,
                    "custom_tweet": None,
                    "tweet_id": self._tweet_id(page, u),
                }
                for u in reversed(inc.updates)
            ],
            "components": [
                self._component_v2(page, self._component(page, r)) for r in inc.component_rows
            ],
        }
        if inc.maintenance is not None:
            record["scheduled_for"] = local_ms(inc.maintenance.scheduled_for_ms, offset)
            record["scheduled_until"] = local_ms(inc.maintenance.scheduled_until_ms, offset)
        return record

    # Generation: the other lists

    def _person(self, rng: Rng, number: int, domain: str) -> tuple[str, str, str]:
        first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
        local = f"{first}.{last}".lower().replace(" ", "")
        return first, last, f"{local}{number}@{domain}"

    def _subscriber(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "subscriber", row)
        mode, state = page.subscriber_slots[row % len(page.subscriber_slots)]
        created = oldest_first_ms(rng, row, page.spec.subscribers)
        _, _, email = self._person(rng, row, "example.com")
        area, line = rng.pick(_AREA_CODES), rng.between(100, 199)
        quarantined = created + rng.between(1, 300) * DAY if state == "quarantined" else None
        if quarantined is not None:
            quarantined = min(quarantined, EPOCH_MS - DAY)
        record: Record = {
            "id": _ident(self.seed, page.index, "subscriber-id", row),
            "skip_confirmation_notification": rng.chance(0.1),
            "mode": mode,
            "email": email if mode in ("email", "webhook") else None,
            "endpoint": None,
            "phone_number": f"{area}-555-0{line}" if mode == "sms" else None,
            "phone_country": "US" if mode == "sms" else None,
            "display_phone_number": f"+1 ({area}) 555-0{line}" if mode == "sms" else None,
            "obfuscated_channel_name": f"#*******{rng.hex(2)}" if mode == "slack" else None,
            "workspace_name": page.name if mode == "slack" else None,
            "quarantined_at": utc_s(quarantined),
            "purge_at": utc_s(None if quarantined is None else quarantined + 30 * DAY),
            "components": [self._component_id(page, r) for r in page.layout.pick_leaves(rng, 0, 3)],
            "page_access_user_id": None,
            "created_at": utc_s(created),
        }
        if mode == "webhook":
            record["endpoint"] = f"https://hooks.example.net/statuspage/{rng.hex(24)}"
        elif mode == "teams":
            record["endpoint"] = f"https://example.webhook.office.com/webhookb2/{rng.hex(32)}"
        elif mode == "integration_partner":
            record["endpoint"] = f"https://partner.example.org/notify/{rng.hex(16)}"
        return record

    def _template(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "template", row)
        rows = page.layout.pick_leaves(rng, 0, 3)
        subject = self._component_name(page, rows[0]) if rows else "all services"
        maintenance = rng.chance(0.3)
        status = (
            rng.pick(("scheduled", "in_progress", "completed"))
            if maintenance
            else rng.pick(("investigating", "identified", "monitoring", "resolved"))
        )
        title = rng.pick(_MAINTENANCE_TITLES if maintenance else _INCIDENT_TITLES).format(subject)
        return {
            "id": _ident(self.seed, page.index, "template-id", row),
            "components": [self._component_v1(page, self._component(page, r)) for r in rows],
            "name": f"{title} ({status})",
            "title": title,
            "body": _UPDATE_BODIES[status],
            "group_id": _ident(self.seed, page.index, "template-group", row % 3)
            if rng.chance(0.5)
            else None,
            "update_status": status,
            "should_tweet": False,
            "should_send_notifications": rng.chance(0.8),
        }

    def _metrics_provider(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "metrics-provider", row)
        kind, base_uri = _PROVIDERS[row % len(_PROVIDERS)]
        created = page.created_ms + rng.below(200 * DAY) // SECOND * SECOND
        return {
            "id": _ident(self.seed, page.index, "metrics-provider-id", row),
            "type": kind,
            "disabled": rng.chance(0.2),
            "metric_base_uri": base_uri,
            "last_revalidated_at": utc_s(EPOCH_MS - rng.below(7 * DAY)),
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(300 * DAY)),
            "page_id": page.id,
        }

    def _metric(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "metric", row)
        provider = row % page.spec.metrics_providers
        created = page.created_ms + rng.below(300 * DAY) // SECOND * SECOND
        kind = row % len(_METRIC_NAMES)
        recent = utc_s(EPOCH_MS - rng.below(HOUR))
        return {
            "id": _ident(self.seed, page.index, "metric-id", row),
            "metrics_provider_id": _ident(self.seed, page.index, "metrics-provider-id", provider),
            "metric_identifier": rng.hex(32),
            "name": cycled(_METRIC_NAMES, row),
            "display": rng.chance(0.8),
            "tooltip_description": None if rng.chance(0.5) else "Measured every minute",
            "backfilled": rng.chance(0.5),
            "y_axis_min": 0.0,
            "y_axis_max": None if rng.chance(0.5) else float(rng.between(1, 1000)),
            "y_axis_hidden": False,
            "suffix": _METRIC_SUFFIXES[kind],
            "decimal_places": rng.between(0, 3),
            "most_recent_data_at": recent,
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(300 * DAY)),
            "last_fetched_at": recent,
            "backfill_percentage": rng.between(0, 100),
            "reference_name": cycled(_METRIC_NAMES, row).lower().replace(" ", "_"),
        }

    def _access_groups_of(self, page: _Page, user: int) -> list[int]:
        """Page access user `user` belongs to one group, except every third user."""
        groups = page.spec.page_access_groups
        return [user % groups] if groups and user % 3 != 2 else []

    def _page_access_user(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "page-access-user", row)
        created = page.created_ms + rng.below(400 * DAY) // SECOND * SECOND
        _, _, email = self._person(rng, row, f"customer{page.index}.example.org")
        groups = [
            _ident(self.seed, page.index, "page-access-group-id", group)
            for group in self._access_groups_of(page, row)
        ]
        return {
            "id": _ident(self.seed, page.index, "page-access-user-id", row),
            "page_id": page.id,
            "email": email,
            "external_login": None if rng.chance(0.6) else f"uid-{rng.hex(10)}",
            "page_access_group_id": groups[0] if groups else None,
            "page_access_group_ids": groups,
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(100 * DAY)),
        }

    def _page_access_group(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "page-access-group", row)
        created = page.created_ms + rng.below(400 * DAY) // SECOND * SECOND
        users = range(row, page.spec.page_access_users, page.spec.page_access_groups)
        metrics = rng.distinct(page.spec.metrics, rng.between(0, 2))
        return {
            "id": _ident(self.seed, page.index, "page-access-group-id", row),
            "page_id": page.id,
            "name": f"Customer tier {row + 1}",
            "page_access_user_ids": [
                _ident(self.seed, page.index, "page-access-user-id", user)
                for user in users
                if self._access_groups_of(page, user)
            ],
            "external_identifier": None if rng.chance(0.5) else f"idp-group-{row + 1}",
            "metric_ids": [_ident(self.seed, page.index, "metric-id", m) for m in metrics],
            "component_ids": [
                self._component_id(page, r) for r in page.layout.pick_leaves(rng, 1, 4)
            ],
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(100 * DAY)),
        }

    def _user(self, index: int) -> Record:
        rng = Rng(self.seed, "user", index)
        first, last, email = self._person(rng, index, "example.com")
        created = EPOCH_MS - 3 * YEAR + rng.below(2 * YEAR) // SECOND * SECOND
        return {
            "id": _ident(self.seed, "user-id", index),
            "organization_id": self.organization_id,
            "email": email,
            "first_name": first,
            "last_name": last,
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(300 * DAY)),
        }


def _uptime_range(
    start: str | None, end: str | None, today: date, component_start: date
) -> tuple[date, date] | str:
    """(first, last day) an uptime request asks for, with the API's defaults, or why it is
    refused (docs/apis/statuspage.md, "Component uptime")."""
    try:
        last = date.fromisoformat(end) if end else today
        first = date.fromisoformat(start) if start else None
    except ValueError:
        return "start and end must be dates (YYYY-MM-DD)"
    if first is None:
        first = max(component_start, last - timedelta(days=90))
    if first > last:
        return "start must not be after end"
    if first < date(1970, 1, 1):
        return "start must not be before 1970-01-01"
    if last >= add_months(first, MAX_RANGE_MONTHS):
        return "The range may span at most 6 calendar months"
    return first, last


def _component_start(component: _Component) -> date:
    """Where a component's uptime begins: its start date, else the day it was created (UTC)."""
    return date.fromisoformat(component.start_date or utc_date(component.created_ms))


def _is_open_incident(incident: _Incident) -> bool:
    return incident.maintenance is None and incident.status not in ("resolved", "postmortem")


def _is_upcoming_maintenance(incident: _Incident) -> bool:
    return incident.maintenance is not None and incident.status == "scheduled"


def _is_active_maintenance(incident: _Incident) -> bool:
    return incident.maintenance is not None and incident.status in ("in_progress", "verifying")


def _is_open_maintenance(incident: _Incident) -> bool:
    return _is_upcoming_maintenance(incident) or _is_active_maintenance(incident)


# Mounts


def _window(query: Mapping[str, str], size_param: str, *, first_page: int) -> tuple[int, int]:
    """(start row, size) of a page-numbered request; size default 100, clamped to 1..100.

    See (docs/apis/statuspage.md, "Page and per_page").
    """
    return page_window(
        query,
        size_param,
        default_size=MAX_PAGE_SIZE,
        max_size=MAX_PAGE_SIZE,
        first_page=first_page,
    )


# v1 list path segment -> (stream, paging style) (docs/apis/statuspage.md, "Pagination")
_V1_LISTS: Mapping[str, tuple[str, str]] = {
    "component-groups": ("component_groups", "A"),
    "components": ("components", "A"),
    "metrics": ("metrics", "A"),
    "page_access_users": ("page_access_users", "A"),
    "page_access_groups": ("page_access_groups", "A"),
    "incidents": ("incidents", "B"),
    "subscribers": ("subscribers", "C"),
    "incident_templates": ("incident_templates", "D"),
    "metrics_providers": ("metrics_providers", "E"),
}
_PAGE_ROUTE = re.compile(r"^/pages/([^/]+)(?:/([^/]+))?$")
_UPTIME_ROUTE = re.compile(r"^/pages/([^/]+)/components/([^/]+)/uptime$")
_USERS_ROUTE = re.compile(r"^/organizations/([^/]+)/users$")
_PUBLIC_ROUTE = re.compile(r"^/([^/]+)/api/v2/(.+)$")


class StatuspageManageApi:
    """The manage API v1 under /statuspage/v1 (docs/apis/statuspage.md, "Base URLs")."""

    name = "statuspage"
    prefix = "/statuspage/v1"

    def __init__(self, data: StatuspageData) -> None:
        self.data = data

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams:
        return self.data.ground_truth_manage(readable_only)

    def handle(self, request: Request) -> Response:
        if not self._authenticated(request):
            return Response.message(401, "Could not authenticate")
        if request.method != "GET":
            return Response.message(405, "The sandbox serves read endpoints only")
        # The docs also show the older ".json" suffix form (docs/apis/statuspage.md, "Base URLs").
        return self._route(request.path.removesuffix(".json"), request.query)

    def _authenticated(self, request: Request) -> bool:
        expected = self.data.api_key
        header = request.headers.get("authorization", "")
        return header == f"OAuth {expected}" or request.query.get("api_key") == expected

    def _route(self, path: str, query: Mapping[str, str]) -> Response:
        if path == "/pages":
            return Response.json(200, [self.data.page_v1(i) for i in range(len(self.data.specs))])
        users = _USERS_ROUTE.match(path)
        if users and users.group(1) == self.data.organization_id:
            start, size = _window(query, "per_page", first_page=1)
            return Response.json(200, self.data.users_v1(start, start + size))
        uptime = _UPTIME_ROUTE.match(path)
        if uptime is not None:
            return self._uptime(uptime.group(1), uptime.group(2), query)
        scoped = _PAGE_ROUTE.match(path)
        index = None if scoped is None else self.data.find_page(scoped.group(1))
        if scoped is None or index is None:
            return Response.message(404, NOT_FOUND)
        return self._page_scoped(index, scoped.group(2), query)

    def _uptime(self, page_id: str, component_id: str, query: Mapping[str, str]) -> Response:
        index = self.data.find_page(page_id)
        if index is None:
            return Response.message(404, NOT_FOUND)
        denied = self.data.access_status(index)
        if denied is not None:
            return Response.message(denied, _ACCESS_MESSAGES[denied])
        status, body = self.data.component_uptime(
            index, component_id, query.get("start"), query.get("end")
        )
        return Response.json(status, body)

    def _page_scoped(self, index: int, segment: str | None, query: Mapping[str, str]) -> Response:
        denied = self.data.access_status(index)
        if denied is not None:
            return Response.message(denied, _ACCESS_MESSAGES[denied])
        if segment is None:
            return Response.json(200, self.data.page_v1(index))
        if segment not in _V1_LISTS:
            return Response.message(404, NOT_FOUND)
        return self._list(index, segment, query)

    def _list(self, index: int, segment: str, query: Mapping[str, str]) -> Response:
        stream, style = _V1_LISTS[segment]
        if style == "C":
            state, type_ = query.get("state", "active"), query.get("type")
            if state not in (*SUBSCRIBER_STATES, "all") or type_ not in (None, *SUBSCRIBER_TYPES):
                return Response.message(422, "Unprocessable entity")
            start, size = _window(query, "limit", first_page=0)
            return Response.json(200, self.data.subscribers(index, state, type_, start, size))
        if style == "E":
            start, size = 0, self.data.count(index, stream)
        else:
            size_param = "limit" if style == "B" else "per_page"
            start, size = _window(query, size_param, first_page=1)
        return Response.json(200, self.data.records(index, stream, start, start + size))


class StatuspagePublicApi:
    """The public Status API v2 of every page under /statuspage-public/<subdomain>/api/v2.

    See (docs/apis/statuspage.md, "Public Status API v2").
    """

    name = "statuspage-public"
    prefix = "/statuspage-public"

    def __init__(self, data: StatuspageData) -> None:
        self.data = data

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams:
        del readable_only  # v2 serves every page; access errors are a v1 feature
        return self.data.ground_truth_public()

    def handle(self, request: Request) -> Response:
        route = _PUBLIC_ROUTE.match(request.path)
        index = None if route is None else self.data.find_subdomain(route.group(1))
        if route is None or index is None:
            return Response.message(404, NOT_FOUND)
        if request.method != "GET":
            return Response.message(405, "The public API is read-only")
        broken = broken_public_source(self.data.specs[index].public_source)
        if broken is not None:
            return broken
        payload = self.data.public_payload(index, route.group(2))
        if payload is None:
            return Response.message(404, NOT_FOUND)
        return Response.json(200, payload)


def statuspage_mounts(data: StatuspageData) -> list[StatuspageManageApi | StatuspagePublicApi]:
    return [StatuspageManageApi(data), StatuspagePublicApi(data)]
