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
is computed when it is served. `InstatusData` joins four parts, one per role: the skeleton
(`sandbox.instatus_skeleton`: presets, models, generation), the runtime changes
(`sandbox.instatus_changes`), the rendering as served (`sandbox.instatus_render`) and the ground
truth (`sandbox.instatus_truth`). Only the incidents and maintenances added or touched at runtime
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
Incidents come in bursts (hours apart, days between bursts) reaching back at least 270 days
before the epoch. About three in ten completed maintenances overrun their window, two end early.

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
from collections.abc import Mapping, Sequence
from datetime import datetime
from http import HTTPStatus

from sandbox.generate import label_hex, page_window
from sandbox.instatus_changes import InstatusChanges
from sandbox.instatus_render import LEAK_MARKER, InstatusRender
from sandbox.instatus_skeleton import SIZE_PRESETS, STREAMS, InstatusPageSpec, InstatusSkeleton
from sandbox.instatus_truth import SITE_KEYS, flatten_teammate, ground_truth, trim_sites
from sandbox.lookups import preset
from sandbox.server import GroundTruthStreams, Record, Request, Response, broken_public_source

__all__ = [
    "LEAK_MARKER",
    "SITE_KEYS",
    "SIZE_PRESETS",
    "STREAMS",
    "InstatusApi",
    "InstatusData",
    "InstatusPageSpec",
    "InstatusPublicApi",
    "flatten_teammate",
    "instatus_mounts",
    "trim_sites",
]

DEFAULT_PAGE_SIZE = 50
"""`per_page` when absent: a client that omits it silently reads 50 rows.

See (docs/apis/instatus.md, "Pagination").
"""
MAX_PAGE_SIZE = 100
"""Largest `per_page` (docs/apis/instatus.md, "Pagination"); larger values are clamped to it."""

UNAUTHORIZED = ("unauthorized", "API key does not belong to a user.")
FORBIDDEN = ("forbidden", "Not authorized")
NOT_FOUND = ("not_found", "Not found")


class InstatusData:
    """Seeded Instatus data: the key's user, status pages, their lists and runtime changes."""

    def __init__(
        self,
        seed: int = 1,
        pages: Sequence[InstatusPageSpec] = (InstatusPageSpec(),),
        api_key: str | None = None,
    ) -> None:
        self.seed = seed
        self.skeleton = InstatusSkeleton(seed, pages)
        self.specs = self.skeleton.specs
        key_hex = label_hex(f"instatus-key-{seed}", 8)
        self.api_key = api_key or f"sandbox-instatus-key-{key_hex}"
        self.user_id = self.skeleton.user_id
        self.changes = InstatusChanges(self.skeleton)
        self.render = InstatusRender(self.skeleton, self.changes)

    @classmethod
    def from_size(cls, seed: int = 1, size: str = "small") -> InstatusData:
        return cls(seed=seed, pages=preset(SIZE_PRESETS, size))

    # Lookups

    @property
    def page_ids(self) -> list[str]:
        return [page.id for page in self.skeleton.pages]

    @property
    def hosts(self) -> list[str]:
        """Each page's public host: its custom domain, else <subdomain>.instatus.com.

        See (docs/apis/instatus.md, "Base URLs and authentication").
        """
        return [page.host for page in self.skeleton.pages]

    def find_page(self, page_id: str) -> int | None:
        page = self.skeleton.by_id.find(page_id)
        return None if page is None else page.index

    def find_host(self, host: str) -> int | None:
        page = self.skeleton.by_host.find(host)
        return None if page is None else page.index

    def is_owner(self, page_index: int) -> bool:
        return self.specs[page_index].owner

    # Served records

    def count(self, page_index: int, stream: str) -> int:
        """Rows of a page-scoped list, by stream name (one of STREAMS)."""
        return self.changes.count(page_index, stream)

    def records(self, page_index: int, stream: str, start: int, stop: int) -> list[Record]:
        """Rows [start, stop) of a page-scoped list, rendered as the API serves them."""
        return self.render.records(page_index, stream, start, stop)

    def status_pages(self, start: int, stop: int) -> list[Record]:
        return self.render.status_pages(start, stop)

    def incident(self, page_index: int, incident_id: str) -> Record | None:
        """The single-object GET of one incident (a tap never needs it: lists embed everything)."""
        return self.render.incident(page_index, incident_id)

    def user(self) -> Record:
        return self.render.user()

    def summary(self, page_index: int) -> Record:
        """The public summary.json of a page (docs/apis/instatus.md, "Public summary")."""
        return self.render.summary(page_index)

    # Runtime changes

    def touch_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Append an update at `at` to `count` incidents, oldest untouched first; return ids.

        Generated times all precede 2026-01-01, so any later `at` becomes their `updatedAt`.
        """
        return self.changes.touch("incidents", page_id, count, at)

    def add_incidents(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` new INVESTIGATING incidents at `at`, listed first; return their ids."""
        return self.changes.add("incidents", page_id, count, at)

    def touch_maintenances(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Like `touch_incidents` for maintenances."""
        return self.changes.touch("maintenances", page_id, count, at)

    def add_maintenances(self, page_id: str, count: int, at: datetime) -> list[str]:
        """Create `count` NOTSTARTEDYET maintenances at `at`, starting a day later, listed first."""
        return self.changes.add("maintenances", page_id, count, at)

    def ground_truth(self) -> GroundTruthStreams:
        """What a correct tap emits (`sandbox.instatus_truth`)."""
        return ground_truth(self.render)


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
