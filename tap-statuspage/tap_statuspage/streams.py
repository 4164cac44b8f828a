"""Statuspage streams, declarations only: the manage API v1 and the public Status API v2."""

from __future__ import annotations

from collections.abc import Iterable
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import requests
from singer_sdk import Stream
from typing_extensions import override

from tap_kit import (
    PAGE_AND_LIMIT,
    PAGE_AND_PER_PAGE,
    SINGLE_PAGE,
    ZERO_BASED_PAGE_AND_LIMIT,
    CalendarMonths,
)
from tap_kit.responses import json_body
from tap_statuspage.client import (
    ManageAPIStream,
    PublicStatusStream,
    StatuspageEmbeddedStream,
)

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class PagesStream(ManageAPIStream):
    name = "pages"
    path = "/pages"
    primary_keys = ("id",)
    # Paging /pages would repeat it forever (docs/apis/statuspage.md, "Unpaginated lists").
    page_style = SINGLE_PAGE
    child_context_key = "page_id"
    # Components' uptime months are counted in the page's time zone.
    child_context_fields = ("time_zone",)
    filter_setting = "page_ids"


class PageScopedStream(ManageAPIStream):
    parent_stream_type = PagesStream
    parent_keys = ("page_id",)
    primary_keys = ("id",)
    state_partitioning_keys = ("page_id",)  # Not the time zone the page hands on.


class ComponentGroupsStream(PageScopedStream):
    name = "component_groups"
    path = "/pages/{page_id}/component-groups"
    page_style = PAGE_AND_PER_PAGE


class ComponentsStream(PageScopedStream):
    name = "components"
    path = "/pages/{page_id}/components"
    # Unpaginated component reads are limited to 1/min (docs/apis/statuspage.md, "Rate limits").
    page_style = PAGE_AND_PER_PAGE
    child_context_key = "component_id"
    passed_keys = ("time_zone",)
    child_context_fields = ("group", "start_date", "created_at")


class ComponentUptimeStream(ManageAPIStream):
    """Statuspage's own uptime figures per component and calendar month of the page's time zone.

    See (docs/apis/statuspage.md, "Component uptime").
    """

    name = "component_uptime"
    parent_stream_type = ComponentsStream
    parent_keys = ("page_id", "component_id")
    path = "/pages/{page_id}/components/{component_id}/uptime"
    primary_keys = ("page_id", "component_id", "range_start")
    replication_key = "range_start"
    is_sorted = True
    state_partitioning_keys = ("page_id", "component_id")
    page_style = SINGLE_PAGE
    body_is_object = True
    # A request per component and month: opt in (docs/apis/statuspage.md, "Component uptime").
    selected_by_default = False
    skip_partitions_flagged = "group"  # Group rows have an endpoint of their own.
    # 404/422: no uptime for this component (showcase off, or a group row); skip just it.
    partition_statuses = frozenset({401, 403, 404, 422})
    calendar_windows = CalendarMonths(
        start_param="start",
        end_param="end",
        first_day_keys=("start_date", "created_at"),
        time_zone_key="time_zone",
    )


class IncidentsStream(PageScopedStream):
    name = "incidents"
    path = "/pages/{page_id}/incidents"
    # `limit`, not `per_page`, on incidents (docs/apis/statuspage.md, "Page and limit").
    page_style = PAGE_AND_LIMIT
    replication_key = "updated_at"
    # Unordered: filtered client-side (docs/apis/statuspage.md, "Incidents and their updates").
    is_sorted = False
    state_partitioning_keys = ("page_id",)
    child_context_key = "incident_id"


class IncidentUpdatesStream(StatuspageEmbeddedStream):
    name = "incident_updates"
    parent_stream_type: type[Stream] | None = IncidentsStream
    # Complete in each incident (docs/apis/statuspage.md, "Incidents and their updates").
    embedded_field = "incident_updates"
    parent_keys = ("page_id", "incident_id")
    primary_keys = ("id",)
    replication_key = "updated_at"
    is_sorted = False
    # One bookmark per page, like the parent: a page read for the first time gets all its updates.
    state_partitioning_keys = ("page_id",)


class IncidentTemplatesStream(PageScopedStream):
    name = "incident_templates"
    path = "/pages/{page_id}/incident_templates"
    page_style = PAGE_AND_PER_PAGE


class SubscribersStream(PageScopedStream):
    name = "subscribers"
    path = "/pages/{page_id}/subscribers"
    # Page 0 is the first page (docs/apis/statuspage.md, "Zero-based page and limit").
    page_style = ZERO_BASED_PAGE_AND_LIMIT
    extra_params = MappingProxyType(
        {"state": "all"}
    )  # The default `active` hides the other states (docs/apis/statuspage.md, "Subscribers").


class MetricsProvidersStream(PageScopedStream):
    name = "metrics_providers"
    path = "/pages/{page_id}/metrics_providers"
    page_style = SINGLE_PAGE


class MetricsStream(PageScopedStream):
    name = "metrics"
    path = "/pages/{page_id}/metrics"
    page_style = PAGE_AND_PER_PAGE


class PageAccessUsersStream(PageScopedStream):
    name = "page_access_users"
    path = "/pages/{page_id}/page_access_users"
    page_style = PAGE_AND_PER_PAGE


class PageAccessGroupsStream(PageScopedStream):
    name = "page_access_groups"
    path = "/pages/{page_id}/page_access_groups"
    page_style = PAGE_AND_PER_PAGE


class UsersStream(ManageAPIStream):
    name = "users"
    path = "/organizations/{organization_id}/users"
    primary_keys = ("id",)
    page_style = PAGE_AND_PER_PAGE

    @override
    def get_records(self, context: Any) -> Any:
        if not self.config.get("organization_id"):
            self.logger.info("Stream users needs the organization_id setting; none is set.")
            return
        yield from super().get_records(context)


MANAGE_STREAMS: tuple[type[Stream], ...] = (
    PagesStream,
    ComponentGroupsStream,
    ComponentsStream,
    ComponentUptimeStream,
    IncidentsStream,
    IncidentUpdatesStream,
    IncidentTemplatesStream,
    SubscribersStream,
    MetricsProvidersStream,
    MetricsStream,
    PageAccessUsersStream,
    PageAccessGroupsStream,
    UsersStream,
)


# The same stream names, filled from public pages (docs/apis/statuspage.md, "Public Status API v2").


class PublicPagesStream(PublicStatusStream):
    """summary.json, read once per page: the page, and what its children take from it.

    See (docs/apis/statuspage.md, "Public Status API v2").
    """

    name = "pages"
    path = "/api/v2/summary.json"
    records_key = "page"
    body_is_object = True
    primary_keys = ("id",)
    page_style = SINGLE_PAGE
    child_context_key = "page_id"
    state_partitioning_keys = ()  # Full table: no state, and the URL stays out of records.
    _summary: dict[str, Any] = {}  # noqa: RUF012 (replaced per response, never mutated)

    @property
    @override
    def partitions(self) -> list[dict[str, Any]]:
        return [{"page_url": url} for url in self.config.get("status_page_urls") or []]

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        body = json_body(response)
        self._summary = body if isinstance(body, dict) else {}
        yield from super().parse_response(response)

    @override
    def get_child_context(
        self, record: dict[str, Any], context: Context | None
    ) -> dict[str, Any] | None:
        child = super().get_child_context(record, context)
        # The whole summary embeds status and every component row: no request of their own.
        self.current_record = self._summary
        return child


class PublicSummaryStream(StatuspageEmbeddedStream):
    parent_stream_type: type[Stream] | None = PublicPagesStream
    parent_keys = ("page_id",)
    primary_keys = ("id",)
    state_partitioning_keys = ("page_id",)  # Not the page's URL: it is no field of the API's.


class PublicPageStatusStream(PublicSummaryStream):
    name = "page_status"
    embedded_field = "status"
    primary_keys = ("page_id",)


class PublicComponentsStream(PublicSummaryStream):
    name = "components"
    embedded_field = "components"


class PublicComponentGroupsStream(PublicSummaryStream):
    name = "component_groups"
    embedded_field = "components"

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        # No v2 group list: rows flagged `group` (docs/apis/statuspage.md, "Public Status API v2").
        return super().post_process(row, context) if row.get("group") else None


class PublicIncidentsStream(PublicStatusStream):
    name = "incidents"
    parent_stream_type = PublicPagesStream
    parent_keys = ("page_id",)
    primary_keys = ("id",)
    page_style = SINGLE_PAGE
    # v2 lists incidents and maintenances apart (docs/apis/statuspage.md, "Public Status API v2").
    feeds = (
        ("/api/v2/incidents.json", "incidents"),
        ("/api/v2/scheduled-maintenances.json", "scheduled_maintenances"),
    )
    path = "/api/v2/incidents.json"
    replication_key = "updated_at"
    is_sorted = False
    state_partitioning_keys = ("page_id",)
    child_context_key = "incident_id"


class PublicIncidentUpdatesStream(IncidentUpdatesStream):
    parent_stream_type: type[Stream] | None = PublicIncidentsStream


PUBLIC_STREAMS: tuple[type[Stream], ...] = (
    PublicPagesStream,
    PublicPageStatusStream,
    PublicComponentGroupsStream,
    PublicComponentsStream,
    PublicIncidentsStream,
    PublicIncidentUpdatesStream,
)
