"""robots.txt rules per origin (RFC 9309), fetched once and kept for the life of a client."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego


@dataclass(frozen=True)
class RobotsFile:
    """What fetching an origin's robots.txt gave: a status and body, or ``status=None`` and the failure."""

    status: int | None
    body: bytes = b""
    failure: str | None = None


@dataclass(frozen=True)
class RobotsRules:
    """The verdict for one origin: parsed rules, allow-all (no robots.txt), or disallow-all (unreachable)."""

    parser: Protego | None
    allow_all: bool = False
    unreachable: str | None = None

    @classmethod
    def from_file(cls, fetched: RobotsFile) -> RobotsRules:
        """Interpret a fetch as RFC 9309 says: 2xx rules apply, other 4xx allow everything, 429, 5xx and
        network failures disallow everything.

        >>> RobotsRules.from_file(RobotsFile(404)).allows("https://a.example/x", "jobatlas")
        True
        >>> RobotsRules.from_file(RobotsFile(503)).unreachable
        'HTTP 503'
        >>> rules = RobotsRules.from_file(RobotsFile(200, b"User-agent: *\\nDisallow: /private"))
        >>> rules.allows("https://a.example/private/1", "jobatlas"), rules.allows("https://a.example/jobs", "x")
        (False, True)
        """
        status = fetched.status
        if status is None:
            return cls(None, unreachable=fetched.failure or "unreachable")
        if 200 <= status < 300:
            return cls(Protego.parse(fetched.body.decode("utf-8", errors="replace")))
        if 400 <= status < 500 and status != 429:
            return cls(None, allow_all=True)
        return cls(None, unreachable=f"HTTP {status}")

    def allows(self, url: str, agent: str) -> bool:
        if self.unreachable is not None:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, agent))


def origin(url: str) -> str:
    """Scheme and authority of a URL, the key robots.txt applies to.

    >>> origin("HTTPS://Jobs.Example.com:8443/a/b?c=1")
    'https://jobs.example.com:8443'
    """
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def product_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against.

    >>> product_token("jobatlas/0.1 (+https://github.com/jobatlas/jobatlas; job-market research)")
    'jobatlas'
    """
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or user_agent


class RobotsCache:
    """Fetches robots.txt once per origin (thread-safe: concurrent callers for one origin wait for one fetch)."""

    def __init__(self, fetch: Callable[[str], RobotsFile], user_agent: str) -> None:
        self._fetch = fetch
        self._agent = product_token(user_agent)
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules_for(self, url: str) -> RobotsRules:
        key = origin(url)
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            rules = self._rules.get(key)
            if rules is None:
                rules = RobotsRules.from_file(self._fetch(key + "/robots.txt"))
                self._rules[key] = rules
        return rules

    def refusal(self, url: str) -> str | None:
        """None when ``url`` may be fetched, else the reason it may not."""
        rules = self.rules_for(url)
        if rules.allows(url, self._agent):
            return None
        if rules.unreachable is not None:
            return f"disallowed by robots.txt (robots.txt unavailable: {rules.unreachable})"
        return "disallowed by robots.txt"
