"""A tiny stdlib HTTP client for the sandbox tests, and a GET client of the manage API."""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from sandbox import Sandbox
from sandbox.statuspage import StatuspageData


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def fetch(
    url: str,
    *,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    body: bytes | None = None,
    connection: http.client.HTTPConnection | None = None,
) -> Reply:
    """One request; uses `connection` when given (keep-alive), else a fresh one."""
    parts = urlsplit(url)
    conn = connection or http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        if connection is None:
            conn.close()


class Fetch(Protocol):
    """The signature of `fetch`, for the fixture that hands it to tests."""

    def __call__(
        self,
        url: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        connection: http.client.HTTPConnection | None = None,
    ) -> Reply: ...


class V1Client:
    """GETs against the manage API of one sandbox with the right OAuth header."""

    def __init__(self, sandbox: Sandbox, data: StatuspageData) -> None:
        self.sandbox = sandbox
        self.data = data

    def get(self, path: str, *, auth: bool = True, **params: object) -> Reply:
        url = self.sandbox.statuspage_api_url + path
        if params:
            url += "?" + urlencode(params)
        headers = {"Authorization": f"OAuth {self.data.api_key}"} if auth else {}
        return fetch(url, headers=headers)

    def json(self, path: str, **params: object) -> Any:
        reply = self.get(path, auth=True, **params)
        assert reply.status == 200, (path, reply.status, reply.body[:200])
        return reply.json()
