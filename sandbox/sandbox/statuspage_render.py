"""Statuspage rendering: the JSON the manage API v1 and the public API v2 serve.

Pages, components and groups, incidents with their updates (v1 in UTC, v2 in the page's time
zone), the public v2 payloads and the component uptime endpoint, all rendered from the skeleton's
models (`sandbox.statuspage_skeleton`) as the runtime changes left them
(`sandbox.statuspage_changes`); the other lists' rows are `sandbox.statuspage_lists`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sandbox.generate import DAY, EPOCH_MS, SECOND, Rng, local_ms, utc_ms, utc_s
from sandbox.server import Record
from sandbox.statuspage_changes import StatuspageChanges
from sandbox.statuspage_lists import StatuspageLists
from sandbox.statuspage_skeleton import (
    COMPONENT_STATUSES,
    Component,
    Incident,
    Page,
    StatuspageSkeleton,
    Update,
)
from sandbox.statuspage_timeline import MAX_RANGE_MONTHS, Uptime, add_months, local_date, uptime

PUBLIC_LIST_LIMIT = 50
"""incidents.json and scheduled-maintenances.json return the 50 most recent items.

See (docs/apis/statuspage.md, "Public Status API v2").
"""
NOT_FOUND = "The requested resource could not be found."
_STATUS_TEXT = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major System Outage",
}
_IMPACT_RANK = {"none": 0, "maintenance": 0, "minor": 1, "major": 2, "critical": 3}


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


def _is_open_incident(incident: Incident) -> bool:
    return incident.maintenance is None and incident.status not in ("resolved", "postmortem")


def _is_upcoming_maintenance(incident: Incident) -> bool:
    return incident.maintenance is not None and incident.status == "scheduled"


def _is_active_maintenance(incident: Incident) -> bool:
    return incident.maintenance is not None and incident.status in ("in_progress", "verifying")


def _is_open_maintenance(incident: Incident) -> bool:
    return _is_upcoming_maintenance(incident) or _is_active_maintenance(incident)


class StatuspageRender:
    """Every Statuspage record as served, from the skeleton and the runtime changes."""

    def __init__(self, skeleton: StatuspageSkeleton, changes: StatuspageChanges) -> None:
        self.skeleton = skeleton
        self.changes = changes
        self.seed = skeleton.seed
        self.lists = StatuspageLists(skeleton, self.component_v1_row)
        self._makers: dict[str, Callable[[Page, int], Record]] = {
            "component_groups": self._component_group_v1,
            "components": self.component_v1_row,
            **self.lists.makers,
        }

    # v1 lists

    def records(self, page_index: int, stream: str, start: int, stop: int) -> list[Record]:
        """Rows [start, stop) of a page-scoped v1 list, rendered as the API serves them."""
        page = self.skeleton.pages[page_index]
        stop = min(stop, self.changes.count(page_index, stream))
        if stream == "incidents":
            incidents = self.changes.incidents(page_index, start, stop)
            return [self.incident_v1(page, incident) for incident in incidents]
        make = self._makers[stream]
        return [make(page, row) for row in range(start, stop)]

    # Component uptime (docs/apis/statuspage.md, "Component uptime")

    def component_uptime(
        self, page_index: int, component_id: str, start: str | None, end: str | None
    ) -> tuple[int, Record]:
        """(HTTP status, body) of GET .../components/{component_id}/uptime?start=&end=."""
        page = self.skeleton.pages[page_index]
        row = self.skeleton.component_rows(page).find(component_id)
        if row is None:
            return 404, {"message": NOT_FOUND}
        component = self.skeleton.component(page, row)
        if component.is_group:
            # Groups have their own endpoint, /component-groups/{id}/uptime.
            return 404, {"message": NOT_FOUND}
        if not component.showcase:
            return 422, {
                "message": "Uptime is not available: the component's uptime showcase is off"
            }
        today = local_date(EPOCH_MS, page.offset_min)
        wanted = _uptime_range(start, end, today, component.uptime_start)
        if isinstance(wanted, str):
            return 422, {"message": wanted}
        first, last = wanted
        return 200, self.uptime_body(page, row, component, first, last)

    def uptime_figures(
        self, page: Page, row: int, component: Component, first: date, last: date
    ) -> Uptime:
        return uptime(
            self.skeleton.resolved(page).segments.get(row, ()),
            first,
            last,
            offset_min=page.offset_min,
            component_start=component.uptime_start,
            now_ms=EPOCH_MS,
        )

    def uptime_body(
        self, page: Page, row: int, component: Component, first: date, last: date
    ) -> Record:
        figures = self.uptime_figures(page, row, component, first, last)
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

    # Public v2 payloads (docs/apis/statuspage.md, "Public Status API v2")

    def public_payload(self, page_index: int, endpoint: str) -> Record | None:
        """The v2 response object for `endpoint` (e.g. "summary.json"), None when unknown."""
        page = self.skeleton.pages[page_index]
        parts = self._public_parts(page).get(endpoint)
        if parts is None:
            return None
        return {"page": self.public_page(page)} | {key: make() for key, make in parts}

    def _public_parts(self, page: Page) -> dict[str, list[tuple[str, Callable[[], object]]]]:
        """The keys after `page` of each v2 endpoint, each with the function that fills it."""
        components = ("components", lambda: self.public_components(page))
        status = ("status", lambda: self.public_status(page))
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

    def public_page(self, page: Page) -> Record:
        return {
            "id": page.id,
            "name": page.name,
            "url": f"https://{page.subdomain}.statuspage.io",
            "time_zone": page.time_zone,
            "updated_at": local_ms(page.updated_ms, page.offset_min),
        }

    def public_status(self, page: Page) -> Record:
        open_incidents = self.changes.recent(page.index, _is_open_incident)
        rank = max((_IMPACT_RANK[i.impact] for i in open_incidents), default=0)
        indicator = ("none", "minor", "major", "critical")[rank]
        return {"indicator": indicator, "description": _STATUS_TEXT[indicator]}

    def public_components(self, page: Page) -> list[Record]:
        return [
            self._component_v2(page, self.skeleton.component(page, r))
            for r in range(page.layout.rows)
        ]

    def public_history(self, page: Page) -> list[Record]:
        return self._public_latest(page, maintenance=False) + self._public_latest(
            page, maintenance=True
        )

    def _public_latest(self, page: Page, *, maintenance: bool) -> list[Record]:
        found: list[Incident] = []
        total = self.changes.count(page.index, "incidents")
        for position in range(total):
            incident = self.changes.incidents(page.index, position, position + 1)[0]
            if (incident.maintenance is not None) == maintenance:
                found.append(incident)
                if len(found) == PUBLIC_LIST_LIMIT:
                    break
        return [self.incident_v2(page, incident) for incident in found]

    def _public_recent(self, page: Page, keep: Callable[[Incident], bool]) -> list[Record]:
        return [self.incident_v2(page, i) for i in self.changes.recent(page.index, keep)]

    # Pages

    def page_v1(self, page: Page) -> Record:
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

    # Components and groups

    def component_v1_row(self, page: Page, row: int) -> Record:
        return self.component_v1(page, self.skeleton.component(page, row))

    def component_v1(self, page: Page, c: Component) -> Record:
        return {
            "id": c.id,
            "page_id": page.id,
            "group_id": self.skeleton.group_id_of(page, c),
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

    def _component_v2(self, page: Page, c: Component) -> Record:
        status = c.status
        members: list[str] = []
        if c.is_group and c.group_index is not None:
            rows = page.layout.member_rows(c.group_index)
            members = [self.skeleton.component_id(page, row) for row in rows]
            # A v2 group row shows the worst status of its members.
            statuses = [self.skeleton.component(page, row).status for row in rows]
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
            "group_id": self.skeleton.group_id_of(page, c),
            "page_id": page.id,
            "group": c.is_group,
            "only_show_if_degraded": False,
        }
        if c.is_group:
            record["components"] = members
        return record

    def _component_group_v1(self, page: Page, group: int) -> Record:
        row = page.layout.group_row(group)
        c = self.skeleton.component(page, row)
        return {
            "id": c.id,
            "page_id": page.id,
            "name": c.name,
            "description": c.description,
            "components": [
                self.skeleton.component_id(page, r) for r in page.layout.member_rows(group)
            ],
            "position": c.position,
            "created_at": utc_s(c.created_ms),
            "updated_at": utc_s(c.updated_ms),
        }

    # Incidents

    def _affected(self, page: Page, update: Update) -> list[Record] | None:
        if update.affected is None:
            return None
        return [
            {
                "code": self.skeleton.component_id(page, row),
                "name": self.skeleton.display_name(page, row),
                "old_status": old,
                "new_status": new,
            }
            for row, old, new in update.affected
        ]

    def _tweet_id(self, page: Page, update: Update) -> int | None:
        """A 19-digit tweet id on about a third of the updates, an integer as public pages send."""
        rng = Rng(self.seed, page.index, "tweet", update.id)
        return 1_000_000_000_000_000_000 + rng.below(10**18) if rng.chance(0.35) else None

    def _tweet_id_v1(self, page: Page, update: Update) -> int | str | None:
        """The v1 spec types tweet_id as a string: every other page sends it as one."""
        tweet_id = self._tweet_id(page, update)
        return str(tweet_id) if tweet_id is not None and page.index % 2 else tweet_id

    def _tweeted_ms(self, page: Page, update: Update) -> int | None:
        return None if self._tweet_id(page, update) is None else update.at_ms + 2 * SECOND

    def incident_v1(self, page: Page, inc: Incident) -> Record:
        m, pm = inc.maintenance, inc.postmortem
        return {
            "id": inc.id,
            "components": [
                self.component_v1(page, self.skeleton.component(page, r))
                for r in inc.component_rows
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

    def incident_v2(self, page: Page, inc: Incident) -> Record:
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
                self._component_v2(page, self.skeleton.component(page, r))
                for r in inc.component_rows
            ],
        }
        if inc.maintenance is not None:
            record["scheduled_for"] = local_ms(inc.maintenance.scheduled_for_ms, offset)
            record["scheduled_until"] = local_ms(inc.maintenance.scheduled_until_ms, offset)
        return record
