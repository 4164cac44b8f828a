"""The ConfigCat Public Management API of the sandbox: auth, endpoints, envelopes, ground truth."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sandbox import Sandbox
from sandbox.configcat import (
    MASK,
    NOW,
    ROLES,
    SECRET_MARKER,
    SECRET_PATH,
    ConfigCatData,
    ProductSpec,
)
from sandbox.statuspage import StatuspageData
from tests.sandbox.configcat_client import ConfigCatClient, iso
from tests.sandbox.http_client import Fetch
from tests.taps import CONFIGCAT

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$")
ROLE_LISTS = tuple(zip(ROLES, ("admins", "billingManagers", "members"), strict=True))


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def first_product(cc: ConfigCatClient) -> dict[str, Any]:
    """Configs and environments of the first product, which has both config versions."""
    product_id = cc.data.product_ids[0]
    return {
        "id": product_id,
        "configs": cc.json(f"/v1/products/{product_id}/configs"),
        "environments": cc.json(f"/v1/products/{product_id}/environments"),
    }


# Auth


def test_missing_wrong_or_malformed_credentials_are_401(cc: ConfigCatClient) -> None:
    wrong = base64.b64encode(f"{cc.data.username}:nope".encode()).decode()
    for headers in (
        {},
        {"Authorization": f"Basic {wrong}"},
        {"Authorization": "Basic !!not-base64!!"},
        {"Authorization": cc.headers["Authorization"].replace("Basic", "Bearer")},
        {"Authorization": cc.data.password},
    ):
        for path in ("/v1/me", f"/v1/products/{cc.data.product_ids[0]}/configs", "/v1/nope"):
            reply = cc.fetch(cc.sandbox.configcat_api_url + path, headers=headers)
            assert reply.status == 401, (headers, path)
            assert reply.json() == {"code": 401, "message": "Unauthorized"}
            assert reply.headers["WWW-Authenticate"].startswith("Basic")
    assert cc.get("/v1/me").status == 200


def test_credentials_are_derived_from_the_seed() -> None:
    data = ConfigCatData.from_size(seed=7, size="tiny")
    assert re.fullmatch(r"sandbox-configcat-secret-[0-9a-f]{16}", data.password)
    assert data.password == ConfigCatData.from_size(seed=7, size="small").password
    assert data.password != ConfigCatData.from_size(seed=8, size="tiny").password
    assert data.username != data.password
    explicit = ConfigCatData(seed=1, username="u", password="p")
    assert (explicit.username, explicit.password) == ("u", "p")


def test_only_get_is_served(cc: ConfigCatClient) -> None:
    reply = cc.fetch(
        cc.sandbox.configcat_api_url + "/v1/products", method="POST", headers=cc.headers
    )
    assert reply.status == 405
    assert "message" in reply.json()


# Organizations, members, invitations


def test_me_and_organizations(cc: ConfigCatClient) -> None:
    me = cc.json("/v1/me")
    assert set(me) == {"email", "fullName"}
    orgs = cc.json("/v1/organizations")
    assert [o["organizationId"] for o in orgs] == cc.data.organization_ids
    assert all(
        set(o) == {"organizationId", "name"} and UUID.match(o["organizationId"]) for o in orgs
    )
    assert len(orgs) == 2


def test_organization_members_v2_envelope(cc: ConfigCatClient) -> None:
    me = cc.json("/v1/me")
    products = {p["productId"]: p for p in cc.json("/v1/products")}
    for org_id in cc.data.organization_ids:
        envelope = cc.json(f"/v2/organizations/{org_id}/members")
        assert set(envelope) == {"admins", "billingManagers", "members"}
        person = {"userId", "fullName", "email", "twoFactorEnabled"}
        for key in ("admins", "billingManagers"):
            assert all(set(m) == person for m in envelope[key])
        assert all(set(m) == person | {"permissions"} for m in envelope["members"])
        # The credential's owner is in all three lists: one user, several roles.
        for _, key in ROLE_LISTS:
            assert me["email"] in {m["email"] for m in envelope[key]}
        for member in envelope["members"]:
            assert member["permissions"]
            for permission in member["permissions"]:
                product = products[permission["product"]["productId"]]
                assert product["organization"]["organizationId"] == org_id
                group_id = permission["permissionGroup"]["permissionGroupId"]
                groups = cc.json(f"/v1/products/{product['productId']}/permissions")
                assert group_id in {g["permissionGroupId"] for g in groups}
        # The deprecated v1 list holds each user once, without permissions.
        v1 = cc.json(f"/v1/organizations/{org_id}/members")
        users = {m["userId"] for _, key in ROLE_LISTS for m in envelope[key]}
        assert sorted(m["userId"] for m in v1) == sorted(users)
        assert all(set(m) == person for m in v1)


def test_invitations_of_organizations_and_products(cc: ConfigCatClient) -> None:
    for org_id in cc.data.organization_ids:
        org_invitations = cc.json(f"/v1/organizations/{org_id}/invitations")
        by_product: dict[str, list[str]] = {}
        for invitation in org_invitations:
            assert set(invitation) == {
                "invitationId",
                "email",
                "productId",
                "productName",
                "permissionGroupId",
                "createdAt",
                "expired",
                "expires",
            }
            assert parse(invitation["expires"]) > parse(invitation["createdAt"])
            assert invitation["expired"] == (parse(invitation["expires"]) < NOW)
            by_product.setdefault(invitation["productId"], []).append(invitation["invitationId"])
        for product_id, ids in by_product.items():
            invitations = cc.json(f"/v1/products/{product_id}/invitations")
            assert [i["invitationId"] for i in invitations] == ids
            assert all(
                set(i) == {"invitationId", "email", "permissionGroupId", "createdAt", "expired"}
                for i in invitations
            )


# Products and their lists


def test_products_embed_their_organization(cc: ConfigCatClient) -> None:
    products = cc.json("/v1/products")
    assert [p["productId"] for p in products] == cc.data.product_ids
    orgs = {o["organizationId"]: o for o in cc.json("/v1/organizations")}
    for product in products:
        assert set(product) == {
            "productId",
            "name",
            "description",
            "order",
            "reasonRequired",
            "approveRequired",
            "organization",
        }
        assert product["organization"] == orgs[product["organization"]["organizationId"]]
        assert cc.json(f"/v1/products/{product['productId']}") == product
    assert [p["order"] for p in products] == [0, 1, 0]


@pytest.mark.parametrize(
    ("segment", "key", "id_type"),
    [
        ("environments", "environmentId", str),
        ("configs", "configId", str),
        ("tags", "tagId", int),
        ("segments", "segmentId", str),
        ("permissions", "permissionGroupId", int),
        ("webhooks", "webhookId", int),
    ],
)
def test_product_lists_are_bare_arrays_with_ids(
    cc: ConfigCatClient, segment: str, key: str, id_type: type
) -> None:
    products = cc.json("/v1/products")
    seen = 0
    for product in products:
        reply = cc.get(f"/v1/products/{product['productId']}/{segment}")
        assert reply.status == 200
        records = reply.json()
        assert isinstance(records, list)
        # Paging parameters are ignored: the lists are not paginated.
        assert cc.json(f"/v1/products/{product['productId']}/{segment}", page=2) == records
        for record in records:
            assert isinstance(record[key], id_type)
            if id_type is str:
                assert UUID.match(record[key])
            if segment != "webhooks":
                assert record["product"] == product
        seen += len(records)
    assert seen > 0


def test_configs_mix_evaluation_versions(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    versions = [c["evaluationVersion"] for c in first_product["configs"]]
    assert sorted(versions) == ["v1", "v2", "v2"]
    config = first_product["configs"][0]
    assert set(config) == {
        "configId",
        "name",
        "description",
        "order",
        "evaluationVersion",
        "migratedConfigId",
        "product",
    }
    assert cc.json(f"/v1/configs/{config['configId']}") == config


def test_environments_and_tags(cc: ConfigCatClient, first_product: dict[str, Any]) -> None:
    for index, env in enumerate(first_product["environments"]):
        assert env["order"] == index
        assert re.fullmatch(r"#[0-9a-f]{6}", env["color"])
        assert cc.json(f"/v1/environments/{env['environmentId']}") == env
    tags = cc.json(f"/v1/products/{first_product['id']}/tags")
    assert {t["tagId"] for t in tags} == {cc.json(f"/v1/tags/{t['tagId']}")["tagId"] for t in tags}


def test_permission_groups_have_can_flags(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    groups = cc.json(f"/v1/products/{first_product['id']}/permissions")
    assert [g["name"] for g in groups] == ["Administrators", "Read-only", "Developers"]
    flags = [k for k in groups[0] if k.startswith("can")]
    assert len(flags) == 21
    assert all(groups[0][flag] is True for flag in flags)
    assert all(groups[1][flag] is False for flag in flags)
    assert [g["accessType"] for g in groups] == ["full", "readOnly", "custom"]
    env_ids = [e["environmentId"] for e in first_product["environments"]]
    for group in groups:
        assert [a["environmentId"] for a in group["environmentAccesses"]] == env_ids
        assert cc.json(f"/v1/permissions/{group['permissionGroupId']}") == group


def test_segments_list_and_detail(cc: ConfigCatClient, first_product: dict[str, Any]) -> None:
    segments = cc.json(f"/v1/products/{first_product['id']}/segments")
    assert len(segments) == 2
    for segment in segments:
        assert TIMESTAMP.match(segment["createdAt"])
        detail = cc.json(f"/v1/segments/{segment['segmentId']}")
        assert detail == segment | {
            "comparisonAttribute": detail["comparisonAttribute"],
            "comparator": detail["comparator"],
            "comparisonValue": detail["comparisonValue"],
        }


def test_webhooks_serve_secure_header_values_raw(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    webhooks = cc.json(f"/v1/products/{first_product['id']}/webhooks")
    assert len(webhooks) == 3
    config_ids = {c["configId"] for c in first_product["configs"]}
    secure = [h for w in webhooks for h in w["webHookHeaders"] if h["isSecure"]]
    assert secure
    assert all(SECRET_MARKER in h["value"] for h in secure)
    for webhook in webhooks:
        assert set(webhook) == {
            "webhookId",
            "url",
            "httpMethod",
            "content",
            "webHookHeaders",
            "config",
            "environment",
        }
        assert webhook["config"]["configId"] in config_ids
        assert cc.json(f"/v1/webhooks/{webhook['webhookId']}") == webhook


def test_integrations_envelope_with_secret_parameters(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    envelope = cc.json(f"/v1/products/{first_product['id']}/integrations")
    assert set(envelope) == {"integrations"}
    integrations = envelope["integrations"]
    assert len(integrations) == 3
    for integration in integrations:
        assert set(integration) == {
            "product",
            "integrationId",
            "name",
            "integrationType",
            "parameters",
            "environmentIds",
            "configIds",
        }
        assert any(SECRET_MARKER in value for value in integration["parameters"].values())
        assert cc.json(f"/v1/integrations/{integration['integrationId']}") == integration


def test_product_without_webhooks_or_integrations(cc: ConfigCatClient) -> None:
    product_id = cc.data.product_ids[1]
    assert cc.json(f"/v1/products/{product_id}/webhooks") == []
    assert cc.json(f"/v1/products/{product_id}/integrations") == {"integrations": []}
    assert cc.json(f"/v1/products/{product_id}/invitations") == []
    assert cc.json(f"/v1/products/{product_id}/segments") == []


def test_product_members_and_preferences(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    members = cc.json(f"/v1/products/{first_product['id']}/members")
    assert len(members) == 5
    assert all(m["productId"] == first_product["id"] for m in members)
    assert members[0]["email"] == cc.json("/v1/me")["email"]
    preferences = cc.json(f"/v1/products/{first_product['id']}/preferences")
    assert {e["environmentId"] for e in preferences["reasonRequiredEnvironments"]} == {
        e["environmentId"] for e in first_product["environments"]
    }


# Settings and values


def test_settings_and_deleted_settings(cc: ConfigCatClient, first_product: dict[str, Any]) -> None:
    tag_ids = {t["tagId"] for t in cc.json(f"/v1/products/{first_product['id']}/tags")}
    for config in first_product["configs"]:
        settings = cc.json(f"/v1/configs/{config['configId']}/settings")
        assert len(settings) == 8
        assert len({s["key"] for s in settings}) == 8
        for setting in settings:
            assert isinstance(setting["settingId"], int)
            assert setting["configId"] == config["configId"]
            assert setting["settingType"] in ("boolean", "string", "int", "double")
            assert {t["tagId"] for t in setting["tags"]} <= tag_ids
            assert TIMESTAMP.match(setting["createdAt"])
            assert cc.json(f"/v1/settings/{setting['settingId']}") == setting
        deleted = cc.json(f"/v1/configs/{config['configId']}/deleted-settings")
        assert len(deleted) == 2
        assert all(set(d) == {"key", "name", "hint", "settingType"} for d in deleted)
        assert not {d["key"] for d in deleted} & {s["key"] for s in settings}


def test_predefined_variations_are_typed_objects(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    slot = {"string": "stringValue", "int": "intValue", "double": "doubleValue"}
    offered = 0
    for config in first_product["configs"]:
        for setting in cc.json(f"/v1/configs/{config['configId']}/settings"):
            for variation in setting["predefinedVariations"]:
                offered += 1
                assert UUID.match(variation["predefinedVariationId"])
                assert set(variation) == {"predefinedVariationId", "name", "hint", "value"}
                typed = {k for k, v in variation["value"].items() if v is not None}
                assert typed == {slot[setting["settingType"]]}
    assert offered


def test_values_route_by_evaluation_version(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    for config in first_product["configs"]:
        version = config["evaluationVersion"]
        other = "v2" if version == "v1" else "v1"
        for env in first_product["environments"]:
            tail = f"configs/{config['configId']}/environments/{env['environmentId']}/values"
            envelope = cc.json(f"/{version}/{tail}")
            items_key = "settingValues" if version == "v1" else "settingFormulas"
            assert set(envelope) == {
                "config",
                "environment",
                "readOnly",
                items_key,
                "featureFlagLimitations",
            }
            assert envelope["config"] == config
            assert envelope["environment"] == env
            assert len(envelope[items_key]) == 8
            wrong = cc.get(f"/{other}/{tail}")
            assert wrong.status == 400
            assert version in wrong.json()["message"]


def test_values_need_an_environment_of_the_configs_product(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    config = first_product["configs"][0]
    version = config["evaluationVersion"]
    foreign = cc.json(f"/v1/products/{cc.data.product_ids[1]}/environments")[0]
    own = first_product["environments"][0]["environmentId"]
    for path in (
        f"/{version}/configs/{config['configId']}/environments/{foreign['environmentId']}/values",
        f"/{version}/configs/{config['configId']}/environments/{config['configId']}/values",
        f"/{version}/configs/{own}/environments/{own}/values",
    ):
        assert cc.get(path).status == 404, path


def test_v1_values_are_polymorphic(cc: ConfigCatClient) -> None:
    values: list[Any] = []
    for product_id in cc.data.product_ids:
        envs = cc.json(f"/v1/products/{product_id}/environments")
        for config in cc.json(f"/v1/products/{product_id}/configs"):
            if config["evaluationVersion"] != "v1":
                continue
            for env in envs:
                tail = f"configs/{config['configId']}/environments/{env['environmentId']}/values"
                for item in cc.json(f"/v1/{tail}")["settingValues"]:
                    assert set(item) == {
                        "setting",
                        "updatedAt",
                        "lastUpdaterUserEmail",
                        "lastUpdaterUserFullName",
                        "integrationLinks",
                        "settingTags",
                        "rolloutRules",
                        "rolloutPercentageItems",
                        "value",
                    }
                    values.append(item["value"])
    assert {type(v) for v in values} == {bool, str, int, float}


def test_v2_formulas_and_prerequisites(cc: ConfigCatClient) -> None:
    formulas: list[dict[str, Any]] = []
    for product_id in cc.data.product_ids:
        envs = cc.json(f"/v1/products/{product_id}/environments")
        for config in cc.json(f"/v1/products/{product_id}/configs"):
            if config["evaluationVersion"] != "v2":
                continue
            tail = f"configs/{config['configId']}/environments/{envs[0]['environmentId']}/values"
            formulas.extend(cc.json(f"/v2/{tail}")["settingFormulas"])
    assert formulas
    prerequisite_of: dict[int, set[int]] = {}
    for formula in formulas:
        assert set(formula["defaultValue"]) == {
            "boolValue",
            "stringValue",
            "intValue",
            "doubleValue",
            "predefinedVariationId",
        }
        for rule in formula["targetingRules"]:
            assert (rule["value"] is None) == bool(rule["percentageOptions"])
            for condition in rule["conditions"]:
                assert sum(v is not None for v in condition.values()) == 1
                prerequisite = condition["prerequisiteFlagCondition"]
                if prerequisite:
                    prerequisite_of.setdefault(prerequisite["prerequisiteSettingId"], set()).add(
                        formula["setting"]["settingId"]
                    )
    assert prerequisite_of, "the small preset has prerequisite flags"
    by_id = {f["setting"]["settingId"]: f for f in formulas}
    for setting_id, dependents in prerequisite_of.items():
        assert set(by_id[setting_id]["settingIdsWherePrerequisite"]) == dependents


# Stale flags


def test_stale_flags_report_and_parameters(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    path = f"/v1/products/{first_product['id']}/staleflags"
    report = cc.json(path)
    assert set(report) == {"productId", "name", "environments", "configs"}
    assert [e["environmentId"] for e in report["environments"]] == [
        e["environmentId"] for e in first_product["environments"]
    ]

    def stale_ids(body: dict[str, Any]) -> set[int]:
        return {s["settingId"] for c in body["configs"] for s in c["settings"]}

    for config in report["configs"]:
        assert config["settings"], "only configs holding stale flags are listed"
        for setting in config["settings"]:
            assert any(v["isStale"] for v in setting["settingValues"])
            for value in setting["settingValues"]:
                age = NOW - parse(value["updatedAt"])
                assert value["isStale"] == (age > timedelta(days=30))
    every = stale_ids(cc.json(path, staleFlagStaleInEnvironmentsType="staleInAllEnvironments"))
    assert every
    assert every < stale_ids(report)
    assert stale_ids(cc.json(path, staleFlagAgeDays=90)) <= stale_ids(report)
    watched = stale_ids(cc.json(path, scope="watchedByMe"))
    assert watched <= stale_ids(report)
    last_env = first_product["environments"][-1]["environmentId"]
    assert stale_ids(cc.json(path, ignoredEnvironmentIds=last_env)) < stale_ids(report)
    for bad in ({"staleFlagAgeDays": 6}, {"staleFlagAgeDays": 91}, {"scope": "mine"}):
        assert cc.get(path, **bad).status == 400, bad


# Secrets a tap must never request


def test_sdk_keys_and_signing_keys_are_served_and_show_in_stats(
    cc: ConfigCatClient, first_product: dict[str, Any]
) -> None:
    with Sandbox(configcat=cc.data) as sandbox:
        client = ConfigCatClient(sandbox, cc.data, cc.fetch)
        config = first_product["configs"][0]
        env = first_product["environments"][0]
        keys = client.json(f"/v1/configs/{config['configId']}/environments/{env['environmentId']}")
        assert set(keys) == {"primary", "secondary"}
        assert SECRET_MARKER in keys["primary"]
        webhook = client.json(f"/v1/products/{first_product['id']}/webhooks")[0]
        signing = client.json(f"/v1/webhooks/{webhook['webhookId']}/keys")
        assert SECRET_MARKER in signing["key1"]
        secret_calls = [r for r in sandbox.stats()["requests"] if SECRET_PATH.match(r["path"])]
        assert len(secret_calls) == 2
        assert sandbox.stats()["total"] == 3


# 404s


def test_unknown_ids_and_paths_are_404(cc: ConfigCatClient, first_product: dict[str, Any]) -> None:
    product = first_product["id"]
    config = first_product["configs"][0]["configId"]
    missing = "00000000-0000-4000-8000-000000000000"
    for path in (
        f"/v1/products/{missing}",
        f"/v1/products/{missing}/configs",
        f"/v1/products/{missing}/integrations",
        f"/v1/products/{missing}/staleflags",
        f"/v2/products/{missing}/auditlogs",
        f"/v1/products/{product}/nope",
        f"/v2/organizations/{missing}/members",
        f"/v1/organizations/{missing}/invitations",
        f"/v1/configs/{missing}/settings",
        f"/v1/configs/{missing}/deleted-settings",
        f"/v2/configs/{missing}/environments/{missing}/values",
        f"/v1/configs/{config}/environments/{missing}",
        "/v1/settings/12",
        "/v1/settings/abc",
        "/v1/tags/1",
        "/v1/webhooks/1/keys",
        f"/v1/segments/{missing}",
        "/v3/products",
        "/v1/nope",
    ):
        reply = cc.get(path)
        assert reply.status == 404, path
        assert "message" in reply.json()


# Ground truth


def crawl(cc: ConfigCatClient, start: datetime, end: datetime) -> dict[str, list[dict[str, Any]]]:
    """Walk the API as a correct tap does and apply the documented flattening and masking."""
    out: dict[str, list[dict[str, Any]]] = {}
    orgs = cc.json("/v1/organizations")
    out["organizations"] = orgs
    out["organization_members"] = []
    out["organization_invitations"] = []
    for org in orgs:
        org_id = org["organizationId"]
        envelope = cc.json(f"/v2/organizations/{org_id}/members")
        for role, key in ROLE_LISTS:
            out["organization_members"] += [
                m | {"organizationId": org_id, "role": role} for m in envelope[key]
            ]
        out["organization_invitations"] += [
            i | {"organizationId": org_id}
            for i in cc.json(f"/v1/organizations/{org_id}/invitations")
        ]
    products = cc.json("/v1/products")
    out["products"] = products
    simple = (
        ("product_members", "members"),
        ("product_invitations", "invitations"),
        ("environments", "environments"),
        ("configs", "configs"),
        ("tags", "tags"),
        ("segments", "segments"),
        ("permission_groups", "permissions"),
        ("webhooks", "webhooks"),
    )
    for stream, _ in simple:
        out[stream] = []
    for stream in ("integrations", "settings", "deleted_settings", "stale_flags"):
        out[stream] = []
    out["setting_values"] = []
    out["audit_logs"] = []
    for product in products:
        pid = product["productId"]
        lists = {}
        for stream, segment in simple:
            lists[stream] = cc.json(f"/v1/products/{pid}/{segment}")
            out[stream] += [{"productId": pid} | r for r in lists[stream]]
        for integration in cc.json(f"/v1/products/{pid}/integrations")["integrations"]:
            integration["parameters"] = dict.fromkeys(integration["parameters"], MASK)
            out["integrations"].append(integration | {"productId": pid})
        for config in lists["configs"]:
            cid = config["configId"]
            out["settings"] += [
                s | {"productId": pid} for s in cc.json(f"/v1/configs/{cid}/settings")
            ]
            out["deleted_settings"] += [
                d | {"configId": cid, "productId": pid}
                for d in cc.json(f"/v1/configs/{cid}/deleted-settings")
            ]
            version = config["evaluationVersion"]
            items_key = "settingValues" if version == "v1" else "settingFormulas"
            for env in lists["environments"]:
                eid = env["environmentId"]
                envelope = cc.json(f"/{version}/configs/{cid}/environments/{eid}/values")
                out["setting_values"] += [
                    item
                    | {
                        "productId": pid,
                        "configId": cid,
                        "environmentId": eid,
                        "settingId": item["setting"]["settingId"],
                        "evaluationVersion": version,
                    }
                    # A v1 value of varying JSON type is also kept as its JSON text.
                    | (
                        {"value_json": json.dumps(item["value"], ensure_ascii=False)}
                        if "value" in item
                        else {}
                    )
                    for item in envelope[items_key]
                ]
        for config in cc.json(f"/v1/products/{pid}/staleflags")["configs"]:
            out["stale_flags"] += [
                {"productId": pid, "configId": config["configId"]} | s for s in config["settings"]
            ]
        out["audit_logs"] += read_audit_logs(cc, pid, start, end)
    for webhook in out["webhooks"]:
        for header in webhook["webHookHeaders"]:
            if header["isSecure"]:
                header["value"] = MASK
    return out


def read_audit_logs(
    cc: ConfigCatClient, product_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """30-day windows from `start` to `end`, every page of each, deduplicated on the id."""
    seen: dict[int, dict[str, Any]] = {}
    window_start = start
    while window_start < end:
        window_end = min(window_start + timedelta(days=30), end)
        page = 1
        while True:
            body = cc.json(
                f"/v2/products/{product_id}/auditlogs",
                fromUtcDateTime=iso(window_start),
                toUtcDateTime=iso(window_end),
                pageNumber=page,
            )
            for entry in body["data"]:
                seen[entry["auditLogId"]] = entry | {"productId": product_id}
            if not body["paging"]["hasNext"]:
                break
            page += 1
        window_start = window_end
    return list(seen.values())


def by_id(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: r["auditLogId"])


def test_ground_truth_equals_a_full_crawl(cc: ConfigCatClient) -> None:
    truth = cc.sandbox.ground_truth("configcat")
    crawled = crawl(cc, NOW - timedelta(days=365), NOW)
    assert list(truth) == [
        "organizations",
        "organization_members",
        "organization_invitations",
        "products",
        "product_members",
        "product_invitations",
        "environments",
        "configs",
        "tags",
        "segments",
        "permission_groups",
        "webhooks",
        "integrations",
        "settings",
        "deleted_settings",
        "stale_flags",
        "setting_values",
        "audit_logs",
    ]
    assert set(truth) == set(crawled)
    for stream, records in truth.items():
        if stream == "audit_logs":
            assert by_id(records) == by_id(crawled[stream])
        else:
            assert records == crawled[stream], stream


def test_ground_truth_counts_of_the_small_preset(cc: ConfigCatClient) -> None:
    counts = {
        stream: len(records) for stream, records in cc.sandbox.ground_truth("configcat").items()
    }
    assert counts == {
        "organizations": 2,
        "organization_members": 17,
        "organization_invitations": 3,
        "products": 3,
        "product_members": 12,
        "product_invitations": 3,
        "environments": 9,
        "configs": 6,
        "tags": 7,
        "segments": 3,
        "permission_groups": 7,
        "webhooks": 4,
        "integrations": 4,
        "settings": 40,
        "deleted_settings": 7,
        "stale_flags": 25,
        "setting_values": 116,
        "audit_logs": 300,
    }


@pytest.mark.parametrize("size", ["tiny", "small", "medium"])
def test_ground_truth_keys_are_unique_and_parents_present(size: str) -> None:
    truth = Sandbox(configcat=ConfigCatData.from_size(seed=3, size=size)).ground_truth("configcat")
    assert set(truth) == set(CONFIGCAT.keys)
    for stream, records in truth.items():
        keys = [tuple(r[k] for k in CONFIGCAT.keys[stream]) for r in records]
        assert len(set(keys)) == len(keys), stream
    below_products = set(CONFIGCAT.keys) - {
        "organizations",
        "organization_members",
        "organization_invitations",
        "products",
    }
    for stream in below_products:
        assert all(r["productId"] for r in truth[stream]), stream
    for stream in ("settings", "deleted_settings", "stale_flags", "setting_values"):
        assert all(r["configId"] for r in truth[stream]), stream
    assert all(r["role"] in ROLES for r in truth["organization_members"])
    assert {r["evaluationVersion"] for r in truth["setting_values"]} == {"v1", "v2"}


def test_ground_truth_masks_every_secret(cc: ConfigCatClient) -> None:
    truth = cc.sandbox.ground_truth("configcat")
    assert SECRET_MARKER not in json.dumps(truth)
    secure = [h for w in truth["webhooks"] for h in w["webHookHeaders"] if h["isSecure"]]
    assert secure
    assert all(h["value"] == MASK for h in secure)
    plain = [h for w in truth["webhooks"] for h in w["webHookHeaders"] if not h["isSecure"]]
    assert plain
    assert all(h["value"] != MASK for h in plain)
    parameters = [v for i in truth["integrations"] for v in i["parameters"].values()]
    assert parameters
    assert set(parameters) == {MASK}


def test_write_ground_truth_streams_jsonl(cc: ConfigCatClient, tmp_path: Path) -> None:
    cc.sandbox.write_ground_truth(tmp_path)
    for stream, records in cc.sandbox.ground_truth("configcat").items():
        lines = (tmp_path / "configcat" / f"{stream}.jsonl").read_text().splitlines()
        assert [json.loads(line) for line in lines] == records, stream


# Determinism, presets, combination


def test_same_seed_gives_same_bytes(http_fetch: Fetch) -> None:
    def snapshot(seed: int) -> list[bytes]:
        data = ConfigCatData.from_size(seed=seed, size="small")
        with Sandbox(configcat=data) as sandbox:
            client = ConfigCatClient(sandbox, data, http_fetch)
            product = data.product_ids[0]
            configs = client.json(f"/v1/products/{product}/configs")
            env = client.json(f"/v1/products/{product}/environments")[0]["environmentId"]
            paths = [
                "/v1/organizations",
                f"/v2/organizations/{data.organization_ids[0]}/members",
                "/v1/products",
                f"/v1/products/{product}/webhooks",
                f"/v1/products/{product}/integrations",
                f"/v1/products/{product}/staleflags",
                f"/v1/configs/{configs[0]['configId']}/settings",
                f"/v2/products/{product}/auditlogs?fromUtcDateTime=2026-07-01T00:00:00Z"
                "&toUtcDateTime=2026-07-30T00:00:00Z&pageNumber=2",
            ]
            paths += [
                f"/{c['evaluationVersion']}/configs/{c['configId']}/environments/{env}/values"
                for c in configs
            ]
            return [
                http_fetch(sandbox.configcat_api_url + p, headers=client.headers).body
                for p in paths
            ]

    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)


def test_every_generated_time_lies_before_now() -> None:
    data = ConfigCatData.from_size(seed=5, size="medium")
    truth = Sandbox(configcat=data).ground_truth("configcat")
    times = re.findall(r'"(\d{4}-\d\d-\d\dT[^"]+Z)"', json.dumps(truth))
    assert times
    # Invitations expire up to 14 days after they were sent, which can be after "now".
    latest = max(parse(t) for t in times)
    assert latest < NOW + timedelta(days=14)
    audit = [parse(r["auditLogDateTime"]) for r in truth["audit_logs"]]
    assert max(audit) < NOW
    assert min(audit) >= NOW - timedelta(days=365)


def test_now_is_a_constructor_argument() -> None:
    later = datetime(2027, 3, 1, tzinfo=UTC)
    shifted = ConfigCatData.from_size(seed=7, size="tiny")
    moved = ConfigCatData.from_size(seed=7, size="tiny", now=later)
    assert shifted.now == NOW
    assert moved.now == later
    truth = list(dict(moved.ground_truth())["audit_logs"])
    assert all(later - timedelta(days=10) <= parse(r["auditLogDateTime"]) < later for r in truth)


def test_presets_and_spec_validation() -> None:
    with pytest.raises(ValueError, match="unknown size"):
        ConfigCatData.from_size(size="gigantic")
    for kwargs in (
        {"tags": -1},
        {"members": 2, "invitations": 0, "permission_groups": 0},
        {"webhooks": 1, "environments": 0},
        {"audit_logs": 5, "audit_log_burst": 6},
        {"audit_logs": 5, "audit_log_days": 0},
    ):
        with pytest.raises(ValueError):  # noqa: PT011
            ProductSpec(**kwargs)
    with pytest.raises(ValueError, match="users"):
        ConfigCatData(products=[ProductSpec(members=5)], users=4)
    with pytest.raises(ValueError, match="organization"):
        ConfigCatData(products=[ProductSpec(organization=2)], organizations=1)


def test_combined_with_statuspage(http_fetch: Fetch) -> None:
    statuspage = StatuspageData.from_size(seed=2, size="tiny")
    configcat = ConfigCatData.from_size(seed=2, size="tiny")
    with Sandbox(statuspage=statuspage, configcat=configcat) as sandbox:
        client = ConfigCatClient(sandbox, configcat, http_fetch)
        assert client.get("/v1/products").headers["X-Rate-Limit-Remaining"]
        pages = http_fetch(
            sandbox.statuspage_api_url + "/pages",
            headers={"Authorization": f"OAuth {statuspage.api_key}"},
        )
        assert pages.status == 200
        assert "X-Rate-Limit-Remaining" not in pages.headers
        assert set(sandbox.ground_truth("statuspage"))
        assert len(sandbox.ground_truth("configcat")["products"]) == 1
    with pytest.raises(RuntimeError, match="without configcat"):
        _ = Sandbox(statuspage=statuspage).configcat_api_url
