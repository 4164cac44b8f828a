"""One sandbox speaking the three APIs, for the tests that run every tap against one server."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox import Sandbox


@contextmanager
def three_api_sandbox(seed: int, size: str = "small") -> Iterator[Sandbox]:
    """The three APIs' seeded accounts of `size`, served by one running sandbox."""
    from sandbox import Sandbox  # noqa: PLC0415 (collecting tests that run no tap must not need it)
    from sandbox.configcat import ConfigCatData  # noqa: PLC0415
    from sandbox.instatus import InstatusData  # noqa: PLC0415
    from sandbox.statuspage import StatuspageData  # noqa: PLC0415

    with Sandbox(
        statuspage=StatuspageData.from_size(seed=seed, size=size),
        instatus=InstatusData.from_size(seed=seed, size=size),
        configcat=ConfigCatData.from_size(seed=seed, size=size),
    ) as running:
        yield running
