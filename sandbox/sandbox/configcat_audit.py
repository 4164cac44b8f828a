"""ConfigCat audit log entries as served by the audit log endpoints.

An entry's type, the config, environment and item it is about, and its text are pure functions
of its id (docs/apis/configcat.md, "Audit logs"); which entries exist, generated or added at
runtime, is `sandbox.configcat_changes`.
"""

from __future__ import annotations

import json

from sandbox.configcat_flags import typed_value
from sandbox.configcat_render import ConfigCatRender
from sandbox.configcat_skeleton import (
    GROUPS,
    SEGMENTS,
    TAG_NAMES,
    ConfigCatSkeleton,
    Product,
    env_name,
)
from sandbox.generate import Rng, cycled, utc_trimmed
from sandbox.server import Record

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


class AuditRender:
    """What each audit log entry is about, whether it matches the filters, and its record."""

    def __init__(self, skeleton: ConfigCatSkeleton, render: ConfigCatRender) -> None:
        self.seed = skeleton.seed
        self.skeleton = skeleton
        self.render = render

    def scope(self, product: Product, audit_id: int) -> tuple[int, int | None, int | None, int]:
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

    def matches(
        self,
        product_index: int,
        audit_id: int,
        config_id: str | None,
        environment_id: str | None,
        type_enum: str | None,
    ) -> bool:
        product = self.skeleton.products[product_index]
        kind, config, env, _ = self.scope(product, audit_id)
        if type_enum is not None and _AUDIT_TYPES[kind][0] != type_enum:
            return False
        if config_id is not None and (config is None or product.configs[config].id != config_id):
            return False
        return environment_id is None or (
            env is not None and product.environment_ids[env] == environment_id
        )

    def record(self, product_index: int, at_ms: int, audit_id: int) -> Record:
        product = self.skeleton.products[product_index]
        kind, config_pos, env_pos, target = self.scope(product, audit_id)
        enum, display, about, _ = _AUDIT_TYPES[kind]
        rng = Rng(self.seed, "audit-record", audit_id)
        user = self.skeleton.creator(product, rng)
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
                    where = f"{where} / {env_name(env_pos)}"
                    before, after = typed_value(setting, rng), typed_value(setting, rng)
                    details = json.dumps({"before": {"value": before}, "after": {"value": after}})
        elif about == "environment":
            action_target = env_name(target)
        elif about == "tag":
            action_target = cycled(TAG_NAMES, target)
        elif about == "segment":
            action_target = cycled(SEGMENTS, target)
        elif about == "webhook":
            action_target = f"Webhook {product.webhook_ids[target]}"
        elif about == "member":
            action_target = self.skeleton.orgs[product.org].users[product.members[target][0]].email
        elif about == "permission":
            action_target = cycled(GROUPS, target)
        elif about == "integration":
            action_target = self.render.integration(product_index, target)["name"]
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
