"""Instatus streams: declarations only (docs/apis/instatus.md, "Endpoints")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import requests
from singer_sdk import Stream
from typing_extensions import override

from tap_instatus.client import InstatusEmbeddedStream, InstatusRecords, InstatusStream
from tap_kit import PAGE_AND_PER_PAGE, SINGLE_PAGE, KitRESTStream
from tap_kit.responses import json_body

if TYPE_CHECKING:
    from collections.abc import Iterable

    from singer_sdk.helpers.types import Context


class StatusPagesStream(InstatusStream):
    name = "status_pages"
    path = "/v2/pages"
    primary_keys = ("id",)
    # per_page defaults to 50: always ask for 100 (docs/apis/instatus.md, "Pagination").
    page_style = PAGE_AND_PER_PAGE
    child_context_key = "page_id"
    filter_setting = "page_ids"

    @override
    def get_child_context(
        self, record: dict[str, Any], context: Context | None
    ) -> dict[str, Any] | None:
        child = super().get_child_context(record, context) or {}
        # Custom domain, else subdomain (docs/apis/instatus.md, "Base URLs and authentication").
        child["public_host"] = (
            record.get("customDomain") or f"{record.get('subdomain')}.instatus.com"
        )
        return child


class PageScopedStream(InstatusStream):
    parent_stream_type = StatusPagesStream
    parent_keys = ("page_id",)
    primary_keys = ("id",)
    page_style = PAGE_AND_PER_PAGE
    state_partitioning_keys = ("page_id",)  # The public host stays out of state and records.
    # 401 on a page-scoped list means the key's user does not own the page: every list of it
    # answers the same, so the first refusal skips the page's other lists without a request.
    parent_refusal_statuses = frozenset({401})


class ComponentsStream(PageScopedStream):
    name = "components"
    path = "/v1/{page_id}/components"


class IncidentsStream(PageScopedStream):
    name = "incidents"
    path = "/v1/{page_id}/incidents"
    replication_key = "updatedAt"
    # No server-side time filter and no documented order (docs/apis/instatus.md, "Pagination").
    is_sorted = False
    child_context_key = "incident_id"


class IncidentUpdatesStream(InstatusEmbeddedStream):
    name = "incident_updates"
    parent_stream_type: type[Stream] | None = IncidentsStream
    # Fully embedded; the API has no list endpoint for them (docs/apis/instatus.md, "Endpoints").
    embedded_field = "updates"
    parent_keys = ("page_id", "incident_id")
    primary_keys = ("id",)
    replication_key = "updatedAt"
    is_sorted = False
    # One bookmark per page, like the parent: a page read for the first time gets all its updates.
    state_partitioning_keys = ("page_id",)


class MaintenancesStream(PageScopedStream):
    name = "maintenances"
    path = "/v1/{page_id}/maintenances"
    replication_key = "updatedAt"
    is_sorted = False
    child_context_key = "maintenance_id"


class MaintenanceUpdatesStream(InstatusEmbeddedStream):
    name = "maintenance_updates"
    parent_stream_type: type[Stream] | None = MaintenancesStream
    embedded_field = "updates"
    parent_keys = ("page_id", "maintenance_id")
    primary_keys = ("id",)
    replication_key = "updatedAt"
    is_sorted = False
    state_partitioning_keys = ("page_id",)


class TemplatesStream(PageScopedStream):
    name = "templates"
    path = "/v1/{page_id}/templates"


class TeamStream(PageScopedStream):
    name = "team"
    path = "/v1/{page_id}/team"

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        # One flat row per {id, user} item, userId = user.id (docs/apis/instatus.md, "Endpoints").
        user = row.pop("user", None) or {}
        flat = {**{k: v for k, v in user.items() if k != "id"}, **row, "userId": user.get("id")}
        return super().post_process(flat, context)


class SubscribersStream(PageScopedStream):
    name = "subscribers"
    # The current documented path (docs/apis/instatus.md, "v1 and v2 paths").
    path = "/v2/{page_id}/subscribers"


class MetricsStream(PageScopedStream):
    name = "metrics"
    path = "/v1/{page_id}/metrics"


class UserStream(InstatusStream):
    name = "user"
    path = "/v1/user"
    primary_keys = ("id",)
    page_style = SINGLE_PAGE
    body_is_object = True


class PublicDataStream(InstatusRecords, KitRESTStream):
    """The page's public summary.json, read from its own host without the API key.

    See (docs/apis/instatus.md, "Public summary").
    """

    name = "public_data"
    path = "/summary.json"  # Informational: the URL comes from public_url_template.
    parent_stream_type = StatusPagesStream
    parent_keys = ("page_id",)
    primary_keys = ("page_id",)
    page_style = SINGLE_PAGE
    body_is_object = True
    state_partitioning_keys = ("page_id",)
    # The page's own host, outside the API: a failing one skips this page's public_data only.
    url_setting = "public_url_template"
    best_effort_source = True

    @override
    def get_url(self, context: Context | None) -> str:
        template = str(self.config.get("public_url_template") or "https://{host}/summary.json")
        return template.replace("{host}", str((context or {}).get("public_host", "")))

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        body = json_body(response)
        if isinstance(body, dict):
            yield dict(body)


STREAMS: tuple[type[Stream], ...] = (
    StatusPagesStream,
    ComponentsStream,
    IncidentsStream,
    IncidentUpdatesStream,
    MaintenancesStream,
    MaintenanceUpdatesStream,
    TemplatesStream,
    TeamStream,
    SubscribersStream,
    MetricsStream,
    UserStream,
    PublicDataStream,
)
