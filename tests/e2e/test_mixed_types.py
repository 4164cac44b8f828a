"""Fields whose JSON type varies load into every loader of meltano.yml, and come back exact.

A kit tap with one stream of such unions (declared the natural way, as `type` lists) syncs from a
scripted server; its Singer output goes into each loader through `meltano invoke`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any, ClassVar

import pytest
from singer_sdk import typing as th

from tap_kit import SINGLE_PAGE, KitRESTStream, KitTap, PageStyle, common_settings
from tests.e2e.destinations import (
    LOADERS,
    MIXED,
    NUMBER,
    JsonlDestination,
    fresh_destination,
    from_json_text,
    typed,
    wrong_column_types,
)
from tests.e2e.meltano_cli import HubTripwire, MeltanoResult, assert_no_secrets, run_meltano
from tests.kit.scripted_server import Reply, ScriptedServer

pytestmark = pytest.mark.e2e

LOAD_SCHEMA = "tap_mixed"
# Union -> values of every type it allows, look-alikes included ("true" and true, "1" and 1).
UNIONS: dict[str, tuple[list[str], list[Any]]] = {
    # Like a tweet id: a 19-digit integer on some pages, a string on others.
    "id_or_code": (["string", "integer", "null"], [1234567890123456789, "1234567890123456789", 7]),
    # Like a feature flag's value.
    "flag_value": (
        ["boolean", "number", "string", "null"],
        [True, False, 0, 1, 1.5, "true", "1", "Hello"],
    ),
    "toggle_or_label": (["boolean", "string", "null"], [True, "false", "on"]),
    "toggle_or_count": (["boolean", "integer", "null"], [False, 0, 3, True]),
    # Every SQL loader has a column type for both: it stays a number column.
    "count_or_ratio": (["integer", "number", "null"], [1, 2.5]),
}
# The kind of column each union gets in the loaders.
COLUMN_KINDS = dict.fromkeys(UNIONS, MIXED) | {"count_or_ratio": NUMBER}
ROWS = 9  # one more than the longest list: every field is also null once


def served_records() -> list[dict[str, Any]]:
    return [
        {"id": index}
        | {field: (values + [None] * ROWS)[index] for field, (_, values) in UNIONS.items()}
        for index in range(ROWS)
    ]


class MixedStream(KitRESTStream):
    name = "mixed"
    path = "/mixed"
    primary_keys = ("id",)
    page_style: ClassVar[PageStyle] = SINGLE_PAGE
    json_text_fields = tuple(UNIONS)
    schema: ClassVar[dict[str, Any]] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            **{field: {"type": types} for field, (types, _) in UNIONS.items()},
            **{f"{field}_json": {"type": ["string", "null"]} for field in UNIONS},
        },
    }


class MixedTap(KitTap):
    name = "tap-mixed"
    config_jsonschema = th.PropertiesList(
        *common_settings(api_url="http://127.0.0.1:9", requests_per_second=1000.0)
    ).to_dict()
    credential_settings = ()  # The scripted server asks for no credential.
    stream_types = (MixedStream,)


@pytest.fixture(scope="module")
def singer_output() -> Iterator[str]:
    """What the kit tap writes for the union stream: SCHEMA, RECORD and STATE lines."""
    server = ScriptedServer()
    server.responders["/mixed"] = lambda _query: Reply(200, served_records())
    try:
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8")  # the tap writes bytes to stdout.buffer
        with redirect_stdout(out):
            MixedTap(config={"api_url": server.url}).sync_all()
        out.flush()
        yield raw.getvalue().decode()
    finally:
        server.close()


def invoke_loader(
    loader: str, singer_output: str, env: dict[str, str], hub: HubTripwire
) -> MeltanoResult:
    # `invoke` has no extractor, hence no load schema for target-duckdb to default to.
    env = {**env, "TARGET_DUCKDB_DEFAULT_TARGET_SCHEMA": LOAD_SCHEMA}
    result = run_meltano("invoke", loader, env=env, stdin=singer_output)
    assert hub.requests == [], "meltano invoke contacted Meltano Hub"
    return result


def test_the_schema_message_leads_each_mixed_union_with_text(singer_output: str) -> None:
    messages = [json.loads(line) for line in singer_output.splitlines()]
    schema = next(message["schema"] for message in messages if message["type"] == "SCHEMA")
    properties = schema["properties"]

    assert properties["flag_value"] == {
        "anyOf": [{"type": "string"}, {"type": "boolean"}, {"type": "number"}, {"type": "null"}]
    }
    assert properties["id_or_code"] == {
        "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]
    }
    # No string in the API's union: text is added as the one column type that holds both.
    assert properties["toggle_or_count"]["anyOf"][0] == {"type": "string"}
    assert properties["count_or_ratio"] == {"type": ["integer", "number", "null"]}


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("loader", LOADERS)
def test_mixed_type_fields_load_exactly(
    loader: str,
    singer_output: str,
    request: pytest.FixtureRequest,
    run_env: dict[str, str],
    hub: HubTripwire,
    tmp_path: Path,
) -> None:
    destination = fresh_destination(loader, LOAD_SCHEMA, request, tmp_path)

    result = invoke_loader(loader, singer_output, {**run_env, **destination.env()}, hub)

    result.check()
    assert_no_secrets(result, destination.secrets())
    assert wrong_column_types(destination, "mixed", COLUMN_KINDS) == {}
    companions = [f"{field}_json" for field in UNIONS]
    exact = [
        [from_json_text(text) for text in row[1:]]
        for row in sorted(destination.rows("mixed", ["id", *companions]))
    ]
    assert exact == [[typed(record[field]) for field in UNIONS] for record in served_records()]
    if isinstance(destination, JsonlDestination):
        # JSON keeps the fields themselves exact too.
        assert [
            [typed(value) for value in row[1:]]
            for row in sorted(destination.rows("mixed", ["id", *UNIONS]))
        ] == [[typed(record[field]) for field in UNIONS] for record in served_records()]
    assert destination.leftovers() == []


@pytest.mark.usefixtures("installed")
def test_a_failed_duckdb_load_leaves_no_staging_table(
    singer_output: str,
    request: pytest.FixtureRequest,
    run_env: dict[str, str],
    hub: HubTripwire,
    tmp_path: Path,
) -> None:
    """target-duckdb drops its `tmp_*` staging table only after a successful batch.

    With `validate_records`, a record that breaks its schema stops the load before any staging,
    and with mixed unions loadable no valid record fails the cast into its column.
    """
    loader = "target-duckdb"
    messages = [json.loads(line) for line in singer_output.splitlines()]
    bad = next(message for message in messages if message["type"] == "RECORD")
    bad["record"]["flag_value"] = {"not": "a scalar"}
    destination = fresh_destination(loader, LOAD_SCHEMA, request, tmp_path)

    result = invoke_loader(
        loader,
        "".join(json.dumps(message) + "\n" for message in messages),
        {**run_env, **destination.env()},
        hub,
    )

    assert result.returncode != 0
    assert "Record does not pass schema validation" in result.output
    assert destination.leftovers() == []
