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
`StatuspageData` joins five parts, one per role: the skeleton (`sandbox.statuspage_skeleton`:
presets, models, generation), the runtime changes (`sandbox.statuspage_changes`), the rendering as
served (`sandbox.statuspage_render`, and `sandbox.statuspage_lists` for the lists that hold
neither components nor incidents) and the ground truth (`sandbox.statuspage_truth`).
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
Incidents come in bursts (hours apart, days between bursts) reaching back at least 270 days
before the epoch. About three in ten completed maintenances overrun their window, two end early.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime

from sandbox.generate import label_hex, page_window
from sandbox.lookups import preset
from sandbox.server import GroundTruthStreams, Record, Request, Response, broken_public_source
from sandbox.statuspage_changes import StatuspageChanges
from sandbox.statuspage_render import NOT_FOUND, StatuspageRender
from sandbox.statuspage_skeleton import (
    COMPONENT_STATUSES,
    SIZE_PRESETS,
    SUBSCRIBER_STATES,
    SUBSCRIBER_TYPES,
    TIME_ZONES,
    Component,
    PageSpec,
    StatuspageSkeleton,
    ident,
)
from sandbox.statuspage_timeline import Segment
from sandbox.statuspage_truth import (
    component_uptime_records,
    ground_truth_manage,
    ground_truth_public,
    ground_truth_uptime,
    uptime_by_component_month,
    uptime_months,
)

__all__ = [
    "COMPONENT_STATUSES",
    "SIZE_PRESETS",
    "SUBSCRIBER_STATES",
    "SUBSCRIBER_TYPES",
    "TIME_ZONES",
    "PageSpec",
    "StatuspageData",
    "StatuspageManageApi",
    "StatuspagePublicApi",
    "statuspage_mounts",
]

MAX_PAGE_SIZE = 100
"""Default and maximum page size of every paginated v1 list.

See (docs/apis/statuspage.md, "Pagination").
"""
_ACCESS_MESSAGES = {
    401: "Could not authenticate",
    403: "You are not authorized to access this resource.",
    404: NOT_FOUND,
}


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
        self.organization_id = organization_id or ident(seed, "organization")
        self.users = users
        key_hex = label_hex(f"statuspage-key-{seed}", 8)
        self.api_key = api_key or f"sandbox-statuspage-key-{key_hex}"
        self.skeleton = StatuspageSkeleton(seed, self.specs, self.organization_id, users)
        self.changes = StatuspageChanges(self.skeleton)
        self.render = StatuspageRender(self.skeleton, self.changes)

    @classmethod
    def from_size(cls, seed: int = 1, size: str = "small") -> StatuspageData:
        specs, users = preset(SIZE_PRESETS, size)
        return cls(seed=seed, pages=specs, users=users)

    # Lookups

    @property
    def page_ids(self) -> list[str]:
        return [page.id for page in self.skeleton.pages]

    @property
    def subdomains(self) -> list[str]:
        return [page.subdomain for page in self.skeleton.pages]

    def find_page(self, page_id: str) -> int | None:
        page = self.skeleton.by_id.find(page_id)
        return None if page is None else page.index

    def find_subdomain(self, subdomain: str) -> int | None:
        page = self.skeleton.by_subdomain.find(subdomain)
        return None if page is None else page.index

    def access_status(self, page_index: int) -> int | None:
        return self.specs[page_index].access_status

    # Served records

    def count(self, page_index: int, stream: str) -> int:
        """Rows of a page-scoped v1 list, by ground-truth stream name."""
        return self.changes.count(page_index, stream)

    def records(self, page_index: int, stream: str, start: int, stop: int) -> list[Record]:
        """Rows [start, stop) of a page-scoped v1 list, rendered as the API serves them."""
        return self.render.records(page_index, stream, start, stop)

    def subscribers(
        self, page_index: int, state: str, type_: str | None, start: int, size: int
    ) -> list[Record]:
        """The 0-based filtered window of /subscribers; `state` may be "all".

        See (docs/apis/statuspage.md, "Zero-based page and limit").
        """
        return self.render.lists.subscribers(page_index, state, type_, start, size)

    def page_v1(self, page_index: int) -> Record:
        return self.render.page_v1(self.skeleton.pages[page_index])

    def users_v1(self, start: int, stop: int) -> list[Record]:
        return self.render.lists.users(start, stop)

    def public_payload(self, page_index: int, endpoint: str) -> Record | None:
        """The v2 response object for `endpoint` (e.g. "summary.json"), None when unknown.

        See (docs/apis/statuspage.md, "Public Status API v2").
        """
        return self.render.public_payload(page_index, endpoint)

    # Component uptime (docs/apis/statuspage.md, "Component uptime")

    def component_uptime(
        self, page_index: int, component_id: str, start: str | None, end: str | None
    ) -> tuple[int, Record]:
        """(HTTP status, body) of GET .../components/{component_id}/uptime?start=&end=."""
        return self.render.component_uptime(page_index, component_id, start, end)

    def component_segments(self, page_index: int, component_id: str) -> list[Segment]:
        """The component's status segments, oldest first (operational before the first)."""
        page = self.skeleton.pages[page_index]
        row = self.skeleton.component_rows(page).get(component_id)
        return list(self.skeleton.resolved(page).segments.get(row, ()))

    def uptime_months(
        self, page_index: int, *, today: date | None = None, since: date | None = None
    ) -> Iterator[tuple[int, Component, date, date]]:
        """(component row, component, first day, last day) of every month a correct tap asks
        for (`sandbox.statuspage_truth.uptime_months`)."""
        return uptime_months(self.render, page_index, today=today, since=since)

    def ground_truth_uptime(
        self, *, today: Mapping[str, date] | None = None, since: date | None = None
    ) -> list[Record]:
        """What a correct tap emits for `component_uptime`, the stream a run selects explicitly:
        not in `ground_truth_manage` because it depends on the run's date, `today` (by page id;
        default each page's date at the sandbox's "now") and the `start_date` setting (`since`)."""
        return ground_truth_uptime(self.render, today=today, since=since)

    def component_uptime_records(
        self, page_index: int, *, today: date | None = None, since: date | None = None
    ) -> list[Record]:
        """The `component_uptime` records a correct tap emits for one page (see uptime_months)."""
        return component_uptime_records(self.render, page_index, today=today, since=since)

    def uptime_by_component_month(
        self, *, today: Mapping[str, date] | None = None, since: date | None = None
    ) -> list[Record]:
        """The uptime truth per page, component and month, as plain figures (for reconciling
        rebuilt uptime): seconds in major and partial outage, counted seconds, percentage."""
        return uptime_by_component_month(self.render, today=today, since=since)

    # Runtime changes

    def touch_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Append an update at `at` to `count` incidents, oldest untouched first; return their ids.

        The oldest rows are picked so that a client stopping early on `updated_at` misses them.
        Generated times all precede 2026-01-01, so any later `at` becomes their `updated_at`.
        """
        return self.changes.touch(page_id, count, at)

    def add_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` new investigating incidents at `at`, listed first; return their ids."""
        return self.changes.add(page_id, count, at)

    # Ground truth (`sandbox.statuspage_truth`)

    def ground_truth_manage(self, readable_only: bool = False) -> GroundTruthStreams:
        """What a correct tap emits in v1 mode: API records plus `page_id` where they lack it."""
        return ground_truth_manage(self.render, readable_only)

    def ground_truth_public(self) -> GroundTruthStreams:
        """What a correct tap emits in public mode (access_status does not apply to v2).

        A page whose public host is broken (`PageSpec.public_source`) emits nothing.
        """
        return ground_truth_public(self.render)


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
