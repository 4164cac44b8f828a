"""The report of the dbt marts: one Markdown file with PNG plots, from DuckDB or PostgreSQL.

`uv run python -m transform.report --duckdb output/warehouse.duckdb` writes `output/report/`.
"""
