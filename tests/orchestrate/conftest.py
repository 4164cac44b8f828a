"""The orchestrate tests run Meltano like the end-to-end tests: installed once, Hub unreachable."""

from tests.e2e.conftest import hub, installed, meltano_install

__all__ = ["hub", "installed", "meltano_install"]
