"""A local HTTP server for tests: scripted replies per path, faults on demand (status codes, delays, truncated
or oversized bodies), and a record of every request. Loopback only; closing it leaves no thread running.

    with LocalHttpServer() as server:
        server.route("/jobs", Reply(503, headers={"Retry-After": "1"}), Reply(body={"jobs": []}))
        client.get(server.url("/jobs"))
        assert len(server.requests_for("/jobs")) == 2
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from loopback import LoopbackServer, TrackedHandler

NO_BODY_STATUSES = frozenset({204, 304})


@dataclass(frozen=True)
class Reply:
    """One scripted answer.

    ``body``: bytes as is, str as UTF-8, dict or list as JSON. ``content_type`` None picks one from the body
    (application/json, text/plain; charset=utf-8 or application/octet-stream); "" sends none; a Content-Type in
    ``headers`` wins. ``delay`` seconds pass before anything is sent. ``truncate_to`` sends only that many bytes
    of the body (with the full body's Content-Length, or mid-chunk when ``chunked``) and then closes the
    connection. ``chunked`` streams the body with Transfer-Encoding: chunked and no Content-Length.
    """

    status: int = 200
    body: bytes | str | dict[str, Any] | list[Any] = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_to: int | None = None
    content_type: str | None = None
    chunked: bool = False

    def encoded(self) -> tuple[bytes, str | None]:
        if isinstance(self.body, bytes):
            body, default = self.body, "application/octet-stream"
        elif isinstance(self.body, str):
            body, default = self.body.encode("utf-8"), "text/plain; charset=utf-8"
        else:
            body, default = json.dumps(self.body).encode("utf-8"), "application/json"
        if self.content_type is not None:
            return body, self.content_type or None
        return body, default if body else None


class RecordedRequest(NamedTuple):
    path: str
    query: dict[str, str]  # last value wins for repeated names
    headers: dict[str, str]  # lower-cased names


NOT_FOUND = Reply(404, "not found")


class _Handler(TrackedHandler):
    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.owner.next_reply(RecordedRequest(parts.path, dict(parse_qsl(parts.query)), headers))
        if reply.delay and self.server.stopping.wait(reply.delay):
            self.close_connection = True
            return
        try:
            self._send(reply)
        except OSError:  # the client gave up (timed out) before we answered
            self.close_connection = True

    def _send(self, reply: Reply) -> None:
        body, content_type = reply.encoded()
        self.send_response(reply.status)
        names = {name.lower() for name in reply.headers}
        if content_type and "content-type" not in names:
            self.send_header("Content-Type", content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status in NO_BODY_STATUSES:
            self.end_headers()
            return
        cut = len(body) if reply.truncate_to is None else min(reply.truncate_to, len(body))
        if reply.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, cut, 1024):
                piece = body[start : min(start + 1024, cut)]
                if reply.truncate_to is not None and start + 1024 >= cut:
                    self.wfile.write(b"%x\r\n" % (len(piece) + 1) + piece)  # promise more than is sent
                else:
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
            if reply.truncate_to is None:
                self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:cut])
        self.wfile.flush()
        if reply.truncate_to is not None:
            self.close_connection = True


class LocalHttpServer(LoopbackServer):
    """A ThreadingHTTPServer on 127.0.0.1 (a free port) serving scripted replies; use as a context manager."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        super().__init__(_Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def route(self, path: str, *replies: Reply) -> None:
        """Serve ``replies`` in order to GETs of ``path`` (query ignored); the last one repeats."""
        if not replies:
            raise ValueError("route() needs at least one Reply")
        with self._lock:
            self._routes[path] = list(replies)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            queue = self._routes.get(request.path)
            if not queue:
                return NOT_FOUND
            return queue.pop(0) if len(queue) > 1 else queue[0]
