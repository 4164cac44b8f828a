"""Mixed scalar unions are restated for loaders without changing what they accept."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft7Validator

from tap_kit.unions import json_text, loadable_unions

FLAG = {"type": ["boolean", "number", "string", "null"]}


def test_a_mixed_union_becomes_a_text_led_any_of() -> None:
    assert loadable_unions(FLAG) == {
        "anyOf": [{"type": "string"}, {"type": "boolean"}, {"type": "number"}, {"type": "null"}]
    }


@pytest.mark.parametrize(
    "schema",
    [
        {"type": ["string", "null"]},
        {"type": "integer"},
        {"type": ["integer", "number", "null"]},  # one number column holds both
        {"type": ["object", "array", "null"]},  # a JSON column holds both
        {"type": ["string", "object"]},  # not scalars only: left as declared
    ],
)
def test_other_types_stay_as_declared(schema: dict[str, Any]) -> None:
    assert loadable_unions(schema) == schema


def test_unions_inside_objects_and_lists_are_restated_and_the_input_is_untouched() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "value": FLAG,
            "rules": {"type": ["array", "null"], "items": {"properties": {"value": FLAG}}},
        },
    }

    loadable = loadable_unions(schema)

    assert loadable["properties"]["value"]["anyOf"][0] == {"type": "string"}
    assert loadable["properties"]["rules"]["items"]["properties"]["value"]["anyOf"][0] == {
        "type": "string"
    }
    assert schema["properties"]["value"] is FLAG
    assert FLAG == {"type": ["boolean", "number", "string", "null"]}


@pytest.mark.parametrize(
    ("schema", "value"),
    [
        (FLAG, True),
        (FLAG, 1.5),
        (FLAG, "on"),
        (FLAG, None),
        (FLAG, {"a": 1}),
        ({"type": ["boolean", "integer"]}, "text"),
        ({"type": ["boolean", "integer"]}, 2),
        ({"type": ["string", "integer"], "format": "date-time"}, "2026-12-03T00:00:00Z"),
        ({"type": ["string", "integer"], "maxLength": 2}, "abc"),
        ({"type": ["string", "integer"], "maxLength": 2}, 12345),
    ],
)
def test_the_restated_union_accepts_what_the_declared_one_accepts(
    schema: dict[str, Any], value: Any
) -> None:
    declared = Draft7Validator(schema).is_valid(value)
    restated = Draft7Validator(loadable_unions(schema)).is_valid(value)
    # Only text may be added, where the API's union had none.
    widened = "string" not in schema["type"] and isinstance(value, str)

    assert restated == (declared or widened)


@pytest.mark.parametrize(
    ("value", "text"),
    [(True, "true"), ("true", '"true"'), (1, "1"), (1.5, "1.5"), ("é", '"é"'), (None, None)],
)
def test_json_text_keeps_the_value_and_its_type(value: Any, text: str | None) -> None:
    assert json_text(value) == text
