"""`python -m transform.report`: render the report from the marts of a DuckDB file or PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from transform.report.warehouse import (
    DuckDBWarehouse,
    PostgresWarehouse,
    ReportInputError,
    Warehouse,
)

PROG = "transform.report"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=f"python -m {PROG}",
        description="Render the Markdown report with PNG plots from the dbt marts.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--duckdb", type=Path, metavar="FILE", help="DuckDB file dbt built into")
    source.add_argument(
        "--postgres",
        metavar="CONNINFO",
        help="libpq connection string or URI; empty ('') takes everything from PG* variables",
    )
    parser.add_argument(
        "--schema", help="schema of the marts (default: the one schema that holds them)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("output/report"),
        help="folder for report.md and its plots (default: output/report)",
    )
    return parser.parse_args(argv)


def open_warehouse(args: argparse.Namespace) -> Warehouse:
    if args.duckdb is not None:
        return DuckDBWarehouse(args.duckdb, args.schema)
    return PostgresWarehouse(args.postgres, args.schema)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        warehouse = open_warehouse(args)
        # Plotting imports take seconds: bad input is refused before them.
        from transform.report.report import render  # noqa: PLC0415

        try:
            report = render(warehouse, args.out)
        finally:
            warehouse.close()
    except ReportInputError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    print(f"Report written to {report.path.resolve()} ({len(report.images)} plots)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
