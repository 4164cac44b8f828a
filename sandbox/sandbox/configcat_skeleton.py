"""ConfigCat skeleton: size presets, the organization and product models and their generation.

Ids, names, settings and the times of audit log entries are built up front from the seed; every
record is rendered from them when served (`sandbox.configcat_render`, `sandbox.configcat_flags`,
`sandbox.configcat_audit`), and audit log entries added at runtime live in
`sandbox.configcat_changes`. Times are relative to `now`; the clock is never read.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sandbox.generate import (
    DAY,
    HOUR,
    SECOND,
    YEAR,
    IdSequence,
    Rng,
    cycled,
    to_ms,
    uuid_id,
)
from sandbox.lookups import Index, require_counts

NOW = datetime(2026, 10, 1, tzinfo=UTC)
"""Default `ConfigCatData.now`: every generated time lies before it."""
SECRET_MARKER = "SANDBOX-SECRET-"  # noqa: S105 - a marker inside fake secrets, not a secret
"""Part of every generated secret, so a test can prove none reached a tap's output."""

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
ENVIRONMENTS = (
    ("Production", "#d9534f"),
    ("Staging", "#f0ad4e"),
    ("Development", "#5bc0de"),
    ("Test", "#5cb85c"),
    ("QA", "#9b59b6"),
    ("Sandbox", "#34495e"),
)
_CONFIGS = ("Main Config", "Mobile Config", "Backend Config", "Web Config", "Experiments", "Ops")
TAG_NAMES = ("checkout", "mobile", "backend", "experiment", "ops", "beta", "marketing", "legacy")
SEGMENTS = ("Beta testers", "Internal users", "EU customers", "Premium plan", "Mobile users")
GROUPS = (
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
_FIRST_NAMES = ("Ada", "Grace", "Alan", "Linus", "Margaret", "Dennis", "Barbara", "Ken")
_LAST_NAMES = ("Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Knuth")


def secret(rng: Rng, length: int = 24) -> str:
    return SECRET_MARKER + rng.hex(length)


def env_name(position: int) -> str:
    return cycled([name for name, _ in ENVIRONMENTS], position)


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
        require_counts(self)
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
class User:
    id: str
    full_name: str
    email: str
    two_factor: bool


@dataclass(frozen=True)
class Org:
    index: int
    id: str
    name: str
    domain: str
    users: tuple[User, ...]
    products: tuple[int, ...]


@dataclass(frozen=True)
class Setting:
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
class Config:
    product: int
    position: int
    id: str
    name: str
    version: str
    settings: tuple[Setting, ...]
    deleted: tuple[tuple[str, str, str], ...]
    """(key, name, settingType) of deleted settings."""
    dependents: Mapping[int, tuple[int, ...]]
    """settingId -> ids of the settings that have it as prerequisite."""


@dataclass(frozen=True)
class Product:
    index: int
    spec: ProductSpec
    org: int
    order: int
    id: str
    name: str
    created_ms: int
    environment_ids: tuple[str, ...]
    configs: tuple[Config, ...]
    tag_ids: tuple[int, ...]
    segment_ids: tuple[str, ...]
    group_ids: tuple[int, ...]
    webhook_ids: tuple[int, ...]
    integration_ids: tuple[str, ...]
    members: tuple[tuple[int, int], ...]
    """(user index in the organization, permission group position)."""
    invitation_ids: tuple[str, ...]


class ConfigCatSkeleton:
    """The seeded organizations, users, products, configs and settings, and audit log times."""

    def __init__(
        self,
        seed: int,
        specs: Sequence[ProductSpec],
        *,
        organizations: int | None,
        users: int,
        now: datetime,
    ) -> None:
        self.seed = seed
        self.specs = tuple(specs)
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
        self.now = now
        self.now_ms = to_ms(now)
        self._build()

    def _build(self) -> None:
        seed = self.seed
        owner_rng = Rng(seed, "owner")
        first, last = owner_rng.pick(_FIRST_NAMES), owner_rng.pick(_LAST_NAMES)
        self.owner = User(
            uuid_id(seed, "owner"), f"{first} {last}", f"{first}.{last}@example.com".lower(), True
        )
        by_org: list[list[int]] = [[] for _ in range(self.organization_count)]
        for index, spec in enumerate(self.specs):
            by_org[spec.organization].append(index)
        self.orgs = [self._make_org(index, tuple(p)) for index, p in enumerate(by_org)]
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
        self.products = [
            self._make_product(index, spec, ids) for index, spec in enumerate(self.specs)
        ]
        self._organizations_by_id = Index(
            "organization id", ((o.id, o) for o in self.orgs), fold=str.lower
        )
        self._products_by_id = Index(
            "product id", ((p.id, p) for p in self.products), fold=str.lower
        )
        configs = [(c.id, c) for p in self.products for c in p.configs]
        self._configs_by_id = Index("config id", configs, fold=str.lower)
        self._environments_by_id = Index(
            "environment id",
            (
                (env, (p.index, pos))
                for p in self.products
                for pos, env in enumerate(p.environment_ids)
            ),
            fold=str.lower,
        )
        self._settings_by_id = Index(
            "setting id", ((s.id, (c, s)) for _, c in configs for s in c.settings)
        )

        def positions(attribute: str) -> Index[tuple[int, int]]:
            return Index(
                attribute,
                (
                    (item, (p.index, pos))
                    for p in self.products
                    for pos, item in enumerate(getattr(p, attribute))
                ),
            )

        self._items_by_id = {
            "tag": positions("tag_ids"),
            "segment": positions("segment_ids"),
            "group": positions("group_ids"),
            "webhook": positions("webhook_ids"),
            "integration": positions("integration_ids"),
        }
        self._build_audit_logs()

    def _make_org(self, index: int, products: tuple[int, ...]) -> Org:
        name = cycled(_COMPANIES, index)
        domain = re.sub(r"[^a-z0-9]", "", name.lower()) + ".test"
        users = [self.owner]
        for number in range(1, self.users):
            rng = Rng(self.seed, index, "user", number)
            first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
            users.append(
                User(
                    uuid_id(self.seed, index, "user", number),
                    f"{first} {last}",
                    f"{first}.{last}{number}@{domain}".lower(),
                    rng.chance(0.6),
                )
            )
        return Org(index, uuid_id(self.seed, "org", index), name, domain, tuple(users), products)

    def _make_product(self, index: int, spec: ProductSpec, ids: dict[str, IdSequence]) -> Product:
        seed = self.seed
        rng = Rng(seed, index, "product")
        org = self.orgs[spec.organization]
        versions = rng.shuffled(["v1"] * spec.configs_v1 + ["v2"] * spec.configs_v2)
        created = self.now_ms - 2 * YEAR - rng.below(YEAR) // SECOND * SECOND
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
        return Product(
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
    ) -> Config:
        rng = Rng(self.seed, product, "config", position)
        settings: list[Setting] = []
        for row in range(spec.settings):
            key, name, setting_type, is_json = _SETTINGS[row % len(_SETTINGS)]
            suffix = "" if row < len(_SETTINGS) else str(row // len(_SETTINGS) + 1)
            tag_positions = rng.distinct(spec.tags, rng.below(3))
            booleans = [s for s in settings if s.type == "boolean"]
            prerequisite = None
            if version == "v2" and booleans and rng.chance(0.25):
                prerequisite = booleans[0].id
            span = max(DAY, self.now_ms - 60 * DAY - created)
            settings.append(
                Setting(
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
        return Config(
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
        for product in self.products:
            stamped.extend(
                (at, product.index, n) for n, at in enumerate(self._audit_times(product))
            )
        stamped.sort()
        ids = IdSequence(self.seed, "audit", 10_000_000, 80_000_000, 3)
        self.audit_logs: list[list[tuple[int, int]]] = [[] for _ in self.products]
        """(time, auditLogId) of each product's generated entries, oldest first."""
        last = 0
        for at, product_index, _ in stamped:
            last = ids.take()
            self.audit_logs[product_index].append((at, last))
        self.next_audit_id = last + 1 if stamped else ids.take()

    def _audit_times(self, product: Product) -> list[int]:
        spec = product.spec
        if not spec.audit_logs:
            return []
        rng = Rng(self.seed, product.index, "audit-times")
        span = spec.audit_log_days * DAY
        start = self.now_ms - span
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
        return [org.id for org in self.orgs]

    @property
    def product_ids(self) -> list[str]:
        return [product.id for product in self.products]

    def find_organization(self, organization_id: str) -> int | None:
        org = self._organizations_by_id.find(organization_id)
        return None if org is None else org.index

    def find_product(self, product_id: str) -> int | None:
        product = self._products_by_id.find(product_id)
        return None if product is None else product.index

    def find_config(self, config_id: str) -> Config | None:
        return self._configs_by_id.find(config_id)

    def find_environment(self, environment_id: str) -> tuple[int, int] | None:
        """(product index, position) of an environment."""
        return self._environments_by_id.find(environment_id)

    def find_setting(self, setting_id: int) -> tuple[Config, Setting] | None:
        return self._settings_by_id.find(setting_id)

    def find_item(self, kind: str, key: Hashable) -> tuple[int, int] | None:
        """(product index, position) of a tag, segment, group, webhook or integration id."""
        return self._items_by_id[kind].find(key)

    def organization_products(self, org_index: int) -> tuple[int, ...]:
        return self.orgs[org_index].products

    def ordered_products(self) -> list[Product]:
        """The order of /v1/products: by organization, then the product's order."""
        return sorted(self.products, key=lambda p: (p.org, p.order))

    def creator(self, product: Product, rng: Rng) -> User:
        users = self.orgs[product.org].users
        members = product.members
        return users[members[rng.below(len(members))][0]] if members else users[0]
