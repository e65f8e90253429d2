"""The one HTTP client every connector uses: timeouts, retries with backoff, a per-host rate limit, a size cap,
robots.txt for pages and conditional GETs. It never logs: it returns a response or raises FetchError."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urlsplit

import requests
from requests_ratelimiter import LimiterSession
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

from pipeline.http.response import (
    CachedResponse,
    FetchError,
    HttpResponse,
    MemoryValidatorCache,
    ValidatorCache,
    error_cause,
    full_url,
    is_timeout,
)
from pipeline.http.robots import RobotsCache, RobotsFile

__all__ = [  # the response types are defined in pipeline.http.response and importable from here too
    "CachedResponse",
    "FetchError",
    "HttpClient",
    "HttpConfig",
    "HttpResponse",
    "MemoryValidatorCache",
    "ValidatorCache",
    "full_url",
]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CONDITIONAL = ("if-none-match", "if-modified-since")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class HttpConfig:
    user_agent: str = "jobatlas/0.1 (+https://github.com/jobatlas/jobatlas; job-market research)"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 4  # total tries per request
    backoff_base: float = 0.5  # exponential backoff with full jitter between tries
    backoff_max: float = 30.0
    retry_after_max: float = 120.0  # never sleep longer than this for a Retry-After
    max_bytes: int = 20_000_000  # response size cap
    requests_per_second_per_host: float = 1.0  # 0 or less: no rate limit
    obey_robots: bool = True  # for html=True requests


class _Transient(Exception):
    """One attempt failed in a way worth retrying."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Raw:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes


class HttpClient:
    """Thread-safe: one client (one session, one rate limit per host, one robots cache) per run."""

    def __init__(self, config: HttpConfig = HttpConfig(), *, validators: ValidatorCache | None = None) -> None:
        self.config = config
        self._validators = validators
        rps = config.requests_per_second_per_host
        # One request per 1/rps seconds, without bursts: burst=1/rps turns per_second into Rate(1, 1000/rps ms).
        # limit_statuses=(): 429s are handled by the retry loop (Retry-After), not by filling the bucket.
        self._session: requests.Session = (
            LimiterSession(per_second=rps, burst=1 / rps, per_host=True, limit_statuses=())
            if rps > 0
            else requests.Session()
        )
        self._session.headers["User-Agent"] = config.user_agent
        self._robots = RobotsCache(self._fetch_robots, config.user_agent)
        self._backoff = wait_random_exponential(multiplier=config.backoff_base, max=config.backoff_max)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._session.close()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        html: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        """GET ``url``; ``html=True`` marks a page (robots.txt applies), else an API call."""
        target = full_url(url, params)
        if urlsplit(target).scheme not in ("http", "https"):
            raise FetchError(target, "unsupported URL scheme (http and https only)")
        if html and self.config.obey_robots and (refusal := self._robots.refusal(target)):
            raise FetchError(target, refusal)
        send = {k: v for k, v in (headers or {}).items() if k.lower() != "user-agent"}
        send["User-Agent"] = self.config.user_agent
        asked_conditional = any(k.lower() in _CONDITIONAL for k in send)
        cached = self._validators.lookup(target) if self._validators is not None else None
        if cached is not None and cached.etag:
            send["If-None-Match"] = cached.etag
        if cached is not None and cached.last_modified:
            send["If-Modified-Since"] = cached.last_modified
        raw = self._fetch(target, send)
        now = datetime.now(UTC)
        if raw.status == 304 and cached is not None:
            kept = {"content-type": cached.content_type, "etag": cached.etag, "last-modified": cached.last_modified}
            merged = {k: v for k, v in kept.items() if v is not None}
            merged.update((k, v) for k, v in raw.headers.items() if k not in ("content-length", "transfer-encoding"))
            return HttpResponse(raw.url, 304, merged, cached.body, now, not_modified=True)
        if raw.status == 304 and asked_conditional:
            return HttpResponse(raw.url, 304, raw.headers, b"", now, not_modified=True)
        if not 200 <= raw.status < 300:
            suffix = " without a cached copy" if raw.status == 304 else ""
            raise FetchError(target, f"HTTP {raw.status}{suffix}")
        return HttpResponse(raw.url, raw.status, raw.headers, raw.body, now)

    def _fetch_robots(self, robots_url: str) -> RobotsFile:
        try:
            raw = self._fetch(robots_url, {"User-Agent": self.config.user_agent})
        except FetchError as exc:
            return RobotsFile(None, failure=exc.reason)
        return RobotsFile(raw.status, raw.body)

    def _fetch(self, url: str, headers: dict[str, str]) -> _Raw:
        """One request with retries (tenacity); any status that is not retried is returned."""
        attempts = max(1, self.config.max_attempts)
        retrying = Retrying(
            stop=stop_after_attempt(attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Transient),
            reraise=True,
        )
        try:
            return retrying(self._attempt, url, headers)
        except _Transient as exc:
            plural = "s" if attempts != 1 else ""
            raise FetchError(url, f"{exc.reason} after {attempts} attempt{plural}", retryable=True) from exc

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, _Transient) and exc.retry_after is not None:
            return min(exc.retry_after, self.config.retry_after_max)
        return float(self._backoff(state))

    def _attempt(self, url: str, headers: dict[str, str]) -> _Raw:
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        try:
            with self._session.get(url, headers=headers, timeout=timeout, stream=True) as resp:
                found = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code in RETRY_STATUSES:
                    raise _Transient(f"HTTP {resp.status_code}", _retry_after(found.get("retry-after")))
                body = self._read_body(url, resp, found) if 200 <= resp.status_code < 300 else b""
                return _Raw(resp.url or url, resp.status_code, found, body)
        except requests.exceptions.SSLError as exc:
            raise FetchError(url, f"TLS error ({error_cause(exc)})") from exc
        except requests.Timeout as exc:
            raise _Transient("timed out") from exc
        except requests.ConnectionError as exc:
            raise _Transient("timed out" if is_timeout(exc) else f"connection failed ({error_cause(exc)})") from exc
        except requests.TooManyRedirects as exc:
            raise FetchError(url, "too many redirects") from exc
        except ValueError as exc:  # requests' InvalidURL, MissingSchema, InvalidSchema, InvalidHeader
            raise FetchError(url, f"invalid request ({exc})") from exc
        except requests.RequestException as exc:
            raise FetchError(url, f"request failed ({type(exc).__name__}: {error_cause(exc)})") from exc

    def _read_body(self, url: str, resp: requests.Response, headers: Mapping[str, str]) -> bytes:
        limit = self.config.max_bytes
        declared = _int_or_none(headers.get("content-length"))
        if declared is not None and declared > limit:
            raise FetchError(url, f"response larger than {limit} bytes")
        body = bytearray()
        try:
            for chunk in resp.iter_content(_CHUNK):
                body += chunk
                if len(body) > limit:
                    raise FetchError(url, f"response larger than {limit} bytes")
        except requests.exceptions.ChunkedEncodingError as exc:
            raise _Transient(_truncated(resp, len(body), declared)) from exc
        on_wire = resp.raw.tell() if "content-encoding" in headers else len(body)
        if declared is not None and on_wire < declared:
            raise _Transient(_truncated(resp, len(body), declared))
        return bytes(body)


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or an HTTP date); None if absent or invalid.

    >>> _retry_after("7"), _retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), _retry_after("soon")
    (7.0, 0.0, None)
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _truncated(resp: requests.Response, received: int, declared: int | None) -> str:
    got = resp.raw.tell() if resp.raw is not None else received
    return f"body truncated (got {got} of {declared} bytes)" if declared else f"body truncated (got {got} bytes)"
