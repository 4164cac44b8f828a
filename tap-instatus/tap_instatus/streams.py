"""Instatus streams: declarations only (docs/apis/instatus.md, "Endpoints")."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from singer_sdk import Stream

from tap_instatus.client import InstatusEmbeddedStream, InstatusRecords, InstatusStream
from tap_kit import PAGE_AND_PER_PAGE, SINGLE_PAGE, KitRESTStream


def public_host(page: Mapping[str, Any]) -> str:
    """The host of a page's public site: its custom domain, else its instatus.com subdomain."""
    # Custom domain, else subdomain (docs/apis/instatus.md, "Base URLs and authentication").
    return str(page.get("customDomain") or f"{page.get('subdomain')}.instatus.com")


def flatten_team_member(item: dict[str, Any]) -> dict[str, Any]:
    """One flat row per {id, user} item: the user's fields, the item's, userId = user.id."""
    user = item.get("user") or {}
    row = {k: v for k, v in item.items() if k != "user"}
    return {**{k: v for k, v in user.items() if k != "id"}, **row, "userId": user.get("id")}


class StatusPagesStream(InstatusStream):
    name = "status_pages"
    path = "/v2/pages"
    primary_keys = ("id",)
    # per_page defaults to 50: always ask for 100 (docs/apis/instatus.md, "Pagination").
    page_style = PAGE_AND_PER_PAGE
    child_context_key = "page_id"
    filter_setting = "page_ids"
    # The `{host}` of public_url_template, for public_data.
    derived_child_context = MappingProxyType({"host": public_host})


class PageScopedStream(InstatusStream):
    parent_stream_type = StatusPagesStream
    parent_keys = ("page_id",)
    primary_keys = ("id",)
    page_style = PAGE_AND_PER_PAGE
    state_partitioning_keys = ("page_id",)  # The host stays out of state and records.
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
    # One flat row per {id, user} item, userId = user.id (docs/apis/instatus.md, "Endpoints").
    reshape_row = flatten_team_member


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
    url_template_setting = "public_url_template"
    best_effort_source = True


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
