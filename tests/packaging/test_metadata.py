"""Every built wheel and sdist carries the metadata the package index needs, and the license."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest

from tests.dists import (
    KIT_DISTRIBUTION,
    REPO_ROOT,
    TAP_DISTRIBUTIONS,
    Distributions,
    changelog_release,
)

PUBLISHED = [KIT_DISTRIBUTION, *TAP_DISTRIBUTIONS]
PRIVATE = ["status-sandbox"]
PYTHONS = ["3.11", "3.12", "3.13", "3.14"]
URL_LABELS = {"Homepage", "Repository", "Issues", "Changelog"}
REPOSITORY = "https://github.com/status-taps/status-taps"
LICENSE_TEXT = (REPO_ROOT / "LICENSE").read_text()


def wheel_metadata(wheel: Path) -> tuple[Message, dict[str, str]]:
    """The wheel's METADATA headers, and its dist-info license files by name."""
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
        licenses = {
            name.rsplit("/", 1)[1]: archive.read(name).decode()
            for name in archive.namelist()
            if ".dist-info/licenses/" in name
        }
    return metadata, licenses


def sdist_files(sdist: Path) -> dict[str, str]:
    """The sdist's top-level text files (PKG-INFO, LICENSE, README.md...) by name."""
    with tarfile.open(sdist) as archive:
        files = {}
        for member in archive.getmembers():
            parts = member.name.split("/")
            if len(parts) == 2 and member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                files[parts[1]] = extracted.read().decode()
    return files


def test_every_built_file_passes_twine_check_strict(distributions: Distributions) -> None:
    built = distributions.files()
    assert len(built) == 2 * len(PUBLISHED + PRIVATE), [p.name for p in built]
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, built)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == len(built)


@pytest.mark.parametrize("project", PUBLISHED + PRIVATE)
def test_wheel_metadata_is_publishable(distributions: Distributions, project: str) -> None:
    metadata, licenses = wheel_metadata(distributions.wheel(project))
    assert metadata["Name"] == project
    assert metadata["Version"] == changelog_release()
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert licenses == {"LICENSE": LICENSE_TEXT}
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["Description-Content-Type"] == "text/markdown"
    payload = metadata.get_payload()
    assert isinstance(payload, str)
    assert payload.startswith(f"# {project}")
    assert metadata["Author"] == "The status-taps authors"
    assert "singer" in metadata["Keywords"].split(",")
    classifiers = metadata.get_all("Classifier")
    assert classifiers is not None
    for python in PYTHONS:
        assert f"Programming Language :: Python :: {python}" in classifiers
    assert ("Private :: Do Not Upload" in classifiers) == (project in PRIVATE)
    url_lines = metadata.get_all("Project-URL")
    assert url_lines is not None
    urls = dict(line.split(", ", 1) for line in url_lines)
    assert set(urls) == URL_LABELS
    assert all(url.startswith(REPOSITORY) for url in urls.values()), urls


@pytest.mark.parametrize("project", PUBLISHED + PRIVATE)
def test_sdist_carries_license_readme_and_metadata(
    distributions: Distributions, project: str
) -> None:
    files = sdist_files(distributions.sdist(project))
    assert files["LICENSE"] == LICENSE_TEXT
    assert files["README.md"].startswith(f"# {project}")
    pkg_info = Parser().parsestr(files["PKG-INFO"])
    assert (pkg_info["Name"], pkg_info["Version"]) == (project, changelog_release())
    assert pkg_info["License-Expression"] == "Apache-2.0"


def test_taps_require_the_kit_of_their_own_release(distributions: Distributions) -> None:
    version = changelog_release()
    for tap in TAP_DISTRIBUTIONS:
        metadata, _ = wheel_metadata(distributions.wheel(tap))
        assert f"{KIT_DISTRIBUTION}~={version}" in (metadata.get_all("Requires-Dist") or [])


def test_each_package_folder_ships_the_root_license() -> None:
    """Build backends only package files inside the project folder: each keeps a copy."""
    for folder in ["tap-kit", "tap-statuspage", "tap-instatus", "tap-configcat", "sandbox"]:
        assert (REPO_ROOT / folder / "LICENSE").read_text() == LICENSE_TEXT, folder


def test_license_is_the_apache_2_text() -> None:
    assert LICENSE_TEXT.lstrip().startswith("Apache License\n")
    assert "Version 2.0, January 2004" in LICENSE_TEXT
    assert "END OF TERMS AND CONDITIONS" in LICENSE_TEXT


def test_readme_names_the_wheels_that_are_built(distributions: Distributions) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    named = re.findall(r"dist/(\S+\.whl)", readme)
    assert named, "the README's install section names no wheel"
    assert sorted(set(named)) == sorted(
        wheel.name for wheel in distributions.files() if wheel.name in named
    )
