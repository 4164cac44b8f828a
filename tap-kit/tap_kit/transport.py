"""The kit's HTTP session: every request paced, and bounded as a whole by its timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from typing_extensions import override

from tap_kit.pacing import Pacer


class KitAdapter(HTTPAdapter):
    """Asks the pacer before every send (retries included); a number timeout bounds the whole
    request: connecting, waiting for the answer and reading its full body.

    A per-read timeout alone lets a server that drips its body hold a request open for ever.
    """

    def __init__(
        self, pacer: Pacer, clock: Callable[[], float] = time.monotonic, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.pacer = pacer
        self._clock = clock

    @override
    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        self.pacer.acquire()
        if stream or not isinstance(timeout, (int, float, Decimal)):
            return super().send(request, stream, timeout, verify, cert, proxies)
        seconds = float(timeout)
        deadline = self._clock() + seconds
        response = super().send(
            request, stream=True, timeout=seconds, verify=verify, cert=cert, proxies=proxies
        )
        _read_body_before(response, deadline - self._clock(), seconds, request)
        return response


def _read_body_before(
    response: requests.Response,
    remaining: float,
    seconds: float,
    request: requests.PreparedRequest,
) -> None:
    """Read the whole body, cutting the connection when `remaining` seconds have passed."""
    lock = threading.Lock()
    state = {"done": False, "cut": False}

    def cut() -> None:
        with lock:
            if state["done"]:
                return
            state["cut"] = True
        try:
            response.raw.shutdown()  # wakes the blocked read, which then ends short
        except (ValueError, RuntimeError, OSError):
            return

    watchdog = threading.Timer(max(0.0, remaining), cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        response.content  # noqa: B018 (reads and keeps the body)
    except requests.exceptions.RequestException:
        if not state["cut"]:
            raise
    finally:
        with lock:
            state["done"] = True
        watchdog.cancel()
    if state["cut"]:
        # A body without Content-Length ends short, silently, when cut: never trust it.
        response.close()
        msg = f"no complete answer within {seconds:g} s (request_timeout_seconds)"
        raise requests.exceptions.ReadTimeout(msg, request=request)


def kit_session(pacer: Pacer) -> requests.Session:
    session = requests.Session()
    adapter = KitAdapter(pacer)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
