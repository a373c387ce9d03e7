"""A local HTTP server for the watcher's tests: routes set per test, every request logged.

It listens on 127.0.0.1 on a free port, in a thread, and honours ETag/Last-Modified when a
route has them, so the tests can see what the client sent and when.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Route:
    """What one path answers. ``delay`` makes the server sit silent before answering."""

    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Hit:
    """One request as the server saw it; ``at`` is ``time.monotonic()`` on arrival."""

    at: float
    path: str
    headers: dict[str, str]


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, body: bytes | str = b"", **kwargs: object) -> Route:
        route = Route(body, **kwargs)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def hits(self, path: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.log if hit.path == path]

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    server.log.append(Hit(time.monotonic(), self.path, dict(self.headers)))
                route = server.routes.get(self.path)
                if route is None:
                    route = Route(b"not here", status=404, content_type="text/plain")
                if route.delay:
                    server._release.wait(route.delay)
                # The client may have given up first (the timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._answer(route)

            def _answer(self, route: Route) -> None:
                etag = self.headers.get("If-None-Match")
                since = self.headers.get("If-Modified-Since")
                if (route.etag and etag == route.etag) or (
                    route.last_modified and since == route.last_modified and not route.etag
                ):
                    self.send_response(304)
                    self._validators(route)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(body)))
                self._validators(route)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def _validators(self, route: Route) -> None:
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
