"""A tiny real HTTP server on loopback whose answers each test scripts per path."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    drop: bool = False
    delay: float = 0.0
    content_type: str | None = None
    #: Seconds between bytes of the body: a server that drips its answer.
    drip: float = 0.0
    #: No Content-Length: the body ends when the server closes the connection (HTTP/1.0 style).
    close_delimited: bool = False


Responder = Callable[[dict[str, str]], Reply]


class ScriptedServer:
    """Per path: a queue of one-off replies first, then a default responder taking the query."""

    def __init__(self) -> None:
        self.queued: dict[str, deque[Reply]] = defaultdict(deque)
        self.responders: dict[str, Responder] = {}
        self.log: list[tuple[str, dict[str, str], dict[str, str]]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parsed = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                with server._lock:
                    server.log.append((parsed.path, query, dict(self.headers)))
                    queue = server.queued.get(parsed.path)
                    reply = queue.popleft() if queue else None
                if reply is None:
                    responder = server.responders.get(parsed.path)
                    reply = responder(query) if responder else Reply(404, {"message": "no route"})
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                content_type = reply.content_type or (
                    "application/json" if reply.raw is None else "text/html"
                )
                self.send_header("Content-Type", content_type)
                if reply.close_delimited:
                    self.close_connection = True
                    self.send_header("Connection", "close")
                else:
                    self.send_header("Content-Length", str(len(payload)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if not reply.drip:
                    self.wfile.write(payload)
                    return
                try:
                    for index in range(len(payload)):
                        self.wfile.write(payload[index : index + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                except OSError:
                    self.close_connection = True  # The client gave up: what the test wants.

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def requests_to(self, path: str) -> list[dict[str, str]]:
        return [query for logged_path, query, _ in self.log if logged_path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def paged(
    rows: list[dict[str, Any]], *, first_page: int, size_param: str, default_size: int = 100
) -> Responder:
    """A responder that pages `rows` like a page-number API."""

    def respond(query: dict[str, str]) -> Reply:
        page = int(query.get("page", first_page)) - first_page
        size = int(query.get(size_param, default_size))
        return Reply(body=rows[page * size : (page + 1) * size])

    return respond
