"""ConfigCat Public Management API streams: declarations only.

See (docs/apis/configcat.md, "Response envelopes").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from types import MappingProxyType
from typing import Any, ClassVar

from singer_sdk import Stream

from tap_configcat.client import MASK, ConfigCatStream
from tap_kit import FanOut, PageStyle, TimeWindows

AUDIT_WINDOWS = TimeWindows(
    # Windows over 30 days are refused; bounds inclusive (docs/apis/configcat.md, "Audit logs").
    length=timedelta(days=30),
    # Longest retention of any plan: no start_date reads all (docs/apis/configcat.md, "Audit logs").
    history=timedelta(days=750),
    # The next run re-asks this much before where this one stopped: our clock is not the server's.
    clock_margin=timedelta(minutes=15),
    from_param="fromUtcDateTime",
    to_param="toUtcDateTime",
)
PAGED_V2 = PageStyle(
    first_page=1, page_param="pageNumber", size_param="pageSize", more_flag=("paging", "hasNext")
)
# A row per entry of each role's list (docs/apis/configcat.md, "Response envelopes").
ROLE_LISTS = (("admins", "admin"), ("billingManagers", "billingManager"), ("members", "member"))


def members_by_role(body: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """A row per member of each role's list, with its `role`."""
    for key, role in ROLE_LISTS:
        for row in body.get(key) or []:
            yield {**row, "role": role}


def flagged_settings(report: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """A row per flagged setting of each config of a stale-flag report."""
    # A row per flagged setting of each config (docs/apis/configcat.md, "Response envelopes").
    for config in report.get("configs") or []:
        for setting in config.get("settings") or []:
            yield {
                "productId": report.get("productId"),
                "configId": config.get("configId"),
                **setting,
            }


def setting_value_rows(body: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The value rows of a values body: v2 `settingFormulas`, v1 `settingValues`."""
    # v1 `settingValues`, v2 `settingFormulas` (docs/apis/configcat.md, "Response envelopes").
    rows = body.get("settingFormulas") or body.get("settingValues") or []
    return (row for row in rows if isinstance(row, dict))


def with_setting_id(row: dict[str, Any]) -> dict[str, Any]:
    """The value row with its setting's id beside it."""
    return {**row, "settingId": (row.get("setting") or {}).get("settingId")}


def mask_secure_headers(row: dict[str, Any]) -> dict[str, Any]:
    """The webhook with the value of each secure header masked."""
    # Secure header values are secrets, masked (docs/apis/configcat.md, "Secrets").
    headers = [
        {**header, "value": MASK} if header.get("isSecure") else header
        for header in row.get("webHookHeaders") or []
    ]
    return {**row, "webHookHeaders": headers}


def mask_parameters(row: dict[str, Any]) -> dict[str, Any]:
    """The integration with every parameter value masked."""
    # Parameters hold third-party keys and webhook URLs (docs/apis/configcat.md, "Secrets").
    return {**row, "parameters": dict.fromkeys(row.get("parameters") or {}, MASK)}


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
    rows_from_body = members_by_role


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
    # Products of filtered-out organizations go too (they list every visible product).
    filter_fields = MappingProxyType({"organization_ids": ("organization", "organizationId")})


class ProductChild(ConfigCatStream):
    parent_stream_type = ProductsStream
    parent_keys = ("productId",)
    state_partitioning_keys: tuple[str, ...] = ()


class EnvironmentsStream(ProductChild):
    name = "environments"
    path = "/v1/products/{productId}/environments"
    primary_keys = ("environmentId",)


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
    mask_row = mask_secure_headers


class IntegrationsStream(ProductChild):
    name = "integrations"
    path = "/v1/products/{productId}/integrations"
    primary_keys = ("integrationId",)
    records_key = "integrations"
    mask_row = mask_parameters


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
    rows_from_body = flagged_settings


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
    time_windows = AUDIT_WINDOWS


class ConfigChild(ConfigCatStream):
    parent_stream_type = ConfigsStream
    parent_keys: ClassVar[tuple[str, ...]] = ("productId", "configId")
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
    # Per environment of the product (docs/apis/configcat.md, "Config evaluation versions").
    fan_out = FanOut(stream="environments", key="environmentId", scope=("productId",))
    parent_keys = ("productId", "configId", "evaluationVersion")
    rows_from_body = setting_value_rows
    reshape_row = with_setting_id


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
