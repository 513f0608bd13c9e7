"""A local feed server, a fake resolver and fetch helpers for the feed tests."""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from planner.services.feeds import fetch_feed
from planner.services.feeds.netguard import AddressGuard

DATA = Path(__file__).parent / "data"


def fetch(url: str, **options):
    """Fetch from the local server: private addresses allowed, short deadline."""
    options.setdefault("deadline", 5)
    options.setdefault("allow_private", True)
    return fetch_feed(url, **options)


def read_data(name: str) -> bytes:
    return (DATA / name).read_bytes()


@dataclass
class Reply:
    """A canned response; `headers` may override Content-Length (or set it to None)."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str | None] = field(default_factory=dict)


Route = Reply | Callable[[BaseHTTPRequestHandler], None]


@dataclass
class SeenRequest:
    path: str
    headers: dict[str, str]


class FeedServer:
    """A threaded HTTP server on 127.0.0.1 with routes set per test."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def route(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def reply(self, path: str, body: bytes = b"", status: int = 200, **headers: str | None) -> str:
        return self.route(
            path, Reply(body, status, {k.replace("_", "-"): v for k, v in headers.items()})
        )

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, Reply(b"", status, {"Location": location}))

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler_for(feed_server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            feed_server.requests.append(SeenRequest(self.path, dict(self.headers.items())))
            route = feed_server.routes.get(self.path)
            if route is None:
                route = Reply(b"not found", 404)
            if callable(route):
                route(self)
                return
            self.send_response(route.status)
            headers = {"Content-Length": str(len(route.body)), **route.headers}
            for name, value in headers.items():
                if value is not None:
                    self.send_header(name, value)
            self.end_headers()
            # The client may stop reading on purpose (size limit).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


class FakeResolver:
    """A resolver from a fixed table; records every lookup."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, f"{host} is not in the test table")
        return self.table[host]


def guard_with(
    table: dict[str, list[str]], *, allow_hosts: set[str] = frozenset(), allow_private=False
) -> AddressGuard:
    return AddressGuard(
        allow_private=allow_private,
        allow_hosts=frozenset(allow_hosts),
        resolver=FakeResolver(table),
    )
