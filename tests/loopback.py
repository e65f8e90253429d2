"""What the loopback test servers share: a threading HTTP server on 127.0.0.1 (a free port) that tracks its
connections so closing it drops them all and joins every handler thread, a quiet keep-alive handler, and the
start/close lifecycle. ``http_server.LocalHttpServer`` and ``openai_server.OpenAIServer`` build on it."""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self


class TrackedServer(ThreadingHTTPServer):
    daemon_threads = False  # server_close() joins every handler thread
    block_on_close = True

    def __init__(self, owner: Any, handler: type[BaseHTTPRequestHandler]) -> None:
        self.owner = owner
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), handler)

    def track(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)
            if self.stopping.is_set():
                shutdown(conn)

    def untrack(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def drop_connections(self) -> None:
        with self._lock:
            self.stopping.set()
            for conn in self._connections:
                shutdown(conn)

    def handle_error(self, request: Any, client_address: Any) -> None:  # a client hanging up is not an error
        pass


def shutdown(conn: socket.socket) -> None:
    with contextlib.suppress(OSError):
        conn.shutdown(socket.SHUT_RDWR)


class TrackedHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like real servers
    timeout = 30  # an idle connection never outlives this
    server: TrackedServer

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class LoopbackServer:
    """Runs a :class:`TrackedServer` with ``handler`` in a thread; a context manager whose exit leaves no thread."""

    def __init__(self, handler: type[TrackedHandler]) -> None:
        self._server = TrackedServer(self, handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05})
        self._started = False

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        if not self._started:
            self._started = True
            self._thread.start()

    def close(self) -> None:
        if self._started:
            self._server.shutdown()
            self._thread.join()
            self._started = False
        self._server.drop_connections()
        self._server.server_close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])
