"""Comments cite only our own docs, and every docs pointer names a real heading."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED_SUFFIXES = (".py", ".toml", ".yml", ".yaml", ".md")
EXCLUDED_PREFIXES = ("docs/", "plugins/")
EXCLUDED_NAMES = {"LICENSE", "CHANGELOG.md", "uv.lock"}
# Spelled in pieces so this file does not match itself.
OUTSIDE_MARKERS = (
    "fact " + "sheet",
    "\u00a7",
    "DEVELOPERS" + ".md",
    "../" + "shared",
    "shared/" + "apis",
)
POINTER = re.compile(r'\(docs/([\w/.-]+?)\.md, "([^"]+)"\)')
HEADING = re.compile(r"^#{2,3} +(.+?) *$", re.MULTILINE)


def checked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [
        path
        for path in listed
        if path.endswith(CHECKED_SUFFIXES)
        and not path.startswith(EXCLUDED_PREFIXES)
        and Path(path).name not in EXCLUDED_NAMES
        and (ROOT / path).is_file()
    ]


def outside_citations(text: str) -> list[str]:
    """The numbered lines of `text` that cite something outside the repository."""
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if any(marker in line for marker in OUTSIDE_MARKERS)
    ]


def dangling_pointers(text: str, docs_root: Path) -> list[str]:
    """The docs pointers in `text` whose file or heading does not exist."""
    dangling = []
    for name, heading in POINTER.findall(text):
        notes = docs_root / f"{name}.md"
        headings = set(HEADING.findall(notes.read_text())) if notes.is_file() else set()
        if heading not in headings:
            dangling.append(f'{name}.md: "{heading}"')
    return dangling


def test_no_file_outside_docs_cites_outside_the_repository() -> None:
    found = {
        path: lines
        for path in checked_files()
        if (lines := outside_citations((ROOT / path).read_text(encoding="utf-8")))
    }
    assert found == {}


def test_every_docs_pointer_names_an_existing_heading() -> None:
    texts = {path: (ROOT / path).read_text(encoding="utf-8") for path in checked_files()}
    pointing = [path for path, text in texts.items() if POINTER.search(text)]
    assert len(pointing) >= 10, "the code's pointers into docs/ were not found"
    found = {
        path: dangling
        for path, text in texts.items()
        if (dangling := dangling_pointers(text, ROOT / "docs"))
    }
    assert found == {}


def pointer(name: str, heading: str) -> str:
    """A pointer into docs/apis, built at run time so this file holds none."""
    return "(" + f'docs/apis/{name}.md, "{heading}")'


def test_the_checks_catch_a_citation_and_a_dangling_pointer(tmp_path: Path) -> None:
    (tmp_path / "apis").mkdir()
    (tmp_path / "apis" / "example.md").write_text("# Example\n\n## Pagination\n\n### Page size\n")
    good = f"# Paged {pointer('example', 'Pagination')} and {pointer('example', 'Page size')}."
    bad = f"# {pointer('example', 'Paging')} {pointer('missing', 'Pagination')}"
    assert dangling_pointers(good, tmp_path) == []
    assert dangling_pointers(bad, tmp_path) == [
        'apis/example.md: "Paging"',
        'apis/missing.md: "Pagination"',
    ]
    cited = "ok\n# see the " + OUTSIDE_MARKERS[0] + " \u00a73\n"
    assert outside_citations(cited) == [f"2: # see the {OUTSIDE_MARKERS[0]} \u00a73"]
