"""The per-run spending limit on the model, shared by the threads that call it.

Before a request, its worst-case cost (the prompt's estimated tokens plus the most the model may answer with) is
reserved; after it, the reservation is replaced by the cost the response's usage reports. A request whose
reservation does not fit in what is left is not sent, and from then on none is: the budget is exhausted and the
rest of the run falls back to the rules. So the spend never exceeds the limit while the estimates hold.
"""

from __future__ import annotations

import math
import threading

CHARS_PER_TOKEN = 3.0  # a pessimistic estimate for English text (tokenizers average about 4)


def estimate_tokens(text_chars: int) -> int:
    """Prompt tokens assumed for a prompt of ``text_chars`` characters (before the usage is known).

    >>> estimate_tokens(3_000)
    1000
    """
    return math.ceil(text_chars / CHARS_PER_TOKEN)


class Budget:
    """A thread-safe spending limit in USD (``limit_usd`` None: unlimited).

    >>> budget = Budget(0.01)
    >>> budget.reserve(0.006), budget.reserve(0.006)
    (True, False)
    >>> budget.exhausted, budget.reserve(0.0001)
    (True, False)
    """

    def __init__(self, limit_usd: float | None) -> None:
        self.limit_usd = limit_usd
        self._lock = threading.Lock()
        self._spent = 0.0
        self._reserved = 0.0
        self._exhausted = False

    def reserve(self, estimate_usd: float) -> bool:
        """Set aside ``estimate_usd`` for a request; False (and exhausted from now on) when it does not fit."""
        with self._lock:
            if self._exhausted:
                return False
            if self.limit_usd is not None and self._spent + self._reserved + estimate_usd > self.limit_usd:
                self._exhausted = True
                return False
            self._reserved += estimate_usd
            return True

    def settle(self, estimate_usd: float, actual_usd: float) -> None:
        """Replace a reservation by what the request cost (0 for a request that got no answer)."""
        with self._lock:
            self._reserved = max(self._reserved - estimate_usd, 0.0)
            self._spent += actual_usd

    @property
    def spent_usd(self) -> float:
        with self._lock:
            return self._spent

    @property
    def exhausted(self) -> bool:
        with self._lock:
            return self._exhausted
