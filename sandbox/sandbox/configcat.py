"""ConfigCat Public Management API for the sandbox: a seeded data generator, a mount, ground truth.

`ConfigCatApi` serves ``/configcat/v1/...`` and ``/configcat/v2/...`` as described in
``docs/apis/configcat.md``; a tap's ``api_url`` is
``Sandbox.configcat_api_url`` (``<server>/configcat``).

Every record is a pure function of the seed and the indices of its parents, rendered when served;
only the skeleton (ids, names, the times of audit log entries) is built up front, and only audit
log entries added at runtime (`ConfigCatData.add_audit_logs`) change it. `ConfigCatData` joins one
part per role: the skeleton (`sandbox.configcat_skeleton`), the runtime changes
(`sandbox.configcat_changes`), the rendering as served (`sandbox.configcat_render`,
`sandbox.configcat_flags`, `sandbox.configcat_audit`) and the ground truth
(`sandbox.configcat_truth`). Times are relative to
`ConfigCatData.now` (default 2026-10-01T00:00:00Z, a constructor argument); the clock is never read.
Timestamps are ISO-8601 UTC with trimmed milliseconds like .NET writes them
(``2026-05-02T14:03:11.52Z``, ``2026-05-02T14:03:11Z``): parse them defensively.

API as served
=============

- Auth (docs/apis/configcat.md, "Base URL and authentication"): HTTP Basic
  ``base64(username:password)`` with `ConfigCatData.username` / `ConfigCatData.password`; missing or
  wrong -> 401 ``{"code": 401, "message": "Unauthorized"}`` plus ``WWW-Authenticate: Basic``. Only
  GET is served (405 otherwise).
- Every response under ``/configcat`` (401, 404, 429 and injected faults included) carries
  ``X-Rate-Limit-Remaining`` (requests left in the server's configured `RateLimit` window, or
  `UNLIMITED_REMAINING` without one) and ``X-Rate-Limit-Reset`` (Unix epoch seconds, rounded up,
  when the oldest counted request leaves the window; the current time when none is counted or no
  limit is set; the real format is unconfirmed) (docs/apis/configcat.md, "Rate limits"). Over the
  limit: 429 with ``Retry-After`` in seconds, from the generic server.
- Unpaginated bare arrays (docs/apis/configcat.md, "Pagination"): ``/v1/organizations``,
  ``/v1/organizations/{O}/members`` (deprecated v1 list), ``/v1/organizations/{O}/invitations``,
  ``/v1/products``,
  ``/v1/products/{P}/environments|configs|tags|segments|permissions|webhooks|members|invitations``,
  ``/v1/configs/{C}/settings``, ``/v1/configs/{C}/deleted-settings``. Paging parameters are ignored.
- Objects: ``/v1/me``; ``/v2/organizations/{O}/members`` ``{admins, billingManagers, members}``
  (the credential's owner is an admin, a billing manager and, as a product member, a member of
  every organization);
  ``/v1/products/{P}/integrations`` ``{integrations}``; ``/v1/products/{P}/preferences``;
  ``/v1/products/{P}/staleflags`` (query ``scope`` all|watchedByMe, ``staleFlagAgeDays`` 7..90
  default 30, ``staleFlagStaleInEnvironmentsType`` staleInAnyEnvironments (default) |
  staleInAllEnvironments, ``ignoredEnvironmentIds``, ``ignoredTagIds``; invalid values -> 400;
  the server keeps only the last of repeated query parameters, so one id of each ignore list
  counts; only configs holding a stale flag are listed); single items ``/v1/products/{P}``,
  ``/v1/configs/{C}``, ``/v1/environments/{E}``, ``/v1/tags/{T}``, ``/v1/segments/{S}`` (adds the
  segment rule), ``/v1/settings/{S}``, ``/v1/webhooks/{W}``, ``/v1/permissions/{G}``,
  ``/v1/integrations/{I}``.
- Setting values: ``/v1/configs/{C}/environments/{E}/values`` ``{config, environment, readOnly,
  settingValues, featureFlagLimitations}`` only for ``evaluationVersion`` v1 configs and
  ``/v2/configs/{C}/environments/{E}/values`` ``{config, environment, readOnly, settingFormulas,
  featureFlagLimitations}`` only for v2 configs; the other combination answers 400 with a message
  (a tap that routes wrong is caught). E outside C's product -> 404.
- Audit logs (docs/apis/configcat.md, "Audit logs"): ``/v2/products/{P}/auditlogs`` and
  ``/v2/organizations/{O}/auditlogs`` (optional ``productId``) page with ``pageNumber`` (>= 1,
  default 1) and ``pageSize`` (1..100, default 100); out of range -> 400. Response ``{paging:
  {currentPage, totalPages, pageSize, totalCount, hasPrevious, hasNext}, data}``, entries newest
  first (ties by ``auditLogId`` descending). Window ``fromUtcDateTime`` .. ``toUtcDateTime``, both
  inclusive, ISO-8601 (no offset means UTC; a literal ``+`` must be sent as ``%2B``): neither -> the
  7 days before `now`; only ``from`` -> up to `now`; only ``to`` -> the 7 days before it; ``to -
  from`` over 30 days (30 days exactly is fine) or ``from > to`` or an unparsable time -> 400
  ``{"message": ...}``. Filters ``configId``, ``environmentId``, ``auditLogType`` (an enum value of
  `AUDIT_LOG_TYPE_ENUM`, else 400). The deprecated ``/v1/products/{P}/auditlogs`` takes the same
  window and filters but answers a bare array holding only the newest 100 entries: since 2026-06-01
  it is redirected to V2 with default paging (docs/apis/configcat.md, "Pagination"), i.e. silently
  truncated.
- Secrets served raw, which a tap must never request (each call shows in `Sandbox.stats`, see
  `SECRET_PATH`): ``/v1/configs/{C}/environments/{E}`` ``{primary, secondary}`` SDK keys and
  ``/v1/webhooks/{W}/keys`` ``{key1, key2}`` signing keys. Every generated secret (these,
  secure webhook header values, integration parameters) contains `SECRET_MARKER`.
- Unknown ids and paths -> 404 ``{"message": ...}``. The server's faults, latency and rate limit
  apply to all these paths.

Ground truth (``Sandbox.ground_truth("configcat")``): what a correct tap emits
==============================================================================

Records keep the API's field names and nesting (``product``/``organization`` objects included).
Parent keys are added where the API record lacks them: every record below a product carries
``productId``, every record below a config also ``configId``, and below a config x environment
also ``environmentId`` (docs/design.md, "Records"). Streams, in this order:

- ``organizations``: ``/v1/organizations`` items. PK organizationId.
- ``organization_members``: the ``admins``, ``billingManagers`` and ``members`` lists of
  ``/v2/organizations/{O}/members`` flattened in that order, each item plus ``organizationId`` and
  ``role`` ("admin", "billingManager", "member"). PK (organizationId, userId, role).
- ``organization_invitations``: ``/v1/organizations/{O}/invitations`` items plus
  ``organizationId``. PK invitationId.
- ``products``: ``/v1/products`` items as served. PK productId.
- ``product_members``: ``/v1/products/{P}/members`` items (they hold ``productId``).
  PK (productId, userId).
- ``product_invitations``: ``/v1/products/{P}/invitations`` items plus ``productId``.
  PK invitationId (the same ids appear in ``organization_invitations``).
- ``environments``, ``configs``, ``tags``, ``segments`` (list model), ``permission_groups``
  (``/permissions``): items plus ``productId``. PKs environmentId, configId, tagId,
  segmentId, permissionGroupId.
- ``webhooks``: items plus ``productId``; in ``webHookHeaders`` every item with
  ``isSecure: true`` has its ``value`` replaced by ``"***"``. Signing keys are never read.
  PK webhookId.
- ``integrations``: the ``integrations`` list plus ``productId``; every value of ``parameters``
  is replaced by ``"***"`` (keys kept). PK integrationId.
- ``settings``: ``/v1/configs/{C}/settings`` items (they hold ``configId``) plus ``productId``.
  PK settingId.
- ``deleted_settings``: ``/v1/configs/{C}/deleted-settings`` items plus ``configId`` and
  ``productId``. PK (configId, key); keys are unique per config here.
- ``stale_flags``: the ``/v1/products/{P}/staleflags`` report with default parameters, one record
  per ``configs[].settings[]`` item plus ``productId`` and ``configId`` (the config's other
  fields and the report's ``environments`` are dropped). PK (productId, settingId).
- ``setting_values``: per config, per environment of its product (both in list order), per item
  of the values endpoint the config's ``evaluationVersion`` selects: the ``settingValues[]`` item
  (v1) or the ``settingFormulas[]`` item (v2), plus ``productId``, ``configId``,
  ``environmentId``, ``settingId`` (= ``setting.settingId``) and ``evaluationVersion``; a v1
  item's polymorphic ``value`` also as JSON text in ``value_json`` (``true``, ``42``,
  ``"text"``). PK (configId, environmentId, settingId).
- ``audit_logs``: every entry of each product (earliest generated through `now`, plus any added
  ones), per product newest first, plus ``productId``. PK auditLogId; replication key
  ``auditLogDateTime``. A tap reads them in <= 30-day windows and pages of up to 100, so compare
  them by key.

Size presets of `ConfigCatData.from_size` (exact counts)
=======================================================

Per product: organization, environments, v1 configs, v2 configs, settings per config, deleted
settings per config, tags, segments, permission groups, webhooks, integrations, members,
invitations, audit log entries, the days they span before `now`, and how many of them fall in one
two-hour burst 40 % into that span (so one 30-day window needs two pages)::

    preset  product org env v1 v2 set del tag seg grp hook intg mem inv  audit days burst
    tiny    0         0   2  1  1   4   1   2   1   2    1    1   2   1     20   10     0
    small   0         0   3  1  2   8   2   4   2   3    3    3   5   2    220  120   130
            1         0   2  1  1   5   0   2   0   2    0    0   3   0     80  100     0
            2         1   4  0  1   6   1   1   1   2    1    1   4   1      0    0     0
    medium  0         0   4  2  3  25   3   8   4   5    4    4  15   3   1500  365   400
            1..3      0   3  1  2  10   1   3   2   3    1    1   6   1    200  365     0
            4..5      1   3  1  2  10   1   3   2   3    1    1   6   1    200  365     0
            6..7      2   3  1  2  10   1   3   2   3    1    1   6   1    200  365     0
    large   0         0   8  3  7  60  10  20  10   8   10    6  50  10  20000  730  2000
            1..19  i%4    4  1  3  30   3   6   3   4    2    2  20   2   1500  730     0
    huge    0         0  10  5 15 200  20  30  10   8   10    6  90  10 200000  730  5000
            1         0   4  1  3  30   3   6   3   4    2    2  20   2   1500  730     0

Users per organization (the first is the credential's owner, in every organization; the second
is an admin only, the third a billing manager only): tiny 4, small 8, medium 20, large 60,
huge 100. Resulting ground truth record counts::

    stream                       tiny  small medium  large   huge
    organizations                   1      2      3      4      1
    organization_members            6     17     41    174     94
    organization_invitations        1      3     10     48     12
    products                        1      3      8     20      2
    product_members                 2     12     57    430    110
    product_invitations             1      3     10     48     12
    environments                    2      9     25     84     14
    configs                         2      6     26     86     24
    tags                            2      7     29    134     36
    segments                        1      3     18     67     13
    permission_groups               2      7     26     84     12
    webhooks                        1      4     11     48     12
    integrations                    1      4     11     44      8
    settings                        8     40    335   2880   4120
    deleted_settings                2      7     36    328    412
    stale_flags                     6     25    191   1516   2084
    setting_values                 16    116   1130  13920  40480
    audit_logs                     20    300   2900  48500 201500
"""

from __future__ import annotations

import base64
import binascii
import hmac
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sandbox.configcat_audit import AUDIT_LOG_TYPE_ENUM, AuditRender
from sandbox.configcat_changes import ConfigCatChanges
from sandbox.configcat_flags import STALE_DEFAULT_AGE_DAYS, FlagRender
from sandbox.configcat_render import ConfigCatRender
from sandbox.configcat_skeleton import (
    NOW,
    SECRET_MARKER,
    SIZE_PRESETS,
    Config,
    ConfigCatSkeleton,
    ProductSpec,
)
from sandbox.configcat_truth import MASK, ROLES, ConfigCatTruth
from sandbox.generate import epoch_us, label_hex, parse_time
from sandbox.lookups import preset
from sandbox.server import GroundTruthStreams, RateLimitState, Record, Request, Response

__all__ = [
    "AUDIT_LOG_TYPE_ENUM",
    "MASK",
    "NOW",
    "ROLES",
    "SECRET_MARKER",
    "SECRET_PATH",
    "SIZE_PRESETS",
    "STALE_DEFAULT_AGE_DAYS",
    "UNLIMITED_REMAINING",
    "ConfigCatApi",
    "ConfigCatData",
    "ProductSpec",
    "configcat_mounts",
]

K = TypeVar("K")

MAX_PAGE_SIZE = 100
"""Default and maximum ``pageSize`` of the paged V2 audit logs.

See (docs/apis/configcat.md, "Pagination").
"""
DEFAULT_WINDOW = timedelta(days=7)
"""Audit log window without bounds (docs/apis/configcat.md, "Audit logs")."""
MAX_WINDOW = timedelta(days=30)
"""Longest audit log window ``toUtcDateTime - fromUtcDateTime``; longer -> 400.

See (docs/apis/configcat.md, "Audit logs").
"""
V1_AUDIT_LIMIT = 100
"""The deprecated v1 audit logs answer only V2's first default page since 2026-06-01.

See (docs/apis/configcat.md, "Pagination").
"""
UNLIMITED_REMAINING = 1000
"""``X-Rate-Limit-Remaining`` when the server has no `RateLimit` configured."""
SECRET_PATH = re.compile(r"^/configcat/v1/(configs/[^/]+/environments/[^/]+|webhooks/[^/]+/keys)$")
"""Paths that serve SDK keys or webhook signing keys; a tap must never request them."""

_UNAUTHORIZED = {"code": 401, "message": "Unauthorized"}
NOT_FOUND = "Not found."


class ConfigCatData:
    """Seeded ConfigCat data: organizations, products and everything below them, audit logs."""

    def __init__(
        self,
        seed: int = 1,
        products: Sequence[ProductSpec] = (ProductSpec(),),
        *,
        organizations: int | None = None,
        users: int = 4,
        username: str | None = None,
        password: str | None = None,
        now: datetime | None = None,
    ) -> None:
        self.seed = seed
        self.skeleton = ConfigCatSkeleton(
            seed,
            products,
            organizations=organizations,
            users=users,
            now=now if now is not None else NOW,
        )
        self.specs = self.skeleton.specs
        self.organization_count = self.skeleton.organization_count
        self.users = users
        user_hex = label_hex(f"configcat-user-{seed}", 4)
        key_hex = label_hex(f"configcat-password-{seed}", 8)
        self.username = username or f"sandbox-configcat-{user_hex}"
        self.password = password or f"sandbox-configcat-secret-{key_hex}"
        self.changes = ConfigCatChanges(self.skeleton)
        self.render = ConfigCatRender(self.skeleton)
        self.flags = FlagRender(self.skeleton, self.render)
        self.audit = AuditRender(self.skeleton, self.render)
        self._truth = ConfigCatTruth(
            self.skeleton, self.changes, self.render, self.flags, self.audit
        )

    @classmethod
    def from_size(
        cls, seed: int = 1, size: str = "small", now: datetime | None = None
    ) -> ConfigCatData:
        specs, users = preset(SIZE_PRESETS, size)
        return cls(seed=seed, products=specs, users=users, now=now)

    @property
    def now(self) -> datetime:
        """The sandbox's "now" for audit logs and staleness; fixed at construction."""
        return self.skeleton.now

    @property
    def organization_ids(self) -> list[str]:
        return self.skeleton.organization_ids

    @property
    def product_ids(self) -> list[str]:
        return self.skeleton.product_ids

    def add_audit_logs(self, product_id: str, count: int, at: datetime) -> list[int]:
        """Add `count` entries at `at` to a product (ids after every existing one); their ids.

        They are served by any window holding `at` (the default window ends at `now`) and join
        the ground truth.
        """
        return self.changes.add_audit_logs(product_id, count, at)

    def ground_truth(self) -> GroundTruthStreams:
        """What a correct tap emits; the rules are in the module docstring."""
        return self._truth.ground_truth()


# The mount


def _int_query(query: Mapping[str, str], name: str, default: int, low: int, high: int) -> int | str:
    """The integer parameter, or the 400 message when it is not an integer in [low, high]."""
    raw = query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return f"The value '{raw}' is not valid for {name}."
    if not low <= value <= high:
        return f"{name} must be between {low} and {high}."
    return value


def _found(key: K | None, render: Callable[[K], object]) -> Response:
    """200 with `render(key)`, or 404 when the lookup behind `key` found nothing."""
    if key is None:
        return Response.message(404, NOT_FOUND)
    return Response.json(200, render(key))


_Handler = Callable[[tuple[str, ...], Mapping[str, str]], Response]


class ConfigCatApi:
    """The Public Management API under /configcat.

    See (docs/apis/configcat.md, "Base URL and authentication").
    """

    name = "configcat"
    prefix = "/configcat"

    def __init__(self, data: ConfigCatData) -> None:
        self.data = data
        self._credential = f"{data.username}:{data.password}".encode()
        routes: list[tuple[str, _Handler]] = [
            (r"/v1/me", lambda ids, q: Response.json(200, data.render.me())),
            (r"/v1/organizations", lambda ids, q: Response.json(200, data.render.organizations())),
            (r"/v1/organizations/([^/]+)/members", self._org_members_v1),
            (r"/v2/organizations/([^/]+)/members", self._org_members_v2),
            (r"/v1/organizations/([^/]+)/invitations", self._org_invitations),
            (r"/v2/organizations/([^/]+)/auditlogs", self._org_audit_logs),
            (r"/v1/products", lambda ids, q: Response.json(200, data.render.products())),
            (r"/v1/products/([^/]+)", self._product),
            (r"/v1/products/([^/]+)/integrations", self._integrations),
            (r"/v1/products/([^/]+)/preferences", self._preferences),
            (r"/v1/products/([^/]+)/staleflags", self._stale_flags),
            (r"/v1/products/([^/]+)/auditlogs", self._audit_logs_v1),
            (r"/v2/products/([^/]+)/auditlogs", self._audit_logs_v2),
            (r"/v1/products/([^/]+)/([a-z]+)", self._product_list),
            (r"/v1/configs/([^/]+)", self._single_config),
            (r"/v1/configs/([^/]+)/settings", self._settings),
            (r"/v1/configs/([^/]+)/deleted-settings", self._deleted_settings),
            (r"/v1/configs/([^/]+)/environments/([^/]+)", self._sdk_keys),
            (r"/(v1|v2)/configs/([^/]+)/environments/([^/]+)/values", self._values),
            (r"/v1/environments/([^/]+)", self._single_environment),
            (r"/v1/settings/([^/]+)", self._single_setting),
            (r"/v1/tags/([^/]+)", self._single_tag),
            (r"/v1/segments/([^/]+)", self._single_segment),
            (r"/v1/permissions/([^/]+)", self._single_group),
            (r"/v1/integrations/([^/]+)", self._single_integration),
            (r"/v1/webhooks/([^/]+)", self._single_webhook),
            (r"/v1/webhooks/([^/]+)/keys", self._webhook_keys),
        ]
        self._routes = [(re.compile(f"^{pattern}$"), handler) for pattern, handler in routes]

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams:
        del readable_only  # every product is readable with the sandbox credential
        return self.data.ground_truth()

    def rate_limit_headers(self, state: RateLimitState) -> tuple[tuple[str, str], ...]:
        remaining = UNLIMITED_REMAINING if state.remaining is None else state.remaining
        return (
            ("X-Rate-Limit-Remaining", str(remaining)),
            ("X-Rate-Limit-Reset", str(math.ceil(state.reset_at))),
        )

    def handle(self, request: Request) -> Response:
        if not self._authenticated(request):
            return Response.json(
                401, _UNAUTHORIZED, (("WWW-Authenticate", 'Basic realm="ConfigCat"'),)
            )
        if request.method != "GET":
            return Response.message(405, "The sandbox serves read endpoints only.")
        for pattern, handler in self._routes:
            match = pattern.match(request.path)
            if match:
                return handler(match.groups(), request.query)
        return Response.message(404, NOT_FOUND)

    def _authenticated(self, request: Request) -> bool:
        scheme, _, credential = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(credential.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return hmac.compare_digest(decoded, self._credential)

    # Lookups turning path ids into indices (None -> 404)

    def _product_index(self, product_id: str) -> int | None:
        return self.data.skeleton.find_product(product_id)

    @staticmethod
    def _int_id(text: str) -> int | None:
        return int(text) if text.isdigit() else None

    # Organizations

    def _org_members_v1(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(
            self.data.skeleton.find_organization(ids[0]), self.data.render.organization_members_v1
        )

    def _org_members_v2(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(
            self.data.skeleton.find_organization(ids[0]), self.data.render.organization_members_v2
        )

    def _org_invitations(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(
            self.data.skeleton.find_organization(ids[0]), self.data.render.organization_invitations
        )

    def _org_audit_logs(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self.data.skeleton.find_organization(ids[0])
        if index is None:
            return Response.message(404, NOT_FOUND)
        products = list(self.data.skeleton.organization_products(index))
        if "productId" in query:
            product = self.data.skeleton.find_product(query["productId"])
            if product not in products:
                return Response.message(404, NOT_FOUND)
            products = [product] if product is not None else []
        return self._audit_page(products, query)

    # Products

    def _product(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._product_index(ids[0]), self.data.render.product)

    def _product_list(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self._product_index(ids[0])
        records = None if index is None else self.data.render.product_list(index, ids[1])
        if records is None:
            return Response.message(404, NOT_FOUND)
        return Response.json(200, records)

    def _integrations(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._product_index(ids[0]), self.data.render.integrations)

    def _preferences(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._product_index(ids[0]), self.data.render.product_preferences)

    def _stale_flags(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self._product_index(ids[0])
        if index is None:
            return Response.message(404, NOT_FOUND)
        age = _int_query(query, "staleFlagAgeDays", STALE_DEFAULT_AGE_DAYS, 7, 90)
        if isinstance(age, str):
            return Response.message(400, age)
        scope = query.get("scope", "all")
        kind = query.get("staleFlagStaleInEnvironmentsType", "staleInAnyEnvironments")
        if scope not in ("all", "watchedByMe"):
            return Response.message(400, f"The value '{scope}' is not valid for scope.")
        if kind not in ("staleInAnyEnvironments", "staleInAllEnvironments"):
            return Response.message(
                400, f"The value '{kind}' is not valid for staleFlagStaleInEnvironmentsType."
            )
        ignored_tag = query.get("ignoredTagIds")
        if ignored_tag is not None and not ignored_tag.isdigit():
            return Response.message(
                400, f"The value '{ignored_tag}' is not valid for ignoredTagIds."
            )
        report = self.data.flags.stale_flags(
            index,
            age_days=age,
            all_environments=kind == "staleInAllEnvironments",
            watched_only=scope == "watchedByMe",
            ignored_environment=query.get("ignoredEnvironmentIds", "").lower() or None,
            ignored_tag=None if ignored_tag is None else int(ignored_tag),
        )
        return Response.json(200, report)

    # Audit logs

    def _audit_logs_v2(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self._product_index(ids[0])
        if index is None:
            return Response.message(404, NOT_FOUND)
        return self._audit_page([index], query)

    def _audit_logs_v1(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self._product_index(ids[0])
        if index is None:
            return Response.message(404, NOT_FOUND)
        found = self._audit_window([index], query)
        if isinstance(found, str):
            return Response.message(400, found)
        entries = found[:V1_AUDIT_LIMIT]
        return Response.json(200, [self.data.audit.record(p, at, i) for at, i, p in entries])

    def _audit_page(self, products: Sequence[int], query: Mapping[str, str]) -> Response:
        page = _int_query(query, "pageNumber", 1, 1, 2**31 - 1)
        size = _int_query(query, "pageSize", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE)
        if isinstance(page, str):
            return Response.message(400, page)
        if isinstance(size, str):
            return Response.message(400, size)
        found = self._audit_window(products, query)
        if isinstance(found, str):
            return Response.message(400, found)
        total_pages = math.ceil(len(found) / size)
        chosen = found[(page - 1) * size : page * size]
        paging = {
            "currentPage": page,
            "totalPages": total_pages,
            "pageSize": size,
            "totalCount": len(found),
            "hasPrevious": page > 1,
            "hasNext": page < total_pages,
        }
        data = [self.data.audit.record(p, at, audit_id) for at, audit_id, p in chosen]
        return Response.json(200, {"paging": paging, "data": data})

    def _audit_window(
        self, products: Sequence[int], query: Mapping[str, str]
    ) -> list[tuple[int, int, int]] | str:
        """Entries newest first in the requested window and filters, or the 400 message."""
        bounds: dict[str, datetime | None] = {}
        for name in ("fromUtcDateTime", "toUtcDateTime"):
            raw = query.get(name)
            bounds[name] = None if raw is None else parse_time(raw)
            if raw is not None and bounds[name] is None:
                return f"The value '{raw}' is not valid for {name}."
        start, end = bounds["fromUtcDateTime"], bounds["toUtcDateTime"]
        if end is None:
            end = self.data.now
        if start is None:
            start = end - DEFAULT_WINDOW
        if start > end:
            return "fromUtcDateTime must be earlier than toUtcDateTime."
        if end - start > MAX_WINDOW:
            return "The date range between fromUtcDateTime and toUtcDateTime cannot exceed 30 days."
        audit_type = query.get("auditLogType")
        if audit_type is not None and audit_type not in AUDIT_LOG_TYPE_ENUM:
            return f"The value '{audit_type}' is not valid for auditLogType."
        from_ms = -(-epoch_us(start) // 1000)
        to_ms = epoch_us(end) // 1000
        found = self.data.changes.audit_entries(products, from_ms, to_ms)
        config_id = query.get("configId")
        env_id = query.get("environmentId")
        if config_id is None and env_id is None and audit_type is None:
            return found
        config_id = None if config_id is None else config_id.lower()
        env_id = None if env_id is None else env_id.lower()
        return [
            entry
            for entry in found
            if self.data.audit.matches(entry[2], entry[1], config_id, env_id, audit_type)
        ]

    # Configs, settings, values

    def _single_config(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.skeleton.find_config(ids[0]), self.data.render.config)

    def _settings(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.skeleton.find_config(ids[0]), self.data.flags.settings)

    def _deleted_settings(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.skeleton.find_config(ids[0]), self.data.flags.deleted_settings)

    def _config_env(self, config_id: str, env_id: str) -> tuple[Config, int] | None:
        """The config and the environment's position when both exist in one product."""
        config = self.data.skeleton.find_config(config_id)
        env = self.data.skeleton.find_environment(env_id)
        if config is None or env is None or env[0] != config.product:
            return None
        return config, env[1]

    def _sdk_keys(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(
            self._config_env(ids[0], ids[1]), lambda found: self.data.flags.sdk_keys(*found)
        )

    def _values(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        version, config_id, env_id = ids
        found = self._config_env(config_id, env_id)
        if found is None:
            return Response.message(404, NOT_FOUND)
        config, env_position = found
        if config.version != version:
            return Response.message(
                400,
                f"This endpoint is only available for {version} configs; the config "
                f"{config.id} has evaluationVersion {config.version}. Use "
                f"/{config.version}/configs/{config.id}/environments/{{environmentId}}/values.",
            )
        return Response.json(200, self.data.flags.setting_values(config, env_position))

    # Single items

    def _single_environment(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(
            self.data.skeleton.find_environment(ids[0]),
            lambda env: self.data.render.environment(*env),
        )

    def _single_setting(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        setting_id = self._int_id(ids[0])
        found = None if setting_id is None else self.data.skeleton.find_setting(setting_id)
        return _found(found, lambda setting: self.data.flags.setting(*setting))

    def _positioned(self, kind: str, key: object, make: Callable[[int, int], Record]) -> Response:
        return _found(self.data.skeleton.find_item(kind, key), lambda found: make(*found))

    def _single_tag(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("tag", self._int_id(ids[0]), self.data.render.tag)

    def _single_segment(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned(
            "segment",
            ids[0].lower(),
            lambda p, s: self.data.render.segment(p, s, detail=True),
        )

    def _single_group(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("group", self._int_id(ids[0]), self.data.render.permission_group)

    def _single_integration(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("integration", ids[0].lower(), self.data.render.integration)

    def _single_webhook(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("webhook", self._int_id(ids[0]), self.data.render.webhook)

    def _webhook_keys(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned(
            "webhook", self._int_id(ids[0]), self.data.render.webhook_signing_keys
        )


def configcat_mounts(data: ConfigCatData) -> list[ConfigCatApi]:
    return [ConfigCatApi(data)]
