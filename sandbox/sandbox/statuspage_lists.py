"""Statuspage lists other than pages, components and incidents: their seeded rows as served.

Subscribers (with the type and state filters of /subscribers), incident templates, metrics
providers, metrics, page access users and groups, and the organization's users. Every row is a
pure function of (seed, page index, list, row index), computed when it is served.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.generate import DAY, EPOCH_MS, HOUR, SECOND, YEAR, Rng, cycled, oldest_first_ms, utc_s
from sandbox.server import Record
from sandbox.statuspage_skeleton import (
    INCIDENT_TITLES,
    MAINTENANCE_TITLES,
    UPDATE_BODIES,
    Page,
    StatuspageSkeleton,
    ident,
)

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


def _person(rng: Rng, number: int, domain: str) -> tuple[str, str, str]:
    first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
    local = f"{first}.{last}".lower().replace(" ", "")
    return first, last, f"{local}{number}@{domain}"


class StatuspageLists:
    """The seeded rows of the lists that hold neither components nor incidents."""

    def __init__(
        self, skeleton: StatuspageSkeleton, component_v1: Callable[[Page, int], Record]
    ) -> None:
        self.skeleton = skeleton
        self.seed = skeleton.seed
        self._component_v1 = component_v1
        self.makers: dict[str, Callable[[Page, int], Record]] = {
            "subscribers": self.subscriber,
            "incident_templates": self._template,
            "metrics_providers": self._metrics_provider,
            "metrics": self._metric,
            "page_access_users": self._page_access_user,
            "page_access_groups": self._page_access_group,
        }

    def subscribers(
        self, page_index: int, state: str, type_: str | None, start: int, size: int
    ) -> list[Record]:
        """The 0-based filtered window of /subscribers; `state` may be "all".

        See (docs/apis/statuspage.md, "Zero-based page and limit").
        """
        page = self.skeleton.pages[page_index]
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
        return [self.subscriber(page, row) for row in rows]

    def subscriber(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "subscriber", row)
        mode, state = page.subscriber_slots[row % len(page.subscriber_slots)]
        created = oldest_first_ms(rng, row, page.spec.subscribers)
        _, _, email = _person(rng, row, "example.com")
        area, line = rng.pick(_AREA_CODES), rng.between(100, 199)
        quarantined = created + rng.between(1, 300) * DAY if state == "quarantined" else None
        if quarantined is not None:
            quarantined = min(quarantined, EPOCH_MS - DAY)
        record: Record = {
            "id": ident(self.seed, page.index, "subscriber-id", row),
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
            "components": [
                self.skeleton.component_id(page, r) for r in page.layout.pick_leaves(rng, 0, 3)
            ],
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

    def _template(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "template", row)
        rows = page.layout.pick_leaves(rng, 0, 3)
        subject = self.skeleton.component_name(page, rows[0]) if rows else "all services"
        maintenance = rng.chance(0.3)
        status = (
            rng.pick(("scheduled", "in_progress", "completed"))
            if maintenance
            else rng.pick(("investigating", "identified", "monitoring", "resolved"))
        )
        title = rng.pick(MAINTENANCE_TITLES if maintenance else INCIDENT_TITLES).format(subject)
        return {
            "id": ident(self.seed, page.index, "template-id", row),
            "components": [self._component_v1(page, r) for r in rows],
            "name": f"{title} ({status})",
            "title": title,
            "body": UPDATE_BODIES[status],
            "group_id": ident(self.seed, page.index, "template-group", row % 3)
            if rng.chance(0.5)
            else None,
            "update_status": status,
            "should_tweet": False,
            "should_send_notifications": rng.chance(0.8),
        }

    def _metrics_provider(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "metrics-provider", row)
        kind, base_uri = _PROVIDERS[row % len(_PROVIDERS)]
        created = page.created_ms + rng.below(200 * DAY) // SECOND * SECOND
        return {
            "id": ident(self.seed, page.index, "metrics-provider-id", row),
            "type": kind,
            "disabled": rng.chance(0.2),
            "metric_base_uri": base_uri,
            "last_revalidated_at": utc_s(EPOCH_MS - rng.below(7 * DAY)),
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(300 * DAY)),
            "page_id": page.id,
        }

    def _metric(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "metric", row)
        provider = row % page.spec.metrics_providers
        created = page.created_ms + rng.below(300 * DAY) // SECOND * SECOND
        kind = row % len(_METRIC_NAMES)
        recent = utc_s(EPOCH_MS - rng.below(HOUR))
        return {
            "id": ident(self.seed, page.index, "metric-id", row),
            "metrics_provider_id": ident(self.seed, page.index, "metrics-provider-id", provider),
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

    def _access_groups_of(self, page: Page, user: int) -> list[int]:
        """Page access user `user` belongs to one group, except every third user."""
        groups = page.spec.page_access_groups
        return [user % groups] if groups and user % 3 != 2 else []

    def _page_access_user(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "page-access-user", row)
        created = page.created_ms + rng.below(400 * DAY) // SECOND * SECOND
        _, _, email = _person(rng, row, f"customer{page.index}.example.org")
        groups = [
            ident(self.seed, page.index, "page-access-group-id", group)
            for group in self._access_groups_of(page, row)
        ]
        return {
            "id": ident(self.seed, page.index, "page-access-user-id", row),
            "page_id": page.id,
            "email": email,
            "external_login": None if rng.chance(0.6) else f"uid-{rng.hex(10)}",
            "page_access_group_id": groups[0] if groups else None,
            "page_access_group_ids": groups,
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(100 * DAY)),
        }

    def _page_access_group(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "page-access-group", row)
        created = page.created_ms + rng.below(400 * DAY) // SECOND * SECOND
        users = range(row, page.spec.page_access_users, page.spec.page_access_groups)
        metrics = rng.distinct(page.spec.metrics, rng.between(0, 2))
        return {
            "id": ident(self.seed, page.index, "page-access-group-id", row),
            "page_id": page.id,
            "name": f"Customer tier {row + 1}",
            "page_access_user_ids": [
                ident(self.seed, page.index, "page-access-user-id", user)
                for user in users
                if self._access_groups_of(page, user)
            ],
            "external_identifier": None if rng.chance(0.5) else f"idp-group-{row + 1}",
            "metric_ids": [ident(self.seed, page.index, "metric-id", m) for m in metrics],
            "component_ids": [
                self.skeleton.component_id(page, r) for r in page.layout.pick_leaves(rng, 1, 4)
            ],
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(100 * DAY)),
        }

    def users(self, start: int, stop: int) -> list[Record]:
        """Organization users [start, stop)."""
        return [self.user(index) for index in range(start, min(stop, self.skeleton.users))]

    def user(self, index: int) -> Record:
        rng = Rng(self.seed, "user", index)
        first, last, email = _person(rng, index, "example.com")
        created = EPOCH_MS - 3 * YEAR + rng.below(2 * YEAR) // SECOND * SECOND
        return {
            "id": ident(self.seed, "user-id", index),
            "organization_id": self.skeleton.organization_id,
            "email": email,
            "first_name": first,
            "last_name": last,
            "created_at": utc_s(created),
            "updated_at": utc_s(created + rng.below(300 * DAY)),
        }
