"""Where the marts are read: a DuckDB file or a PostgreSQL database, through the same SQL."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

Row = dict[str, Any]

# Every mart the report reads, and the taps whose data fill it.
MART_SOURCES: dict[str, str] = {
    "component_uptime_daily": "tap-statuspage or tap-instatus",
    "component_uptime_periods": "tap-statuspage or tap-instatus",
    "incident_response": "tap-statuspage or tap-instatus",
    "incident_resolution_monthly": "tap-statuspage or tap-instatus",
    "maintenance_overrun": "tap-statuspage or tap-instatus",
    "uptime_reconciliation": "tap-statuspage (its component_uptime stream)",
    "flag_changes_weekly": "tap-configcat",
    "flag_staleness": "tap-configcat",
}


class ReportInputError(Exception):
    """The report cannot read its input; the message is the one line the user sees."""


class Warehouse(ABC):
    """The database holding the marts, and the schema they were built in."""

    def __init__(self, schema: str | None) -> None:
        self._schema = schema
        self._marts: dict[str, str] | None = None

    @property
    @abstractmethod
    def description(self) -> str:
        """Where the marts are read from, as the user named it (no secret)."""

    @abstractmethod
    def _fetch(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        """The column names and rows of `query`."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def mart_schemas(self) -> dict[str, str]:
        """Mart name -> the schema holding it, for each mart that exists."""
        if self._marts is None:
            names = ", ".join(f"'{name}'" for name in MART_SOURCES)
            _, found = self._fetch(
                "SELECT table_schema, table_name FROM information_schema.tables"  # noqa: S608 (our mart names)
                f" WHERE table_name IN ({names})"
            )
            schemas = sorted({schema for schema, _ in found})
            if self._schema is not None:
                schemas = [self._schema] if self._schema in schemas else []
            if not schemas:
                where = f"schema {self._schema!r} of " if self._schema else ""
                raise ReportInputError(
                    f"no marts found in {where}{self.description}: build the dbt project first"
                    " (meltano run dbt-duckdb:build, or dbt-postgres:build)"
                )
            if len(schemas) > 1:
                raise ReportInputError(
                    f"marts found in several schemas of {self.description} ({', '.join(schemas)}):"
                    " choose one with --schema"
                )
            self._marts = {name: schema for schema, name in found if schema == schemas[0]}
        return self._marts

    def rows(self, mart: str, columns: Sequence[str], where: str = "") -> list[Row]:
        """The `columns` of `mart`'s rows, filtered by the SQL condition `where`; none if absent."""
        schema = self.mart_schemas().get(mart)
        if schema is None:
            return []
        selected = ", ".join(_quoted(column) for column in columns)
        query = f"SELECT {selected} FROM {_quoted(schema)}.{_quoted(mart)}"  # noqa: S608 (quoted)
        if where:
            query += f" WHERE {where}"
        names, found = self._fetch(query)
        return [dict(zip(names, map(_plain, values), strict=True)) for values in found]

    def max_value(self, mart: str, column: str) -> Any:
        """The largest value of `column` in `mart`; None if the mart is absent or empty."""
        schema = self.mart_schemas().get(mart)
        if schema is None:
            return None
        _, found = self._fetch(
            f"SELECT max({_quoted(column)}) FROM {_quoted(schema)}.{_quoted(mart)}"  # noqa: S608
        )
        return _plain(found[0][0])


class DuckDBWarehouse(Warehouse):
    """A DuckDB file, opened read-only so a loader or dbt may still write it afterwards."""

    def __init__(self, path: Path, schema: str | None = None) -> None:
        super().__init__(schema)
        import duckdb  # noqa: PLC0415 (a PostgreSQL report needs no duckdb)

        if not path.is_file():
            raise ReportInputError(f"--duckdb: no DuckDB file at {path}")
        self._path = path
        try:
            self._conn = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as error:
            raise ReportInputError(f"--duckdb: cannot open {path}: {error}") from None
        # Timestamps with a time zone come back in UTC, whatever the machine's zone.
        self._conn.execute("SET TimeZone = 'UTC'")

    @property
    def description(self) -> str:
        return str(self._path)

    def _fetch(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = self._conn.execute(query)
        names = [column[0] for column in cursor.description or []]
        return names, cursor.fetchall()

    def close(self) -> None:
        self._conn.close()


class PostgresWarehouse(Warehouse):
    """A PostgreSQL database reached with libpq's connection string and PG* variables."""

    def __init__(self, conninfo: str, schema: str | None = None) -> None:
        super().__init__(schema)
        import psycopg  # noqa: PLC0415 (a DuckDB report needs no psycopg)

        try:
            self._conn = psycopg.connect(conninfo, autocommit=True)
        except psycopg.Error as error:
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            raise ReportInputError(f"--postgres: cannot connect: {first_line}") from None
        self._conn.execute("SET TIME ZONE 'UTC'")
        info = self._conn.info
        self._where = f"PostgreSQL database {info.dbname} at {info.host}:{info.port}"

    @property
    def description(self) -> str:
        return self._where

    def _fetch(self, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
        cursor = self._conn.execute(query.encode())
        names = [column.name for column in cursor.description or []]
        return names, [tuple(row) for row in cursor.fetchall()]

    def close(self) -> None:
        self._conn.close()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _plain(value: Any) -> Any:
    """Numbers as float and times in naive UTC, whichever database returned them."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def date_literal(day: dt.date) -> str:
    """A date in SQL both databases read."""
    return f"DATE '{day.isoformat()}'"
