"""The dbt tests' fixtures: `extracted` and `builds` are session fixtures of tests/conftest.py."""

from tests.e2e.conftest import run_env

__all__ = ["run_env"]
