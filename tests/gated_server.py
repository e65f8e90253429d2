"""A local HTTP server that holds requests: until the test releases them, and (optionally) until a second request
is in flight or some seconds pass. It counts the most requests it had in flight at once."""

from __future__ import annotations

import threading

from http_server import LocalHttpServer, RecordedRequest, Reply


class GatedServer(LocalHttpServer):
    def __init__(self, *, wait_for_company: float = 0.0) -> None:
        super().__init__()
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.wait_for_company = wait_for_company
        self.most_in_flight = 0
        self._in_flight = 0
        self._flight = threading.Condition()

    def next_reply(self, request: RecordedRequest) -> Reply:
        with self._flight:
            self._in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self._in_flight)
            self._flight.notify_all()
            self.arrived.set()
            if self.wait_for_company:
                self._flight.wait_for(lambda: self._in_flight > 1, timeout=self.wait_for_company)
        self.release.wait(120)
        try:
            return super().next_reply(request)
        finally:
            with self._flight:
                self._in_flight -= 1
