"""Cells of two adapters compare equal when they differ only by floating-point summation order."""

from __future__ import annotations

from decimal import Decimal

from tests.transform.warehouses import normalised


def test_floats_straddling_a_rounding_boundary_are_equal() -> None:
    # DuckDB's double average and PostgreSQL's numeric one of the same minutes, seen in a mart.
    assert normalised(114.23554750000001) == normalised(Decimal("114.2355474999999999"))


def test_floats_that_really_differ_are_not_equal() -> None:
    assert normalised(114.235548) != normalised(Decimal("114.235547"))
    assert normalised(0.0) != normalised(1e-6)
