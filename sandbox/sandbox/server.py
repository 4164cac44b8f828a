"""Generic sandbox HTTP server: routing to API mounts, rate limiting, faults, statistics, control.

This module knows no API. Each API is a `Mount` that answers requests under its path prefix and
streams its ground truth; `SandboxServer` wires mounts to a `ThreadingHTTPServer` on loopback.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from email.utils import formatdate
from enum import Enum
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol, Self, TypedDict, TypeVar, runtime_checkable
from urllib.parse import parse_qsl, urlsplit

Record = dict[str, Any]
GroundTruthStreams = Iterator[tuple[str, Iterable[Record]]]

FAULT_KINDS = (
    "status",
    "drop",
    "latency",
    "non_json",
    "ignore_page",
    "retry_after",
    # Hostile answers a real API or proxy gives now and then:
    "rotate_pages",  # ignores the page parameter and reorders the rows on every page
    "object_body",  # 200 with {"message": ...} where the endpoint answers a list
    "null_body",  # 200 with `null`
    "truncated_json",  # 200 with the body cut in half, Content-Length matching the cut body
    "lone_surrogate",  # the real body with an escaped lone surrogate ("\ud83d") in `field`
    "drop_mid_body",  # the real headers, half the body, then the connection closes
    "slow_body",  # the real body, one byte every `latency_s` seconds
)
CONTROL_PREFIX = "/_sandbox/"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class RateLimit:
    """Rolling window: reject when (now - window_s, now] holds rps * window_s accepted requests.

    Rejections do not enter the window. Retry-After is `retry_after_s`, else the whole seconds
    until the oldest accepted request leaves the window (at least 1), optionally as an HTTP date.
    With `per_key`, each credential (see `key_identity`) has a window of its own, as real APIs
    limit each API key; requests without a credential share one.
    """

    requests_per_second: float = 1.0
    window_s: float = 60.0
    status: int = 429
    retry_after_s: int | None = None
    retry_after_http_date: bool = False
    per_key: bool = False

    def __post_init__(self) -> None:
        if self.status not in (420, 429):
            raise ValueError("RateLimit.status must be 420 or 429")
        if self.requests_per_second <= 0 or self.window_s <= 0:
            raise ValueError("RateLimit needs a positive rate and window")


@dataclass(frozen=True)
class FaultRule:
    """An injected fault for requests whose path (no query) matches `path_regex`.

    `times=None` fires forever. `status` is the answer of kind "status"; kind "retry_after" answers
    429 (or 420 when `status` is 420) with `Retry-After: <retry_after>` seconds, or that many
    seconds from now as an HTTP date when `retry_after_http_date`. `page_param` is the page
    parameter "ignore_page" and "rotate_pages" ignore; `message` the text of "object_body";
    `field` the string field "lone_surrogate" cuts.
    """

    path_regex: str
    kind: str
    times: int | None = 1
    status: int = 503
    latency_s: float = 0.0
    retry_after: str = "1"
    retry_after_http_date: bool = False
    page_param: str = "page"
    message: str = "Service under maintenance"
    field: str = "name"

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {FAULT_KINDS}")
        re.compile(self.path_regex)


@dataclass(frozen=True)
class SandboxOptions:
    host: str = "127.0.0.1"
    port: int = 0
    rate_limit: RateLimit | None = None
    faults: Sequence[FaultRule] = ()
    latency_s: float = 0.0
    log_requests: bool = False


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    """Relative to the mount prefix in `Mount.handle`, e.g. "/pages" for "/statuspage/v1/pages"."""
    query: Mapping[str, str]
    headers: Mapping[str, str]
    """Header names in lower case."""


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = JSON_CONTENT_TYPE
    headers: tuple[tuple[str, str], ...] = ()
    drip_s: float = 0.0
    """Seconds between the bytes of the body (0: all at once)."""
    cut_at: int | None = None
    """Close the connection after this many bytes of the body (its full length announced)."""

    @classmethod
    def json(
        cls, status: int, payload: object, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        # Compact separators like the real APIs; also keeps huge pages small.
        body = json.dumps(payload, separators=(",", ":")).encode()
        return cls(status, body, JSON_CONTENT_TYPE, headers)

    @classmethod
    def message(cls, status: int, text: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
        return cls.json(status, {"message": text}, headers)


class Mount(Protocol):
    """One API served under `prefix`, named `name` in ground truth."""

    @property
    def name(self) -> str: ...

    @property
    def prefix(self) -> str: ...

    def handle(self, request: Request) -> Response: ...

    def ground_truth(self, readable_only: bool) -> GroundTruthStreams: ...


@runtime_checkable
class ErrorBodies(Protocol):
    """Optional for a mount: its API's error body for rate limits and injected faults."""

    def error_body(self, status: int, message: str) -> object: ...


@runtime_checkable
class PublicMount(Protocol):
    """Optional for a mount: `public` is True for unauthenticated endpoints.

    An Authorization header sent to one is flagged in stats as `auth_on_public`.
    """

    @property
    def public(self) -> bool: ...


@dataclass(frozen=True)
class RateLimitState:
    """The server's rate limit as one request found it, for APIs that report it in headers."""

    remaining: int | None
    """Requests the window still admits after this one; None without a configured RateLimit."""
    reset_at: float
    """Unix time when the oldest counted request leaves the window (now when none is counted)."""


@runtime_checkable
class RateLimitHeaders(Protocol):
    """Optional for a mount: headers added to each of its responses (rejections, faults too)."""

    def rate_limit_headers(self, state: RateLimitState) -> tuple[tuple[str, str], ...]: ...


class RequestRecord(TypedDict):
    method: str
    path: str
    query: dict[str, str]
    status: int
    t: float
    key: str | None
    """`key_identity` of the request's credential: tells keys apart without showing one."""


class StatsSnapshot(TypedDict):
    total: int
    by_status: dict[int, int]
    requests: list[RequestRecord]
    rate_limited: int
    auth_in_query: bool
    auth_on_public: bool


class _Unset(Enum):
    UNSET = "unset"


UNSET = _Unset.UNSET
DROPPED = 0
"""Status recorded in stats for a connection closed without a response."""
DROP = Response(DROPPED, b"")
"""What a mount answers to close the connection without a response (an unreachable host)."""

PUBLIC_SOURCE_MODES = ("ok", "html", "unreachable", "error")
"""How a public host answers: normally, with an HTML page, not at all, or 503 on every try."""


def broken_public_source(mode: str) -> Response | None:
    """The answer of a public host in a failure mode of `PUBLIC_SOURCE_MODES`; None when "ok"."""
    if mode not in PUBLIC_SOURCE_MODES:
        raise ValueError(
            f"unknown public source mode {mode!r}; expected one of {PUBLIC_SOURCE_MODES}"
        )
    if mode == "html":
        # A parked domain or a login wall: 200, but a web page instead of the JSON summary.
        return Response(200, b"<!doctype html><title>Status</title>", "text/html; charset=utf-8")
    if mode == "unreachable":
        return DROP
    if mode == "error":
        return Response.message(503, "Service Unavailable")
    return None


def key_identity(request: Request) -> str | None:
    """A short hash of the request's credential (Authorization header, else `api_key` in the query).

    None without one. The same credential always gives the same identity; the identity does not
    reveal the credential.
    """
    credential = request.headers.get("authorization") or request.query.get("api_key")
    if not credential:
        return None
    return hashlib.sha256(credential.encode()).hexdigest()[:12]


class Gate(Protocol):
    def pass_through(self, path: str, key: str | None) -> None:
        """Return when the request may go on (called before it is counted or answered)."""


class Hold:
    """Requests whose path matches wait until `release()`; `arrived` is set by the first one."""

    def __init__(self, path_regex: str, timeout_s: float) -> None:
        self._pattern = re.compile(path_regex)
        self._timeout_s = timeout_s
        self.arrived = threading.Event()
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    def pass_through(self, path: str, key: str | None) -> None:
        if self._pattern.search(path):
            self.arrived.set()
            self._released.wait(self._timeout_s)


class Rendezvous:
    """The first request of each credential waits until `keys` distinct credentials have come."""

    def __init__(self, keys: int, timeout_s: float) -> None:
        self._keys = keys
        self._timeout_s = timeout_s
        self._seen: set[str | None] = set()
        self._condition = threading.Condition()
        self.timed_out = False

    def pass_through(self, path: str, key: str | None) -> None:
        with self._condition:
            if key in self._seen:
                return
            self._seen.add(key)
            self._condition.notify_all()
            met = self._condition.wait_for(lambda: len(self._seen) >= self._keys, self._timeout_s)
            self.timed_out = self.timed_out or not met


GateT = TypeVar("GateT", bound=Gate)


class _Gates:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gates: list[Gate] = []

    def add(self, gate: GateT) -> GateT:
        with self._lock:
            self._gates.append(gate)
        return gate

    def pass_through(self, path: str, key: str | None) -> None:
        with self._lock:
            gates = list(self._gates)
        for gate in gates:
            gate.pass_through(path, key)


class _Stats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._auth_in_query = False
        self._auth_on_public = False

    def record(self, entry: RequestRecord, *, auth_on_public: bool = False) -> None:
        with self._lock:
            self._requests.append(entry)
            # The manage API accepts the key in the query; tests must prove taps never send it.
            self._auth_in_query = self._auth_in_query or "api_key" in entry["query"]
            # Public endpoints need no key; tests must prove taps never send one there.
            self._auth_on_public = self._auth_on_public or auth_on_public

    def reset(self) -> None:
        with self._lock:
            self._requests = []
            self._auth_in_query = False
            self._auth_on_public = False

    def snapshot(self) -> StatsSnapshot:
        with self._lock:
            requests = [RequestRecord(**r) for r in self._requests]
            auth_in_query = self._auth_in_query
            auth_on_public = self._auth_on_public
        by_status: dict[int, int] = {}
        for entry in requests:
            by_status[entry["status"]] = by_status.get(entry["status"], 0) + 1
        return StatsSnapshot(
            total=len(requests),
            by_status=by_status,
            requests=requests,
            rate_limited=by_status.get(420, 0) + by_status.get(429, 0),
            auth_in_query=auth_in_query,
            auth_on_public=auth_on_public,
        )


class _RateLimiter:
    def __init__(self, rule: RateLimit) -> None:
        self.rule = rule
        self._lock = threading.Lock()
        self._windows: dict[str | None, deque[float]] = {}

    def _window(self, key: str | None) -> deque[float]:
        return self._windows.setdefault(key if self.rule.per_key else None, deque())

    def admit(self, now: float, key: str | None = None) -> float | None:
        """None when accepted, else the seconds until the oldest accepted request leaves."""
        with self._lock:
            accepted = self._window(key)
            horizon = now - self.rule.window_s
            while accepted and accepted[0] <= horizon:
                accepted.popleft()
            if len(accepted) >= self.rule.requests_per_second * self.rule.window_s:
                return accepted[0] + self.rule.window_s - now
            accepted.append(now)
            return None

    def state(self, now: float, key: str | None = None) -> RateLimitState:
        """The window right after `admit(now, key)`; `now` is on the monotonic clock."""
        with self._lock:
            accepted = self._window(key)
            capacity = math.ceil(self.rule.requests_per_second * self.rule.window_s)
            remaining = max(0, capacity - len(accepted))
            oldest = accepted[0] if accepted else now - self.rule.window_s
        return RateLimitState(remaining, time.time() + max(0.0, oldest + self.rule.window_s - now))

    def retry_after(self, wait_s: float) -> str:
        seconds = self.rule.retry_after_s
        if seconds is None:
            seconds = max(1, math.ceil(wait_s))
        if self.rule.retry_after_http_date:
            return formatdate(time.time() + seconds, usegmt=True)
        return str(seconds)


class _Faults:
    def __init__(self, rules: Sequence[FaultRule]) -> None:
        self._lock = threading.Lock()
        self._rules = [(rule, re.compile(rule.path_regex)) for rule in rules]
        self._remaining: list[int | None] = [rule.times for rule in rules]

    @property
    def rules(self) -> list[FaultRule]:
        return [rule for rule, _ in self._rules]

    def take(self, path: str) -> FaultRule | None:
        with self._lock:
            for index, (rule, pattern) in enumerate(self._rules):
                remaining = self._remaining[index]
                if (remaining is None or remaining > 0) and pattern.search(path):
                    if remaining is not None:
                        self._remaining[index] = remaining - 1
                    return rule
        return None


def _error(
    mount: Mount | None, status: int, text: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    """An error in the body shape of the API that owns the path (default `{"message": text}`)."""
    if isinstance(mount, ErrorBodies):
        return Response.json(status, mount.error_body(status, text), headers)
    return Response.message(status, text, headers)


def _reject(
    limiter: _RateLimiter, arrival: float, mount: Mount | None, key: str | None
) -> Response | None:
    wait_s = limiter.admit(arrival, key)
    if wait_s is None:
        return None
    retry_after = (("Retry-After", limiter.retry_after(wait_s)),)
    return _error(mount, limiter.rule.status, "Rate limit exceeded", retry_after)


_BODY_FAULTS = ("truncated_json", "drop_mid_body", "slow_body", "lone_surrogate")


def _instead(fault: FaultRule, mount: Mount | None) -> Response | None:
    """The answer a fault gives instead of the real one; None drops the connection."""
    if fault.kind == "drop":
        return None
    if fault.kind == "status":
        return _error(mount, fault.status, f"Injected fault: {_reason(fault.status)}")
    if fault.kind == "non_json":
        return Response(200, b"<html>oops</html>", "text/html; charset=utf-8")
    if fault.kind == "object_body":
        return Response.message(200, fault.message)
    if fault.kind == "null_body":
        return Response(200, b"null")
    # retry_after
    status = 420 if fault.status == 420 else 429
    header = fault.retry_after
    if fault.retry_after_http_date:
        header = formatdate(time.time() + float(fault.retry_after), usegmt=True)
    return _error(mount, status, "Rate limit exceeded", (("Retry-After", header),))


def _spoiled(fault: FaultRule, real: Response) -> Response:
    """The real answer, spoiled in transit the way the fault says."""
    if fault.kind == "truncated_json":
        return replace(real, body=real.body[: len(real.body) // 2])
    if fault.kind == "drop_mid_body":
        return replace(real, cut_at=len(real.body) // 2)
    if fault.kind == "slow_body":
        return replace(real, drip_s=fault.latency_s or 0.05)
    return replace(real, body=_with_lone_surrogate(real.body, fault.field))


def _rotated(body: bytes, shift: int) -> bytes:
    """The body with its row list (the body, or each list in an object body) rotated."""

    def rotate(rows: list[Any]) -> list[Any]:
        return rows[shift % len(rows) :] + rows[: shift % len(rows)] if rows else rows

    payload = json.loads(body)
    if isinstance(payload, list):
        payload = rotate(payload)
    elif isinstance(payload, dict):
        payload = {k: rotate(v) if isinstance(v, list) else v for k, v in payload.items()}
    return json.dumps(payload, separators=(",", ":")).encode()


def _with_lone_surrogate(body: bytes, field: str) -> bytes:
    """The body with every string `field` ending in half an emoji, escaped as JSON allows."""

    def cut(value: Any) -> Any:
        if isinstance(value, list):
            return [cut(item) for item in value]
        if isinstance(value, dict):
            return {
                k: v + "\ud83d" if k == field and isinstance(v, str) else cut(v)
                for k, v in value.items()
            }
        return value

    # ensure_ascii writes the lone surrogate as the escape "\ud83d", valid JSON text.
    return json.dumps(cut(json.loads(body)), separators=(",", ":")).encode()


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        # 420 is not a registered status; Statuspage uses it for rate limiting.
        return "Rate Limited" if status == 420 else "Error"


def write_ground_truth(
    mounts: Iterable[Mount], directory: str | Path, readable_only: bool = False
) -> list[Path]:
    """Write <directory>/<api>/<stream>.jsonl for every mount, one record at a time."""
    written: list[Path] = []
    for mount in mounts:
        api_dir = Path(directory) / mount.name
        for stream, records in mount.ground_truth(readable_only):
            # Created on the first stream: a mount whose truth lives in another mount's has none.
            api_dir.mkdir(parents=True, exist_ok=True)
            path = api_dir / f"{stream}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for record in records:
                    handle.write(json.dumps(record, separators=(",", ":")))
                    handle.write("\n")
            written.append(path)
    return written


class SandboxServer:
    """Serves a set of mounts on loopback in background threads."""

    def __init__(self, mounts: Sequence[Mount], options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        self.mounts = list(mounts)
        self._stats = _Stats()
        self._lock = threading.Lock()
        self._limiter = _RateLimiter(self.options.rate_limit) if self.options.rate_limit else None
        self._faults = _Faults(self.options.faults)
        self._latency_s = self.options.latency_s
        self._gates = _Gates()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # Lifecycle

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        httpd = _HttpServer((self.options.host, self.options.port), _Handler, self)
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_open_connections()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # Runtime controls

    def stats(self) -> StatsSnapshot:
        return self._stats.snapshot()

    def reset_stats(self) -> None:
        self._stats.reset()

    def set_options(
        self,
        *,
        rate_limit: RateLimit | _Unset | None = UNSET,
        faults: Sequence[FaultRule] | _Unset = UNSET,
        latency_s: float | _Unset = UNSET,
    ) -> None:
        """Change limits at runtime; each new rate limit or fault list starts from a clean state."""
        with self._lock:
            if not isinstance(rate_limit, _Unset):
                self._limiter = _RateLimiter(rate_limit) if rate_limit else None
            if not isinstance(faults, _Unset):
                self._faults = _Faults(faults)
            if not isinstance(latency_s, _Unset):
                self._latency_s = latency_s

    def hold(self, path_regex: str, timeout_s: float = 300.0) -> Hold:
        """Hold every request whose path matches until `Hold.release()` (or `timeout_s`)."""
        return self._gates.add(Hold(path_regex, timeout_s))

    def rendezvous(self, keys: int, timeout_s: float = 300.0) -> Rendezvous:
        """Hold the first request of each credential until `keys` credentials have sent one.

        Work that runs keys side by side passes at once; work that runs them one after the other
        waits `timeout_s` per key and shows in the request log as not overlapping.
        """
        return self._gates.add(Rendezvous(keys, timeout_s))

    def ground_truth(self, api: str, readable_only: bool = False) -> dict[str, list[Record]]:
        mount = self._mount_named(api)
        return {stream: list(records) for stream, records in mount.ground_truth(readable_only)}

    def write_ground_truth(self, directory: str | Path, readable_only: bool = False) -> list[Path]:
        return write_ground_truth(self.mounts, directory, readable_only)

    def _mount_named(self, api: str) -> Mount:
        for mount in self.mounts:
            if mount.name == api:
                return mount
        known = ", ".join(m.name for m in self.mounts)
        raise KeyError(f"no API named {api!r} in this sandbox (known: {known})")

    # Request handling (called from handler threads)

    def serve(self, request: Request) -> Response | None:
        """Answer one API request (path from the server root); None means drop the connection."""
        key = key_identity(request)
        self._gates.pass_through(request.path, key)
        arrival = time.monotonic()
        with self._lock:
            limiter, faults, latency_s = self._limiter, self._faults, self._latency_s
        mount = self._mount_for(request.path)
        response = _reject(limiter, arrival, mount, key) if limiter else None
        rate_state = limiter.state(arrival, key) if limiter else RateLimitState(None, time.time())
        if response is None:
            fault = faults.take(request.path)
            if latency_s > 0:
                time.sleep(latency_s)
            response = self._faulted(fault, request, mount) if fault else self._dispatch(request)
            if response is not None and response.status == DROPPED:
                response = None
        if response is not None and isinstance(mount, RateLimitHeaders):
            extra = mount.rate_limit_headers(rate_state)
            response = replace(response, headers=response.headers + extra)
        self._stats.record(
            RequestRecord(
                method=request.method,
                path=request.path,
                query=dict(request.query),
                status=DROPPED if response is None else response.status,
                t=arrival,
                key=key,
            ),
            auth_on_public=isinstance(mount, PublicMount)
            and mount.public
            and "authorization" in request.headers,
        )
        return response

    def _mount_for(self, path: str) -> Mount | None:
        for mount in self.mounts:
            if path == mount.prefix or path.startswith(mount.prefix + "/"):
                return mount
        return None

    def _faulted(self, fault: FaultRule, request: Request, mount: Mount | None) -> Response | None:
        if fault.kind == "latency":
            time.sleep(fault.latency_s)
            return self._dispatch(request)
        if fault.kind in ("ignore_page", "rotate_pages"):
            return self._page_ignored(fault, request)
        if fault.kind in _BODY_FAULTS:
            real = self._dispatch(request)
            return _spoiled(fault, real) if real.status == 200 else real
        return _instead(fault, mount)

    def _page_ignored(self, fault: FaultRule, request: Request) -> Response:
        # Serving as if the page parameter was absent yields the first page in every style.
        page = request.query.get(fault.page_param)
        query = {k: v for k, v in request.query.items() if k != fault.page_param}
        first = self._dispatch(replace(request, query=query))
        if fault.kind == "ignore_page" or first.status != 200:
            return first
        shift = 7 * int(page) if page and page.lstrip("-").isdigit() else 0
        return replace(first, body=_rotated(first.body, shift))

    def _dispatch(self, request: Request) -> Response:
        for mount in self.mounts:
            if request.path == mount.prefix or request.path.startswith(mount.prefix + "/"):
                relative = replace(request, path=request.path[len(mount.prefix) :])
                try:
                    return mount.handle(relative)
                except Exception:
                    # A generator bug must show up in the test output, not as a hung client.
                    traceback.print_exc(file=sys.stderr)
                    return Response.message(500, "Internal sandbox error")
        return Response.message(404, "The requested resource could not be found.")

    def control(self, method: str, path: str, body: bytes) -> Response:
        """The /_sandbox/ endpoints: never rate limited, never faulted, not counted in stats."""
        action = path[len(CONTROL_PREFIX) :]
        if method == "GET" and action == "stats":
            return Response.json(200, self.stats())
        if method == "POST" and action == "reset-stats":
            self.reset_stats()
            return Response.json(200, {"ok": True})
        if method == "POST" and action == "options":
            return self._control_options(body)
        if method == "GET" and action.startswith("ground-truth/"):
            api = action[len("ground-truth/") :]
            if api not in {m.name for m in self.mounts}:
                return Response.message(404, f"No API named {api!r}")
            return Response.json(200, self.ground_truth(api))
        return Response.message(404, "Unknown sandbox control endpoint")

    def _control_options(self, body: bytes) -> Response:
        try:
            changes = _parse_options(body)
        except (TypeError, ValueError) as exc:
            return Response.message(400, f"Bad options: {exc}")
        self.set_options(**changes)
        with self._lock:
            limiter, faults, latency_s = self._limiter, self._faults, self._latency_s
        current = {
            "rate_limit": asdict(limiter.rule) if limiter else None,
            "faults": [asdict(rule) for rule in faults.rules],
            "latency_s": latency_s,
        }
        return Response.json(200, current)


class _OptionChanges(TypedDict, total=False):
    rate_limit: RateLimit | None
    faults: list[FaultRule]
    latency_s: float


def _parse_options(body: bytes) -> _OptionChanges:
    """The body of POST /_sandbox/options; absent keys stay unchanged."""
    payload = json.loads(body or b"{}")
    if not isinstance(payload, dict):
        raise TypeError("the options body must be a JSON object")
    changes = _OptionChanges()
    if "rate_limit" in payload:
        raw = payload["rate_limit"]
        changes["rate_limit"] = RateLimit(**raw) if raw is not None else None
    if "faults" in payload:
        changes["faults"] = [FaultRule(**rule) for rule in payload["faults"]]
    if "latency_s" in payload:
        changes["latency_s"] = float(payload["latency_s"])
    return changes


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    # Benchmarks open many connections at once; the default backlog of 5 refuses some.
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        sandbox: SandboxServer,
    ) -> None:
        self.sandbox = sandbox
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def track(self, connection: socket.socket, *, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up (and the "drop" fault) are normal here, not worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_open_connections(self) -> None:
        # Keep-alive handler threads would otherwise wait on idle client sockets forever.
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                continue


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Without this every keep-alive response waits ~40 ms on Nagle + delayed ACK.
    disable_nagle_algorithm = True
    server: _HttpServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, open_=True)

    def finish(self) -> None:
        self.server.track(self.connection, open_=False)
        try:
            super().finish()
        except OSError:
            return

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.sandbox.options.log_requests:
            super().log_message(format, *args)

    def _handle(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        # Read the body even when unused so the next keep-alive request starts at a clean offset.
        body = self.rfile.read(length) if length > 0 else b""
        sandbox = self.server.sandbox
        if split.path.startswith(CONTROL_PREFIX):
            self._write(sandbox.control(self.command, split.path, body))
            return
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {key.lower(): value for key, value in self.headers.items()}
        response = sandbox.serve(Request(self.command, split.path, query, headers))
        if response is None:
            self.close_connection = True
            return
        self._write(response)

    def _write(self, response: Response) -> None:
        self.send_response(response.status, _reason(response.status))
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if response.cut_at is not None:
            self.wfile.write(response.body[: response.cut_at])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if not response.drip_s:
            self.wfile.write(response.body)
            return
        try:
            for index in range(len(response.body)):
                self.wfile.write(response.body[index : index + 1])
                self.wfile.flush()
                time.sleep(response.drip_s)
        except OSError:
            self.close_connection = True  # The client gave up waiting.
