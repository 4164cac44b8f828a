"""Every record a tap writes fits the SCHEMA it sent, and every field it carries is declared.

Loaders drop the fields a schema does not declare, and a validating loader rejects a whole batch
on one type mismatch; so a full sync of each tap against a sandbox that serves the real payloads'
variants (ids sent as numbers, 19-digit tweet ids, group rows with their own fields, dates) must
validate record by record, and every key, nested ones included, must be in the schema.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, FormatChecker

from sandbox import Sandbox
from tests.sandboxes import three_api_sandbox
from tests.taprun import run_tap

SEED = 11
# The small presets hold every variant the generators emit (the test below proves it).
SIZE = "small"
# Before ConfigCat's first audit entry, so the whole audit history is read.
CONFIGCAT_START = "2026-05-01T00:00:00Z"
JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
}

FORMATS = FormatChecker(formats=())


def _is_date_time(value: object) -> bool:
    # RFC 3339 needs a date, a time and an offset: a bare date or a naive time is no date-time.
    if not isinstance(value, str):
        return True
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return "T" in value.upper() and parsed.tzinfo is not None


def _is_date(value: object) -> bool:
    return not isinstance(value, str) or (len(value) == 10 and bool(date.fromisoformat(value)))


FORMATS.checks("date-time", raises=ValueError)(_is_date_time)
FORMATS.checks("date", raises=ValueError)(_is_date)


@dataclass
class SyncOutput:
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))


def read_output(stdout: str) -> SyncOutput:
    """SCHEMA and RECORD messages by stream; each stream keeps one SCHEMA for the whole run."""
    output = SyncOutput()
    for line in stdout.splitlines():
        message = json.loads(line)
        if message["type"] == "SCHEMA":
            known = output.schemas.setdefault(message["stream"], message["schema"])
            assert known == message["schema"], f"SCHEMA changed mid-run: {message['stream']}"
        elif message["type"] == "RECORD":
            assert message["stream"] in output.schemas, f"RECORD before SCHEMA: {message['stream']}"
            output.records[message["stream"]].append(message["record"])
    return output


def branches(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The schema itself, or each alternative of an anyOf / oneOf."""
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            return [alt for option in schema[keyword] for alt in branches(option)]
    return [schema]


def undeclared(value: Any, schema: dict[str, Any], path: str) -> Iterator[str]:
    """Paths of keys in `value` that `schema` does not declare, nested objects and arrays too.

    An object schema without `properties` is a free-form map (user metadata, translations):
    loaders keep it whole as JSON, so its keys need no declaration.
    """
    options = branches(schema)
    if isinstance(value, dict):
        declared = [o for o in options if o.get("properties")]
        if not declared:
            return
        properties: dict[str, Any] = {}
        for option in declared:
            properties.update(option["properties"])
        for key, child in value.items():
            if key not in properties:
                yield f"{path}.{key}"
            else:
                yield from undeclared(child, properties[key], f"{path}.{key}")
    elif isinstance(value, list):
        for option in options:
            items = option.get("items")
            if isinstance(items, dict):
                for child in value:
                    yield from undeclared(child, items, f"{path}[]")
                return


def type_problems(records: list[dict[str, Any]], schema: dict[str, Any]) -> set[str]:
    validator = Draft7Validator(schema, format_checker=FORMATS)
    problems = set()
    for record in records:
        for error in validator.iter_errors(record):
            where = ".".join(str(p) if not isinstance(p, int) else "[]" for p in error.path)
            sent = "null" if error.instance is None else type(error.instance).__name__
            rule = f"{error.validator} {error.validator_value}"
            problems.add(f"{where or '<record>'}: {rule} ({sent})")
    return problems


def sent_types(records: list[dict[str, Any]], path: tuple[str, ...]) -> set[str]:
    """JSON types seen at a dotted path (through arrays; "[]" means each item) in `records`."""
    found: set[str] = set()

    def walk(value: Any, rest: tuple[str, ...]) -> None:
        if rest[:1] == ("[]",):
            for item in value if isinstance(value, list) else ():
                walk(item, rest[1:])
        elif isinstance(value, list) and rest:
            for item in value:
                walk(item, rest)
        elif not rest:
            found.add("null" if value is None else JSON_TYPES[type(value)])
        elif isinstance(value, dict) and rest[0] in value:
            walk(value[rest[0]], rest[1:])

    for record in records:
        walk(record, path)
    return found


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with three_api_sandbox(SEED, SIZE) as server:
        yield server


def tap_config(sandbox: Sandbox, run: str) -> tuple[str, dict[str, Any]]:
    fast = {"requests_per_second": 1000, "backoff_base_seconds": 0.05}
    if run == "statuspage":
        data = sandbox.statuspage
        assert data is not None
        config = {
            "api_url": sandbox.statuspage_api_url,
            "api_key": data.api_key,
            "organization_id": data.organization_id,
        }
        return "tap-statuspage", config | fast
    if run == "statuspage-public":
        return "tap-statuspage", {"status_page_urls": sandbox.statuspage_public_urls} | fast
    if run == "instatus":
        assert sandbox.instatus is not None
        config = {
            "api_url": sandbox.instatus_api_url,
            "api_key": sandbox.instatus.api_key,
            "public_url_template": sandbox.instatus_public_url_template,
        }
        return "tap-instatus", config | fast
    assert sandbox.configcat is not None
    config = {
        "api_url": sandbox.configcat_api_url,
        "username": sandbox.configcat.username,
        "password": sandbox.configcat.password,
        "start_date": CONFIGCAT_START,
    }
    return "tap-configcat", config | fast


RUNS = ["statuspage", "statuspage-public", "instatus", "configcat"]


@pytest.fixture(scope="module")
def outputs(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> dict[str, SyncOutput]:
    results = {}
    for run in RUNS:
        executable, config = tap_config(sandbox, run)
        result = run_tap(executable, config, Path(tmp_path_factory.mktemp(run)))
        assert result.returncode == 0, result.stderr[-3000:]
        results[run] = read_output(result.stdout)
    return results


@pytest.mark.parametrize("run", RUNS)
def test_every_record_validates_against_its_schema(
    outputs: dict[str, SyncOutput], run: str
) -> None:
    output = outputs[run]
    assert output.records, "the sync wrote no record: the test would prove nothing"
    problems = {
        f"{stream}.{problem}"
        for stream, records in output.records.items()
        for problem in type_problems(records, output.schemas[stream])
    }
    assert sorted(problems) == []


@pytest.mark.parametrize("run", RUNS)
def test_every_field_of_every_record_is_declared(outputs: dict[str, SyncOutput], run: str) -> None:
    output = outputs[run]
    missing = {
        path
        for stream, records in output.records.items()
        for record in records
        for path in undeclared(record, output.schemas[stream], stream)
    }
    assert sorted(missing) == []


# Fields real payloads send with more than one JSON type: the sandbox must serve each variant,
# or the two tests above would pass on data that never varies.
VARIANTS: dict[tuple[str, str, str], set[str]] = {
    ("statuspage", "incident_updates", "tweet_id"): {"integer", "string", "null"},
    ("statuspage-public", "incident_updates", "tweet_id"): {"integer", "null"},
    ("statuspage-public", "component_groups", "components"): {"array"},
    ("statuspage-public", "component_groups", "status"): {"string"},
    ("statuspage-public", "component_groups", "start_date"): {"string", "null"},
    ("statuspage-public", "components", "start_date"): {"string", "null"},
    ("instatus", "public_data", "activeMaintenances.duration"): {"integer", "string"},
    ("instatus", "subscribers", "components.[]"): {"string", "object"},
    ("configcat", "settings", "predefinedVariations.[].value.doubleValue"): {"number"},
    ("configcat", "settings", "predefinedVariations.[].value.stringValue"): {"string"},
}


@pytest.mark.parametrize(("run", "stream", "field_path"), sorted(VARIANTS))
def test_the_sandbox_serves_each_variant(
    outputs: dict[str, SyncOutput], run: str, stream: str, field_path: str
) -> None:
    seen = sent_types(outputs[run].records[stream], tuple(field_path.split(".")))
    assert seen >= VARIANTS[run, stream, field_path]
