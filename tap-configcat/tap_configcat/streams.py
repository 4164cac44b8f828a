"""ConfigCat Public Management API streams: declarations only.

See (docs/apis/configcat.md, "Response envelopes").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, cast

import requests
from singer_sdk import Stream
from typing_extensions import override

from tap_configcat.client import MASK, ConfigCatStream
from tap_kit import PageStyle, PartitionUnavailableError
from tap_kit.responses import json_body

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_configcat.tap import TapConfigCat

# Windows over 30 days are refused; bounds inclusive (docs/apis/configcat.md, "Audit logs").
AUDIT_WINDOW = timedelta(days=30)
# Longest retention of any plan: no start_date reads all (docs/apis/configcat.md, "Audit logs").
AUDIT_RETENTION = timedelta(days=750)
# The next run re-asks this much before where this one stopped: our clock is not the server's.
AUDIT_CLOCK_MARGIN = timedelta(minutes=15)
PAGED_V2 = PageStyle(
    first_page=1, page_param="pageNumber", size_param="pageSize", more_flag=("paging", "hasNext")
)


class OrganizationsStream(ConfigCatStream):
    name = "organizations"
    path = "/v1/organizations"
    primary_keys = ("organizationId",)
    child_context_key = "organizationId"
    filter_setting = "organization_ids"


class OrganizationChild(ConfigCatStream):
    parent_stream_type = OrganizationsStream
    parent_keys = ("organizationId",)
    state_partitioning_keys = ()  # Full table: no per-organization state.


class OrganizationMembersStream(OrganizationChild):
    name = "organization_members"
    path = "/v2/organizations/{organizationId}/members"
    primary_keys = ("organizationId", "userId", "role")
    body_is_object = True  # The v2 envelope: one list per role.
    # A row per entry of each role's list (docs/apis/configcat.md, "Response envelopes").
    role_lists: ClassVar[tuple[tuple[str, str], ...]] = (
        ("admins", "admin"),
        ("billingManagers", "billingManager"),
        ("members", "member"),
    )

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        body = json_body(response)
        for key, role in self.role_lists:
            for row in body.get(key) or [] if isinstance(body, dict) else []:
                yield {**row, "role": role}


class OrganizationInvitationsStream(OrganizationChild):
    name = "organization_invitations"
    path = "/v1/organizations/{organizationId}/invitations"
    primary_keys = ("invitationId",)


class ProductsStream(ConfigCatStream):
    name = "products"
    path = "/v1/products"
    primary_keys = ("productId",)
    child_context_key = "productId"
    filter_setting = "product_ids"

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        # Products of filtered-out organizations go too (they list every visible product).
        organization_ids = self.config.get("organization_ids")
        organization_id = (row.get("organization") or {}).get("organizationId")
        if organization_ids and organization_id not in organization_ids:
            return None
        return super().post_process(row, context)


class ProductChild(ConfigCatStream):
    parent_stream_type = ProductsStream
    parent_keys = ("productId",)
    state_partitioning_keys: tuple[str, ...] = ()


class EnvironmentsStream(ProductChild):
    name = "environments"
    path = "/v1/products/{productId}/environments"
    primary_keys = ("environmentId",)

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        # Kept: setting_values reuses it (docs/apis/configcat.md, "Config evaluation versions").
        tap = cast("TapConfigCat", self._tap)
        ids = tap.environment_ids[str((context or {})["productId"])] = []
        for row in super().get_records(context):
            ids.append(row["environmentId"])
            yield row


class ConfigsStream(ProductChild):
    name = "configs"
    path = "/v1/products/{productId}/configs"
    primary_keys = ("configId",)
    child_context_key = "configId"
    # Routes setting values to v1 or v2 (docs/apis/configcat.md, "Config evaluation versions").
    child_context_fields = ("evaluationVersion",)


class TagsStream(ProductChild):
    name = "tags"
    path = "/v1/products/{productId}/tags"
    primary_keys = ("tagId",)


class SegmentsStream(ProductChild):
    name = "segments"
    path = "/v1/products/{productId}/segments"
    primary_keys = ("segmentId",)


class PermissionGroupsStream(ProductChild):
    name = "permission_groups"
    path = "/v1/products/{productId}/permissions"
    primary_keys = ("permissionGroupId",)


class WebhooksStream(ProductChild):
    name = "webhooks"
    path = "/v1/products/{productId}/webhooks"
    primary_keys = ("webhookId",)

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        # Secure header values are secrets, masked (docs/apis/configcat.md, "Secrets").
        row["webHookHeaders"] = [
            {**header, "value": MASK} if header.get("isSecure") else header
            for header in row.get("webHookHeaders") or []
        ]
        return super().post_process(row, context)


class IntegrationsStream(ProductChild):
    name = "integrations"
    path = "/v1/products/{productId}/integrations"
    primary_keys = ("integrationId",)
    records_key = "integrations"

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        # Parameters hold third-party keys and webhook URLs (docs/apis/configcat.md, "Secrets").
        row["parameters"] = dict.fromkeys(row.get("parameters") or {}, MASK)
        return super().post_process(row, context)


class ProductMembersStream(ProductChild):
    name = "product_members"
    path = "/v1/products/{productId}/members"
    primary_keys = ("productId", "userId")


class ProductInvitationsStream(ProductChild):
    name = "product_invitations"
    path = "/v1/products/{productId}/invitations"
    primary_keys = ("invitationId",)


class StaleFlagsStream(ProductChild):
    name = "stale_flags"
    path = "/v1/products/{productId}/staleflags"
    primary_keys = ("productId", "settingId")
    body_is_object = True  # One report per product.

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        # A row per flagged setting of each config (docs/apis/configcat.md, "Response envelopes").
        body = json_body(response)
        for config in body.get("configs") or [] if isinstance(body, dict) else []:
            for setting in config.get("settings") or []:
                yield {
                    "productId": body.get("productId"),
                    "configId": config.get("configId"),
                    **setting,
                }


class AuditLogsStream(ProductChild):
    name = "audit_logs"
    path = "/v2/products/{productId}/auditlogs"
    primary_keys = ("auditLogId",)
    records_key = "data"
    page_style = PAGED_V2
    replication_key = "auditLogDateTime"
    is_sorted = False  # Newest first within a window.
    state_partitioning_keys = ("productId",)
    bookmark_is_exclusive = True  # The inclusive `from` bound re-sends the bookmarked entry.
    _window: tuple[datetime, datetime] = (datetime.min.replace(tzinfo=UTC),) * 2

    def windows(self, context: Context | None) -> Iterable[tuple[datetime, datetime]]:
        """Consecutive windows of at most 30 days from the bookmark (or start_date) to now."""
        now = datetime.now(UTC)
        start_value = self.get_starting_replication_key_value(context)
        start = datetime.fromisoformat(str(start_value)) if start_value else now - AUDIT_RETENTION
        start = start if start.tzinfo else start.replace(tzinfo=UTC)
        while start < now:
            end = min(start + AUDIT_WINDOW, now)
            yield start, end
            start = end

    @override
    def get_url_params(self, context: Context | None, next_page_token: Any) -> dict[str, Any]:
        params = super().get_url_params(context, next_page_token)
        params["fromUtcDateTime"] = self._window[0].isoformat().replace("+00:00", "Z")
        params["toUtcDateTime"] = self._window[1].isoformat().replace("+00:00", "Z")
        return params

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        seen: set[Any] = set()
        read_until: datetime | None = None
        try:
            for window in self.windows(context):
                self._window = window
                for row in self.request_records(context):
                    # Adjacent windows share their boundary instant: each entry once.
                    if row.get("auditLogId") not in seen:
                        seen.add(row.get("auditLogId"))
                        yield row
                read_until = window[1]
        except PartitionUnavailableError as exc:
            self.kit_tap.handle_unavailable(self, exc, context)
            return
        if read_until is not None:
            # Everything up to the last window's end is read, entries or not, so a quiet product
            # costs one window next time; the bookmark is the later of the newest entry seen and
            # that end less a margin for clock skew (entries seen are never re-emitted).
            safe_end = read_until - AUDIT_CLOCK_MARGIN
            marker = {self.replication_key: safe_end.isoformat().replace("+00:00", "Z")}
            self._increment_stream_state(marker, context=context)


class ConfigChild(ConfigCatStream):
    parent_stream_type = ConfigsStream
    parent_keys = ("productId", "configId")
    state_partitioning_keys = ()


class SettingsStream(ConfigChild):
    name = "settings"
    path = "/v1/configs/{configId}/settings"
    primary_keys = ("settingId",)


class DeletedSettingsStream(ConfigChild):
    name = "deleted_settings"
    path = "/v1/configs/{configId}/deleted-settings"
    primary_keys = ("configId", "key")


class SettingValuesStream(ConfigChild):
    """Values of every setting, per config x environment of its product.

    See (docs/apis/configcat.md, "Config evaluation versions").
    """

    name = "setting_values"
    # Each config is asked only its own way (docs/apis/configcat.md, "Config evaluation versions").
    path = "/{evaluationVersion}/configs/{configId}/environments/{environmentId}/values"
    primary_keys = ("configId", "environmentId", "settingId")
    body_is_object = True  # The values sit under settingFormulas (v2) or settingValues (v1).
    # A flag's value is a boolean, number or string by the flag's type: exact as `value_json`.
    json_text_fields = ("value",)

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        context = dict(context or {})
        try:
            environment_ids = self.environment_ids(str(context["productId"]))
        except PartitionUnavailableError as exc:
            self.kit_tap.handle_unavailable(self, exc, context)
            return
        for environment_id in environment_ids:
            partition = {**context, "environmentId": environment_id}
            for row in super().get_records(partition):
                setting = row.get("setting") or {}
                yield {
                    **row,
                    "configId": context["configId"],
                    "environmentId": environment_id,
                    "settingId": setting.get("settingId"),
                    "evaluationVersion": context.get("evaluationVersion"),
                }

    def environment_ids(self, product_id: str) -> list[str]:
        """The product's environments: as just synced, else read once for this product."""
        tap = cast("TapConfigCat", self._tap)
        if product_id not in tap.environment_ids:
            # environments is not selected: read its list once, without emitting it.
            environments = cast("EnvironmentsStream", tap.streams["environments"])
            tap.environment_ids[product_id] = [
                row["environmentId"]
                for row in environments.request_records({"productId": product_id})
            ]
        return tap.environment_ids[product_id]

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        body = json_body(response)
        # v1 `settingValues`, v2 `settingFormulas` (docs/apis/configcat.md, "Response envelopes").
        rows = (
            (body.get("settingFormulas") or body.get("settingValues") or [])
            if isinstance(body, dict)
            else []
        )
        yield from (row for row in rows if isinstance(row, dict))


STREAMS: tuple[type[Stream], ...] = (
    OrganizationsStream,
    OrganizationMembersStream,
    OrganizationInvitationsStream,
    ProductsStream,
    EnvironmentsStream,
    ConfigsStream,
    TagsStream,
    SegmentsStream,
    PermissionGroupsStream,
    WebhooksStream,
    IntegrationsStream,
    ProductMembersStream,
    ProductInvitationsStream,
    StaleFlagsStream,
    AuditLogsStream,
    SettingsStream,
    DeletedSettingsStream,
    SettingValuesStream,
)
