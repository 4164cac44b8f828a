"""The Hub-ready definitions are current, Hub-shaped, and meltano.yml's extractors agree."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tools.hub_definitions import (
    LISTINGS,
    VARIANT,
    about,
    definition,
    definition_path,
    render,
    setting_kind,
)
from tools.taps import ROOT, TAPS

# The values meltano/hub's plugin-definition schema allows for these two fields.
HUB_CAPABILITIES = {
    "properties",
    "catalog",
    "discover",
    "state",
    "about",
    "stream-maps",
    "schema-flattening",
    "activate-version",
    "batch",
    "test",
    "log-based",
    "structured-logging",
}
HUB_SETTING_KINDS = {
    "oauth",
    "hidden",
    "password",
    "date_iso8601",
    "file",
    "email",
    "integer",
    "options",
    "object",
    "array",
    "boolean",
    "string",
}
# Where a custom plugin of this repository installs from: the working copy, editable.
LOCAL_PIP_URL = '-e "${{MELTANO_PROJECT_ROOT}}/tap-kit" -e "${{MELTANO_PROJECT_ROOT}}/{tap}"'
# Only a Hub listing carries these; meltano.yml keeps the custom-plugin shape without them.
HUB_ONLY_KEYS = {"variant", "docs", "repo", "domain_url", "keywords", "maintenance_status"}


@pytest.fixture(scope="module", params=TAPS)
def tap_about(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any]]:
    return request.param, about(request.param)


def committed(tap: str) -> dict[str, Any]:
    return dict(yaml.safe_load(definition_path(tap).read_text()))


def meltano_yml_extractor(tap: str) -> dict[str, Any]:
    extractors = yaml.safe_load((ROOT / "meltano.yml").read_text())["plugins"]["extractors"]
    return dict(next(plugin for plugin in extractors if plugin["name"] == tap))


def test_definitions_are_current(tap_about: tuple[str, dict[str, Any]]) -> None:
    tap, described = tap_about
    assert definition_path(tap).read_text() == render(definition(tap, described)), (
        "stale definition: run `uv run python -m tools.hub_definitions`"
    )


def test_definition_has_the_hub_shape_and_everything_the_tap_declares(
    tap_about: tuple[str, dict[str, Any]],
) -> None:
    tap, described = tap_about
    plugin = committed(tap)
    properties = described["settings"]["properties"]

    assert (
        definition_path(tap).relative_to(ROOT).as_posix() == f"hub/extractors/{tap}/{VARIANT}.yml"
    )
    assert (plugin["name"], plugin["namespace"], plugin["variant"]) == (
        tap,
        tap.replace("-", "_"),
        VARIANT,
    )
    assert plugin["label"]
    assert plugin["description"]
    assert plugin["keywords"]
    assert plugin["executable"] == tap
    assert plugin["capabilities"] == sorted(described["capabilities"])
    assert "structured-logging" in plugin["capabilities"]
    assert set(plugin["capabilities"]) <= HUB_CAPABILITIES
    settings = {entry["name"]: entry for entry in plugin["settings"]}
    assert set(settings) == set(properties)
    for name, schema in properties.items():
        entry = settings[name]
        assert entry["kind"] in HUB_SETTING_KINDS, name
        assert bool(entry.get("sensitive")) == bool(schema.get("secret")), name
        assert entry.get("value") == schema.get("default"), name
        assert entry["label"], name
        assert "description" in entry, name
    groups = plugin["settings_group_validation"]
    assert groups == [list(group) for group in LISTINGS[tap].settings_group_validation]
    assert {name for group in groups for name in group} <= set(settings)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("stream_maps", "object"),
        ("stream_map_config", "object"),
        ("faker_config", "object"),
        ("batch_config", "object"),
        ("flattening_enabled", "boolean"),
        ("flattening_max_depth", "integer"),
        ("max_tries", "integer"),
        ("fail_on_skipped_partitions", "boolean"),
        ("start_date", "date_iso8601"),
        ("requests_per_second", "string"),
        ("max_wait_seconds", "string"),
        ("backoff_base_seconds", "string"),
        ("request_timeout_seconds", "string"),
    ],
)
def test_sdk_and_kit_settings_have_the_kind_meltano_needs(name: str, kind: str) -> None:
    for tap in TAPS:
        settings = {entry["name"]: entry for entry in committed(tap)["settings"]}
        assert settings[name]["kind"] == kind, (tap, name)


def test_real_defaults_are_the_values() -> None:
    settings = {entry["name"]: entry for entry in committed("tap-statuspage")["settings"]}
    assert {
        name: settings[name].get("value") for name in settings if "value" in settings[name]
    } == {
        "api_url": "https://api.statuspage.io/v1",
        "requests_per_second": 1.0,
        "max_tries": 5,
        "max_wait_seconds": 300,
        "backoff_base_seconds": 2,
        "request_timeout_seconds": 60,
        "fail_on_skipped_partitions": False,
    }


def test_a_plain_number_setting_has_no_kind_meltano_can_take_from_the_environment() -> None:
    with pytest.raises(ValueError, match="setting rate: no Meltano kind"):
        setting_kind("rate", {"type": ["number", "null"]})


@pytest.mark.parametrize("tap", TAPS)
def test_meltano_yml_extractor_agrees_with_the_definition(tap: str) -> None:
    plugin = committed(tap)
    block = meltano_yml_extractor(tap)

    assert "variant" not in block, "a variant would make Meltano look the plugin up on the Hub"
    assert block["pip_url"] == LOCAL_PIP_URL.format(tap=tap)
    shared = set(plugin) - HUB_ONLY_KEYS - {"settings", "pip_url"}
    assert set(block) - {"settings", "pip_url"} == shared
    assert {key: block[key] for key in shared} == {key: plugin[key] for key in shared}
    assert {entry["name"]: entry for entry in block["settings"]} == {
        entry["name"]: entry for entry in plugin["settings"]
    }


def declared_settings(plugin_type: str, plugin: dict[str, Any]) -> set[str]:
    """The settings meltano.yml's plugin declares: a tap's from its definition, a loader's from
    its committed lock file."""
    if plugin_type == "extractors":
        return {entry["name"] for entry in committed(plugin["name"])["settings"]}
    lock = ROOT / "plugins" / plugin_type / f"{plugin['name']}--{plugin['variant']}.lock"
    return {entry["name"] for entry in json.loads(lock.read_text())["settings"]}


def test_every_configured_value_is_a_declared_setting() -> None:
    """meltano.yml's hand-written values (plugin config, environments) only set declared
    settings: Meltano would store an undeclared one as text, and a typo would go unnoticed."""
    meltano_yml = yaml.safe_load((ROOT / "meltano.yml").read_text())
    plugins = {
        (plugin_type, plugin["name"]): plugin
        for plugin_type, listed in meltano_yml["plugins"].items()
        for plugin in listed
    }
    configs = [(key, "plugins", plugin.get("config", {})) for key, plugin in plugins.items()]
    for environment in meltano_yml["environments"]:
        for plugin_type, listed in environment.get("config", {}).get("plugins", {}).items():
            configs += [
                ((plugin_type, plugin["name"]), environment["name"], plugin["config"])
                for plugin in listed
            ]
    assert configs
    for (plugin_type, name), where, config in configs:
        undeclared = set(config) - declared_settings(plugin_type, plugins[plugin_type, name])
        assert undeclared == set(), f"{where}: {name} sets {sorted(undeclared)}"
