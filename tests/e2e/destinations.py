"""Where the end-to-end tests load, one class per loader of meltano.yml, all read back alike.

Each destination is fresh per run (a PostgreSQL schema, a DuckDB file, a JSONL folder), points its
loader there through the loader's own environment variables, and answers the same questions: the
rows of each table, the type of each column, whether a text occurs anywhere, what was left over.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pytest
from psycopg import sql

from tests.pg import PostgresServer

# What a column's values are, whatever the loader calls its type.
TIMESTAMP = "timestamp"
INTEGER = "integer"
NUMBER = "number"
BOOLEAN = "boolean"
TEXT = "text"
OBJECT = "object"
ARRAY = "array"
# A field whose JSON type varies from record to record (a union of scalar types).
MIXED = "mixed"
LOADERS = ("target-postgres", "target-duckdb", "target-jsonl")


class Destination(Protocol):
    loader: ClassVar[str]
    #: The loader's own type names that are right for each kind of value.
    native_types: ClassVar[dict[str, frozenset[str]]]

    def env(self) -> dict[str, str]:
        """The loader's environment variables that point it at this destination."""
        ...

    def secrets(self) -> list[str]:
        """Credentials of the destination itself, which no output may show."""
        ...

    def tables(self) -> list[str]:
        """The tables (streams) loaded."""
        ...

    def rows(self, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        """The values of `columns` in every row of `table`."""
        ...

    def column_types(self, table: str, columns: Sequence[str]) -> dict[str, str]:
        """Each of `columns` that exists (named as the API names the field) -> its type here."""
        ...

    def tables_containing(self, text: str) -> list[str]:
        """Tables with a row in which `text` occurs in any column."""
        ...

    def leftovers(self) -> list[str]:
        """Staging tables the loader should have dropped."""
        ...


@dataclass
class PostgresDestination:
    """A fresh schema of the session's PostgreSQL cluster."""

    server: PostgresServer
    schema: str
    loader: ClassVar[str] = "target-postgres"
    native_types: ClassVar[dict[str, frozenset[str]]] = {
        TIMESTAMP: frozenset({"timestamp without time zone"}),
        INTEGER: frozenset({"bigint", "integer", "smallint"}),
        NUMBER: frozenset({"numeric", "double precision"}),
        BOOLEAN: frozenset({"boolean"}),
        TEXT: frozenset({"text"}),
        OBJECT: frozenset({"jsonb"}),
        # target-postgres stores a list as a PostgreSQL array of the items' type.
        ARRAY: frozenset({"jsonb[]", "text[]", "bigint[]"}),
        MIXED: frozenset({"text"}),
    }

    @classmethod
    def fresh(cls, server: PostgresServer) -> PostgresDestination:
        return cls(server, f"e2e_{uuid.uuid4().hex[:12]}")

    def env(self) -> dict[str, str]:
        return self.server.target_postgres_env(self.schema)

    def secrets(self) -> list[str]:
        return [self.server.password]

    def tables(self) -> list[str]:
        return self.server.tables(self.schema)

    def rows(self, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        query = sql.SQL("SELECT {} FROM {}.{}").format(
            sql.SQL(", ").join(sql.Identifier(column) for column in columns),
            sql.Identifier(self.schema),
            sql.Identifier(table),
        )
        with self.server.connect() as conn:
            return [tuple(row) for row in conn.execute(query).fetchall()]

    def column_types(self, table: str, columns: Sequence[str]) -> dict[str, str]:
        query = (
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = %s AND a.attname = ANY(%s)"
        )
        with self.server.connect() as conn:
            return dict(conn.execute(query, (self.schema, table, list(columns))).fetchall())

    def tables_containing(self, text: str) -> list[str]:
        found = []
        with self.server.connect() as conn:
            for table in self.tables():
                query = sql.SQL("SELECT count(*) FROM {}.{} AS r WHERE r::text LIKE %s").format(
                    sql.Identifier(self.schema), sql.Identifier(table)
                )
                row = conn.execute(query, (f"%{text}%",)).fetchone()
                if row and row[0]:
                    found.append(table)
        return found

    def leftovers(self) -> list[str]:
        # target-postgres stages in TEMPORARY tables, which end with the loader's session.
        return []


@dataclass
class DuckDBDestination:
    """A DuckDB file of its own; the schema is the extractor's load schema, as in meltano.yml."""

    path: Path
    schema: str
    loader: ClassVar[str] = "target-duckdb"
    native_types: ClassVar[dict[str, frozenset[str]]] = {
        TIMESTAMP: frozenset({"TIMESTAMP"}),
        INTEGER: frozenset({"HUGEINT", "BIGINT", "INTEGER", "SMALLINT"}),
        NUMBER: frozenset({"DOUBLE"}),
        BOOLEAN: frozenset({"BOOLEAN"}),
        TEXT: frozenset({"VARCHAR"}),
        OBJECT: frozenset({"JSON"}),
        ARRAY: frozenset({"JSON"}),
        MIXED: frozenset({"VARCHAR"}),
    }

    def env(self) -> dict[str, str]:
        return {"TARGET_DUCKDB_FILEPATH": str(self.path)}

    def secrets(self) -> list[str]:
        return []

    def _query(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        import duckdb  # noqa: PLC0415 (only DuckDB runs need it)

        with duckdb.connect(str(self.path), read_only=True) as conn:
            return conn.execute(query, list(params)).fetchall()

    def tables(self) -> list[str]:
        rows = self._query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ?",
            [self.schema],
        )
        return sorted(row[0] for row in rows)

    def rows(self, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        # target-duckdb lowercases column names; DuckDB resolves identifiers case-insensitively.
        selected = ", ".join(f'"{column.lower()}"' for column in columns)
        return self._query(f'SELECT {selected} FROM "{self.schema}"."{table}"')

    def column_types(self, table: str, columns: Sequence[str]) -> dict[str, str]:
        rows = dict(
            self._query(
                "SELECT column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = ? AND table_name = ?",
                [self.schema, table],
            )
        )
        return {column: rows[column.lower()] for column in columns if column.lower() in rows}

    def tables_containing(self, text: str) -> list[str]:
        return [
            table
            for table in self.tables()
            if self._query(
                f'SELECT count(*) FROM "{self.schema}"."{table}" AS r'
                " WHERE CAST(r AS VARCHAR) LIKE ?",
                [f"%{text}%"],
            )[0][0]
        ]

    def leftovers(self) -> list[str]:
        # target-duckdb stages each batch in a plain `tmp_<uuid>` table of the default schema.
        rows = self._query(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables"
            " WHERE table_schema <> ?",
            [self.schema],
        )
        return [row[0] for row in rows]


@dataclass
class JsonlDestination:
    """A folder of its own: one `<stream>.jsonl` file per stream."""

    folder: Path
    loader: ClassVar[str] = "target-jsonl"
    # JSON keeps each value's own type: these are the types of the values read back.
    native_types: ClassVar[dict[str, frozenset[str]]] = {
        TIMESTAMP: frozenset({TIMESTAMP}),
        INTEGER: frozenset({INTEGER}),
        NUMBER: frozenset({NUMBER, INTEGER}),
        BOOLEAN: frozenset({BOOLEAN}),
        TEXT: frozenset({TEXT}),
        OBJECT: frozenset({OBJECT}),
        ARRAY: frozenset({ARRAY}),
        MIXED: frozenset({MIXED}),
    }

    def env(self) -> dict[str, str]:
        return {"TARGET_JSONL_DESTINATION_PATH": str(self.folder)}

    def secrets(self) -> list[str]:
        return []

    def records(self, table: str) -> list[dict[str, Any]]:
        lines = (self.folder / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]

    def tables(self) -> list[str]:
        return sorted(path.stem for path in self.folder.glob("*.jsonl"))

    def rows(self, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
        return [tuple(record.get(column) for column in columns) for record in self.records(table)]

    def column_types(self, table: str, columns: Sequence[str]) -> dict[str, str]:
        records = self.records(table)
        return {
            column: _json_kind(
                [record[column] for record in records if record.get(column) is not None]
            )
            for column in columns
            if any(column in record for record in records)
        }

    def tables_containing(self, text: str) -> list[str]:
        return [
            path.stem
            for path in self.folder.glob("*.jsonl")
            if text in path.read_text(encoding="utf-8")
        ]

    def leftovers(self) -> list[str]:
        return [path.name for path in self.folder.glob("*") if path.suffix != ".jsonl"]


def _json_kind(values: list[Any]) -> str:
    """The kind shared by every value of a JSON field (MIXED when scalar types differ)."""
    kinds = {_value_kind(value) for value in values}
    if kinds == {INTEGER, NUMBER}:
        return NUMBER
    if len(kinds) == 1:
        return kinds.pop()
    return MIXED if kinds else "null"


def _value_kind(value: Any) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, dict):
        return OBJECT
    if isinstance(value, list):
        return ARRAY
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return TEXT
    return TIMESTAMP


def fresh_destination(
    loader: str, load_schema: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Destination:
    """A new, empty destination of `loader` for one test's run."""
    if loader == "target-postgres":
        return PostgresDestination.fresh(request.getfixturevalue("postgres"))
    if loader == "target-duckdb":
        return DuckDBDestination(tmp_path / "warehouse.duckdb", load_schema)
    # Not created here: the loader must create the extractor's folder itself.
    return JsonlDestination(tmp_path / "jsonl" / load_schema)


def wrong_column_types(
    destination: Destination, table: str, kinds: dict[str, str]
) -> dict[str, str]:
    """Columns of `table` whose type in the loader is not one for their kind of value."""
    types = destination.column_types(table, list(kinds))
    return {
        f"{table}.{column}": f"{types.get(column)}, expected {kind}"
        for column, kind in kinds.items()
        if types.get(column) not in destination.native_types[kind]
    }


def typed(value: Any) -> tuple[str, Any]:
    """A value with its type: `True`, `1` and `1.0` are equal in Python, not in JSON."""
    return type(value).__name__, value


def from_json_text(text: str | None) -> tuple[str, Any]:
    """The typed value a `<field>_json` column holds (NULL is None)."""
    return typed(None if text is None else json.loads(text))


def sorted_records(records: list[dict[str, Any]]) -> list[str]:
    """Records in a canonical order and form, to compare lists of them."""
    return sorted(json.dumps(record, sort_keys=True) for record in records)


def assert_rows_equal_ground_truth(
    destination: Destination,
    truth: Mapping[str, list[dict[str, Any]]],
    keys: Mapping[str, Sequence[str]],
) -> None:
    """One table per stream, holding exactly the ground truth's keys, each once."""
    assert sum(map(len, truth.values())) > 0, "the sandbox served no records at all"
    tables = destination.tables()
    assert set(tables) <= set(truth), f"unexpected tables: {set(tables) - set(truth)}"
    loaded = {
        stream: Counter(as_key(row) for row in destination.rows(stream, keys[stream]))
        if stream in tables
        else Counter()
        for stream in truth
    }
    expected = {
        stream: Counter(as_key([row[key] for key in keys[stream]]) for row in rows)
        for stream, rows in truth.items()
    }
    counts = {stream: sum(keys.values()) for stream, keys in loaded.items()}
    assert counts == {stream: len(rows) for stream, rows in truth.items()}
    assert loaded == expected


def as_key(values: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in values)
