"""The clean-machine CI runs the gates and exactly the README's test command."""

from __future__ import annotations

import re
import tomllib

from tools.taps import ROOT

CI_SCRIPT = ROOT / ".ci" / "run"


def ci_commands() -> list[str]:
    """The `uv run` commands of .ci/run, without comments."""
    lines = (line.split("#", 1)[0].strip() for line in CI_SCRIPT.read_text().splitlines())
    return [line for line in lines if line.startswith("uv run")]


def readme_test_command() -> str:
    """The command of the README's step "Run the whole test suite"."""
    readme = (ROOT / "README.md").read_text()
    step = readme.split("**2. Run the whole test suite**", 1)[1]
    block = re.search(r"```bash\n(.*?)\n```", step, re.DOTALL)
    assert block is not None, "the README's test step has no bash block"
    [command] = [line.split("#", 1)[0].strip() for line in block[1].splitlines()]
    return command


def test_ci_runs_the_lint_and_type_gates_then_the_readme_test_command() -> None:
    assert ci_commands() == [
        "uv run --frozen ruff check .",
        "uv run --frozen ruff format --check .",
        "uv run --frozen mypy",
        readme_test_command(),
    ]
    assert readme_test_command() == "uv run --frozen pytest"


def test_the_gates_cover_tests_tools_and_benchmarks_and_fail_on_warnings() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    assert config["mypy"]["strict"] is True
    assert {"tests", "tools", "benchmarks"} <= set(config["mypy"]["files"])
    assert config["pytest"]["ini_options"]["filterwarnings"][0] == "error"
