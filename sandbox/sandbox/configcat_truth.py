"""ConfigCat ground truth: what a correct tap emits from the sandbox's ConfigCat data.

Records keep the API's field names and nesting; parent keys are added where the API record lacks
them (``productId``, ``configId``, ``environmentId``); secure webhook header values and
integration parameters are masked. The stream rules are in `sandbox.configcat`'s docstring.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from sandbox.configcat_audit import AuditRender
from sandbox.configcat_changes import ConfigCatChanges
from sandbox.configcat_flags import FlagRender
from sandbox.configcat_render import ConfigCatRender
from sandbox.configcat_skeleton import ConfigCatSkeleton, Product
from sandbox.server import GroundTruthStreams, Record

MASK = "***"
"""What the ground truth puts in place of secure webhook header values and integration params."""
ROLES = ("admin", "billingManager", "member")
"""``role`` of flattened organization members, one per list of the v2 members envelope."""


class ConfigCatTruth:
    """The ground truth streams, in the order a tap syncs them."""

    def __init__(
        self,
        skeleton: ConfigCatSkeleton,
        changes: ConfigCatChanges,
        render: ConfigCatRender,
        flags: FlagRender,
        audit: AuditRender,
    ) -> None:
        self.skeleton = skeleton
        self.changes = changes
        self.render = render
        self.flags = flags
        self.audit = audit

    def ground_truth(self) -> GroundTruthStreams:
        """What a correct tap emits; the rules are in the module docstring."""
        orgs = self.skeleton.orgs
        products = self.skeleton.ordered_products()
        yield "organizations", self.render.organizations()
        yield "organization_members", self._truth_org_members()
        yield (
            "organization_invitations",
            (
                invitation | {"organizationId": org.id}
                for org in orgs
                for invitation in self.render.organization_invitations(org.index)
            ),
        )
        yield "products", self.render.products()
        yield "product_members", (m for p in products for m in self.render.product_members(p.index))
        for stream, segment in (
            ("product_invitations", "invitations"),
            ("environments", "environments"),
            ("configs", "configs"),
            ("tags", "tags"),
            ("segments", "segments"),
            ("permission_groups", "permissions"),
        ):
            yield stream, self._truth_product_list(products, segment)
        yield (
            "webhooks",
            (self._mask_webhook(r) for r in self._truth_product_list(products, "webhooks")),
        )
        yield "integrations", self._truth_integrations(products)
        yield (
            "settings",
            (
                record | {"productId": p.id}
                for p in products
                for config in p.configs
                for record in self.flags.settings(config)
            ),
        )
        yield (
            "deleted_settings",
            (
                record | {"configId": config.id, "productId": p.id}
                for p in products
                for config in p.configs
                for record in self.flags.deleted_settings(config)
            ),
        )
        yield "stale_flags", self._truth_stale_flags(products)
        yield "setting_values", self._truth_setting_values(products)
        yield "audit_logs", self._truth_audit_logs(products)

    def _truth_org_members(self) -> Iterator[Record]:
        for org in self.skeleton.orgs:
            envelope = self.render.organization_members_v2(org.index)
            for role, role_list in zip(
                ROLES, ("admins", "billingManagers", "members"), strict=True
            ):
                for member in envelope[role_list]:
                    yield member | {"organizationId": org.id, "role": role}

    def _truth_product_list(self, products: Sequence[Product], segment: str) -> Iterator[Record]:
        for product in products:
            for record in self.render.product_list(product.index, segment) or []:
                record.setdefault("productId", product.id)
                yield record

    @staticmethod
    def _mask_webhook(record: Record) -> Record:
        for header in record["webHookHeaders"]:
            if header["isSecure"]:
                header["value"] = MASK
        return record

    def _truth_integrations(self, products: Sequence[Product]) -> Iterator[Record]:
        for product in products:
            for record in self.render.integrations(product.index)["integrations"]:
                record["parameters"] = dict.fromkeys(record["parameters"], MASK)
                yield record | {"productId": product.id}

    def _truth_stale_flags(self, products: Sequence[Product]) -> Iterator[Record]:
        for product in products:
            for config in self.flags.stale_flags(product.index)["configs"]:
                for setting in config["settings"]:
                    yield {"productId": product.id, "configId": config["configId"], **setting}

    def _truth_setting_values(self, products: Sequence[Product]) -> Iterator[Record]:
        for product in products:
            for config in product.configs:
                for env_position, env_id in enumerate(product.environment_ids):
                    envelope = self.flags.setting_values(config, env_position)
                    items = envelope[
                        "settingValues" if config.version == "v1" else "settingFormulas"
                    ]
                    for item in items:
                        record = item | {
                            "productId": product.id,
                            "configId": config.id,
                            "environmentId": env_id,
                            "settingId": item["setting"]["settingId"],
                            "evaluationVersion": config.version,
                        }
                        if "value" in item:
                            record["value_json"] = json.dumps(item["value"], ensure_ascii=False)
                        yield record

    def _truth_audit_logs(self, products: Sequence[Product]) -> Iterator[Record]:
        for product in products:
            for at, audit_id, index in self.changes.all_audit_entries(product.index):
                yield self.audit.record(index, at, audit_id) | {"productId": product.id}
