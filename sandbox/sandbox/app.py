"""The sandbox as tests and benchmarks use it: one server, every API's data mounted on it."""

from __future__ import annotations

from typing import TypeVar

from sandbox.configcat import ConfigCatData, configcat_mounts
from sandbox.instatus import InstatusData, instatus_mounts
from sandbox.server import Mount, SandboxOptions, SandboxServer
from sandbox.statuspage import StatuspageData, statuspage_mounts

T = TypeVar("T")


class Sandbox(SandboxServer):
    """A local server speaking each API whose data is given; more APIs join as keyword arguments."""

    def __init__(
        self,
        statuspage: StatuspageData | None = None,
        instatus: InstatusData | None = None,
        configcat: ConfigCatData | None = None,
        options: SandboxOptions | None = None,
    ) -> None:
        self.statuspage = statuspage
        self.instatus = instatus
        self.configcat = configcat
        mounts: list[Mount] = []
        if statuspage is not None:
            mounts.extend(statuspage_mounts(statuspage))
        if instatus is not None:
            mounts.extend(instatus_mounts(instatus))
        if configcat is not None:
            mounts.extend(configcat_mounts(configcat))
        super().__init__(mounts, options)

    @property
    def statuspage_api_url(self) -> str:
        self._require(self.statuspage, "statuspage")
        return f"{self.url}/statuspage/v1"

    @property
    def statuspage_public_urls(self) -> list[str]:
        data = self._require(self.statuspage, "statuspage")
        return [f"{self.url}/statuspage-public/{subdomain}" for subdomain in data.subdomains]

    @property
    def instatus_api_url(self) -> str:
        """The tap's `api_url`: the real paths (/v2/pages, /v1/<page_id>/...) are appended."""
        self._require(self.instatus, "instatus")
        return f"{self.url}/instatus"

    @property
    def instatus_public_url_template(self) -> str:
        """The tap's `public_url_template`: `{host}` is the page's public host."""
        self._require(self.instatus, "instatus")
        return f"{self.url}/instatus-public/{{host}}/summary.json"

    @property
    def configcat_api_url(self) -> str:
        """The tap's `api_url`: the real paths (/v1/..., /v2/...) are appended."""
        self._require(self.configcat, "configcat")
        return f"{self.url}/configcat"

    @staticmethod
    def _require(data: T | None, api: str) -> T:
        if data is None:
            raise RuntimeError(f"this sandbox was created without {api} data")
        return data
