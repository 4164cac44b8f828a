"""A GET client for the ConfigCat mount of a sandbox, shared by the ConfigCat sandbox tests."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class ConfigCatClient:
    """GETs against the ConfigCat mount of one sandbox with HTTP Basic auth."""

    def __init__(self, sandbox: Sandbox, data: ConfigCatData, fetch: Callable[..., Any]) -> None:
        self.sandbox = sandbox
        self.data = data
        self.fetch = fetch
        token = base64.b64encode(f"{data.username}:{data.password}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"}

    def get(self, path: str, *, auth: bool = True, **params: object) -> Any:
        url = self.sandbox.configcat_api_url + path
        if params:
            url += "?" + urlencode(params)
        return self.fetch(url, headers=self.headers if auth else {})

    def json(self, path: str, **params: object) -> Any:
        reply = self.get(path, auth=True, **params)
        assert reply.status == 200, (path, params, reply.status, reply.body[:300])
        return reply.json()

    def audit(self, product_id: str, window: tuple[datetime, datetime], **params: object) -> Any:
        start, end = window
        return self.json(
            f"/v2/products/{product_id}/auditlogs",
            fromUtcDateTime=iso(start),
            toUtcDateTime=iso(end),
            **params,
        )
