"""Instatus for the sandbox: a seeded, lazy data generator and two mounts.

`InstatusApi` speaks the authenticated API under ``/instatus`` (the real paths ``/v1/...`` and
``/v2/...`` appended, base ``https://api.instatus.com``) and `InstatusPublicApi` each page's public
``summary.json`` under ``/instatus-public/<host>/summary.json``, where ``<host>`` is the page's
``customDomain`` when set, else ``<subdomain>.instatus.com`` (the subdomain host of a page with a
custom domain is unknown: 404). Both follow ``docs/apis/instatus.md``.

Served (GET only): ``/v2/pages``, ``/v1/user`` (one object), ``/v1/<page_id>/<list>`` for the lists
in `STREAMS`, ``/v2/<page_id>/subscribers`` (same rows as v1) and the single object
``/v1/<page_id>/incidents/<id>`` (a tap never needs it; it shows in the stats' request list). Auth
is ``Authorization: Bearer <api_key>``; a missing or wrong key is 401 ``unauthorized`` on every
path, a page the key's user does not own is 401 ``forbidden`` on its page-scoped paths. Lists are
bare arrays paged by ``page`` (1-based) and ``per_page`` (default 50, clamped to 100); past the end
is ``[]``. Errors, rate limits and injected faults use the envelope ``{"error": {"code",
"message"}}`` (docs/apis/instatus.md, "Errors and rate limits"). Not modelled: the incidents
``status``/``!status`` and subscribers ``search`` filters (ignored), the other single-object GETs
(404). Embedded ``updates`` are oldest first; lists are newest first for incidents and maintenances.

Every record is a pure function of (seed, page index, collection, row index): a page of any list
is computed when it is served. Only the incidents and maintenances added or touched at runtime
(`add_incidents`, `touch_incidents`, `add_maintenances`, `touch_maintenances`) live in memory.
All generated times lie before the fixed epoch 2026-01-01T00:00:00Z (only the start and end of
upcoming or running maintenances lie after it); the clock is never read.

Real payloads embed the *entire* site row, with other systems' credentials, in every
``components[]`` item of incidents and maintenances and in every embedded update
(docs/apis/instatus.md, "Secrets in nested site rows"); the sandbox also puts one on every component
list row. Each credential-like value of such a ``site`` starts with ``SANDBOX-SECRET-`` so tests can
grep a tap's output for leaks; `trim_sites` applies the taps' rule (keep ``id``, ``name``,
``subdomain``).

Size presets of `InstatusData.from_size` (exact counts; "components" include the parent rows,
whose number is "groups"; "owner" no means the key's user is a member, not the owner)::

    preset  pages      components groups incidents maint. templates team subscribers metrics
    tiny    0                   6      1         4      2         2    2           5       1
    small   0                 150      8       100     12         5    3         120       2
            1 (not owner)      20      2        10      2         3    2          15       1
            2 (domain)         12      1        15      4         0    1          30       0
    medium  0                 300      8      2000    200        40   10        3000      10
            1..104 each         8      0        12      2         1    2          20       1
    large   0                1000      8     20000   2000       200   25       50000      50
            1..4 each         200      8      3000    300        20    5        3000       5

Custom domains (``status.<subdomain>.example``): small page 2, medium pages 4, 14, .., 104 (11),
large page 3. Pages whose key user is not the owner: small page 1, medium pages 9, 19, .., 99
(10), large page 4. Rows of the seven page-scoped lists (served / readable by a correct tap):
tiny 22 / 22, small 507 / 454, medium 10344 / 9884 (its 105 status pages read as 100 + 5 with
per_page=100), large 99395 / 92865. Each incident embeds 1 to 4 updates, each maintenance 1 to 3;
each metric embeds 24 datapoints.

Ground truth (`InstatusData.ground_truth`, mount name "instatus") is what a correct tap emits:
every record as served, with `page_id` on page-scoped ones, nested ``site`` objects trimmed,
``team`` flattened, updates taken from their parent's embedded list (plus ``incident_id`` or
``maintenance_id``), one ``user`` record and one
``public_data`` record per page. Pages whose key user is not the owner appear in ``status_pages``
and ``public_data`` only: a correct tap cannot read their lists, so the ground truth is always
the readable one (``readable_only`` is implied and the flag is ignored).

A page's public host can be broken (`InstatusPageSpec.public_source`): "html" answers a web page,
"unreachable" closes the connection unanswered, "error" answers 503 to every try. Such a page has
no ``public_data`` record in the ground truth; its other records are unaffected.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from http import HTTPStatus
from typing import Any

from sandbox.generate import (
    DAY,
    EPOCH_MS,
    HOUR,
    MINUTE,
    YEAR,
    Layout,
    Rng,
    base36_id,
    cycled,
    fit,
    incident_progress,
    js_date_text,
    label_hex,
    newest_first_ms,
    oldest_first_ms,
    page_window,
    to_ms,
    touch_order,
    utc_ms,
)
from sandbox.server import GroundTruthStreams, Record, Request, Response, broken_public_source

DEFAULT_PAGE_SIZE = 50
"""`per_page` when absent: a client that omits it silently reads 50 rows.

See (docs/apis/instatus.md, "Pagination").
"""
MAX_PAGE_SIZE = 100
"""Largest `per_page` (docs/apis/instatus.md, "Pagination"); larger values are clamped to it."""
RECENT_INCIDENTS = 5
"""Only the newest generated incidents may be unresolved, so summary scans stay short."""
RECENT_MAINTENANCES = 2
"""Only the newest generated maintenances may be upcoming or in progress."""
DATAPOINTS = 24
"""Datapoints embedded in each metric, ten minutes apart, the last one before the epoch."""
SITE_KEYS = ("id", "name", "subdomain")
"""The fields a nested `site` object keeps in a tap's output (docs/design.md, "Records")."""
LEAK_MARKER = "SANDBOX-SECRET-"
"""The start of every credential-like value inside a `site` object; never in a tap's output."""
PUBLIC_HOST_SUFFIX = ".instatus.com"

COMPONENT_STATUSES = (
    "OPERATIONAL",
    "UNDERMAINTENANCE",
    "DEGRADEDPERFORMANCE",
    "PARTIALOUTAGE",
    "MAJOROUTAGE",
)
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
_SERVICES = (
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
_GROUPS = ("Core", "Frontend", "Infrastructure", "Integrations", "EU", "US", "APAC", "Partners")
_INCIDENT_TITLES = (
    "Elevated {} errors",
    "{} is slow",
    "{} unavailable for some users",
    "Degraded performance of {}",
    "Delays in {}",
)
_MAINTENANCE_TITLES = ("{} upgrade", "Scheduled maintenance of {}", "{} migration")
_MESSAGES = {
    "INVESTIGATING": "We are investigating.",
    "IDENTIFIED": "We have identified the issue and are working on a fix.",
    "MONITORING": "A fix has been deployed and we are monitoring the results.",
    "RESOLVED": "This incident has been resolved.",
    "NOTSTARTEDYET": "Scheduled.",
    "INPROGRESS": "The maintenance is in progress.",
    "COMPLETED": "The maintenance has been completed.",
}
_TOUCH_MESSAGE = "We are providing an additional update."
_FIRST_NAMES = ("Dana", "Alex", "Sam", "Robin", "Kim", "Jordan", "Taylor", "Morgan")
_LAST_NAMES = ("Ops", "Rivera", "Chen", "Novak", "Okafor", "Larsen", "Silva", "Kowalski")
_METRICS = (("API latency", "ms"), ("Error rate", "%"), ("Uptime", "%"), ("Queue depth", "jobs"))
_LANGUAGES = ("en", "en", "en", "de", "fr")
_SUBSCRIBER_KINDS = ("email",) * 7 + ("sms", "webhook", "slack", "discord")

UNAUTHORIZED = ("unauthorized", "API key does not belong to a user.")
FORBIDDEN = ("forbidden", "Not authorized")
NOT_FOUND = ("not_found", "Not found")


def _cuid(*key: object) -> str:
    """A cuid-style id: "c" and 24 lowercase alphanumerics, like every Instatus id.

    See (docs/apis/instatus.md, "Ids").
    """
    return "c" + base36_id(*key, length=24, digest_size=16)


def _company(index: int) -> str:
    return cycled(_COMPANIES, index)


def _subdomain(index: int) -> str:
    """Subdomains depend on the page index only, so presets can name custom domains."""
    return re.sub(r"[^a-z0-9]", "", _company(index).lower())


def _minutes(start_ms: int, end_ms: int | None) -> int | None:
    return None if end_ms is None else max(0, end_ms - start_ms) // MINUTE


def _public_duration(page: _Page, minutes: int | None) -> int | str | None:
    """summary.json's maintenance duration: a number in the spec, a string ("60") in the docs."""
    return str(minutes) if page.spec_shaped and minutes is not None else minutes


def trim_sites(value: Any) -> Any:
    """A copy of `value` whose nested sites keep only `SITE_KEYS` (docs/design.md, "Records")."""
    if isinstance(value, dict):
        return {
            key: {k: item[k] for k in SITE_KEYS if k in item}
            if key == "site" and isinstance(item, dict)
            else trim_sites(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [trim_sites(item) for item in value]
    return value


def flatten_teammate(item: Record) -> Record:
    """A raw `/team` item `{id, user: {...}}` as a tap emits it (docs/design.md, "Records")."""
    user = item["user"]
    return {
        "id": item["id"],
        "userId": user["id"],
        "name": user["name"],
        "email": user["email"],
        "avatar": user["avatar"],
    }


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
        counts = (
            self.components,
            self.incidents,
            self.maintenances,
            self.templates,
            self.team,
            self.subscribers,
            self.metrics,
            self.groups,
        )
        if min(counts) < 0:
            raise ValueError("InstatusPageSpec counts must not be negative")
        if self.components < 2 * self.groups:
            raise ValueError("each component group needs its parent row and at least one member")
        domain = self.custom_domain
        if domain is not None and not re.fullmatch(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?", domain):
            raise ValueError("custom_domain must be a lowercase host name")

    @property
    def groups(self) -> int:
        if self.component_groups is not None:
            return self.component_groups
        return min(len(_GROUPS), self.components // 10)

    @property
    def rows(self) -> int:
        """Rows of the seven page-scoped lists together."""
        return sum(getattr(self, stream) for stream in STREAMS)


def _spec(counts: str, *, owner: bool = True, domain_of: int | None = None) -> InstatusPageSpec:
    """A spec from the seven counts in the order of the docstring's table (groups derived)."""
    c, i, m, t, team, s, metrics = (int(part) for part in counts.split())
    domain = None if domain_of is None else f"status.{_subdomain(domain_of)}.example"
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
class _Page:
    index: int
    spec: InstatusPageSpec
    id: str
    name: str
    subdomain: str
    host: str
    created_ms: int
    updated_ms: int
    layout: Layout
    site: Record
    """The full site row nested in components and updates, shared: never mutate it."""

    @property
    def spec_shaped(self) -> bool:
        """Every third page answers in the documented shapes instead of the observed ones.

        Component ids instead of {id, name} objects in subscribers, Date.toString() text
        and string durations in summary.json: both kinds reach real clients.
        """
        return self.index % 3 == 2


@dataclass(frozen=True)
class _Update:
    id: str
    status: str
    message: str
    at_ms: int
    notify: bool


@dataclass(frozen=True)
class _Event:
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
    updates: tuple[_Update, ...]
    """Oldest first, as served."""

    @property
    def status(self) -> str:
        return self.updates[-1].status

    @property
    def updated_ms(self) -> int:
        return max(update.at_ms for update in self.updates)

    def first_at(self, status: str) -> int | None:
        return next((u.at_ms for u in self.updates if u.status == status), None)

    @property
    def active(self) -> bool:
        """Shown by summary.json: an unresolved incident or a not completed maintenance.

        See (docs/apis/instatus.md, "Public summary").
        """
        return self.status not in ("RESOLVED", "COMPLETED")


@dataclass
class _Overrides:
    """Runtime changes: events added per kind and page (newest first), updates appended by id."""

    added: dict[str, list[list[_Event]]] = field(default_factory=dict)
    extra_updates: dict[str, list[_Update]] = field(default_factory=dict)


class InstatusData:
    """Seeded Instatus data: the key's user, status pages, their lists and runtime changes."""

    def __init__(
        self,
        seed: int = 1,
        pages: Sequence[InstatusPageSpec] = (InstatusPageSpec(),),
        api_key: str | None = None,
    ) -> None:
        self.seed = seed
        self.specs = tuple(pages)
        key_hex = label_hex(f"instatus-key-{seed}", 8)
        self.api_key = api_key or f"sandbox-instatus-key-{key_hex}"
        self.user_id = _cuid(seed, "user-id")
        self._pages = [self._make_page(index, spec) for index, spec in enumerate(self.specs)]
        self._by_id = {page.id: page for page in self._pages}
        self._by_host = {page.host: page for page in self._pages}
        if len(self._by_host) != len(self._pages):
            raise ValueError("two pages share a public host")
        # Re-entrant: touching reads events while holding it.
        self._lock = threading.RLock()
        self._overrides = _Overrides(
            added={kind: [[] for _ in self._pages] for kind in ("incidents", "maintenances")}
        )
        self._makers: dict[str, Callable[[_Page, int], Record]] = {
            "components": self._component_row,
            "templates": self._template,
            "team": self._teammate,
            "subscribers": self._subscriber,
            "metrics": self._metric,
        }

    @classmethod
    def from_size(cls, seed: int = 1, size: str = "small") -> InstatusData:
        if size not in SIZE_PRESETS:
            raise ValueError(f"unknown size {size!r}; expected one of {sorted(SIZE_PRESETS)}")
        return cls(seed=seed, pages=SIZE_PRESETS[size])

    # Lookups

    @property
    def page_ids(self) -> list[str]:
        return [page.id for page in self._pages]

    @property
    def hosts(self) -> list[str]:
        """Each page's public host: its custom domain, else <subdomain>.instatus.com.

        See (docs/apis/instatus.md, "Base URLs and authentication").
        """
        return [page.host for page in self._pages]

    def _page(self, page_id: str) -> _Page:
        if page_id not in self._by_id:
            raise KeyError(f"unknown page id {page_id!r}")
        return self._by_id[page_id]

    def find_page(self, page_id: str) -> int | None:
        page = self._by_id.get(page_id)
        return None if page is None else page.index

    def find_host(self, host: str) -> int | None:
        page = self._by_host.get(host)
        return None if page is None else page.index

    def is_owner(self, page_index: int) -> bool:
        return self._pages[page_index].spec.owner

    # Served records

    def count(self, page_index: int, stream: str) -> int:
        """Rows of a page-scoped list, by stream name (one of STREAMS)."""
        generated = int(getattr(self._pages[page_index].spec, stream))
        if stream in ("incidents", "maintenances"):
            with self._lock:
                return len(self._overrides.added[stream][page_index]) + generated
        return generated

    def records(self, page_index: int, stream: str, start: int, stop: int) -> list[Record]:
        """Rows [start, stop) of a page-scoped list, rendered as the API serves them."""
        page = self._pages[page_index]
        stop = min(stop, self.count(page_index, stream))
        if stream in ("incidents", "maintenances"):
            return [self._event(page, event) for event in self._events(page, stream, start, stop)]
        make = self._makers[stream]
        return [make(page, row) for row in range(start, stop)]

    def status_pages(self, start: int, stop: int) -> list[Record]:
        return [self._page_record(page) for page in self._pages[start:stop]]

    def incident(self, page_index: int, incident_id: str) -> Record | None:
        """The single-object GET of one incident (a tap never needs it: lists embed everything)."""
        page = self._pages[page_index]
        with self._lock:
            for position in range(self.count(page_index, "incidents")):
                if self._event_id(page, "incidents", position) == incident_id:
                    return self._event(page, self._events(page, "incidents", position)[0])
        return None

    def user(self) -> Record:
        rng = Rng(self.seed, "user")
        first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
        return {
            "id": self.user_id,
            "email": f"{first}.{last}@{_subdomain(0)}.example".lower(),
            "name": f"{first} {last}",
            "slug": f"{first}-{last}".lower(),
            "avatar": None,
        }

    def summary(self, page_index: int) -> Record:
        """The public summary.json of a page: only active incidents and maintenances.

        See (docs/apis/instatus.md, "Public summary").
        """
        page = self._pages[page_index]
        base = f"https://{page.host}"
        when = js_date_text if page.spec_shaped else utc_ms
        incidents = self._active(page, "incidents")
        maintenances = self._active(page, "maintenances")
        return {
            "page": {"name": page.name, "url": base, "status": self._status(page)},
            "activeIncidents": [
                {
                    "id": event.id,
                    "name": event.name,
                    "started": when(event.start_ms),
                    "status": event.status,
                    "impact": event.impact,
                    "url": f"{base}/incident/{event.id}",
                    "updatedAt": when(event.updated_ms),
                }
                for event in incidents
            ],
            "activeMaintenances": [
                {
                    "id": event.id,
                    "name": event.name,
                    "start": when(event.start_ms),
                    "status": event.status,
                    "duration": _public_duration(page, _minutes(event.start_ms, event.end_ms)),
                    "url": f"{base}/maintenance/{event.id}",
                    "updatedAt": when(event.updated_ms),
                }
                for event in maintenances
            ],
        }

    # Runtime changes

    def touch_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Append an update at `at` to `count` incidents, oldest untouched first; return ids.

        Generated times all precede 2026-01-01, so any later `at` becomes their `updatedAt`.
        """
        return self._touch("incidents", page_id, count, at)

    def add_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` new INVESTIGATING incidents at `at`, listed first; return their ids."""
        return self._add("incidents", page_id, count, at)

    def touch_maintenances(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Like `touch_incidents` for maintenances."""
        return self._touch("maintenances", page_id, count, at)

    def add_maintenances(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` NOTSTARTEDYET maintenances at `at`, starting a day later, listed first."""
        return self._add("maintenances", page_id, count, at)

    def _touch(self, kind: str, page_id: str, count: int, at: datetime) -> list[str]:
        # The oldest rows are picked so that a client stopping early on `updatedAt` misses them.
        page = self._page(page_id)
        at_ms = to_ms(at)
        with self._lock:
            extra = self._overrides.extra_updates
            total = self.count(page.index, kind)
            oldest_first = [self._event_id(page, kind, p) for p in range(total - 1, -1, -1)]
            chosen = touch_order(oldest_first, extra, count)
            for event_id, position in chosen:
                status = self._events(page, kind, position)[0].status
                updates = extra.setdefault(event_id, [])
                update_id = _cuid(self.seed, page.index, "touch", event_id, len(updates))
                updates.append(_Update(update_id, status, _TOUCH_MESSAGE, at_ms, True))
        return [event_id for event_id, _ in chosen]

    def _add(self, kind: str, page_id: str, count: int, at: datetime) -> list[str]:
        page = self._page(page_id)
        at_ms = to_ms(at)
        with self._lock:
            added = self._overrides.added[kind][page.index]
            new = [self._new_event(page, kind, len(added) + n, at_ms) for n in range(count)]
            self._overrides.added[kind][page.index] = new[::-1] + added
        return [event.id for event in new]

    # Ground truth

    def ground_truth(self) -> GroundTruthStreams:
        """What a correct tap emits (module docstring): readable pages' rows, trimmed sites."""
        readable = [page for page in self._pages if page.spec.owner]
        yield "status_pages", (self._page_record(page) for page in self._pages)
        yield "components", self._scoped(readable, "components")
        yield "incidents", self._scoped(readable, "incidents")
        yield "incident_updates", self._embedded_updates(readable, "incidents")
        yield "maintenances", self._scoped(readable, "maintenances")
        yield "maintenance_updates", self._embedded_updates(readable, "maintenances")
        yield "templates", self._scoped(readable, "templates")
        yield "team", self._scoped(readable, "team")
        yield "subscribers", self._scoped(readable, "subscribers")
        yield "metrics", self._scoped(readable, "metrics")
        yield "user", iter([self.user()])
        yield (
            "public_data",
            (
                {"page_id": p.id, **self.summary(p.index)}
                for p in self._pages
                if p.spec.public_source == "ok"
            ),
        )

    def _scoped(self, pages: Iterable[_Page], stream: str) -> Iterator[Record]:
        chunk = 1000
        for page in pages:
            for start in range(0, self.count(page.index, stream), chunk):
                for record in self.records(page.index, stream, start, start + chunk):
                    row = flatten_teammate(record) if stream == "team" else trim_sites(record)
                    row["page_id"] = page.id
                    yield row

    def _embedded_updates(self, pages: Iterable[_Page], stream: str) -> Iterator[Record]:
        # A child carries its parents' keys in snake_case too (docs/design.md, "Records").
        parent_key = "incident_id" if stream == "incidents" else "maintenance_id"
        for parent in self._scoped(pages, stream):
            for update in parent["updates"]:
                yield update | {"page_id": parent["page_id"], parent_key: parent["id"]}

    # Generation: pages and the site row

    def _make_page(self, index: int, spec: InstatusPageSpec) -> _Page:
        rng = Rng(self.seed, index, "page")
        page_id = _cuid(self.seed, index, "page-id")
        name = f"{_company(index)} Status"
        subdomain = _subdomain(index)
        created = EPOCH_MS - 3 * YEAR - rng.below(180 * DAY)
        updated = EPOCH_MS - rng.below(30 * DAY)
        return _Page(
            index=index,
            spec=spec,
            id=page_id,
            name=name,
            subdomain=subdomain,
            host=spec.custom_domain or subdomain + PUBLIC_HOST_SUFFIX,
            created_ms=created,
            updated_ms=updated,
            layout=Layout(spec.components, spec.groups),
            site=self._site(
                index,
                spec,
                page_id=page_id,
                name=name,
                subdomain=subdomain,
                times=(created, updated),
            ),
        )

    def _site(
        self,
        index: int,
        spec: InstatusPageSpec,
        *,
        page_id: str,
        name: str,
        subdomain: str,
        times: tuple[int, int],
    ) -> Record:
        """The full site row real payloads nest everywhere, other systems' credentials and all."""
        rng = Rng(self.seed, index, "site")

        def secret(kind: str, length: int = 24) -> str:
            return f"{LEAK_MARKER}{kind}-{rng.hex(length)}"

        return {
            "id": page_id,
            "name": name,
            "subdomain": subdomain,
            "customDomain": spec.custom_domain,
            "mainStatus": "UP",
            "language": "en",
            "publicEmail": f"support@{subdomain}.example",
            "private": False,
            "singlePassword": None,
            "secretToBypassPrivacy": secret("bypass"),
            "secureLinkToken": secret("securelink"),
            "twilioSid": secret("twiliosid", 32),
            "twilioToken": secret("twiliotoken", 32),
            "twilioFrom": "+15550100",
            "smtpHost": "smtp.example.net",
            "smtpPort": 587,
            "smtpUser": secret("smtpuser", 12),
            "smtpPass": secret("smtppass"),
            "sesAccessKeyId": secret("sesid", 20),
            "sesSecretAccessKey": secret("ses", 40),
            "sesRegion": "eu-west-1",
            "datadogApiKey": secret("datadog", 32),
            "mailgunKey": secret("mailgun", 32),
            "mailgunDomain": f"mg.{subdomain}.example",
            "slackWebhook": secret("slack"),
            "subscribers": [
                {
                    "email": f"{LEAK_MARKER}{rng.hex(8)}@{subdomain}-customer.example",
                    "webhook": f"{LEAK_MARKER}https://hooks.example.net/{rng.hex(24)}",
                }
                for _ in range(2)
            ],
            "createdAt": utc_ms(times[0]),
            "updatedAt": utc_ms(times[1]),
        }

    def _page_record(self, page: _Page) -> Record:
        rng = Rng(self.seed, page.index, "page-record")
        has_logo = page.index % 2 == 0
        assets = f"https://assets.example.com/{page.id}"
        return {
            "id": page.id,
            "subdomain": page.subdomain,
            "name": page.name,
            "workspaceId": _cuid(self.seed, "workspace"),
            "logoUrl": f"{assets}/logo.png" if has_logo else None,
            "faviconUrl": f"{assets}/favicon.png" if has_logo else None,
            "websiteUrl": f"https://www.{page.subdomain}.example" if has_logo else None,
            "customDomain": page.spec.custom_domain,
            "publicEmail": f"support@{page.subdomain}.example" if rng.chance(0.6) else None,
            "twitter": None,
            "status": self._status(page),
            "subscribeBySms": rng.chance(0.5),
            "subscribeByDiscord": rng.chance(0.3),
            "subscribeBySlack": rng.chance(0.5),
            "sendSmsNotifications": rng.chance(0.5),
            "smsService": "twilio" if rng.chance(0.3) else None,
            "language": rng.pick(_LANGUAGES),
            "useLargeHeader": rng.chance(0.5),
            "brandColor": f"#{rng.hex(6)}",
            "okColor": "#2FCC66",
            "disruptedColor": "#FF8C00",
            "degradedColor": "#F1C40F",
            "downColor": "#E74C3C",
            "noticeColor": "#3498DB",
            "unknownColor": "#95A5A6",
            "googleAnalytics": None,
            "htmlInMeta": None,
            "htmlAboveHeader": None,
            "htmlBelowHeader": None,
            "htmlAboveFooter": None,
            "htmlBelowFooter": None,
            "htmlBelowSummary": None,
            "cssGlobal": None,
            "launchDate": None,
            "dateFormat": "MMMMMM d, yyyy",
            "dateFormatShort": "MMM yyyy",
            "timeFormat": "p",
            "onboarded": True if has_logo else None,
            "uptimeDaysDisplay": "BARS",
            "uptimeOutageDisplay": "LENGTH",
            "createdAt": utc_ms(page.created_ms),
            "updatedAt": utc_ms(page.updated_ms),
        }

    def _status(self, page: _Page) -> str:
        """UP, HASISSUES or UNDERMAINTENANCE, as summary.json shows it.

        See (docs/apis/instatus.md, "Public summary").
        """
        if self._active(page, "incidents"):
            return "HASISSUES"
        running = [m for m in self._active(page, "maintenances") if m.status == "INPROGRESS"]
        return "UNDERMAINTENANCE" if running else "UP"

    # Generation: components

    def _component_id(self, page: _Page, row: int) -> str:
        return _cuid(self.seed, page.index, "component-id", row)

    def _component_name(self, page: _Page, row: int) -> str:
        return page.layout.row_name(row, _GROUPS, _SERVICES)

    def _component(self, page: _Page, row: int) -> Record:
        """The component's own fields (no `group`, no `site`)."""
        rng = Rng(self.seed, page.index, "component", row)
        group, offset = page.layout.locate(row)
        is_parent = group is not None and offset < 0
        created = page.created_ms + rng.below(60 * DAY)
        updated = created + (rng.below(400 * DAY) if rng.chance(0.5) else 0)
        status = "OPERATIONAL"
        if not is_parent:
            roll = rng.below(100)
            status = COMPONENT_STATUSES[(roll >= 85) + (roll >= 89) + (roll >= 94) + (roll >= 98)]
        if group is None:
            order = page.layout.groups + offset + 1
        else:
            order = group + 1 if is_parent else offset + 1
        name = self._component_name(page, row)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
        translated = rng.chance(0.1)
        description = f"{name} for all customers" if rng.chance(0.3) else ""
        group_id = None if group is None or is_parent else self._parent_id(page, group)
        # Its own generator, so the fields real payloads added later change no other value.
        started = Rng(self.seed, page.index, "component-start", row)
        start_ms = created + started.below(30 * DAY) if started.chance(0.4) else None
        return {
            "id": self._component_id(page, row),
            "name": name,
            "nameTranslationId": _cuid(self.seed, page.index, "tr", row) if translated else None,
            "description": description,
            "descriptionTranslationId": None,
            "nameHtml": f"<p>{name}</p>",
            "nameHtmlTranslationId": None,
            "descriptionHtml": f"<p>{description}</p>" if description else "",
            "descriptionHtmlTranslationId": None,
            "status": status,
            "internalStatus": status,
            "order": order,
            "showUptime": not is_parent and rng.chance(0.8),
            "siteId": page.id,
            "groupId": group_id,
            "oldGroup": group_id,
            "isParent": is_parent,
            "isCollapsed": False,
            "monitorId": None,
            "isThirdParty": False,
            "thirdPartyStatus": None,
            "thirdPartyComponentId": None,
            "thirdPartyComponentServiceId": None,
            "importedFromStatuspage": False,
            "startDate": None if is_parent else utc_ms(start_ms),
            "uniqueEmail": f"{page.subdomain}-{slug}-{rng.hex(6)}@automation.instatus.com",
            "archivedAt": None,
            "createdAt": utc_ms(created),
            "updatedAt": utc_ms(updated),
            "translations": {"name": {"de": f"{name} (DE)"} if translated else None}
            | {"description": None},
        }

    def _parent_id(self, page: _Page, group: int) -> str:
        return self._component_id(page, page.layout.group_row(group))

    def _component_row(self, page: _Page, row: int) -> Record:
        """A /components row: `group` is the full parent object or null, plus the site.

        See (docs/apis/instatus.md, "Endpoints").
        """
        record = self._component(page, row)
        group, offset = page.layout.locate(row)
        parent = None
        if group is not None and offset >= 0:
            parent = self._component(page, page.layout.group_row(group))
        return record | {"group": parent, "site": page.site}

    # Generation: incidents and maintenances

    def _event_id(self, page: _Page, kind: str, position: int) -> str:
        added = self._overrides.added[kind][page.index]
        if position < len(added):
            return added[position].id
        return _cuid(self.seed, page.index, kind, "id", position - len(added))

    def _events(self, page: _Page, kind: str, start: int, stop: int | None = None) -> list[_Event]:
        with self._lock:
            added = self._overrides.added[kind][page.index]
            extra = self._overrides.extra_updates
            result = []
            for position in range(start, start + 1 if stop is None else stop):
                if position < len(added):
                    event = added[position]
                elif kind == "incidents":
                    event = self._base_incident(page, position - len(added))
                else:
                    event = self._base_maintenance(page, position - len(added))
                if event.id in extra:
                    event = replace(event, updates=event.updates + tuple(extra[event.id]))
                result.append(event)
            return result

    def _active(self, page: _Page, kind: str) -> list[_Event]:
        # Only added events and the newest few generated ones can be active.
        recent = RECENT_INCIDENTS if kind == "incidents" else RECENT_MAINTENANCES
        with self._lock:
            added = len(self._overrides.added[kind][page.index])
            window = added + min(recent, getattr(page.spec, kind))
            return [event for event in self._events(page, kind, 0, window) if event.active]

    def _subject(self, page: _Page, rows: tuple[int, ...]) -> str:
        return self._component_name(page, rows[0]) if rows else "Platform"

    def _base_incident(self, page: _Page, row: int) -> _Event:
        rng = Rng(self.seed, page.index, "incident", row)
        # Newest first: row 0 is the most recent, and every row stays before the epoch.
        created = newest_first_ms(rng, row, page.spec.incidents, min_step=MINUTE, max_step=6 * HOUR)
        rows = page.layout.pick_leaves(rng, 0, 3)
        statuses, times = incident_progress(
            rng, created, recent=row < RECENT_INCIDENTS, statuses=INCIDENT_STATUSES
        )
        updates = tuple(
            _Update(
                id=_cuid(self.seed, page.index, "incident-update", row, n),
                status=status,
                message=_MESSAGES[status],
                at_ms=at,
                notify=rng.chance(0.8),
            )
            for n, (status, at) in enumerate(zip(statuses, times, strict=True))
        )
        return _Event(
            kind="incidents",
            id=_cuid(self.seed, page.index, "incidents", "id", row),
            name=rng.pick(_INCIDENT_TITLES).format(self._subject(page, rows)),
            impact=rng.pick(
                ("DEGRADEDPERFORMANCE", "PARTIALOUTAGE", "PARTIALOUTAGE", "MAJOROUTAGE")
            ),
            created_ms=created,
            start_ms=created - (rng.below(30) * MINUTE if rng.chance(0.3) else 0),
            end_ms=None,
            component_rows=rows,
            updates=updates,
        )

    def _base_maintenance(self, page: _Page, row: int) -> _Event:
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
            gaps = [0, rng.between(HOUR, 5 * DAY), rng.between(30 * MINUTE, 4 * HOUR)]
            times = fit(created, gaps, limit)
            start, end = times[1], times[2]
        rows = page.layout.pick_leaves(rng, 1, 3)
        updates = tuple(
            _Update(
                id=_cuid(self.seed, page.index, "maintenance-update", row, n),
                status=status,
                message=_MESSAGES[status],
                at_ms=at,
                notify=True,
            )
            for n, (status, at) in enumerate(zip(statuses, times, strict=True))
        )
        return _Event(
            kind="maintenances",
            id=_cuid(self.seed, page.index, "maintenances", "id", row),
            name=rng.pick(_MAINTENANCE_TITLES).format(self._subject(page, rows)),
            impact="UNDERMAINTENANCE",
            created_ms=created,
            start_ms=start,
            end_ms=end,
            component_rows=rows,
            updates=updates,
        )

    def _new_event(self, page: _Page, kind: str, number: int, at_ms: int) -> _Event:
        rng = Rng(self.seed, page.index, "added", kind, number)
        rows = page.layout.pick_leaves(rng, 1, 2)
        status = "INVESTIGATING" if kind == "incidents" else "NOTSTARTEDYET"
        update_id = _cuid(self.seed, page.index, "added-update", kind, number)
        titles = _INCIDENT_TITLES if kind == "incidents" else _MAINTENANCE_TITLES
        maintenance = kind == "maintenances"
        return _Event(
            kind=kind,
            id=_cuid(self.seed, page.index, "added-id", kind, number),
            name=rng.pick(titles).format(self._subject(page, rows)),
            impact="UNDERMAINTENANCE" if maintenance else "PARTIALOUTAGE",
            created_ms=at_ms,
            start_ms=at_ms + DAY if maintenance else at_ms,
            end_ms=at_ms + DAY + 2 * HOUR if maintenance else None,
            component_rows=rows,
            updates=(_Update(update_id, status, _MESSAGES[status], at_ms, True),),
        )

    def _event(self, page: _Page, event: _Event) -> Record:
        incident = event.kind == "incidents"
        rng = Rng(self.seed, page.index, "event-record", event.id)
        components = [self._component(page, r) | {"site": page.site} for r in event.component_rows]
        resolved = event.first_at("RESOLVED" if incident else "COMPLETED")
        common: Record = {
            "id": event.id,
            "name": event.name,
            "nameTranslationId": None,
            "status": event.status,
            "impact": event.impact,
        }
        if incident:
            specific: Record = {
                "started": utc_ms(event.start_ms),
                "resolved": utc_ms(resolved),
                "duration": _minutes(event.start_ms, resolved),
                "notify": rng.chance(0.8),
                "visibilityState": "PUBLISHED",
                "createdByType": "WORKSPACEMEMBER",
                "automated": None,
                "appId": None,
                "createdByWorkspaceMemberId": None,
                "createdByMonitorLogId": None,
                "createdByThirdPartyMonitorId": None,
                "assignedWorkspaceMemberId": None,
                "subscribersNotified": True,
                "isMigratedToOutageDurations": True,
            }
        else:
            early = rng.chance(0.4)
            specific = {
                "start": utc_ms(event.start_ms),
                "end": utc_ms(event.end_ms),
                "duration": _minutes(event.start_ms, event.end_ms),
                "resolved": utc_ms(resolved),
                "notifyStart": rng.chance(0.7),
                "notifyEnd": rng.chance(0.7),
                "notifyEarly": early,
                "notifyMinutes": 60 if early else None,
                "notifyEarlySent": early and event.start_ms - HOUR < EPOCH_MS,
                "autoStart": rng.chance(0.7),
                "autoEnd": rng.chance(0.7),
            }
        return (
            common
            | specific
            | {
                "siteId": page.id,
                "importedFromStatuspage": False,
                "createdAt": utc_ms(event.created_ms),
                "updatedAt": utc_ms(event.updated_ms),
                "translations": {"name": None},
                "updates": self._updates(page, event),
                "components": components,
            }
        )

    def _updates(self, page: _Page, event: _Event) -> list[Record]:
        parent_key = "incidentId" if event.kind == "incidents" else "maintenanceId"
        rendered = []
        for n, update in enumerate(event.updates):
            ended = event.updates[n + 1].at_ms if n + 1 < len(event.updates) else None
            rendered.append(
                {
                    "id": update.id,
                    parent_key: event.id,
                    "status": update.status,
                    "message": update.message,
                    "messageHtml": f"<p>{update.message}</p>",
                    "messageTranslationId": None,
                    "messageHtmlTranslationId": None,
                    "importedFromStatuspage": False,
                    "notify": update.notify,
                    "started": utc_ms(update.at_ms),
                    "ended": utc_ms(ended),
                    "duration": _minutes(update.at_ms, ended),
                    "createdAt": utc_ms(update.at_ms),
                    # Ending an update (the next one arrives) changes it.
                    "updatedAt": utc_ms(update.at_ms if ended is None else ended),
                    "translations": {"message": None},
                    "site": page.site,
                }
            )
        return rendered

    # Generation: the other lists

    def _template(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "template", row)
        template_id = _cuid(self.seed, page.index, "template-id", row)
        rows = page.layout.pick_leaves(rng, 0, 2)
        maintenance = rng.chance(0.3)
        status = rng.pick(MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES)
        title = rng.pick(_MAINTENANCE_TITLES if maintenance else _INCIDENT_TITLES)
        name = title.format(self._subject(page, rows))
        return {
            "id": template_id,
            "type": "MAINTENANCE" if maintenance else "INCIDENT",
            "label": f"{name} ({status.lower()})",
            "name": name,
            "nameTranslationId": None,
            "message": _MESSAGES[status],
            "messageHtml": f"<p>{_MESSAGES[status]}</p>",
            "messageTranslationId": None,
            "messageHtmlTranslationId": None,
            "status": status,
            "notify": rng.chance(0.8),
            "origin": rng.pick(("MANUAL", "MANUAL", "INTEGRATION", "MONITOR")),
            "siteId": page.id,
            "importedFromStatuspage": False,
            "deletedAt": None,
            "createdAt": utc_ms(page.created_ms + rng.below(700 * DAY)),
            "components": [
                {
                    "id": _cuid(self.seed, page.index, "template-component", row, r),
                    "status": rng.pick(COMPONENT_STATUSES[1:]),
                    "componentId": self._component_id(page, r),
                    "templateId": template_id,
                    "importedFromStatuspage": False,
                }
                for r in rows
            ],
            "translations": {"name": None, "message": None},
        }

    def _teammate(self, page: _Page, row: int) -> Record:
        """A raw /team item `{id, user}`; the key's user is the first teammate it owns.

        See (docs/apis/instatus.md, "Endpoints").
        """
        if row == 0 and page.spec.owner:
            user = self.user()
        else:
            rng = Rng(self.seed, page.index, "teammate", row)
            first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
            user = {
                "id": _cuid(self.seed, page.index, "teammate-user", row),
                "name": f"{first} {last}",
                "email": f"{first}.{last}{row}@{page.subdomain}.example".lower(),
                "avatar": f"https://avatars.example.com/{rng.hex(16)}.png"
                if rng.chance(0.4)
                else None,
            }
        return {
            "id": _cuid(self.seed, page.index, "teammate-id", row),
            "user": {key: user[key] for key in ("id", "name", "email", "avatar")},
        }

    def _subscriber(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "subscriber", row)
        kind = rng.pick(_SUBSCRIBER_KINDS)
        first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
        email = f"{first}.{last}{row}@example.com".lower()
        created = oldest_first_ms(rng, row, page.spec.subscribers)
        everything = rng.chance(0.5)
        picks = () if everything else page.layout.pick_leaves(rng, 1, 3)
        return {
            "id": _cuid(self.seed, page.index, "subscriber-id", row),
            "name": f"{first} {last}" if rng.chance(0.3) else None,
            "email": email if kind in ("email", "webhook") else None,
            "phone": f"+1415555{rng.between(0, 9999):04d}" if kind == "sms" else None,
            "confirmed": rng.chance(0.85),
            "all": everything,
            "language": rng.pick(_LANGUAGES),
            "siteId": page.id,
            "webhook": f"https://hooks.example.net/instatus/{rng.hex(24)}"
            if kind == "webhook"
            else None,
            "webhookEmail": email if kind == "webhook" else None,
            "webhookHeaders": None,
            "slack": f"https://hooks.slack.example/services/{rng.hex(24)}"
            if kind == "slack"
            else None,
            "slackTeam": page.name if kind == "slack" else None,
            "discord": f"https://discord.example/api/webhooks/{rng.hex(24)}"
            if kind == "discord"
            else None,
            "googleChatWebhook": None,
            "unsubscribeToken": rng.hex(32),
            "failedAttempts": rng.below(3) if kind != "email" else 0,
            "approved": True,
            "createdAt": utc_ms(created),
            "updatedAt": utc_ms(created + rng.below(DAY)),
            "discordTeam": page.name if kind == "discord" else None,
            "company": None,
            "microsoftTeamsWebhook": None,
            "googleChatSpace": None,
            "importedFromStatuspage": False,
            "hideUnsubLink": False,
            "webhookIncidentBody": None,
            "webhookMaintenanceBody": None,
            "webhookComponentBody": None,
            "webhookHttpMethod": "POST",
            "webhookQueryParams": None,
            "components": [
                self._component_id(page, r)
                if page.spec_shaped
                else {"id": self._component_id(page, r), "name": self._component_name(page, r)}
                for r in picks
            ],
        }

    def _metric(self, page: _Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "metric", row)
        suffix = _METRICS[row % len(_METRICS)][1]
        last = EPOCH_MS - HOUR - rng.below(HOUR) // MINUTE * MINUTE
        stamps = [last - (DATAPOINTS - 1 - n) * 10 * MINUTE for n in range(DATAPOINTS)]
        scale = 1000 if suffix in ("ms", "jobs") else 100
        return {
            "id": _cuid(self.seed, page.index, "metric-id", row),
            "name": cycled([metric for metric, _ in _METRICS], row),
            "nameTranslationId": None,
            "active": rng.chance(0.8),
            "order": row + 1,
            "suffix": suffix,
            "siteId": page.id,
            "lastDataAt": stamps[-1],
            "data": [{"timestamp": stamp, "value": rng.below(scale * 10) / 10} for stamp in stamps],
        }


# Mounts


def _error(status: int, code_and_message: tuple[str, str]) -> Response:
    code, message = code_and_message
    return Response.json(status, {"error": {"code": code, "message": message}})


def _error_body(status: int, message: str) -> object:
    """The Instatus error envelope for the server's rate limits and injected faults.

    See (docs/apis/instatus.md, "Errors and rate limits").
    """
    if status in (420, 429):
        return {"error": {"code": "rate_limited", "message": "Too many requests"}}
    try:
        code = HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        code = "error"
    return {"error": {"code": code, "message": message}}


def _window(query: Mapping[str, str]) -> tuple[int, int]:
    """(start row, size) of `page` (1-based) and `per_page` (default 50, clamped to 1..100).

    See (docs/apis/instatus.md, "Pagination").
    """
    return page_window(
        query,
        "per_page",
        default_size=DEFAULT_PAGE_SIZE,
        max_size=MAX_PAGE_SIZE,
        first_page=1,
    )


_SCOPED_ROUTE = re.compile(r"^/(v1|v2)/([^/]+)/([a-z]+)(?:/([^/]+))?$")
_PUBLIC_ROUTE = re.compile(r"^/([^/]+)/summary\.json$")


class InstatusApi:
    """The authenticated API under /instatus; the real paths are appended as they are.

    See (docs/apis/instatus.md, "Base URLs and authentication").
    """

    name = "instatus"
    prefix = "/instatus"

    def __init__(self, data: InstatusData) -> None:
        self.data = data

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams:
        # Non-owner pages' lists are refused (docs/apis/instatus.md, "Owner-only pages")
        del readable_only
        return self.data.ground_truth()

    def error_body(self, status: int, message: str) -> object:
        return _error_body(status, message)

    def handle(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {self.data.api_key}":
            return _error(401, UNAUTHORIZED)
        if request.method != "GET":
            return _error(405, ("method_not_allowed", "The sandbox serves read endpoints only"))
        return self._route(request.path, request.query)

    def _route(self, path: str, query: Mapping[str, str]) -> Response:
        if path == "/v2/pages":
            start, size = _window(query)
            return Response.json(200, self.data.status_pages(start, start + size))
        if path == "/v1/user":
            return Response.json(200, self.data.user())
        scoped = _SCOPED_ROUTE.match(path)
        index = None if scoped is None else self.data.find_page(scoped.group(2))
        if scoped is None or index is None:
            return _error(404, NOT_FOUND)
        if not self.data.is_owner(index):
            # The key's user is a member, not the owner (docs/apis/instatus.md, "Owner-only pages").
            return _error(401, FORBIDDEN)
        version, _, segment, item = scoped.groups()
        return self._page_scoped(index, (version, segment), item, query)

    def _page_scoped(
        self, index: int, route: tuple[str, str], item: str | None, query: Mapping[str, str]
    ) -> Response:
        version, segment = route
        if item is not None:
            # Of the single-object GETs only this one is served; a tap never needs it.
            record = self.data.incident(index, item) if route == ("v1", "incidents") else None
            return _error(404, NOT_FOUND) if record is None else Response.json(200, record)
        # Subscribers on v2 and v1, the rest v1 (docs/apis/instatus.md, "v1 and v2 paths").
        if segment not in STREAMS or (version == "v2" and segment != "subscribers"):
            return _error(404, NOT_FOUND)
        start, size = _window(query)
        return Response.json(200, self.data.records(index, segment, start, start + size))


class InstatusPublicApi:
    """Each page's public summary.json under /instatus-public/<host>/summary.json, no auth.

    See (docs/apis/instatus.md, "Public summary").
    """

    name = "instatus-public"
    prefix = "/instatus-public"
    public = True

    def __init__(self, data: InstatusData) -> None:
        self.data = data

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams:
        # A tap reads summary.json as its `public_data` stream: that truth is under "instatus".
        del readable_only
        yield from ()

    def error_body(self, status: int, message: str) -> object:
        return _error_body(status, message)

    def handle(self, request: Request) -> Response:
        route = _PUBLIC_ROUTE.match(request.path)
        index = None if route is None else self.data.find_host(route.group(1))
        if route is None or index is None:
            return _error(404, NOT_FOUND)
        if request.method != "GET":
            return _error(405, ("method_not_allowed", "The public summary is read-only"))
        broken = broken_public_source(self.data.specs[index].public_source)
        return broken or Response.json(200, self.data.summary(index))


def instatus_mounts(data: InstatusData) -> list[InstatusApi | InstatusPublicApi]:
    return [InstatusApi(data), InstatusPublicApi(data)]
