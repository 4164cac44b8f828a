"""Instatus rendering: every record as the API serves it, in both shapes real clients meet.

Generated rows become the JSON of ``/v2/pages``, ``/v1/user``, the page-scoped lists and each
page's public ``summary.json`` (docs/apis/instatus.md, "Endpoints"). Every third page answers in
the documented shapes instead of the observed ones (`Page.spec_shaped`). Real payloads nest the
full site row, other systems' credentials and all, in components and updates; each
credential-like value starts with `LEAK_MARKER`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sandbox.generate import (
    DAY,
    EPOCH_MS,
    HOUR,
    MINUTE,
    Rng,
    cycled,
    js_date_text,
    oldest_first_ms,
    utc_ms,
)
from sandbox.instatus_changes import InstatusChanges
from sandbox.instatus_skeleton import (
    INCIDENT_STATUSES,
    INCIDENT_TITLES,
    MAINTENANCE_STATUSES,
    MAINTENANCE_TITLES,
    MESSAGES,
    Event,
    InstatusSkeleton,
    Page,
    cuid,
    subdomain_of,
)
from sandbox.server import Record

DATAPOINTS = 24
"""Datapoints embedded in each metric, ten minutes apart, the last one before the epoch."""
LEAK_MARKER = "SANDBOX-SECRET-"
"""The start of every credential-like value inside a `site` object; never in a tap's output."""
COMPONENT_STATUSES = (
    "OPERATIONAL",
    "UNDERMAINTENANCE",
    "DEGRADEDPERFORMANCE",
    "PARTIALOUTAGE",
    "MAJOROUTAGE",
)
_FIRST_NAMES = ("Dana", "Alex", "Sam", "Robin", "Kim", "Jordan", "Taylor", "Morgan")
_LAST_NAMES = ("Ops", "Rivera", "Chen", "Novak", "Okafor", "Larsen", "Silva", "Kowalski")
_METRICS = (("API latency", "ms"), ("Error rate", "%"), ("Uptime", "%"), ("Queue depth", "jobs"))
_LANGUAGES = ("en", "en", "en", "de", "fr")
_SUBSCRIBER_KINDS = ("email",) * 7 + ("sms", "webhook", "slack", "discord")


def _minutes(start_ms: int, end_ms: int | None) -> int | None:
    return None if end_ms is None else max(0, end_ms - start_ms) // MINUTE


def _public_duration(page: Page, minutes: int | None) -> int | str | None:
    """summary.json's maintenance duration: a number in the spec, a string ("60") in the docs."""
    return str(minutes) if page.spec_shaped and minutes is not None else minutes


class InstatusRender:
    """The API's JSON for the skeleton's rows as they stand after the runtime changes."""

    def __init__(self, skeleton: InstatusSkeleton, changes: InstatusChanges) -> None:
        self.seed = skeleton.seed
        self.skeleton = skeleton
        self.changes = changes
        self.pages = skeleton.pages
        # The full site row each page nests everywhere, shared: never mutate it.
        self._sites = [self._site(page) for page in skeleton.pages]
        self._makers: dict[str, Callable[[Page, int], Record]] = {
            "components": self.component_row,
            "templates": self._template,
            "team": self._teammate,
            "subscribers": self._subscriber,
            "metrics": self._metric,
        }

    def records(self, page_index: int, stream: str, start: int, stop: int) -> list[Record]:
        """Rows [start, stop) of a page-scoped list, rendered as the API serves them."""
        page = self.pages[page_index]
        stop = min(stop, self.changes.count(page_index, stream))
        if stream in ("incidents", "maintenances"):
            events = self.changes.events(page_index, stream, start, stop)
            return [self.event(page, event) for event in events]
        make = self._makers[stream]
        return [make(page, row) for row in range(start, stop)]

    def status_pages(self, start: int, stop: int) -> list[Record]:
        return [self.page_record(page) for page in self.pages[start:stop]]

    def incident(self, page_index: int, incident_id: str) -> Record | None:
        """The single-object GET of one incident (a tap never needs it: lists embed everything)."""
        event = self.changes.find_event(page_index, "incidents", incident_id)
        return None if event is None else self.event(self.pages[page_index], event)

    def user(self) -> Record:
        rng = Rng(self.seed, "user")
        first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
        return {
            "id": self.skeleton.user_id,
            "email": f"{first}.{last}@{subdomain_of(0)}.example".lower(),
            "name": f"{first} {last}",
            "slug": f"{first}-{last}".lower(),
            "avatar": None,
        }

    def summary(self, page_index: int) -> Record:
        """The public summary.json of a page: only active incidents and maintenances.

        See (docs/apis/instatus.md, "Public summary").
        """
        page = self.pages[page_index]
        base = f"https://{page.host}"
        when = js_date_text if page.spec_shaped else utc_ms
        incidents = self.changes.active(page.index, "incidents")
        maintenances = self.changes.active(page.index, "maintenances")
        return {
            "page": {"name": page.name, "url": base, "status": self.status(page)},
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

    def _site(self, page: Page) -> Record:
        """The full site row real payloads nest everywhere, other systems' credentials and all."""
        rng = Rng(self.seed, page.index, "site")

        def secret(kind: str, length: int = 24) -> str:
            return f"{LEAK_MARKER}{kind}-{rng.hex(length)}"

        return {
            "id": page.id,
            "name": page.name,
            "subdomain": page.subdomain,
            "customDomain": page.spec.custom_domain,
            "mainStatus": "UP",
            "language": "en",
            "publicEmail": f"support@{page.subdomain}.example",
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
            "mailgunDomain": f"mg.{page.subdomain}.example",
            "slackWebhook": secret("slack"),
            "subscribers": [
                {
                    "email": f"{LEAK_MARKER}{rng.hex(8)}@{page.subdomain}-customer.example",
                    "webhook": f"{LEAK_MARKER}https://hooks.example.net/{rng.hex(24)}",
                }
                for _ in range(2)
            ],
            "createdAt": utc_ms(page.created_ms),
            "updatedAt": utc_ms(page.updated_ms),
        }

    def page_record(self, page: Page) -> Record:
        rng = Rng(self.seed, page.index, "page-record")
        has_logo = page.index % 2 == 0
        assets = f"https://assets.example.com/{page.id}"
        return {
            "id": page.id,
            "subdomain": page.subdomain,
            "name": page.name,
            "workspaceId": cuid(self.seed, "workspace"),
            "logoUrl": f"{assets}/logo.png" if has_logo else None,
            "faviconUrl": f"{assets}/favicon.png" if has_logo else None,
            "websiteUrl": f"https://www.{page.subdomain}.example" if has_logo else None,
            "customDomain": page.spec.custom_domain,
            "publicEmail": f"support@{page.subdomain}.example" if rng.chance(0.6) else None,
            "twitter": None,
            "status": self.status(page),
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

    def status(self, page: Page) -> str:
        """UP, HASISSUES or UNDERMAINTENANCE, as summary.json shows it.

        See (docs/apis/instatus.md, "Public summary").
        """
        if self.changes.active(page.index, "incidents"):
            return "HASISSUES"
        running = [
            m for m in self.changes.active(page.index, "maintenances") if m.status == "INPROGRESS"
        ]
        return "UNDERMAINTENANCE" if running else "UP"

    def component(self, page: Page, row: int) -> Record:
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
        name = self.skeleton.component_name(page, row)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
        translated = rng.chance(0.1)
        description = f"{name} for all customers" if rng.chance(0.3) else ""
        group_id = None if group is None or is_parent else self.skeleton.parent_id(page, group)
        # Its own generator, so the fields real payloads added later change no other value.
        started = Rng(self.seed, page.index, "component-start", row)
        start_ms = created + started.below(30 * DAY) if started.chance(0.4) else None
        return {
            "id": self.skeleton.component_id(page, row),
            "name": name,
            "nameTranslationId": cuid(self.seed, page.index, "tr", row) if translated else None,
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

    def component_row(self, page: Page, row: int) -> Record:
        """A /components row: `group` is the full parent object or null, plus the site.

        See (docs/apis/instatus.md, "Endpoints").
        """
        record = self.component(page, row)
        group, offset = page.layout.locate(row)
        parent = None
        if group is not None and offset >= 0:
            parent = self.component(page, page.layout.group_row(group))
        return record | {"group": parent, "site": self._sites[page.index]}

    def event(self, page: Page, event: Event) -> Record:
        incident = event.kind == "incidents"
        rng = Rng(self.seed, page.index, "event-record", event.id)
        components = [
            self.component(page, r) | {"site": self._sites[page.index]}
            for r in event.component_rows
        ]
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
                "updates": self.updates(page, event),
                "components": components,
            }
        )

    def updates(self, page: Page, event: Event) -> list[Record]:
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
                    "site": self._sites[page.index],
                }
            )
        return rendered

    # Generation: the other lists

    def _template(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "template", row)
        template_id = cuid(self.seed, page.index, "template-id", row)
        rows = page.layout.pick_leaves(rng, 0, 2)
        maintenance = rng.chance(0.3)
        status = rng.pick(MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES)
        title = rng.pick(MAINTENANCE_TITLES if maintenance else INCIDENT_TITLES)
        name = title.format(self.skeleton.subject(page, rows))
        return {
            "id": template_id,
            "type": "MAINTENANCE" if maintenance else "INCIDENT",
            "label": f"{name} ({status.lower()})",
            "name": name,
            "nameTranslationId": None,
            "message": MESSAGES[status],
            "messageHtml": f"<p>{MESSAGES[status]}</p>",
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
                    "id": cuid(self.seed, page.index, "template-component", row, r),
                    "status": rng.pick(COMPONENT_STATUSES[1:]),
                    "componentId": self.skeleton.component_id(page, r),
                    "templateId": template_id,
                    "importedFromStatuspage": False,
                }
                for r in rows
            ],
            "translations": {"name": None, "message": None},
        }

    def _teammate(self, page: Page, row: int) -> Record:
        """A raw /team item `{id, user}`; the key's user is the first teammate it owns.

        See (docs/apis/instatus.md, "Endpoints").
        """
        if row == 0 and page.spec.owner:
            user = self.user()
        else:
            rng = Rng(self.seed, page.index, "teammate", row)
            first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
            user = {
                "id": cuid(self.seed, page.index, "teammate-user", row),
                "name": f"{first} {last}",
                "email": f"{first}.{last}{row}@{page.subdomain}.example".lower(),
                "avatar": f"https://avatars.example.com/{rng.hex(16)}.png"
                if rng.chance(0.4)
                else None,
            }
        return {
            "id": cuid(self.seed, page.index, "teammate-id", row),
            "user": {key: user[key] for key in ("id", "name", "email", "avatar")},
        }

    def _subscriber(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "subscriber", row)
        kind = rng.pick(_SUBSCRIBER_KINDS)
        first, last = rng.pick(_FIRST_NAMES), rng.pick(_LAST_NAMES)
        email = f"{first}.{last}{row}@example.com".lower()
        created = oldest_first_ms(rng, row, page.spec.subscribers)
        everything = rng.chance(0.5)
        picks = () if everything else page.layout.pick_leaves(rng, 1, 3)
        return {
            "id": cuid(self.seed, page.index, "subscriber-id", row),
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
                self.skeleton.component_id(page, r)
                if page.spec_shaped
                else {
                    "id": self.skeleton.component_id(page, r),
                    "name": self.skeleton.component_name(page, r),
                }
                for r in picks
            ],
        }

    def _metric(self, page: Page, row: int) -> Record:
        rng = Rng(self.seed, page.index, "metric", row)
        suffix = _METRICS[row % len(_METRICS)][1]
        last = EPOCH_MS - HOUR - rng.below(HOUR) // MINUTE * MINUTE
        stamps = [last - (DATAPOINTS - 1 - n) * 10 * MINUTE for n in range(DATAPOINTS)]
        scale = 1000 if suffix in ("ms", "jobs") else 100
        return {
            "id": cuid(self.seed, page.index, "metric-id", row),
            "name": cycled([metric for metric, _ in _METRICS], row),
            "nameTranslationId": None,
            "active": rng.chance(0.8),
            "order": row + 1,
            "suffix": suffix,
            "siteId": page.id,
            "lastDataAt": stamps[-1],
            "data": [{"timestamp": stamp, "value": rng.below(scale * 10) / 10} for stamp in stamps],
        }
