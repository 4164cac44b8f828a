"""The sandbox as tests and benchmarks use it: one server, every API's data mounted on it."""

from __future__ import annotations

from typing import TypeVar

from sandbox.server import Mount, SandboxOptions, SandboxServer
from sandbox.statuspage import StatuspageData, statuspage_mounts

T = TypeVar("T")


class Sandbox(SandboxServer):
    """A local server speaking each API whose data is given; more APIs join as keyword arguments."""

    def __init__(
        self,
        statuspage: StatuspageData | None = None,
        options: SandboxOptions | None = None,
    ) -> None:
        self.statuspage = statuspage
        mounts: list[Mount] = []
        if statuspage is not None:
            mounts.extend(statuspage_mounts(statuspage))
        super().__init__(mounts, options)

    @property
    def statuspage_api_url(self) -> str:
        self._require(self.statuspage, "statuspage")
        return f"{self.url}/statuspage/v1"

    @property
    def statuspage_public_urls(self) -> list[str]:
        data = self._require(self.statuspage, "statuspage")
        return [f"{self.url}/statuspage-public/{subdomain}" for subdomain in data.subdomains]

    @staticmethod
    def _require(data: T | None, api: str) -> T:
        if data is None:
            raise RuntimeError(f"this sandbox was created without {api} data")
        return data
