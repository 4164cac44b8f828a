"""Meltano Hub-ready definitions of the taps, generated from `<tap> --about --format=json`.

`uv run python -m tools.hub_definitions` writes hub/extractors/<tap>/<variant>.yml in the shape of
meltano/hub's `_data/meltano/extractors/<tap>/<variant>.yml`; `--check` only reports stale files.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools import taps
from tools.taps import ROOT, TAPS

HUB_FOLDER = ROOT / "hub" / "extractors"
VARIANT = "status-taps"
REPO = "https://github.com/status-taps/status-taps"

# Meltano setting kind of each single JSON Schema type.
_KIND_OF_TYPE = {
    "array": "array",
    "boolean": "boolean",
    "integer": "integer",
    "object": "object",
    "string": "string",
}


@dataclass(frozen=True)
class Listing:
    """What a Hub page shows that `--about` does not know."""

    label: str
    description: str
    domain_url: str
    keywords: tuple[str, ...]
    #: Each inner list is one sufficient set of settings (any one set will do).
    settings_group_validation: tuple[tuple[str, ...], ...]
    #: Streams the tap does not select by default (costly): Meltano selects `*.*` unless told.
    opt_in_streams: tuple[str, ...] = ()


LISTINGS = {
    "tap-statuspage": Listing(
        label="Atlassian Statuspage",
        description="Status pages, components, incidents, subscribers and metrics (manage API "
        "v1), or the public Status API v2 of any status page",
        domain_url="https://www.atlassian.com/software/statuspage",
        keywords=("api", "meltano_sdk", "status page", "incidents"),
        # A manage API key, or public status page URLs that need none.
        settings_group_validation=(("api_key",), ("status_page_urls",)),
        opt_in_streams=("component_uptime",),
    ),
    "tap-instatus": Listing(
        label="Instatus",
        description="Instatus status pages, components, incidents, maintenances, subscribers "
        "and metrics",
        domain_url="https://instatus.com",
        keywords=("api", "meltano_sdk", "status page", "incidents"),
        settings_group_validation=(("api_key",),),
    ),
    "tap-configcat": Listing(
        label="ConfigCat",
        description="ConfigCat organizations, products, feature flags and their values per "
        "environment, and audit logs",
        domain_url="https://configcat.com",
        keywords=("api", "meltano_sdk", "feature flags"),
        settings_group_validation=(("username", "password"),),
    ),
}


def about(tap: str) -> dict[str, Any]:
    """The tap's own description of itself."""
    return dict(json.loads(taps.about(tap, "json")))


def setting_kind(name: str, schema: dict[str, Any]) -> str:
    """The Meltano setting kind of one setting of the tap's config schema."""
    if schema.get("secret"):
        return "password"
    declared = schema.get("type", [])
    types = {declared} if isinstance(declared, str) else set(declared)
    types.discard("null")
    if types == {"number", "string"}:
        # Not `decimal`: Meltano 4.4.1 turns a decimal setting from the environment into a
        # Decimal it then cannot write as JSON; the tap reads numeric text itself.
        return "string"
    if types == {"string"} and schema.get("format") in {"date-time", "date"}:
        return "date_iso8601"
    if len(types) == 1 and (kind := _KIND_OF_TYPE.get(types.pop())):
        return kind
    msg = (
        f"setting {name}: no Meltano kind for JSON type {declared!r}; a fractional setting takes "
        "a number or a numeric string (tap_kit.settings.NUMBER_OR_NUMERIC_STRING)"
    )
    raise ValueError(msg)


def setting_definition(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    kind = setting_kind(name, schema)
    entry: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "label": schema.get("title") or name.replace("_", " ").capitalize(),
        "description": schema.get("description", ""),
    }
    if "default" in schema:
        entry["value"] = schema["default"]
    if kind == "password":
        entry["sensitive"] = True
    return entry


def definition(tap: str, about_json: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Hub definition of `tap`: its listing plus what its `--about` declares."""
    described = about_json if about_json is not None else about(tap)
    listing = LISTINGS[tap]
    properties: dict[str, dict[str, Any]] = described["settings"]["properties"]
    select = {"select": ["*.*", *(f"!{s}.*" for s in listing.opt_in_streams)]}
    return {
        "name": tap,
        "namespace": tap.replace("-", "_"),
        "variant": VARIANT,
        "label": listing.label,
        "description": listing.description,
        "domain_url": listing.domain_url,
        "docs": f"{REPO}/blob/main/{tap}/README.md",
        "repo": REPO,
        "pip_url": tap,
        "executable": tap,
        "maintenance_status": "active",
        "keywords": list(listing.keywords),
        "capabilities": sorted(described["capabilities"]),
        "settings": sorted(
            (setting_definition(name, schema) for name, schema in properties.items()),
            key=lambda entry: str(entry["name"]),
        ),
        "settings_group_validation": [list(group) for group in listing.settings_group_validation],
        **(select if listing.opt_in_streams else {}),
    }


def definition_path(tap: str) -> Path:
    return HUB_FOLDER / tap / f"{VARIANT}.yml"


def render(plugin: dict[str, Any]) -> str:
    header = "# Generated by tools/hub_definitions.py from the tap's --about: do not edit.\n"
    return header + str(yaml.safe_dump(plugin, sort_keys=True, allow_unicode=True, width=100))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale files, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for tap in TAPS:
        path = definition_path(tap)
        text = render(definition(tap))
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if args.check and stale:
        names = ", ".join(str(path) for path in stale)
        print(f"stale: {names}; run `uv run python -m tools.hub_definitions`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
