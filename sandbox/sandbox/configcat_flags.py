"""ConfigCat feature flags: settings, their values per environment and the stale flags report.

The JSON of ``/v1/configs/{C}/settings``, ``deleted-settings``, the SDK keys, the stale flags
report and the two values endpoints: v1 ``settingValues`` or v2 ``settingFormulas``, by the
config's ``evaluationVersion`` (docs/apis/configcat.md, "Config evaluation versions").
"""

from __future__ import annotations

from collections.abc import Mapping

from sandbox.configcat_render import ConfigCatRender
from sandbox.configcat_skeleton import (
    Config,
    ConfigCatSkeleton,
    Product,
    Setting,
    env_name,
    secret,
)
from sandbox.generate import DAY, HOUR, SECOND, Rng, utc_trimmed, uuid_id
from sandbox.server import Record

STALE_DEFAULT_AGE_DAYS = 30
"""``staleFlagAgeDays`` when absent (unconfirmed default)."""
_FEATURE_FLAG_LIMITATIONS = {
    "maxPercentageOptionCount": 100,
    "maxTargetingRuleCount": 100,
    "maxComparisonValueLength": 65535,
    "maxComparisonValueListLength": 100,
    "maxComparisonValueListItemLength": 65535,
    "maxStringFlagValueLength": 100000,
    "maxConditionPerTargetingRuleCount": 10,
}
_STRINGS = ("Welcome!", "Hello there", "control", "variant-a", "variant-b")
_DOUBLES = (0.05, 0.1, 0.25, 0.5, 0.75, 1.5)
_JSON_VALUES = ('{"primary":"#3366ff","rounded":true}', '{"primary":"#222222","rounded":false}')
_ATTRIBUTES = ("Email", "Country", "Identifier", "AppVersion")
_V1_COMPARATORS = ("contains", "doesNotContain", "isOneOf", "isNotOneOf")
_V2_COMPARATORS = ("containsAnyOf", "notContainsAnyOf", "isOneOf", "isNotOneOf")


def _hint(setting: Setting) -> str | None:
    return None if setting.position % 3 else f"Controls {setting.name.lower()}"


_VARIATION_CHOICES: Mapping[str, tuple[object, ...]] = {
    "string": ("blue", "green", "red"),
    "int": (10, 50, 100),
    "double": (0.5, 1.5),
}
"""The values a flag of each type offers as predefined variations."""


def _value_model(setting_type: str, value: object) -> Record:
    """The v2 ``ValueModel``: one typed slot set, the others null."""
    return {
        "boolValue": value if setting_type == "boolean" else None,
        "stringValue": value if setting_type == "string" else None,
        "intValue": value if setting_type == "int" else None,
        "doubleValue": value if setting_type == "double" else None,
        "predefinedVariationId": None,
    }


def typed_value(setting: Setting, rng: Rng) -> object:
    """A value of the setting's type, as served in values, rules and audit log details."""
    if setting.type == "boolean":
        return rng.chance(0.5)
    if setting.type == "int":
        return rng.between(1, 500)
    if setting.type == "double":
        return rng.pick(_DOUBLES)
    return rng.pick(_JSON_VALUES) if setting.is_json else rng.pick(_STRINGS)


class FlagRender:
    """Settings, setting values and formulas, SDK keys and stale flags, as served."""

    def __init__(self, skeleton: ConfigCatSkeleton, render: ConfigCatRender) -> None:
        self.seed = skeleton.seed
        self.skeleton = skeleton
        self.render = render

    def setting(self, config: Config, setting: Setting) -> Record:
        product = self.skeleton.products[config.product]
        return {
            "settingId": setting.id,
            "key": setting.key,
            "name": setting.name,
            "hint": _hint(setting),
            "order": setting.position,
            "settingType": setting.type,
            "isJson": setting.is_json,
            "configId": config.id,
            "configName": config.name,
            "createdAt": utc_trimmed(setting.created_ms),
            "tags": [self.render.tag(product.index, tag) for tag, _ in setting.tags],
            "predefinedVariations": self._predefined_variations(setting),
        }

    def settings(self, config: Config) -> list[Record]:
        return [self.setting(config, setting) for setting in config.settings]

    def deleted_settings(self, config: Config) -> list[Record]:
        return [
            {"key": key, "name": name, "hint": None, "settingType": setting_type}
            for key, name, setting_type in config.deleted
        ]

    def _setting_data(self, config: Config, setting: Setting) -> Record:
        product = self.skeleton.products[config.product]
        creator = self.skeleton.creator(product, Rng(self.seed, setting.id, "creator"))
        data: Record = {
            "settingId": setting.id,
            "key": setting.key,
            "name": setting.name,
            "hint": _hint(setting),
            "settingType": setting.type,
            "isJson": setting.is_json,
            "order": setting.position,
            "createdAt": utc_trimmed(setting.created_ms),
            "creatorEmail": creator.email,
            "creatorFullName": creator.full_name,
        }
        if config.version == "v2":
            data["predefinedVariations"] = self._predefined_variations(setting)
        data["isWatching"] = setting.is_watching
        return data

    def _predefined_variations(self, setting: Setting) -> list[Record]:
        """Every other non-boolean flag offers its values as predefined variations."""
        choices = _VARIATION_CHOICES.get(setting.type, ())
        if setting.position % 2 or setting.is_json:
            return []
        return [
            {
                "predefinedVariationId": uuid_id(self.seed, setting.id, "variation", n),
                "name": str(value).capitalize(),
                "hint": None if n else "The default",
                "value": {
                    slot: slot_value
                    for slot, slot_value in _value_model(setting.type, value).items()
                    if slot != "predefinedVariationId"
                },
            }
            for n, value in enumerate(choices)
        ]

    def _value_updated_ms(self, product: Product, setting: Setting, env_position: int) -> int:
        """Old (more than 31 days, stale by default) or recent, by a fixed pattern of positions.

        Every 4th setting (position 1, 5, ...) is abandoned: old everywhere. Every 3rd (0, 3, ...)
        is old in the product's last environment only. Positions decide, so a preset's stale
        flag counts are exact whatever the seed.
        """
        rng = Rng(self.seed, setting.id, "updated", env_position)
        last_env = env_position == product.spec.environments - 1
        if setting.position % 4 == 1 or (last_env and setting.position % 3 == 0):
            low, high = setting.created_ms, self.skeleton.now_ms - 31 * DAY
        else:
            low, high = (
                max(setting.created_ms, self.skeleton.now_ms - 29 * DAY),
                self.skeleton.now_ms - HOUR,
            )
        return low + rng.below(max(1, high - low)) // SECOND * SECOND

    def _setting_tags(self, product: Product, setting: Setting) -> list[Record]:
        return [
            {"settingTagId": setting_tag} | self.render.tag_plain(product.index, tag)
            for tag, setting_tag in setting.tags
        ]

    def _value_common(self, config: Config, setting: Setting, env_position: int) -> Record:
        """The fields both values endpoints serve, in their served order."""
        product = self.skeleton.products[config.product]
        rng = Rng(self.seed, setting.id, "value-common", env_position)
        updater = self.skeleton.creator(product, rng)
        links: list[Record] = []
        if rng.chance(0.15):
            issue = f"PROJ-{rng.between(100, 999)}"
            links.append(
                {
                    "key": issue,
                    "description": f"{issue}: {setting.name}",
                    "integrationLinkType": "jira",
                    "url": f"https://example.atlassian.net/browse/{issue}",
                }
            )
        return {
            "updatedAt": utc_trimmed(self._value_updated_ms(product, setting, env_position)),
            "lastUpdaterUserEmail": updater.email,
            "lastUpdaterUserFullName": updater.full_name,
            "integrationLinks": links,
            "settingTags": self._setting_tags(product, setting),
        }

    def setting_value_v1(self, config: Config, setting: Setting, env_position: int) -> Record:
        product = self.skeleton.products[config.product]
        rng = Rng(self.seed, setting.id, "value", env_position)
        rules: list[Record] = []
        for _ in range(rng.below(3)):
            if product.segment_ids and rng.chance(0.3):
                rules.append(
                    {
                        "comparisonAttribute": None,
                        "comparator": None,
                        "comparisonValue": None,
                        "value": typed_value(setting, rng),
                        "segmentComparator": rng.pick(("isIn", "isNotIn")),
                        "segmentId": rng.pick(product.segment_ids),
                    }
                )
            else:
                rules.append(
                    {
                        "comparisonAttribute": rng.pick(_ATTRIBUTES),
                        "comparator": rng.pick(_V1_COMPARATORS),
                        "comparisonValue": rng.pick(("@example.com", "DE, AT", "1.2.0")),
                        "value": typed_value(setting, rng),
                        "segmentComparator": None,
                        "segmentId": None,
                    }
                )
        percentages: list[Record] = []
        if setting.type == "boolean" and rng.chance(0.3):
            share = rng.between(1, 99)
            percentages = [
                {"percentage": share, "value": True},
                {"percentage": 100 - share, "value": False},
            ]
        common = self._value_common(config, setting, env_position)
        return {
            "setting": self._setting_data(config, setting),
            **common,
            "rolloutRules": rules,
            "rolloutPercentageItems": percentages,
            "value": typed_value(setting, rng),
        }

    def setting_formula_v2(self, config: Config, setting: Setting, env_position: int) -> Record:
        product = self.skeleton.products[config.product]
        rng = Rng(self.seed, setting.id, "formula", env_position)
        rules: list[Record] = []
        if setting.prerequisite is not None:
            condition = {
                "userCondition": None,
                "segmentCondition": None,
                "prerequisiteFlagCondition": {
                    "prerequisiteSettingId": setting.prerequisite,
                    "comparator": "equals",
                    "prerequisiteComparisonValue": _value_model("boolean", True),
                },
            }
            rules.append(self._rule(setting, rng, [condition]))
        for _ in range(rng.below(3)):
            conditions: list[Record] = []
            for _ in range(1 + rng.below(2)):
                if product.segment_ids and rng.chance(0.3):
                    segment: Record = {
                        "segmentId": rng.pick(product.segment_ids),
                        "comparator": rng.pick(("isIn", "isNotIn")),
                    }
                    conditions.append(
                        {
                            "userCondition": None,
                            "segmentCondition": segment,
                            "prerequisiteFlagCondition": None,
                        }
                    )
                else:
                    values = rng.distinct(3, 1 + rng.below(2))
                    user: Record = {
                        "comparisonAttribute": rng.pick(_ATTRIBUTES),
                        "comparator": rng.pick(_V2_COMPARATORS),
                        "comparisonValue": {
                            "stringValue": None,
                            "doubleValue": None,
                            "listValue": [
                                {"value": ("@example.com", "DE", "1.2.0")[v], "hint": None}
                                for v in sorted(values)
                            ],
                        },
                    }
                    conditions.append(
                        {
                            "userCondition": user,
                            "segmentCondition": None,
                            "prerequisiteFlagCondition": None,
                        }
                    )
            rules.append(self._rule(setting, rng, conditions))
        common = self._value_common(config, setting, env_position)
        return {
            "lastVersionId": uuid_id(self.seed, "version", setting.id, env_position),
            "defaultValue": _value_model(setting.type, typed_value(setting, rng)),
            "targetingRules": rules,
            "percentageEvaluationAttribute": "Email" if rng.chance(0.2) else None,
            "setting": self._setting_data(config, setting),
            **common,
            "settingIdsWherePrerequisite": list(config.dependents[setting.id]),
        }

    def _rule(self, setting: Setting, rng: Rng, conditions: list[Record]) -> Record:
        if setting.type == "boolean" and rng.chance(0.3):
            share = rng.between(1, 99)
            options = [
                {"percentage": share, "value": _value_model("boolean", True)},
                {"percentage": 100 - share, "value": _value_model("boolean", False)},
            ]
            return {"conditions": conditions, "percentageOptions": options, "value": None}
        value = _value_model(setting.type, typed_value(setting, rng))
        return {"conditions": conditions, "percentageOptions": [], "value": value}

    def setting_values(self, config: Config, env_position: int) -> Record:
        """The values envelope of the endpoint matching the config's evaluationVersion."""
        envelope: Record = {
            "config": self.render.config(config),
            "environment": self.render.environment(config.product, env_position),
            "readOnly": False,
        }
        if config.version == "v1":
            envelope["settingValues"] = [
                self.setting_value_v1(config, s, env_position) for s in config.settings
            ]
        else:
            envelope["settingFormulas"] = [
                self.setting_formula_v2(config, s, env_position) for s in config.settings
            ]
        envelope["featureFlagLimitations"] = dict(_FEATURE_FLAG_LIMITATIONS)
        return envelope

    def sdk_keys(self, config: Config, env_position: int) -> Record:
        rng = Rng(self.seed, config.id, "sdk-key", env_position)
        primary = f"configcat-sdk-1/{secret(rng, 6)}/{rng.hex(22)}"
        secondary = f"configcat-sdk-1/{secret(rng, 6)}/{rng.hex(22)}" if rng.chance(0.2) else None
        return {"primary": primary, "secondary": secondary}

    # Records: stale flags

    def stale_flags(
        self,
        product_index: int,
        *,
        age_days: int = STALE_DEFAULT_AGE_DAYS,
        all_environments: bool = False,
        watched_only: bool = False,
        ignored_environment: str | None = None,
        ignored_tag: int | None = None,
    ) -> Record:
        product = self.skeleton.products[product_index]
        horizon = self.skeleton.now_ms - age_days * DAY
        environments = [
            (position, env_id)
            for position, env_id in enumerate(product.environment_ids)
            if env_id != ignored_environment
        ]
        configs = []
        for config in product.configs:
            settings = []
            for setting in config.settings:
                if watched_only and not setting.is_watching:
                    continue
                if ignored_tag is not None and any(
                    product.tag_ids[tag] == ignored_tag for tag, _ in setting.tags
                ):
                    continue
                values = [
                    {
                        "environmentId": env_id,
                        "updatedAt": utc_trimmed(
                            self._value_updated_ms(product, setting, position)
                        ),
                        "isStale": self._value_updated_ms(product, setting, position) < horizon,
                    }
                    for position, env_id in environments
                ]
                stale = [value["isStale"] for value in values]
                if not stale or not (all(stale) if all_environments else any(stale)):
                    continue
                settings.append(
                    {
                        "settingId": setting.id,
                        "key": setting.key,
                        "name": setting.name,
                        "hint": _hint(setting),
                        "hasCodeReferences": setting.has_code_references,
                        "tags": [
                            {"tagId": product.tag_ids[tag], "settingTagId": setting_tag}
                            for tag, setting_tag in setting.tags
                        ],
                        "settingValues": values,
                    }
                )
            if settings:
                configs.append(
                    {
                        "configId": config.id,
                        "name": config.name,
                        "evaluationVersion": config.version,
                        "hasCodeReferences": any(s.has_code_references for s in config.settings),
                        "settings": settings,
                    }
                )
        return {
            "productId": product.id,
            "name": product.name,
            "environments": [
                {
                    "environmentId": env_id,
                    "name": env_name(position),
                }
                for position, env_id in environments
            ],
            "configs": configs,
        }
