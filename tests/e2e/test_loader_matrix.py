"""Every tap into every loader of meltano.yml: exact rows, right column types, nothing lost.

Each case is one `meltano run <tap> <loader>` against a fresh sandbox (seed 7, small) into a
destination of its own: a new PostgreSQL schema, a new DuckDB file, a new JSONL folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.destinations import (
    LOADERS,
    MIXED,
    Destination,
    JsonlDestination,
    as_key,
    assert_rows_equal_ground_truth,
    fresh_destination,
    from_json_text,
    sorted_records,
    typed,
    wrong_column_types,
)
from tests.e2e.meltano_cli import (
    REPO_ROOT,
    HubTripwire,
    assert_no_secrets,
    run_meltano,
    run_pipeline,
)
from tests.e2e.sources import LEAK_MARKER, TAPS, Source, serve

pytestmark = pytest.mark.e2e


@pytest.mark.usefixtures("installed")
@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("tap", TAPS)
def test_every_tap_loads_into_every_loader(
    tap: str,
    loader: str,
    request: pytest.FixtureRequest,
    run_env: dict[str, str],
    hub: HubTripwire,
    tmp_path: Path,
) -> None:
    with serve(tap) as source:
        destination = fresh_destination(loader, source.load_schema, request, tmp_path)
        env = {**run_env, **source.env, **destination.env()}

        result = run_pipeline(tap, loader, env, hub)

    assert_no_secrets(result, [*source.secrets, *destination.secrets()])
    assert_rows_equal_ground_truth(destination, source.ground_truth, source.keys)
    assert_column_kinds(destination, source)
    assert_mixed_values_kept(destination, source)
    assert destination.tables_containing(LEAK_MARKER) == []
    assert destination.leftovers() == []
    if isinstance(destination, JsonlDestination):
        # JSON keeps everything: each record is loaded exactly as the ground truth has it.
        for stream, truth in source.ground_truth.items():
            if truth:
                assert sorted_records(destination.records(stream)) == sorted_records(truth)


def assert_column_kinds(destination: Destination, source: Source) -> None:
    """Representative columns have the loader's type for their kind of value."""
    wrong: dict[str, str] = {}
    for table, kinds in source.column_kinds.items():
        wrong |= wrong_column_types(destination, table, kinds)
    assert wrong == {}


def assert_mixed_values_kept(destination: Destination, source: Source) -> None:
    """A field of varying JSON type comes back exact, type included, from its JSON companion."""
    for table, kinds in source.column_kinds.items():
        keys = source.keys[table]
        for column in (column for column, kind in kinds.items() if kind == MIXED):
            expected = {
                as_key([row[key] for key in keys]): typed(row.get(column))
                for row in source.ground_truth[table]
            }
            loaded = {
                as_key(row[:-1]): from_json_text(row[-1])
                for row in destination.rows(table, [*keys, f"{column}_json"])
            }
            assert loaded == expected, f"{table}.{column}"


@pytest.mark.usefixtures("installed")
def test_jsonl_gives_each_extractor_its_own_folder(run_env: dict[str, str]) -> None:
    """meltano.yml's target-jsonl path ends in the extractor's load schema, one folder each."""
    folders = {
        tap: json.loads(
            run_meltano("el", tap, "target-jsonl", "--dump=loader-config", env=run_env)
            .check()
            .stdout
        )["destination_path"]
        for tap in TAPS
    }

    assert folders == {
        tap: str(REPO_ROOT / "output" / "jsonl" / tap.replace("-", "_")) for tap in TAPS
    }
