"""ConfigCat rendering: organizations, people, products and the lists below a product.

The JSON the Public Management API serves for the skeleton's rows, each object embedding its
parent chain (docs/apis/configcat.md, "Response envelopes"); feature flags and their values are
`sandbox.configcat_flags`, audit log entries `sandbox.configcat_audit`. Secrets (webhook header
values, signing keys, integration parameters) are served raw and each contains `SECRET_MARKER`.
"""

from __future__ import annotations

from collections.abc import Callable

from sandbox.configcat_skeleton import (
    ENVIRONMENTS,
    GROUPS,
    SEGMENTS,
    TAG_NAMES,
    Config,
    ConfigCatSkeleton,
    Product,
    User,
    env_name,
    secret,
)
from sandbox.generate import DAY, SECOND, YEAR, Rng, cycled, utc_trimmed
from sandbox.server import Record

_PERMISSION_FLAGS = (
    "canManageMembers",
    "canCreateOrUpdateConfig",
    "canDeleteConfig",
    "canCreateOrUpdateEnvironment",
    "canDeleteEnvironment",
    "canCreateOrUpdateSetting",
    "canTagSetting",
    "canDeleteSetting",
    "canCreateOrUpdateTag",
    "canDeleteTag",
    "canManageWebhook",
    "canUseExportImport",
    "canManageProductPreferences",
    "canManageIntegrations",
    "canViewSdkKey",
    "canRotateSdkKey",
    "canCreateOrUpdateSegments",
    "canDeleteSegments",
    "canViewProductAuditLog",
    "canViewProductStatistics",
    "canDisable2FA",
)
_TAG_COLORS = ("panther", "whale", "salmon", "lizard", "canary", "koala")
_INTEGRATIONS = ("dataDog", "slack", "amplitude", "mixPanel", "segment", "pubNub")


class ConfigCatRender:
    """Organizations, members, invitations, products and every product list, as served."""

    def __init__(self, skeleton: ConfigCatSkeleton) -> None:
        self.seed = skeleton.seed
        self.skeleton = skeleton

    # Records: organizations and people

    def me(self) -> Record:
        return {"email": self.skeleton.owner.email, "fullName": self.skeleton.owner.full_name}

    def organization(self, org_index: int) -> Record:
        org = self.skeleton.orgs[org_index]
        return {"organizationId": org.id, "name": org.name}

    def organizations(self) -> list[Record]:
        return [self.organization(org.index) for org in self.skeleton.orgs]

    def _person(self, user: User) -> Record:
        return {
            "userId": user.id,
            "fullName": user.full_name,
            "email": user.email,
            "twoFactorEnabled": user.two_factor,
        }

    def organization_members_v2(self, org_index: int) -> Record:
        """Owner: admin, billing manager and member; user 1 admin only; user 2 billing only."""
        org = self.skeleton.orgs[org_index]
        permissions: dict[int, list[Record]] = {}
        for product_index in org.products:
            product = self.skeleton.products[product_index]
            for user, group in product.members:
                permissions.setdefault(user, []).append(
                    {
                        "product": {"productId": product.id, "name": product.name},
                        "permissionGroup": {
                            "permissionGroupId": product.group_ids[group],
                            "name": cycled(GROUPS, group),
                        },
                    }
                )
        admins = [u for n, u in enumerate(org.users) if n in (0, 1)]
        billing = [u for n, u in enumerate(org.users) if n in (0, 2)]
        return {
            "admins": [self._person(user) for user in admins],
            "billingManagers": [self._person(user) for user in billing],
            "members": [
                self._person(org.users[n]) | {"permissions": permissions[n]}
                for n in sorted(permissions)
            ],
        }

    def organization_members_v1(self, org_index: int) -> list[Record]:
        envelope = self.organization_members_v2(org_index)
        seen: dict[str, Record] = {}
        for role_list in ("admins", "billingManagers", "members"):
            for member in envelope[role_list]:
                seen.setdefault(
                    member["userId"], {k: v for k, v in member.items() if k != "permissions"}
                )
        return list(seen.values())

    def organization_invitations(self, org_index: int) -> list[Record]:
        records = []
        for product_index in self.skeleton.orgs[org_index].products:
            product = self.skeleton.products[product_index]
            for row in range(len(product.invitation_ids)):
                invitation, expires = self._invitation(product, row)
                records.append(
                    {
                        "invitationId": invitation["invitationId"],
                        "email": invitation["email"],
                        "productId": product.id,
                        "productName": product.name,
                        "permissionGroupId": invitation["permissionGroupId"],
                        "createdAt": invitation["createdAt"],
                        "expired": invitation["expired"],
                        "expires": expires,
                    }
                )
        return records

    def _invitation(self, product: Product, row: int) -> tuple[Record, str | None]:
        """The product invitation record and its expiry (only the organization list shows it)."""
        rng = Rng(self.seed, product.index, "invitation", row)
        created = self.skeleton.now_ms - rng.below(40 * DAY) // SECOND * SECOND
        expires = created + 14 * DAY
        org = self.skeleton.orgs[product.org]
        record = {
            "invitationId": product.invitation_ids[row],
            "email": f"invitee{product.index}.{row}@{org.domain}",
            "permissionGroupId": product.group_ids[rng.below(len(product.group_ids))],
            "createdAt": utc_trimmed(created),
            "expired": expires < self.skeleton.now_ms,
        }
        return record, utc_trimmed(expires)

    # Records: products and their lists

    def product(self, product_index: int) -> Record:
        product = self.skeleton.products[product_index]
        rng = Rng(self.seed, product.index, "product-record")
        return {
            "productId": product.id,
            "name": product.name,
            "description": None if rng.chance(0.5) else f"{product.name} feature flags",
            "order": product.order,
            "reasonRequired": rng.chance(0.3),
            "approveRequired": False,
            "organization": self.organization(product.org),
        }

    def products(self) -> list[Record]:
        return [self.product(p.index) for p in self.skeleton.ordered_products()]

    def product_preferences(self, product_index: int) -> Record:
        product = self.skeleton.products[product_index]
        environments = [
            self.environment(product_index, e) for e in range(product.spec.environments)
        ]
        return {
            "reasonRequired": self.product(product_index)["reasonRequired"],
            "keyGenerationMode": "camelCase",
            "showVariationId": False,
            "mandatorySettingHint": False,
            "reasonRequiredEnvironments": [
                {
                    "environmentId": env["environmentId"],
                    "reasonRequired": env["reasonRequired"],
                    "environmentName": env["name"],
                }
                for env in environments
            ],
            "approveRequiredEnvironments": [
                {
                    "environmentId": env["environmentId"],
                    "approveRequired": env["approveRequired"],
                    "environmentName": env["name"],
                }
                for env in environments
            ],
        }

    def environment(self, product_index: int, position: int) -> Record:
        product = self.skeleton.products[product_index]
        rng = Rng(self.seed, product_index, "environment", position)
        name, color = env_name(position), ENVIRONMENTS[position % len(ENVIRONMENTS)][1]
        return {
            "environmentId": product.environment_ids[position],
            "name": name,
            "color": color,
            "description": f"{name} traffic" if rng.chance(0.5) else None,
            "order": position,
            "reasonRequired": position == 0,
            "approveRequired": False,
            "product": self.product(product_index),
        }

    def config(self, config: Config) -> Record:
        product = self.skeleton.products[config.product]
        migrated = None
        if config.version == "v1":
            v2 = [c for c in product.configs if c.version == "v2"]
            if v2 and config.position % 2 == 0:
                migrated = v2[0].id
        return {
            "configId": config.id,
            "name": config.name,
            "description": None if config.position % 2 else f"Flags of {config.name}",
            "order": config.position,
            "evaluationVersion": config.version,
            "migratedConfigId": migrated,
            "product": self.product(config.product),
        }

    def tag(self, product_index: int, position: int) -> Record:
        return self.tag_plain(product_index, position) | {"product": self.product(product_index)}

    def tag_plain(self, product_index: int, position: int) -> Record:
        return {
            "tagId": self.skeleton.products[product_index].tag_ids[position],
            "name": cycled(TAG_NAMES, position),
            "color": _TAG_COLORS[(product_index + position) % len(_TAG_COLORS)],
        }

    def segment(self, product_index: int, position: int, detail: bool = False) -> Record:
        product = self.skeleton.products[product_index]
        rng = Rng(self.seed, product_index, "segment", position)
        creator = self.skeleton.orgs[product.org].users[rng.below(self.skeleton.users)]
        created = product.created_ms + rng.below(YEAR) // SECOND * SECOND
        updater = (
            None
            if rng.chance(0.4)
            else self.skeleton.orgs[product.org].users[rng.below(self.skeleton.users)]
        )
        updated = created if updater is None else created + rng.below(200 * DAY)
        name = cycled(SEGMENTS, position)
        record: Record = {
            "segmentId": product.segment_ids[position],
            "name": name,
            "description": None if rng.chance(0.5) else f"{name} of {product.name}",
            "creatorEmail": creator.email,
            "creatorFullName": creator.full_name,
            "createdAt": utc_trimmed(created),
            "lastUpdaterEmail": None if updater is None else updater.email,
            "lastUpdaterFullName": None if updater is None else updater.full_name,
            "updatedAt": utc_trimmed(updated),
            "usage": rng.below(6),
            "product": self.product(product_index),
        }
        if detail:
            record["comparisonAttribute"] = "Email"
            record["comparator"] = "sensitiveTextEquals" if position % 2 else "contains"
            record["comparisonValue"] = f"@{self.skeleton.orgs[product.org].domain}"
        return record

    def permission_group(self, product_index: int, position: int) -> Record:
        product = self.skeleton.products[product_index]
        rng = Rng(self.seed, product_index, "permission-group", position)
        # Group 0 is the full-access "Administrators", group 1 "Read-only", the others custom.
        if position < 2:
            flags = dict.fromkeys(_PERMISSION_FLAGS, position == 0)
            access = env_access = ("full", "readOnly")[position]
            approval = ("canBypassApproval", "cannotApprove")[position]
        else:
            flags = {flag: rng.chance(0.6) for flag in _PERMISSION_FLAGS}
            access, env_access = "custom", "readOnly"
            approval = rng.pick(("cannotApprove", "canApproveOthers"))
        accesses = []
        for env_position in range(product.spec.environments):
            env = self.environment(product_index, env_position)
            kind = env_access if position < 2 else rng.pick(("full", "readOnly", "none"))
            accesses.append(
                {
                    "environmentId": env["environmentId"],
                    "name": env["name"],
                    "color": env["color"],
                    "description": env["description"],
                    "order": env["order"],
                    "reasonRequired": env["reasonRequired"],
                    "approveRequired": env["approveRequired"],
                    "environmentAccessType": kind,
                }
            )
        return {
            "permissionGroupId": product.group_ids[position],
            "name": cycled(GROUPS, position),
            **flags,
            "accessType": access,
            "newEnvironmentAccessType": env_access if position < 2 else "none",
            "environmentAccesses": accesses,
            "product": self.product(product_index),
            "approvalPermissionType": approval,
            "newEnvironmentApprovalPermissionType": approval,
            "environmentApprovalPermissions": [],
        }

    def webhook(self, product_index: int, position: int) -> Record:
        product = self.skeleton.products[product_index]
        rng = Rng(self.seed, product_index, "webhook", position)
        config = product.configs[rng.below(len(product.configs))]
        env = rng.below(product.spec.environments)
        post = rng.chance(0.7)
        headers: list[Record] = []
        if post:
            headers.append({"key": "Content-Type", "value": "application/json", "isSecure": False})
        if position == 0 or rng.chance(0.5):
            headers.append(
                {"key": "Authorization", "value": f"Bearer {secret(rng)}", "isSecure": True}
            )
        if rng.chance(0.3):
            headers.append({"key": "X-Api-Key", "value": secret(rng, 16), "isSecure": True})
        if rng.chance(0.3):
            headers.append({"key": "X-Source", "value": "configcat", "isSecure": False})
        return {
            "webhookId": product.webhook_ids[position],
            "url": f"https://hooks.example.net/configcat/{rng.hex(12)}",
            "httpMethod": "post" if post else "get",
            "content": '{"text":"##ConfigName## changed in ##EnvironmentName##"}' if post else "",
            "webHookHeaders": headers,
            "config": {"configId": config.id, "name": config.name},
            "environment": {
                "environmentId": product.environment_ids[env],
                "name": env_name(env),
            },
        }

    def webhook_signing_keys(self, product_index: int, position: int) -> Record:
        rng = Rng(self.seed, product_index, "webhook-keys", position)
        return {
            "key1": f"configcat_whsk_{secret(rng, 32)}",
            "key2": f"configcat_whsk_{secret(rng, 32)}" if rng.chance(0.3) else None,
        }

    def integration(self, product_index: int, position: int) -> Record:
        product = self.skeleton.products[product_index]
        rng = Rng(self.seed, product_index, "integration", position)
        kind = _INTEGRATIONS[(product_index + position) % len(_INTEGRATIONS)]
        parameters: dict[str, str] = {
            "dataDog": {"apikey": secret(rng), "site": "Us"},
            "slack": {"incoming_webhook.url": f"https://hooks.slack.com/services/{secret(rng)}"},
            "amplitude": {"apiKey": secret(rng), "secretKey": secret(rng)},
            "mixPanel": {
                "serviceAccountUserName": "sandbox-bot",
                "serviceAccountSecret": secret(rng),
                "projectId": str(rng.between(1_000_000, 9_999_999)),
                "server": "StandardServer",
            },
            "segment": {"writeKey": secret(rng), "server": "Us"},
            "pubNub": {"pubKey": secret(rng), "subKey": secret(rng), "channel": "configcat"},
        }[kind]
        environments = rng.distinct(product.spec.environments, rng.below(2))
        configs = rng.distinct(len(product.configs), rng.below(2))
        return {
            "product": self.product(product_index),
            "integrationId": product.integration_ids[position],
            "name": f"{kind[:1].upper()}{kind[1:]} {position + 1}",
            "integrationType": kind,
            "parameters": parameters,
            "environmentIds": [product.environment_ids[e] for e in sorted(environments)],
            "configIds": [product.configs[c].id for c in sorted(configs)],
        }

    def product_members(self, product_index: int) -> list[Record]:
        product = self.skeleton.products[product_index]
        users = self.skeleton.orgs[product.org].users
        return [
            {
                "userId": users[user].id,
                "productId": product.id,
                "permissionGroupId": product.group_ids[group],
                "fullName": users[user].full_name,
                "email": users[user].email,
            }
            for user, group in product.members
        ]

    def product_invitations(self, product_index: int) -> list[Record]:
        product = self.skeleton.products[product_index]
        return [self._invitation(product, row)[0] for row in range(len(product.invitation_ids))]

    def product_list(self, product_index: int, segment: str) -> list[Record] | None:
        """A bare-array list under /v1/products/{P}/; None for an unknown segment."""
        spec = self.skeleton.products[product_index].spec
        product = self.skeleton.products[product_index]
        makers: dict[str, Callable[[], list[Record]]] = {
            "environments": lambda: [
                self.environment(product_index, e) for e in range(spec.environments)
            ],
            "configs": lambda: [self.config(c) for c in product.configs],
            "tags": lambda: [self.tag(product_index, t) for t in range(spec.tags)],
            "segments": lambda: [self.segment(product_index, s) for s in range(spec.segments)],
            "permissions": lambda: [
                self.permission_group(product_index, g) for g in range(spec.permission_groups)
            ],
            "webhooks": lambda: [self.webhook(product_index, w) for w in range(spec.webhooks)],
            "members": lambda: self.product_members(product_index),
            "invitations": lambda: self.product_invitations(product_index),
        }
        make = makers.get(segment)
        return None if make is None else make()

    def integrations(self, product_index: int) -> Record:
        count = self.skeleton.products[product_index].spec.integrations
        return {"integrations": [self.integration(product_index, i) for i in range(count)]}
