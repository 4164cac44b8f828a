"""Fixtures for the sandbox tests: a shared read-only sandbox and a tiny stdlib HTTP client."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

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
    conn = connection or http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request(method, target, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        if connection is None:
            conn.close()


class V1Client:
    """GETs against the manage API of one sandbox with the right OAuth header."""

    def __init__(self, sandbox: Sandbox, data: StatuspageData) -> None:
        self.sandbox = sandbox
        self.data = data

    def get(self, path: str, auth: bool = True, **params: object) -> Reply:
        url = self.sandbox.statuspage_api_url + path
        if params:
            url += "?" + urlencode(params)
        headers = {"Authorization": f"OAuth {self.data.api_key}"} if auth else {}
        return fetch(url, headers=headers)

    def json(self, path: str, **params: object) -> Any:
        reply = self.get(path, **params)
        assert reply.status == 200, (path, reply.status, reply.body[:200])
        return reply.json()


@pytest.fixture(scope="session")
def http_fetch() -> Callable[..., Reply]:
    return fetch


@pytest.fixture(scope="session")
def small_data() -> StatuspageData:
    return StatuspageData.from_size(seed=7, size="small")


@pytest.fixture(scope="session")
def small_sandbox(small_data: StatuspageData) -> Iterator[Sandbox]:
    """Shared and read-only: tests that change options or data start their own sandbox."""
    with Sandbox(statuspage=small_data) as sandbox:
        yield sandbox


@pytest.fixture(scope="session")
def client(small_sandbox: Sandbox, small_data: StatuspageData) -> V1Client:
    return V1Client(small_sandbox, small_data)


@pytest.fixture
def make_client() -> Callable[[Sandbox], V1Client]:
    def make(sandbox: Sandbox) -> V1Client:
        assert sandbox.statuspage is not None
        return V1Client(sandbox, sandbox.statuspage)

    return make
