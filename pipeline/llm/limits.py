"""A requests-per-minute limit shared by the threads that call the model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Spaces request starts at least ``60 / per_minute`` seconds apart, across threads; each caller sleeps until
    its turn (the turns are handed out in call order).

    >>> waits = []
    >>> limiter = RateLimiter(120, clock=lambda: 0.0, sleep=waits.append)
    >>> for _ in range(3):
    ...     limiter.acquire()
    >>> waits
    [0.5, 1.0]
    """

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.interval = 60.0 / per_minute
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next: float | None = None

    def acquire(self) -> None:
        """Wait for this caller's turn to start a request."""
        with self._lock:
            now = self._clock()
            start = now if self._next is None else max(now, self._next)
            self._next = start + self.interval
        if start > now:
            self._sleep(start - now)
