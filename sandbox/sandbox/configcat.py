"""ConfigCat Public Management API for the sandbox: a seeded data generator, a mount, ground truth.

`ConfigCatApi` serves ``/configcat/v1/...`` and ``/configcat/v2/...`` as described in
``docs/apis/configcat.md``; a tap's ``api_url`` is
``Sandbox.configcat_api_url`` (``<server>/configcat``).

Every record is a pure function of the seed and the indices of its parents, rendered when served;
only the skeleton (ids, names, the times of audit log entries) is built up front, and only audit
log entries added at runtime (`ConfigCatData.add_audit_logs`) change it. Times are relative to
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
import bisect
import hmac
import json
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sandbox.generate import (
    DAY,
    HOUR,
    SECOND,
    YEAR,
    IdSequence,
    Rng,
    cycled,
    epoch_us,
    label_hex,
    parse_time,
    to_ms,
    utc_trimmed,
    uuid_id,
)
from sandbox.server import GroundTruthStreams, RateLimitState, Record, Request, Response

K = TypeVar("K")

NOW = datetime(2026, 10, 1, tzinfo=UTC)
"""Default `ConfigCatData.now`: every generated time lies before it."""
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
SECRET_MARKER = "SANDBOX-SECRET-"  # noqa: S105 - a marker inside fake secrets, not a secret
"""Part of every generated secret, so a test can prove none reached a tap's output."""
SECRET_PATH = re.compile(r"^/configcat/v1/(configs/[^/]+/environments/[^/]+|webhooks/[^/]+/keys)$")
"""Paths that serve SDK keys or webhook signing keys; a tap must never request them."""
MASK = "***"
"""What the ground truth puts in place of secure webhook header values and integration params."""
STALE_DEFAULT_AGE_DAYS = 30
"""``staleFlagAgeDays`` when absent (unconfirmed default)."""
ROLES = ("admin", "billingManager", "member")
"""``role`` of flattened organization members, one per list of the v2 members envelope."""

_MAX_ID = 2**63
_UNAUTHORIZED = {"code": 401, "message": "Unauthorized"}
NOT_FOUND = "Not found."
_FEATURE_FLAG_LIMITATIONS = {
    "maxPercentageOptionCount": 100,
    "maxTargetingRuleCount": 100,
    "maxComparisonValueLength": 65535,
    "maxComparisonValueListLength": 100,
    "maxComparisonValueListItemLength": 65535,
    "maxStringFlagValueLength": 100000,
    "maxConditionPerTargetingRuleCount": 10,
}
_PERMISSION_FLAGS = (
    "canManageMembers",
    "canCreateOrUpdateConfig",
    "canDeleteConfig",
    "canCreateOrUpdateEnvironment",
    "canDeleteEnvironment",
    "canCreateOrUpdateSetting",
    "canTagSetting",
    "canDeleteSetting",
    "canCreateOrUpdateTag",
    "canDeleteTag",
    "canManageWebhook",
    "canUseExportImport",
    "canManageProductPreferences",
    "canManageIntegrations",
    "canViewSdkKey",
    "canRotateSdkKey",
    "canCreateOrUpdateSegments",
    "canDeleteSegments",
    "canViewProductAuditLog",
    "canViewProductStatistics",
    "canDisable2FA",
)
AUDIT_LOG_TYPE_ENUM = (
    "productCreated",
    "productChanged",
    "productOwnershipTransferred",
    "productDeleted",
    "productsReordered",
    "teamMemberInvited",
    "teamMemberInvitationRevoked",
    "teamMemberJoined",
    "teamMemberPermissionGroupChanged",
    "teamMemberRemoved",
    "teamMemberLeft",
    "teamMemberInvitationChanged",
    "teamMemberInvitationResent",
    "teamMemberInvitationRejected",
    "configCreated",
    "configChanged",
    "configDeleted",
    "configsReordered",
    "environmentCreated",
    "environmentChanged",
    "environmentDeleted",
    "environmentsReordered",
    "settingCreated",
    "settingChanged",
    "settingDeleted",
    "settingsReordered",
    "settingValueChanged",
    "webHookCreated",
    "webHookChanged",
    "webHookDeleted",
    "permissionGroupCreated",
    "permissionGroupChanged",
    "permissionGroupDeleted",
    "permissionGroupDefault",
    "apiKeyAdded",
    "apiKeyRemoved",
    "integrationAdded",
    "integrationChanged",
    "integrationRemoved",
    "apiKeyConnected",
    "integrationLinkAdded",
    "integrationLinkRemoved",
    "organizationAdded",
    "organizationRemoved",
    "organizationChanged",
    "organizationSubscriptionTypeChanged",
    "organizationAdminChanged",
    "organizationAdminLeft",
    "organizationAdminDisabled2FA",
    "tagAdded",
    "tagChanged",
    "tagRemoved",
    "settingTagAdded",
    "settingTagRemoved",
    "publicApiAccessTokenAdded",
    "publicApiAccessTokenRemoved",
    "domainAdded",
    "domainVerified",
    "domainRemoved",
    "domainSamlConfigured",
    "domainSamlDeleted",
    "autoProvisioningConfigurationChanged",
    "samlIdpConfigurationAdded",
    "samlIdpConfigurationRemoved",
    "samlIdpConfigurationUpdated",
    "organizationMemberJoined",
    "organizationMemberProductJoinRequested",
    "organizationMemberProductJoinRequestRejected",
    "organizationMemberProductJoinRequestApproved",
    "codeReferencesUploaded",
    "codeReferenceDeleted",
    "codeReferenceStaleBranchDeleted",
    "segmentCreated",
    "segmentChanged",
    "segmentDeleted",
    "webhookSigningKeyDeleted",
    "webhookSigningKeyCreated",
)
"""``auditLogTypeEnum`` values the API knows (2024 spec); the generator uses some of them."""
# (enum value, display text, what it is about, weight)
_AUDIT_TYPES = (
    ("settingValueChanged", "Feature Flag value changed", "value", 40),
    ("settingCreated", "Feature Flag created", "setting", 10),
    ("settingChanged", "Feature Flag changed", "setting", 8),
    ("settingDeleted", "Feature Flag deleted", "setting", 3),
    ("settingTagAdded", "Tag added to Feature Flag", "setting", 5),
    ("configCreated", "Config created", "config", 2),
    ("configChanged", "Config changed", "config", 2),
    ("environmentCreated", "Environment created", "environment", 1),
    ("environmentChanged", "Environment changed", "environment", 1),
    ("tagAdded", "Tag created", "tag", 2),
    ("segmentCreated", "Segment created", "segment", 1),
    ("segmentChanged", "Segment changed", "segment", 2),
    ("webHookChanged", "Webhook changed", "webhook", 1),
    ("teamMemberInvited", "Team member invited", "member", 2),
    ("teamMemberJoined", "Team member joined", "member", 1),
    ("permissionGroupChanged", "Permission Group changed", "permission", 1),
    ("productChanged", "Product changed", "product", 1),
    ("integrationChanged", "Integration changed", "integration", 1),
)
_AUDIT_WEIGHT = sum(weight for *_, weight in _AUDIT_TYPES)
_REASONS = (
    "Enable for 10% of users",
    "Rollout Q3",
    "Rollback after incident",
    "Requested by product",
    "Cleanup",
    "Experiment finished",
)

_COMPANIES = ("Acme Corp", "Globex", "Initech", "Umbrella Systems", "Hooli", "Vandelay Industries")
_PRODUCTS = (
    "Web Shop",
    "Mobile App",
    "Backend Services",
    "Analytics",
    "Admin Portal",
    "Partner API",
    "Marketing Site",
    "Data Platform",
)
_ENVIRONMENTS = (
    ("Production", "#d9534f"),
    ("Staging", "#f0ad4e"),
    ("Development", "#5bc0de"),
    ("Test", "#5cb85c"),
    ("QA", "#9b59b6"),
    ("Sandbox", "#34495e"),
)
_CONFIGS = ("Main Config", "Mobile Config", "Backend Config", "Web Config", "Experiments", "Ops")
_TAG_NAMES = ("checkout", "mobile", "backend", "experiment", "ops", "beta", "marketing", "legacy")
_TAG_COLORS = ("panther", "whale", "salmon", "lizard", "canary", "koala")
_SEGMENTS = ("Beta testers", "Internal users", "EU customers", "Premium plan", "Mobile users")
_GROUPS = (
    "Administrators",
    "Read-only",
    "Developers",
    "QA",
    "Product managers",
    "Release managers",
)
# (key, name, settingType, isJson)
_SETTINGS = (
    ("isNewCheckoutEnabled", "New checkout", "boolean", False),
    ("enableDarkMode", "Dark mode", "boolean", False),
    ("welcomeMessage", "Welcome message", "string", False),
    ("maxUploadSizeMb", "Max upload size (MB)", "int", False),
    ("discountRate", "Discount rate", "double", False),
    ("isBetaProgramOpen", "Beta program", "boolean", False),
    ("searchAlgorithm", "Search algorithm", "string", False),
    ("retryLimit", "Retry limit", "int", False),
    ("enableRecommendations", "Recommendations", "boolean", False),
    ("bannerText", "Banner text", "string", False),
    ("cacheTtlSeconds", "Cache TTL (s)", "int", False),
    ("samplingRatio", "Sampling ratio", "double", False),
    ("isMaintenanceMode", "Maintenance mode", "boolean", False),
    ("useNewPaymentProvider", "New payment provider", "boolean", False),
    ("themeConfig", "Theme configuration", "string", True),
    ("showOnboardingTour", "Onboarding tour", "boolean", False),
)
_STRINGS = ("Welcome!", "Hello there", "control", "variant-a", "variant-b")
_DOUBLES = (0.05, 0.1, 0.25, 0.5, 0.75, 1.5)
_JSON_VALUES = ('{"primary":"#3366ff","rounded":true}', '{"primary":"#222222","rounded":false}')
_ATTRIBUTES = ("Email", "Country", "Identifier", "AppVersion")
_V1_COMPARATORS = ("contains", "doesNotContain", "isOneOf", "isNotOneOf")
_V2_COMPARATORS = ("containsAnyOf", "notContainsAnyOf", "isOneOf", "isNotOneOf")
_FIRST_NAMES = ("Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken")
_LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Knuth")
_INTEGRATIONS = ("dataDog", "slack", "amplitude", "mixPanel", "segment", "pubNub")


# Deterministic values


def _secret(rng: Rng, length: int = 24) -> str:
    return SECRET_MARKER + rng.hex(length)


def _env_name(position: int) -> str:
    return cycled([name for name, _ in _ENVIRONMENTS], position)


def _hint(setting: _Setting) -> str | None:
    return None if setting.position % 3 else f"Controls {setting.name.lower()}"


_VARIATION_CHOICES: Mapping[str, tuple[object, ...]] = {
    "string": ("blue", "green", "red"),
    "int": (10, 50, 100),
    "double": (0.5, 1.5),
}
"""The values a flag of each type offers as predefined variations."""


def _value_model(setting_type: str, value: object) -> Record:
    """The v2 ``ValueModel``: one typed slot set, the others null."""
    return {
        "boolValue": value if setting_type == "boolean" else None,
        "stringValue": value if setting_type == "string" else None,
        "intValue": value if setting_type == "int" else None,
        "doubleValue": value if setting_type == "double" else None,
        "predefinedVariationId": None,
    }


# Specs and presets


@dataclass(frozen=True)
class ProductSpec:
    """Row counts of one generated product; `settings` and `deleted_settings` are per config."""

    organization: int = 0
    environments: int = 2
    configs_v1: int = 1
    configs_v2: int = 1
    settings: int = 4
    deleted_settings: int = 1
    tags: int = 2
    segments: int = 1
    permission_groups: int = 2
    webhooks: int = 1
    integrations: int = 1
    members: int = 2
    """Product members: the credential's owner first, then other users of the organization."""
    invitations: int = 1
    audit_logs: int = 20
    audit_log_days: int = 10
    """The entries spread over the days before `ConfigCatData.now`."""
    audit_log_burst: int = 0
    """How many of `audit_logs` fall in one two-hour burst 40 % into the span."""

    def __post_init__(self) -> None:
        counts = (
            self.organization,
            self.environments,
            self.configs_v1,
            self.configs_v2,
            self.settings,
            self.deleted_settings,
            self.tags,
            self.segments,
            self.permission_groups,
            self.webhooks,
            self.integrations,
            self.members,
            self.invitations,
            self.audit_logs,
            self.audit_log_days,
            self.audit_log_burst,
        )
        if min(counts) < 0:
            raise ValueError("ProductSpec counts must not be negative")
        if (self.members or self.invitations) and not self.permission_groups:
            raise ValueError("members and invitations need at least one permission group")
        if self.webhooks and not (self.environments and self.configs_v1 + self.configs_v2):
            raise ValueError("webhooks need at least one config and one environment")
        if self.audit_log_burst > self.audit_logs:
            raise ValueError("audit_log_burst cannot exceed audit_logs")
        if self.audit_logs and not self.audit_log_days:
            raise ValueError("audit logs need a span of at least one day")


def _spec(counts: str) -> ProductSpec:
    """A ProductSpec from the 16 counts in the order of the module docstring's preset table."""
    values = [int(part) for part in counts.split()]
    return ProductSpec(*values)


_TYPICAL = "3 1 2 10 1 3 2 3 1 1 6 1 200 365 0"
_LARGE_TYPICAL = "4 1 3 30 3 6 3 4 2 2 20 2 1500 730 0"
SIZE_PRESETS: Mapping[str, tuple[tuple[ProductSpec, ...], int]] = {
    "tiny": ((_spec("0 2 1 1 4 1 2 1 2 1 1 2 1 20 10 0"),), 4),
    "small": (
        (
            _spec("0 3 1 2 8 2 4 2 3 3 3 5 2 220 120 130"),
            _spec("0 2 1 1 5 0 2 0 2 0 0 3 0 80 100 0"),
            _spec("1 4 0 1 6 1 1 1 2 1 1 4 1 0 0 0"),
        ),
        8,
    ),
    "medium": (
        (
            _spec("0 4 2 3 25 3 8 4 5 4 4 15 3 1500 365 400"),
            *(_spec(f"{org} {_TYPICAL}") for org in (0, 0, 0, 1, 1, 2, 2)),
        ),
        20,
    ),
    "large": (
        (
            _spec("0 8 3 7 60 10 20 10 8 10 6 50 10 20000 730 2000"),
            *(_spec(f"{index % 4} {_LARGE_TYPICAL}") for index in range(1, 20)),
        ),
        60,
    ),
    "huge": (
        (
            _spec("0 10 5 15 200 20 30 10 8 10 6 90 10 200000 730 5000"),
            _spec(f"0 {_LARGE_TYPICAL}"),
        ),
        100,
    ),
}


# Skeleton


@dataclass(frozen=True)
class _User:
    id: str
    full_name: str
    email: str
    two_factor: bool


@dataclass(frozen=True)
class _Org:
    index: int
    id: str
    name: str
    domain: str
    users: tuple[_User, ...]
    products: tuple[int, ...]


@dataclass(frozen=True)
class _Setting:
    id: int
    position: int
    key: str
    name: str
    type: str
    is_json: bool
    created_ms: int
    tags: tuple[tuple[int, int], ...]
    """(tag position in the product, settingTagId)."""
    prerequisite: int | None
    """settingId of a boolean setting of the same config this one depends on (v2 only)."""
    is_watching: bool
    has_code_references: bool


@dataclass(frozen=True)
class _Config:
    product: int
    position: int
    id: str
    name: str
    version: str
    settings: tuple[_Setting, ...]
    deleted: tuple[tuple[str, str, str], ...]
    """(key, name, settingType) of deleted settings."""
    dependents: Mapping[int, tuple[int, ...]]
    """settingId -> ids of the settings that have it as prerequisite."""


@dataclass(frozen=True)
class _Product:
    index: int
    spec: ProductSpec
    org: int
    order: int
    id: str
    name: str
    created_ms: int
    environment_ids: tuple[str, ...]
    configs: tuple[_Config, ...]
    tag_ids: tuple[int, ...]
    segment_ids: tuple[str, ...]
    group_ids: tuple[int, ...]
    webhook_ids: tuple[int, ...]
    integration_ids: tuple[str, ...]
    members: tuple[tuple[int, int], ...]
    """(user index in the organization, permission group position)."""
    invitation_ids: tuple[str, ...]


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
        self.specs = tuple(products)
        org_count = max((s.organization for s in self.specs), default=-1) + 1
        self.organization_count = org_count if organizations is None else organizations
        if org_count > self.organization_count:
            raise ValueError("a ProductSpec names an organization beyond `organizations`")
        if users < 1:
            raise ValueError("every organization needs at least its owner as user")
        for spec in self.specs:
            eligible = 1 + max(0, users - 3)
            if spec.members > eligible:
                raise ValueError(f"members={spec.members} needs more than {users} users")
        self.users = users
        user_hex = label_hex(f"configcat-user-{seed}", 4)
        key_hex = label_hex(f"configcat-password-{seed}", 8)
        self.username = username or f"sandbox-configcat-{user_hex}"
        self.password = password or f"sandbox-configcat-secret-{key_hex}"
        self._now = now if now is not None else NOW
        self._now_ms = to_ms(self._now)
        self._lock = threading.Lock()
        self._build()

    @classmethod
    def from_size(
        cls, seed: int = 1, size: str = "small", now: datetime | None = None
    ) -> ConfigCatData:
        if size not in SIZE_PRESETS:
            raise ValueError(f"unknown size {size!r}; expected one of {sorted(SIZE_PRESETS)}")
        specs, users = SIZE_PRESETS[size]
        return cls(seed=seed, products=specs, users=users, now=now)

    @property
    def now(self) -> datetime:
        """The sandbox's "now" for audit logs and staleness; fixed at construction."""
        return self._now

    # Skeleton

    def _build(self) -> None:
        seed = self.seed
        owner_rng = Rng(seed, "owner")
        first, last = owner_rng.pick(_FIRST_NAMES), owner_rng.pick(_LAST_NAMES)
        self._owner = _User(
            uuid_id(seed, "owner"), f"{first} {last}", f"{first}.{last}@example.com".lower(), True
        )
        by_org: list[list[int]] = [[] for _ in range(self.organization_count)]
        for index, spec in enumerate(self.specs):
            by_org[spec.organization].append(index)
        self._orgs = [self._make_org(index, tuple(p)) for index, p in enumerate(by_org)]
        ids = {
            name: IdSequence(seed, name, low, high, gap)
            for name, low, high, gap in (
                ("setting", 100_000_000, 900_000_000, 997),
                ("setting-tag", 1_000_000, 9_000_000, 5),
                ("tag", 1_000, 9_000, 9),
                ("group", 1_000, 9_000, 9),
                ("webhook", 10_000, 90_000, 9),
            )
        }
        self._products = [
            self._make_product(index, spec, ids) for index, spec in enumerate(self.specs)
        ]
        self._by_org_id = {org.id: org for org in self._orgs}
        self._by_product_id = {p.id: p for p in self._products}
        self._by_config_id = {c.id: c for p in self._products for c in p.configs}
        self._by_env_id = {
            env: (p.index, pos) for p in self._products for pos, env in enumerate(p.environment_ids)
        }
        self._by_setting_id = {
            s.id: (c, s) for c in self._by_config_id.values() for s in c.settings
        }

        def positions(attribute: str) -> dict[Any, tuple[int, int]]:
            return {
                item: (p.index, pos)
                for p in self._products
                for pos, item in enumerate(getattr(p, attribute))
            }

        self._by_item = {
            "tag": positions("tag_ids"),
            "segment": positions("segment_ids"),
            "group": positions("group_ids"),
            "webhook": positions("webhook_ids"),
            "integration": positions("integration_ids"),
        }
        self._build_audit_logs()

    def _make_org(self, index: int, products: tuple[int, ...]) -> _Org:
        name = cycled(_COMPANIES, index)
        domain = re.sub(r"[^a-z0-9]", "", name.lower()) + ".test"
        users = [self._owner]
        for number in range(1, self.users):
            rng = Rng(self.seed, index, "user", number)
            first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
            users.append(
                _User(
                    uuid_id(self.seed, index, "user", number),
                    f"{first} {last}",
                    f"{first}.{last}{number}@{domain}".lower(),
                    rng.chance(0.6),
                )
            )
        return _Org(index, uuid_id(self.seed, "org", index), name, domain, tuple(users), products)

    def _make_product(self, index: int, spec: ProductSpec, ids: dict[str, IdSequence]) -> _Product:
        seed = self.seed
        rng = Rng(seed, index, "product")
        org = self._orgs[spec.organization]
        versions = rng.shuffled(["v1"] * spec.configs_v1 + ["v2"] * spec.configs_v2)
        created = self._now_ms - 2 * YEAR - rng.below(YEAR) // SECOND * SECOND
        tag_ids = tuple(ids["tag"].take() for _ in range(spec.tags))
        configs = tuple(
            self._make_config(index, spec, position, version=version, created=created, ids=ids)
            for position, version in enumerate(versions)
        )
        eligible = [0, *range(3, self.users)]
        rotation = index % max(1, len(eligible) - 1)
        others = eligible[1:][rotation:] + eligible[1:][:rotation]
        member_users = ([0, *others])[: spec.members]

        def group_of(user: int) -> int:
            """The owner is in group 0 (Administrators), the others in any other group."""
            if user == 0 or spec.permission_groups < 2:
                return 0
            return 1 + rng.below(spec.permission_groups - 1)

        members = tuple((user, group_of(user)) for user in member_users)
        return _Product(
            index=index,
            spec=spec,
            org=spec.organization,
            order=org.products.index(index),
            id=uuid_id(seed, "product", index),
            name=cycled(_PRODUCTS, index),
            created_ms=created,
            environment_ids=tuple(uuid_id(seed, index, "env", e) for e in range(spec.environments)),
            configs=configs,
            tag_ids=tag_ids,
            segment_ids=tuple(uuid_id(seed, index, "segment", s) for s in range(spec.segments)),
            group_ids=tuple(ids["group"].take() for _ in range(spec.permission_groups)),
            webhook_ids=tuple(ids["webhook"].take() for _ in range(spec.webhooks)),
            integration_ids=tuple(
                uuid_id(seed, index, "integration", i) for i in range(spec.integrations)
            ),
            members=members,
            invitation_ids=tuple(
                uuid_id(seed, index, "invitation", i) for i in range(spec.invitations)
            ),
        )

    def _make_config(
        self,
        product: int,
        spec: ProductSpec,
        position: int,
        *,
        version: str,
        created: int,
        ids: dict[str, IdSequence],
    ) -> _Config:
        rng = Rng(self.seed, product, "config", position)
        settings: list[_Setting] = []
        for row in range(spec.settings):
            key, name, setting_type, is_json = _SETTINGS[row % len(_SETTINGS)]
            suffix = "" if row < len(_SETTINGS) else str(row // len(_SETTINGS) + 1)
            tag_positions = rng.distinct(spec.tags, rng.below(3))
            booleans = [s for s in settings if s.type == "boolean"]
            prerequisite = None
            if version == "v2" and booleans and rng.chance(0.25):
                prerequisite = booleans[0].id
            span = max(DAY, self._now_ms - 60 * DAY - created)
            settings.append(
                _Setting(
                    id=ids["setting"].take(),
                    position=row,
                    key=key + suffix,
                    name=name + (f" {suffix}" if suffix else ""),
                    type=setting_type,
                    is_json=is_json,
                    created_ms=created + rng.below(span),
                    tags=tuple((tag, ids["setting-tag"].take()) for tag in sorted(tag_positions)),
                    prerequisite=prerequisite,
                    is_watching=rng.chance(0.3),
                    has_code_references=rng.chance(0.5),
                )
            )
        dependents: dict[int, tuple[int, ...]] = {setting.id: () for setting in settings}
        for setting in settings:
            if setting.prerequisite is not None:
                dependents[setting.prerequisite] += (setting.id,)
        deleted: list[tuple[str, str, str]] = []
        for number in range(1, spec.deleted_settings + 1):
            key, name, setting_type, _ = _SETTINGS[(number - 1) % len(_SETTINGS)]
            # Unique per config and never a live key: legacyIsNewCheckoutEnabled1, ...
            legacy_key = f"legacy{key[:1].upper()}{key[1:]}{number}"
            deleted.append((legacy_key, f"Legacy {name.lower()} {number}", setting_type))
        return _Config(
            product=product,
            position=position,
            id=uuid_id(self.seed, product, "config", position),
            name=cycled(_CONFIGS, position),
            version=version,
            settings=tuple(settings),
            deleted=tuple(deleted),
            dependents=dependents,
        )

    def _build_audit_logs(self) -> None:
        """Times per product, then ids in global time order like one shared sequence."""
        stamped: list[tuple[int, int, int]] = []
        for product in self._products:
            stamped.extend(
                (at, product.index, n) for n, at in enumerate(self._audit_times(product))
            )
        stamped.sort()
        ids = IdSequence(self.seed, "audit", 10_000_000, 80_000_000, 3)
        self._audit: list[list[tuple[int, int]]] = [[] for _ in self._products]
        last = 0
        for at, product_index, _ in stamped:
            last = ids.take()
            self._audit[product_index].append((at, last))
        self._next_audit_id = last + 1 if stamped else ids.take()

    def _audit_times(self, product: _Product) -> list[int]:
        spec = product.spec
        if not spec.audit_logs:
            return []
        rng = Rng(self.seed, product.index, "audit-times")
        span = spec.audit_log_days * DAY
        start = self._now_ms - span
        spread = spec.audit_logs - spec.audit_log_burst
        times = [start + (i * span + rng.below(span)) // spread for i in range(spread)]
        # The burst: a bulk change, e.g. many flags created at once.
        burst_start = start + span * 2 // 5
        length = 2 * HOUR
        burst = spec.audit_log_burst
        times += [burst_start + (i * length + rng.below(length)) // burst for i in range(burst)]
        return sorted(times)

    # Lookups

    @property
    def organization_ids(self) -> list[str]:
        return [org.id for org in self._orgs]

    @property
    def product_ids(self) -> list[str]:
        return [product.id for product in self._products]

    def find_organization(self, organization_id: str) -> int | None:
        org = self._by_org_id.get(organization_id.lower())
        return None if org is None else org.index

    def find_product(self, product_id: str) -> int | None:
        product = self._by_product_id.get(product_id.lower())
        return None if product is None else product.index

    def find_config(self, config_id: str) -> _Config | None:
        return self._by_config_id.get(config_id.lower())

    def find_environment(self, environment_id: str) -> tuple[int, int] | None:
        """(product index, position) of an environment."""
        return self._by_env_id.get(environment_id.lower())

    def find_setting(self, setting_id: int) -> tuple[_Config, _Setting] | None:
        return self._by_setting_id.get(setting_id)

    def find_item(self, kind: str, key: object) -> tuple[int, int] | None:
        """(product index, position) of a tag, segment, group, webhook or integration id."""
        return self._by_item[kind].get(key)

    def organization_products(self, org_index: int) -> tuple[int, ...]:
        return self._orgs[org_index].products

    # Runtime changes

    def add_audit_logs(self, product_id: str, count: int, at: datetime) -> list[int]:
        """Add `count` entries at `at` to a product (ids after every existing one); their ids.

        They are served by any window holding `at` (the default window ends at `now`) and join
        the ground truth.
        """
        index = self.find_product(product_id)
        if index is None:
            raise KeyError(f"unknown product id {product_id!r}")
        at_ms = to_ms(at)
        with self._lock:
            added = list(range(self._next_audit_id, self._next_audit_id + count))
            self._next_audit_id += count
            for audit_id in added:
                bisect.insort(self._audit[index], (at_ms, audit_id))
        return added

    # Records: organizations and people

    def me(self) -> Record:
        return {"email": self._owner.email, "fullName": self._owner.full_name}

    def organization(self, org_index: int) -> Record:
        org = self._orgs[org_index]
        return {"organizationId": org.id, "name": org.name}

    def organizations(self) -> list[Record]:
        return [self.organization(org.index) for org in self._orgs]

    def _person(self, user: _User) -> Record:
        return {
            "userId": user.id,
            "fullName": user.full_name,
            "email": user.email,
            "twoFactorEnabled": user.two_factor,
        }

    def organization_members_v2(self, org_index: int) -> Record:
        """Owner: admin, billing manager and member; user 1 admin only; user 2 billing only."""
        org = self._orgs[org_index]
        permissions: dict[int, list[Record]] = {}
        for product_index in org.products:
            product = self._products[product_index]
            for user, group in product.members:
                permissions.setdefault(user, []).append(
                    {
                        "product": {"productId": product.id, "name": product.name},
                        "permissionGroup": {
                            "permissionGroupId": product.group_ids[group],
                            "name": cycled(_GROUPS, group),
                        },
                    }
                )
        admins = [u for n, u in enumerate(org.users) if n in (0, 1)]
        billing = [u for n, u in enumerate(org.users) if n in (0, 2)]
        return {
            "admins": [self._person(user) for user in admins],
            "billingManagers": [self._person(user) for user in billing],
            "members": [
                self._person(org.users[n]) | {"permissions": permissions[n]}
                for n in sorted(permissions)
            ],
        }

    def organization_members_v1(self, org_index: int) -> list[Record]:
        envelope = self.organization_members_v2(org_index)
        seen: dict[str, Record] = {}
        for role_list in ("admins", "billingManagers", "members"):
            for member in envelope[role_list]:
                seen.setdefault(
                    member["userId"], {k: v for k, v in member.items() if k != "permissions"}
                )
        return list(seen.values())

    def organization_invitations(self, org_index: int) -> list[Record]:
        records = []
        for product_index in self._orgs[org_index].products:
            product = self._products[product_index]
            for row in range(len(product.invitation_ids)):
                invitation, expires = self._invitation(product, row)
                records.append(
                    {
                        "invitationId": invitation["invitationId"],
                        "email": invitation["email"],
                        "productId": product.id,
                        "productName": product.name,
                        "permissionGroupId": invitation["permissionGroupId"],
                        "createdAt": invitation["createdAt"],
                        "expired": invitation["expired"],
                        "expires": expires,
                    }
                )
        return records

    def _invitation(self, product: _Product, row: int) -> tuple[Record, str | None]:
        """The product invitation record and its expiry (only the organization list shows it)."""
        rng = Rng(self.seed, product.index, "invitation", row)
        created = self._now_ms - rng.below(40 * DAY) // SECOND * SECOND
        expires = created + 14 * DAY
        org = self._orgs[product.org]
        record = {
            "invitationId": product.invitation_ids[row],
            "email": f"invitee{product.index}.{row}@{org.domain}",
            "permissionGroupId": product.group_ids[rng.below(len(product.group_ids))],
            "createdAt": utc_trimmed(created),
            "expired": expires < self._now_ms,
        }
        return record, utc_trimmed(expires)

    # Records: products and their lists

    def product(self, product_index: int) -> Record:
        product = self._products[product_index]
        rng = Rng(self.seed, product.index, "product-record")
        return {
            "productId": product.id,
            "name": product.name,
            "description": None if rng.chance(0.5) else f"{product.name} feature flags",
            "order": product.order,
            "reasonRequired": rng.chance(0.3),
            "approveRequired": False,
            "organization": self.organization(product.org),
        }

    def _ordered_products(self) -> list[_Product]:
        """The order of /v1/products: by organization, then the product's order."""
        return sorted(self._products, key=lambda p: (p.org, p.order))

    def products(self) -> list[Record]:
        return [self.product(p.index) for p in self._ordered_products()]

    def product_preferences(self, product_index: int) -> Record:
        product = self._products[product_index]
        environments = [
            self.environment(product_index, e) for e in range(product.spec.environments)
        ]
        return {
            "reasonRequired": self.product(product_index)["reasonRequired"],
            "keyGenerationMode": "camelCase",
            "showVariationId": False,
            "mandatorySettingHint": False,
            "reasonRequiredEnvironments": [
                {
                    "environmentId": env["environmentId"],
                    "reasonRequired": env["reasonRequired"],
                    "environmentName": env["name"],
                }
                for env in environments
            ],
            "approveRequiredEnvironments": [
                {
                    "environmentId": env["environmentId"],
                    "approveRequired": env["approveRequired"],
                    "environmentName": env["name"],
                }
                for env in environments
            ],
        }

    def environment(self, product_index: int, position: int) -> Record:
        product = self._products[product_index]
        rng = Rng(self.seed, product_index, "environment", position)
        name, color = _env_name(position), _ENVIRONMENTS[position % len(_ENVIRONMENTS)][1]
        return {
            "environmentId": product.environment_ids[position],
            "name": name,
            "color": color,
            "description": f"{name} traffic" if rng.chance(0.5) else None,
            "order": position,
            "reasonRequired": position == 0,
            "approveRequired": False,
            "product": self.product(product_index),
        }

    def config(self, config: _Config) -> Record:
        product = self._products[config.product]
        migrated = None
        if config.version == "v1":
            v2 = [c for c in product.configs if c.version == "v2"]
            if v2 and config.position % 2 == 0:
                migrated = v2[0].id
        return {
            "configId": config.id,
            "name": config.name,
            "description": None if config.position % 2 else f"Flags of {config.name}",
            "order": config.position,
            "evaluationVersion": config.version,
            "migratedConfigId": migrated,
            "product": self.product(config.product),
        }

    def tag(self, product_index: int, position: int) -> Record:
        return self._tag_plain(product_index, position) | {"product": self.product(product_index)}

    def _tag_plain(self, product_index: int, position: int) -> Record:
        return {
            "tagId": self._products[product_index].tag_ids[position],
            "name": cycled(_TAG_NAMES, position),
            "color": _TAG_COLORS[(product_index + position) % len(_TAG_COLORS)],
        }

    def segment(self, product_index: int, position: int, detail: bool = False) -> Record:
        product = self._products[product_index]
        rng = Rng(self.seed, product_index, "segment", position)
        creator = self._orgs[product.org].users[rng.below(self.users)]
        created = product.created_ms + rng.below(YEAR) // SECOND * SECOND
        updater = None if rng.chance(0.4) else self._orgs[product.org].users[rng.below(self.users)]
        updated = created if updater is None else created + rng.below(200 * DAY)
        name = cycled(_SEGMENTS, position)
        record: Record = {
            "segmentId": product.segment_ids[position],
            "name": name,
            "description": None if rng.chance(0.5) else f"{name} of {product.name}",
            "creatorEmail": creator.email,
            "creatorFullName": creator.full_name,
            "createdAt": utc_trimmed(created),
            "lastUpdaterEmail": None if updater is None else updater.email,
            "lastUpdaterFullName": None if updater is None else updater.full_name,
            "updatedAt": utc_trimmed(updated),
            "usage": rng.below(6),
            "product": self.product(product_index),
        }
        if detail:
            record["comparisonAttribute"] = "Email"
            record["comparator"] = "sensitiveTextEquals" if position % 2 else "contains"
            record["comparisonValue"] = f"@{self._orgs[product.org].domain}"
        return record

    def permission_group(self, product_index: int, position: int) -> Record:
        product = self._products[product_index]
        rng = Rng(self.seed, product_index, "permission-group", position)
        # Group 0 is the full-access "Administrators", group 1 "Read-only", the others custom.
        if position < 2:
            flags = dict.fromkeys(_PERMISSION_FLAGS, position == 0)
            access = env_access = ("full", "readOnly")[position]
            approval = ("canBypassApproval", "cannotApprove")[position]
        else:
            flags = {flag: rng.chance(0.6) for flag in _PERMISSION_FLAGS}
            access, env_access = "custom", "readOnly"
            approval = rng.pick(("cannotApprove", "canApproveOthers"))
        accesses = []
        for env_position in range(product.spec.environments):
            env = self.environment(product_index, env_position)
            kind = env_access if position < 2 else rng.pick(("full", "readOnly", "none"))
            accesses.append(
                {
                    "environmentId": env["environmentId"],
                    "name": env["name"],
                    "color": env["color"],
                    "description": env["description"],
                    "order": env["order"],
                    "reasonRequired": env["reasonRequired"],
                    "approveRequired": env["approveRequired"],
                    "environmentAccessType": kind,
                }
            )
        return {
            "permissionGroupId": product.group_ids[position],
            "name": cycled(_GROUPS, position),
            **flags,
            "accessType": access,
            "newEnvironmentAccessType": env_access if position < 2 else "none",
            "environmentAccesses": accesses,
            "product": self.product(product_index),
            "approvalPermissionType": approval,
            "newEnvironmentApprovalPermissionType": approval,
            "environmentApprovalPermissions": [],
        }

    def webhook(self, product_index: int, position: int) -> Record:
        product = self._products[product_index]
        rng = Rng(self.seed, product_index, "webhook", position)
        config = product.configs[rng.below(len(product.configs))]
        env = rng.below(product.spec.environments)
        post = rng.chance(0.7)
        headers: list[Record] = []
        if post:
            headers.append({"key": "Content-Type", "value": "application/json", "isSecure": False})
        if position == 0 or rng.chance(0.5):
            headers.append(
                {"key": "Authorization", "value": f"Bearer {_secret(rng)}", "isSecure": True}
            )
        if rng.chance(0.3):
            headers.append({"key": "X-Api-Key", "value": _secret(rng, 16), "isSecure": True})
        if rng.chance(0.3):
            headers.append({"key": "X-Source", "value": "configcat", "isSecure": False})
        return {
            "webhookId": product.webhook_ids[position],
            "url": f"https://hooks.example.net/configcat/{rng.hex(12)}",
            "httpMethod": "post" if post else "get",
            "content": '{"text":"##ConfigName## changed in ##EnvironmentName##"}' if post else "",
            "webHookHeaders": headers,
            "config": {"configId": config.id, "name": config.name},
            "environment": {
                "environmentId": product.environment_ids[env],
                "name": _env_name(env),
            },
        }

    def webhook_signing_keys(self, product_index: int, position: int) -> Record:
        rng = Rng(self.seed, product_index, "webhook-keys", position)
        return {
            "key1": f"configcat_whsk_{_secret(rng, 32)}",
            "key2": f"configcat_whsk_{_secret(rng, 32)}" if rng.chance(0.3) else None,
        }

    def integration(self, product_index: int, position: int) -> Record:
        product = self._products[product_index]
        rng = Rng(self.seed, product_index, "integration", position)
        kind = _INTEGRATIONS[(product_index + position) % len(_INTEGRATIONS)]
        parameters: dict[str, str] = {
            "dataDog": {"apikey": _secret(rng), "site": "Us"},
            "slack": {"incoming_webhook.url": f"https://hooks.slack.com/services/{_secret(rng)}"},
            "amplitude": {"apiKey": _secret(rng), "secretKey": _secret(rng)},
            "mixPanel": {
                "serviceAccountUserName": "sandbox-bot",
                "serviceAccountSecret": _secret(rng),
                "projectId": str(rng.between(1_000_000, 9_999_999)),
                "server": "StandardServer",
            },
            "segment": {"writeKey": _secret(rng), "server": "Us"},
            "pubNub": {"pubKey": _secret(rng), "subKey": _secret(rng), "channel": "configcat"},
        }[kind]
        environments = rng.distinct(product.spec.environments, rng.below(2))
        configs = rng.distinct(len(product.configs), rng.below(2))
        return {
            "product": self.product(product_index),
            "integrationId": product.integration_ids[position],
            "name": f"{kind[:1].upper()}{kind[1:]} {position + 1}",
            "integrationType": kind,
            "parameters": parameters,
            "environmentIds": [product.environment_ids[e] for e in sorted(environments)],
            "configIds": [product.configs[c].id for c in sorted(configs)],
        }

    def product_members(self, product_index: int) -> list[Record]:
        product = self._products[product_index]
        users = self._orgs[product.org].users
        return [
            {
                "userId": users[user].id,
                "productId": product.id,
                "permissionGroupId": product.group_ids[group],
                "fullName": users[user].full_name,
                "email": users[user].email,
            }
            for user, group in product.members
        ]

    def product_invitations(self, product_index: int) -> list[Record]:
        product = self._products[product_index]
        return [self._invitation(product, row)[0] for row in range(len(product.invitation_ids))]

    def product_list(self, product_index: int, segment: str) -> list[Record] | None:
        """A bare-array list under /v1/products/{P}/; None for an unknown segment."""
        spec = self._products[product_index].spec
        product = self._products[product_index]
        makers: dict[str, Callable[[], list[Record]]] = {
            "environments": lambda: [
                self.environment(product_index, e) for e in range(spec.environments)
            ],
            "configs": lambda: [self.config(c) for c in product.configs],
            "tags": lambda: [self.tag(product_index, t) for t in range(spec.tags)],
            "segments": lambda: [self.segment(product_index, s) for s in range(spec.segments)],
            "permissions": lambda: [
                self.permission_group(product_index, g) for g in range(spec.permission_groups)
            ],
            "webhooks": lambda: [self.webhook(product_index, w) for w in range(spec.webhooks)],
            "members": lambda: self.product_members(product_index),
            "invitations": lambda: self.product_invitations(product_index),
        }
        make = makers.get(segment)
        return None if make is None else make()

    def integrations(self, product_index: int) -> Record:
        count = self._products[product_index].spec.integrations
        return {"integrations": [self.integration(product_index, i) for i in range(count)]}

    # Records: settings

    def _creator(self, product: _Product, rng: Rng) -> _User:
        users = self._orgs[product.org].users
        members = product.members
        return users[members[rng.below(len(members))][0]] if members else users[0]

    def setting(self, config: _Config, setting: _Setting) -> Record:
        product = self._products[config.product]
        return {
            "settingId": setting.id,
            "key": setting.key,
            "name": setting.name,
            "hint": _hint(setting),
            "order": setting.position,
            "settingType": setting.type,
            "isJson": setting.is_json,
            "configId": config.id,
            "configName": config.name,
            "createdAt": utc_trimmed(setting.created_ms),
            "tags": [self.tag(product.index, tag) for tag, _ in setting.tags],
            "predefinedVariations": self._predefined_variations(setting),
        }

    def settings(self, config: _Config) -> list[Record]:
        return [self.setting(config, setting) for setting in config.settings]

    def deleted_settings(self, config: _Config) -> list[Record]:
        return [
            {"key": key, "name": name, "hint": None, "settingType": setting_type}
            for key, name, setting_type in config.deleted
        ]

    def _setting_data(self, config: _Config, setting: _Setting) -> Record:
        product = self._products[config.product]
        creator = self._creator(product, Rng(self.seed, setting.id, "creator"))
        data: Record = {
            "settingId": setting.id,
            "key": setting.key,
            "name": setting.name,
            "hint": _hint(setting),
            "settingType": setting.type,
            "isJson": setting.is_json,
            "order": setting.position,
            "createdAt": utc_trimmed(setting.created_ms),
            "creatorEmail": creator.email,
            "creatorFullName": creator.full_name,
        }
        if config.version == "v2":
            data["predefinedVariations"] = self._predefined_variations(setting)
        data["isWatching"] = setting.is_watching
        return data

    def _predefined_variations(self, setting: _Setting) -> list[Record]:
        """Every other non-boolean flag offers its values as predefined variations."""
        choices = _VARIATION_CHOICES.get(setting.type, ())
        if setting.position % 2 or setting.is_json:
            return []
        return [
            {
                "predefinedVariationId": uuid_id(self.seed, setting.id, "variation", n),
                "name": str(value).capitalize(),
                "hint": None if n else "The default",
                "value": {
                    slot: slot_value
                    for slot, slot_value in _value_model(setting.type, value).items()
                    if slot != "predefinedVariationId"
                },
            }
            for n, value in enumerate(choices)
        ]

    def _typed_value(self, setting: _Setting, rng: Rng) -> object:
        if setting.type == "boolean":
            return rng.chance(0.5)
        if setting.type == "int":
            return rng.between(1, 500)
        if setting.type == "double":
            return rng.pick(_DOUBLES)
        return rng.pick(_JSON_VALUES) if setting.is_json else rng.pick(_STRINGS)

    def _value_updated_ms(self, product: _Product, setting: _Setting, env_position: int) -> int:
        """Old (more than 31 days, stale by default) or recent, by a fixed pattern of positions.

        Every 4th setting (position 1, 5, ...) is abandoned: old everywhere. Every 3rd (0, 3, ...)
        is old in the product's last environment only. Positions decide, so a preset's stale
        flag counts are exact whatever the seed.
        """
        rng = Rng(self.seed, setting.id, "updated", env_position)
        last_env = env_position == product.spec.environments - 1
        if setting.position % 4 == 1 or (last_env and setting.position % 3 == 0):
            low, high = setting.created_ms, self._now_ms - 31 * DAY
        else:
            low, high = max(setting.created_ms, self._now_ms - 29 * DAY), self._now_ms - HOUR
        return low + rng.below(max(1, high - low)) // SECOND * SECOND

    def _setting_tags(self, product: _Product, setting: _Setting) -> list[Record]:
        return [
            {"settingTagId": setting_tag} | self._tag_plain(product.index, tag)
            for tag, setting_tag in setting.tags
        ]

    def _value_common(self, config: _Config, setting: _Setting, env_position: int) -> Record:
        """The fields both values endpoints serve, in their served order."""
        product = self._products[config.product]
        rng = Rng(self.seed, setting.id, "value-common", env_position)
        updater = self._creator(product, rng)
        links: list[Record] = []
        if rng.chance(0.15):
            issue = f"PROJ-{rng.between(100, 999)}"
            links.append(
                {
                    "key": issue,
                    "description": f"{issue}: {setting.name}",
                    "integrationLinkType": "jira",
                    "url": f"https://example.atlassian.net/browse/{issue}",
                }
            )
        return {
            "updatedAt": utc_trimmed(self._value_updated_ms(product, setting, env_position)),
            "lastUpdaterUserEmail": updater.email,
            "lastUpdaterUserFullName": updater.full_name,
            "integrationLinks": links,
            "settingTags": self._setting_tags(product, setting),
        }

    def setting_value_v1(self, config: _Config, setting: _Setting, env_position: int) -> Record:
        product = self._products[config.product]
        rng = Rng(self.seed, setting.id, "value", env_position)
        rules: list[Record] = []
        for _ in range(rng.below(3)):
            if product.segment_ids and rng.chance(0.3):
                rules.append(
                    {
                        "comparisonAttribute": None,
                        "comparator": None,
                        "comparisonValue": None,
                        "value": self._typed_value(setting, rng),
                        "segmentComparator": rng.pick(("isIn", "isNotIn")),
                        "segmentId": rng.pick(product.segment_ids),
                    }
                )
            else:
                rules.append(
                    {
                        "comparisonAttribute": rng.pick(_ATTRIBUTES),
                        "comparator": rng.pick(_V1_COMPARATORS),
                        "comparisonValue": rng.pick(("@example.com", "DE, AT", "1.2.0")),
                        "value": self._typed_value(setting, rng),
                        "segmentComparator": None,
                        "segmentId": None,
                    }
                )
        percentages: list[Record] = []
        if setting.type == "boolean" and rng.chance(0.3):
            share = rng.between(1, 99)
            percentages = [
                {"percentage": share, "value": True},
                {"percentage": 100 - share, "value": False},
            ]
        common = self._value_common(config, setting, env_position)
        return {
            "setting": self._setting_data(config, setting),
            **common,
            "rolloutRules": rules,
            "rolloutPercentageItems": percentages,
            "value": self._typed_value(setting, rng),
        }

    def setting_formula_v2(self, config: _Config, setting: _Setting, env_position: int) -> Record:
        product = self._products[config.product]
        rng = Rng(self.seed, setting.id, "formula", env_position)
        rules: list[Record] = []
        if setting.prerequisite is not None:
            condition = {
                "userCondition": None,
                "segmentCondition": None,
                "prerequisiteFlagCondition": {
                    "prerequisiteSettingId": setting.prerequisite,
                    "comparator": "equals",
                    "prerequisiteComparisonValue": _value_model("boolean", True),
                },
            }
            rules.append(self._rule(setting, rng, [condition]))
        for _ in range(rng.below(3)):
            conditions: list[Record] = []
            for _ in range(1 + rng.below(2)):
                if product.segment_ids and rng.chance(0.3):
                    segment: Record = {
                        "segmentId": rng.pick(product.segment_ids),
                        "comparator": rng.pick(("isIn", "isNotIn")),
                    }
                    conditions.append(
                        {
                            "userCondition": None,
                            "segmentCondition": segment,
                            "prerequisiteFlagCondition": None,
                        }
                    )
                else:
                    values = rng.distinct(3, 1 + rng.below(2))
                    user: Record = {
                        "comparisonAttribute": rng.pick(_ATTRIBUTES),
                        "comparator": rng.pick(_V2_COMPARATORS),
                        "comparisonValue": {
                            "stringValue": None,
                            "doubleValue": None,
                            "listValue": [
                                {"value": ("@example.com", "DE", "1.2.0")[v], "hint": None}
                                for v in sorted(values)
                            ],
                        },
                    }
                    conditions.append(
                        {
                            "userCondition": user,
                            "segmentCondition": None,
                            "prerequisiteFlagCondition": None,
                        }
                    )
            rules.append(self._rule(setting, rng, conditions))
        common = self._value_common(config, setting, env_position)
        return {
            "lastVersionId": uuid_id(self.seed, "version", setting.id, env_position),
            "defaultValue": _value_model(setting.type, self._typed_value(setting, rng)),
            "targetingRules": rules,
            "percentageEvaluationAttribute": "Email" if rng.chance(0.2) else None,
            "setting": self._setting_data(config, setting),
            **common,
            "settingIdsWherePrerequisite": list(config.dependents[setting.id]),
        }

    def _rule(self, setting: _Setting, rng: Rng, conditions: list[Record]) -> Record:
        if setting.type == "boolean" and rng.chance(0.3):
            share = rng.between(1, 99)
            options = [
                {"percentage": share, "value": _value_model("boolean", True)},
                {"percentage": 100 - share, "value": _value_model("boolean", False)},
            ]
            return {"conditions": conditions, "percentageOptions": options, "value": None}
        value = _value_model(setting.type, self._typed_value(setting, rng))
        return {"conditions": conditions, "percentageOptions": [], "value": value}

    def setting_values(self, config: _Config, env_position: int) -> Record:
        """The values envelope of the endpoint matching the config's evaluationVersion."""
        envelope: Record = {
            "config": self.config(config),
            "environment": self.environment(config.product, env_position),
            "readOnly": False,
        }
        if config.version == "v1":
            envelope["settingValues"] = [
                self.setting_value_v1(config, s, env_position) for s in config.settings
            ]
        else:
            envelope["settingFormulas"] = [
                self.setting_formula_v2(config, s, env_position) for s in config.settings
            ]
        envelope["featureFlagLimitations"] = dict(_FEATURE_FLAG_LIMITATIONS)
        return envelope

    def sdk_keys(self, config: _Config, env_position: int) -> Record:
        rng = Rng(self.seed, config.id, "sdk-key", env_position)
        primary = f"configcat-sdk-1/{_secret(rng, 6)}/{rng.hex(22)}"
        secondary = f"configcat-sdk-1/{_secret(rng, 6)}/{rng.hex(22)}" if rng.chance(0.2) else None
        return {"primary": primary, "secondary": secondary}

    # Records: stale flags

    def stale_flags(
        self,
        product_index: int,
        *,
        age_days: int = STALE_DEFAULT_AGE_DAYS,
        all_environments: bool = False,
        watched_only: bool = False,
        ignored_environment: str | None = None,
        ignored_tag: int | None = None,
    ) -> Record:
        product = self._products[product_index]
        horizon = self._now_ms - age_days * DAY
        environments = [
            (position, env_id)
            for position, env_id in enumerate(product.environment_ids)
            if env_id != ignored_environment
        ]
        configs = []
        for config in product.configs:
            settings = []
            for setting in config.settings:
                if watched_only and not setting.is_watching:
                    continue
                if ignored_tag is not None and any(
                    product.tag_ids[tag] == ignored_tag for tag, _ in setting.tags
                ):
                    continue
                values = [
                    {
                        "environmentId": env_id,
                        "updatedAt": utc_trimmed(
                            self._value_updated_ms(product, setting, position)
                        ),
                        "isStale": self._value_updated_ms(product, setting, position) < horizon,
                    }
                    for position, env_id in environments
                ]
                stale = [value["isStale"] for value in values]
                if not stale or not (all(stale) if all_environments else any(stale)):
                    continue
                settings.append(
                    {
                        "settingId": setting.id,
                        "key": setting.key,
                        "name": setting.name,
                        "hint": _hint(setting),
                        "hasCodeReferences": setting.has_code_references,
                        "tags": [
                            {"tagId": product.tag_ids[tag], "settingTagId": setting_tag}
                            for tag, setting_tag in setting.tags
                        ],
                        "settingValues": values,
                    }
                )
            if settings:
                configs.append(
                    {
                        "configId": config.id,
                        "name": config.name,
                        "evaluationVersion": config.version,
                        "hasCodeReferences": any(s.has_code_references for s in config.settings),
                        "settings": settings,
                    }
                )
        return {
            "productId": product.id,
            "name": product.name,
            "environments": [
                {
                    "environmentId": env_id,
                    "name": _env_name(position),
                }
                for position, env_id in environments
            ],
            "configs": configs,
        }

    # Records: audit logs

    def audit_entries(
        self, product_indices: Sequence[int], from_ms: int, to_ms: int
    ) -> list[tuple[int, int, int]]:
        """(at_ms, auditLogId, product index) in [from_ms, to_ms], newest first."""
        found: list[tuple[int, int, int]] = []
        with self._lock:
            for index in product_indices:
                entries = self._audit[index]
                low = bisect.bisect_left(entries, (from_ms, -1))
                high = bisect.bisect_right(entries, (to_ms, _MAX_ID))
                found.extend((at, audit_id, index) for at, audit_id in entries[low:high])
        found.sort(reverse=True)
        return found

    def _audit_scope(
        self, product: _Product, audit_id: int
    ) -> tuple[int, int | None, int | None, int]:
        """(type index, config position, environment position, target position) of an entry."""
        rng = Rng(self.seed, "audit", audit_id)
        roll = rng.below(_AUDIT_WEIGHT)
        kind = 0
        while roll >= _AUDIT_TYPES[kind][3]:
            roll -= _AUDIT_TYPES[kind][3]
            kind += 1
        about = _AUDIT_TYPES[kind][2]
        config = rng.below(len(product.configs)) if product.configs else None
        settings = 0 if config is None else len(product.configs[config].settings)
        spec = product.spec
        available = {
            "value": settings if spec.environments else 0,
            "setting": settings,
            "config": len(product.configs),
            "environment": spec.environments,
            "tag": spec.tags,
            "segment": spec.segments,
            "webhook": spec.webhooks,
            "member": len(product.members),
            "permission": spec.permission_groups,
            "integration": spec.integrations,
            "product": 1,
        }[about]
        if not available:
            kind = next(n for n, t in enumerate(_AUDIT_TYPES) if t[0] == "productChanged")
            about, available = "product", 1
        env = rng.below(spec.environments) if about in ("value", "environment") else None
        target = rng.below(available)
        if about == "environment":
            target = env or 0
        if about == "config":
            target = config or 0
        keep_config = config if about in ("value", "setting", "config") else None
        return kind, keep_config, env, target

    def audit_matches(
        self,
        product_index: int,
        audit_id: int,
        config_id: str | None,
        environment_id: str | None,
        type_enum: str | None,
    ) -> bool:
        product = self._products[product_index]
        kind, config, env, _ = self._audit_scope(product, audit_id)
        if type_enum is not None and _AUDIT_TYPES[kind][0] != type_enum:
            return False
        if config_id is not None and (config is None or product.configs[config].id != config_id):
            return False
        return environment_id is None or (
            env is not None and product.environment_ids[env] == environment_id
        )

    def audit_log(self, product_index: int, at_ms: int, audit_id: int) -> Record:
        product = self._products[product_index]
        kind, config_pos, env_pos, target = self._audit_scope(product, audit_id)
        enum, display, about, _ = _AUDIT_TYPES[kind]
        rng = Rng(self.seed, "audit-record", audit_id)
        user = self._creator(product, rng)
        where = product.name
        details: str | None = None
        action_target: str | None
        if config_pos is not None:
            config = product.configs[config_pos]
            where = f"{product.name} / {config.name}"
            action_target = config.name
            if about in ("value", "setting"):
                setting = config.settings[target]
                action_target = setting.key
                if about == "value" and env_pos is not None:
                    env_name = _env_name(env_pos)
                    where = f"{where} / {env_name}"
                    before, after = self._typed_value(setting, rng), self._typed_value(setting, rng)
                    details = json.dumps({"before": {"value": before}, "after": {"value": after}})
        elif about == "environment":
            action_target = _env_name(target)
        elif about == "tag":
            action_target = cycled(_TAG_NAMES, target)
        elif about == "segment":
            action_target = cycled(_SEGMENTS, target)
        elif about == "webhook":
            action_target = f"Webhook {product.webhook_ids[target]}"
        elif about == "member":
            action_target = self._orgs[product.org].users[product.members[target][0]].email
        elif about == "permission":
            action_target = cycled(_GROUPS, target)
        elif about == "integration":
            action_target = self.integration(product_index, target)["name"]
        else:
            action_target = product.name
        truncated = rng.chance(0.02)
        if truncated and details is not None:
            details = details[: len(details) // 2]
        return {
            "auditLogId": audit_id,
            "auditLogDateTime": utc_trimmed(at_ms),
            "auditLogTypeEnum": enum,
            "auditLogType": display,
            "userEmail": user.email,
            "userName": user.full_name,
            "where": where,
            "why": rng.pick(_REASONS) if rng.chance(0.4) else None,
            "actionTarget": action_target,
            "details": details,
            "truncated": truncated,
            "modelVersion": 2,
        }

    # Ground truth

    def ground_truth(self) -> GroundTruthStreams:
        """What a correct tap emits; the rules are in the module docstring."""
        orgs = self._orgs
        products = self._ordered_products()
        yield "organizations", self.organizations()
        yield "organization_members", self._truth_org_members()
        yield (
            "organization_invitations",
            (
                invitation | {"organizationId": org.id}
                for org in orgs
                for invitation in self.organization_invitations(org.index)
            ),
        )
        yield "products", self.products()
        yield "product_members", (m for p in products for m in self.product_members(p.index))
        for stream, segment in (
            ("product_invitations", "invitations"),
            ("environments", "environments"),
            ("configs", "configs"),
            ("tags", "tags"),
            ("segments", "segments"),
            ("permission_groups", "permissions"),
        ):
            yield stream, self._truth_product_list(products, segment)
        yield (
            "webhooks",
            (self._mask_webhook(r) for r in self._truth_product_list(products, "webhooks")),
        )
        yield "integrations", self._truth_integrations(products)
        yield (
            "settings",
            (
                record | {"productId": p.id}
                for p in products
                for config in p.configs
                for record in self.settings(config)
            ),
        )
        yield (
            "deleted_settings",
            (
                record | {"configId": config.id, "productId": p.id}
                for p in products
                for config in p.configs
                for record in self.deleted_settings(config)
            ),
        )
        yield "stale_flags", self._truth_stale_flags(products)
        yield "setting_values", self._truth_setting_values(products)
        yield "audit_logs", self._truth_audit_logs(products)

    def _truth_org_members(self) -> Iterator[Record]:
        for org in self._orgs:
            envelope = self.organization_members_v2(org.index)
            for role, role_list in zip(
                ROLES, ("admins", "billingManagers", "members"), strict=True
            ):
                for member in envelope[role_list]:
                    yield member | {"organizationId": org.id, "role": role}

    def _truth_product_list(self, products: Sequence[_Product], segment: str) -> Iterator[Record]:
        for product in products:
            for record in self.product_list(product.index, segment) or []:
                record.setdefault("productId", product.id)
                yield record

    @staticmethod
    def _mask_webhook(record: Record) -> Record:
        for header in record["webHookHeaders"]:
            if header["isSecure"]:
                header["value"] = MASK
        return record

    def _truth_integrations(self, products: Sequence[_Product]) -> Iterator[Record]:
        for product in products:
            for record in self.integrations(product.index)["integrations"]:
                record["parameters"] = dict.fromkeys(record["parameters"], MASK)
                yield record | {"productId": product.id}

    def _truth_stale_flags(self, products: Sequence[_Product]) -> Iterator[Record]:
        for product in products:
            for config in self.stale_flags(product.index)["configs"]:
                for setting in config["settings"]:
                    yield {"productId": product.id, "configId": config["configId"], **setting}

    def _truth_setting_values(self, products: Sequence[_Product]) -> Iterator[Record]:
        for product in products:
            for config in product.configs:
                for env_position, env_id in enumerate(product.environment_ids):
                    envelope = self.setting_values(config, env_position)
                    items = envelope[
                        "settingValues" if config.version == "v1" else "settingFormulas"
                    ]
                    for item in items:
                        record = item | {
                            "productId": product.id,
                            "configId": config.id,
                            "environmentId": env_id,
                            "settingId": item["setting"]["settingId"],
                            "evaluationVersion": config.version,
                        }
                        if "value" in item:
                            record["value_json"] = json.dumps(item["value"], ensure_ascii=False)
                        yield record

    def _truth_audit_logs(self, products: Sequence[_Product]) -> Iterator[Record]:
        for product in products:
            for at, audit_id, index in self.audit_entries([product.index], 0, _MAX_ID):
                yield self.audit_log(index, at, audit_id) | {"productId": product.id}


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
            (r"/v1/me", lambda ids, q: Response.json(200, data.me())),
            (r"/v1/organizations", lambda ids, q: Response.json(200, data.organizations())),
            (r"/v1/organizations/([^/]+)/members", self._org_members_v1),
            (r"/v2/organizations/([^/]+)/members", self._org_members_v2),
            (r"/v1/organizations/([^/]+)/invitations", self._org_invitations),
            (r"/v2/organizations/([^/]+)/auditlogs", self._org_audit_logs),
            (r"/v1/products", lambda ids, q: Response.json(200, data.products())),
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
        return self.data.find_product(product_id)

    @staticmethod
    def _int_id(text: str) -> int | None:
        return int(text) if text.isdigit() else None

    # Organizations

    def _org_members_v1(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_organization(ids[0]), self.data.organization_members_v1)

    def _org_members_v2(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_organization(ids[0]), self.data.organization_members_v2)

    def _org_invitations(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_organization(ids[0]), self.data.organization_invitations)

    def _org_audit_logs(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self.data.find_organization(ids[0])
        if index is None:
            return Response.message(404, NOT_FOUND)
        products = list(self.data.organization_products(index))
        if "productId" in query:
            product = self.data.find_product(query["productId"])
            if product not in products:
                return Response.message(404, NOT_FOUND)
            products = [product] if product is not None else []
        return self._audit_page(products, query)

    # Products

    def _product(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._product_index(ids[0]), self.data.product)

    def _product_list(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        index = self._product_index(ids[0])
        records = None if index is None else self.data.product_list(index, ids[1])
        if records is None:
            return Response.message(404, NOT_FOUND)
        return Response.json(200, records)

    def _integrations(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._product_index(ids[0]), self.data.integrations)

    def _preferences(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._product_index(ids[0]), self.data.product_preferences)

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
        report = self.data.stale_flags(
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
        return Response.json(200, [self.data.audit_log(p, at, i) for at, i, p in entries])

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
        data = [self.data.audit_log(p, at, audit_id) for at, audit_id, p in chosen]
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
        found = self.data.audit_entries(products, from_ms, to_ms)
        config_id = query.get("configId")
        env_id = query.get("environmentId")
        if config_id is None and env_id is None and audit_type is None:
            return found
        config_id = None if config_id is None else config_id.lower()
        env_id = None if env_id is None else env_id.lower()
        return [
            entry
            for entry in found
            if self.data.audit_matches(entry[2], entry[1], config_id, env_id, audit_type)
        ]

    # Configs, settings, values

    def _single_config(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_config(ids[0]), self.data.config)

    def _settings(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_config(ids[0]), self.data.settings)

    def _deleted_settings(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_config(ids[0]), self.data.deleted_settings)

    def _config_env(self, config_id: str, env_id: str) -> tuple[_Config, int] | None:
        """The config and the environment's position when both exist in one product."""
        config = self.data.find_config(config_id)
        env = self.data.find_environment(env_id)
        if config is None or env is None or env[0] != config.product:
            return None
        return config, env[1]

    def _sdk_keys(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self._config_env(ids[0], ids[1]), lambda found: self.data.sdk_keys(*found))

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
        return Response.json(200, self.data.setting_values(config, env_position))

    # Single items

    def _single_environment(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return _found(self.data.find_environment(ids[0]), lambda env: self.data.environment(*env))

    def _single_setting(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        setting_id = self._int_id(ids[0])
        found = None if setting_id is None else self.data.find_setting(setting_id)
        return _found(found, lambda setting: self.data.setting(*setting))

    def _positioned(self, kind: str, key: object, make: Callable[[int, int], Record]) -> Response:
        return _found(self.data.find_item(kind, key), lambda found: make(*found))

    def _single_tag(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("tag", self._int_id(ids[0]), self.data.tag)

    def _single_segment(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned(
            "segment",
            ids[0].lower(),
            lambda p, s: self.data.segment(p, s, detail=True),
        )

    def _single_group(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("group", self._int_id(ids[0]), self.data.permission_group)

    def _single_integration(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("integration", ids[0].lower(), self.data.integration)

    def _single_webhook(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("webhook", self._int_id(ids[0]), self.data.webhook)

    def _webhook_keys(self, ids: tuple[str, ...], query: Mapping[str, str]) -> Response:
        return self._positioned("webhook", self._int_id(ids[0]), self.data.webhook_signing_keys)


def configcat_mounts(data: ConfigCatData) -> list[ConfigCatApi]:
    return [ConfigCatApi(data)]
