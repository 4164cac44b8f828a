"""Fields whose JSON type varies, written so that every loader can load them.

A schema declares such a field the natural way, `"type": ["boolean", "number", "string", "null"]`,
and that is what the tap validates against. SQL loaders, however, give each field one column type
and pick it from the union in their own ways: target-duckdb (jwills) takes `double` as soon as
`number` is in the list and then fails on `"False"`; a `boolean | string` union becomes a
`boolean` column there. Both target-duckdb and target-postgres type an `anyOf` by its first
non-null alternative, so the SCHEMA message the kit writes states each union of scalar types as an
`anyOf` led by plain `string`: every loader then makes a text column, which holds any scalar. The
union accepts exactly the same values as before (when `string` was not one of its types, text is
added as the alternative that lets a loader store the others).

A text column cannot tell `true` from `"true"`: a stream that needs the exact value back lists the
field in `json_text_fields`, and its records also carry `<field>_json`, the value as JSON text.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

_SCALAR_TYPES = frozenset({"boolean", "integer", "number", "string"})
# Every SQL loader already has one column type for both: a number column.
_NUMERIC_TYPES = frozenset({"integer", "number"})


def needs_text_column(types: list[Any]) -> bool:
    """Whether a `type` list mixes scalar types that no single non-text column type holds."""
    kinds = {kind for kind in types if kind != "null"}
    return len(kinds) > 1 and kinds <= _SCALAR_TYPES and not kinds <= _NUMERIC_TYPES


def loadable_unions(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of a JSON Schema whose mixed scalar unions, at any depth, are text-led `anyOf`s.

    Keywords beside `type` (`format`, `description`, ...) stay where they are: JSON Schema applies
    each only to the values of its own type, so the union validates exactly what it did.
    """
    loadable = dict(schema)
    types = loadable.get("type")
    if isinstance(types, list) and needs_text_column(types):
        del loadable["type"]
        others = [kind for kind in types if kind not in {"string", "null"}]
        nullable = [{"type": "null"}] if "null" in types else []
        loadable["anyOf"] = [{"type": "string"}, *({"type": kind} for kind in others), *nullable]
    properties = loadable.get("properties")
    if isinstance(properties, Mapping):
        loadable["properties"] = {
            name: loadable_unions(child) if isinstance(child, Mapping) else child
            for name, child in properties.items()
        }
    items = loadable.get("items")
    if isinstance(items, Mapping):
        loadable["items"] = loadable_unions(items)
    return loadable


def json_text(value: Any) -> str | None:
    """A value as JSON text (`true`, `1.5`, `"true"`); None stays None, a NULL in every loader."""
    return None if value is None else json.dumps(value, ensure_ascii=False)
