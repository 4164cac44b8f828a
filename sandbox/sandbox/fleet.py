"""Many customer accounts on one server: each credential sees the data of its own account.

A fleet is what an agency or a platform team syncs: several API keys, each with data of its own
(seeded differently), all served at the API's usual URL. A request goes to the data set of its
credential; a credential of no data set gets the API's own 401 from the first one.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sandbox.app import Sandbox
from sandbox.configcat import ConfigCatData, configcat_mounts
from sandbox.instatus import InstatusData, instatus_mounts
from sandbox.server import GroundTruthStreams, Mount, Request, Response, SandboxOptions
from sandbox.statuspage import StatuspageData, statuspage_mounts

D = TypeVar("D")


def statuspage_credential(data: StatuspageData) -> str:
    """The Authorization header of the data set's key."""
    return f"OAuth {data.api_key}"


def instatus_credential(data: InstatusData) -> str:
    return f"Bearer {data.api_key}"


def configcat_credential(data: ConfigCatData) -> str:
    pair = f"{data.username}:{data.password}".encode()
    return f"Basic {base64.b64encode(pair).decode()}"


@dataclass(frozen=True)
class KeyedMount:
    """One API served for several accounts: the Authorization header picks the account's mount.

    `mounts[i]` answers for `credentials[i]`; unauthenticated (public) requests go to the first
    mount whose answer is not a 404, so every account's public pages are reachable too.
    """

    mounts: Sequence[Mount]
    credentials: Sequence[str]

    @property
    def name(self) -> str:
        return self.mounts[0].name

    @property
    def prefix(self) -> str:
        return self.mounts[0].prefix

    def handle(self, request: Request) -> Response:
        credential = request.headers.get("authorization")
        if credential in self.credentials:
            return self.mounts[self.credentials.index(credential)].handle(request)
        answer = self.mounts[0].handle(request)
        for mount in self.mounts[1:]:
            if answer.status != 404:
                break
            answer = mount.handle(request)
        return answer

    def __getattr__(self, name: str) -> Any:
        # The optional mount protocols (error bodies, rate limit headers, `public`) of the API.
        if name.startswith("__") or name in ("mounts", "credentials"):
            raise AttributeError(name)
        return getattr(self.mounts[0], name)

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams:
        merged: dict[str, list[dict[str, object]]] = {}
        for mount in self.mounts:
            for stream, records in mount.ground_truth(readable_only):
                merged.setdefault(stream, []).extend(records)
        yield from merged.items()


def keyed_mounts(
    accounts: Sequence[D],
    mounts_of: Callable[[D], Sequence[Mount]],
    credential_of: Callable[[D], str],
) -> list[Mount]:
    """Each of the API's mounts (manage, public, ...) keyed over every account's data set."""
    per_account = [list(mounts_of(data)) for data in accounts]
    credentials = [credential_of(data) for data in accounts]
    return [
        KeyedMount([mounts[position] for mounts in per_account], credentials)
        for position in range(len(per_account[0]))
    ]


class FleetSandbox(Sandbox):
    """A sandbox serving several accounts per API, one data set (and key) each.

    The `*_api_url` properties are the same for every account; `statuspage`, `instatus` and
    `configcat` are the first account of each API. The rate limit counts each key on its own
    when its `per_key` is set.
    """

    def __init__(
        self,
        statuspage: Sequence[StatuspageData] = (),
        instatus: Sequence[InstatusData] = (),
        configcat: Sequence[ConfigCatData] = (),
        options: SandboxOptions | None = None,
    ) -> None:
        super().__init__(
            statuspage=statuspage[0] if statuspage else None,
            instatus=instatus[0] if instatus else None,
            configcat=configcat[0] if configcat else None,
            options=options,
        )
        self.statuspage_accounts = list(statuspage)
        self.instatus_accounts = list(instatus)
        self.configcat_accounts = list(configcat)
        mounts: list[Mount] = []
        if statuspage:
            mounts += keyed_mounts(statuspage, statuspage_mounts, statuspage_credential)
        if instatus:
            mounts += keyed_mounts(instatus, instatus_mounts, instatus_credential)
        if configcat:
            mounts += keyed_mounts(configcat, configcat_mounts, configcat_credential)
        self.mounts = mounts

    @staticmethod
    def account_ground_truth(
        statuspage: StatuspageData | None = None,
        instatus: InstatusData | None = None,
        configcat: ConfigCatData | None = None,
        readable_only: bool = False,
    ) -> dict[str, list[dict[str, object]]]:
        """What a correct tap extracts with one account's key (the one API given)."""
        api = "statuspage" if statuspage else "instatus" if instatus else "configcat"
        alone = Sandbox(statuspage=statuspage, instatus=instatus, configcat=configcat)
        return alone.ground_truth(api, readable_only)
