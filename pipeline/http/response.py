"""What the HTTP layer hands back: responses, the error it raises, and validator caches for conditional GETs."""

from __future__ import annotations

import codecs
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import requests
import urllib3.exceptions

from pipeline.sources.base import SourceFetchError


class FetchError(SourceFetchError):
    """A URL could not be fetched; ``retryable`` is True when the failure was transient (worth another run)."""

    def __init__(self, url: str, reason: str, *, retryable: bool = False) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.retryable = retryable

    def __reduce__(self) -> tuple[Any, ...]:  # picklable despite the keyword-only argument
        return (type(self), (self.url, self.reason), {"retryable": self.retryable})


@dataclass(frozen=True)
class CachedResponse:
    """What a previous good response left for conditional GETs."""

    etag: str | None
    last_modified: str | None
    body: bytes
    content_type: str | None


class ValidatorCache(Protocol):
    def lookup(self, url: str) -> CachedResponse | None: ...


@dataclass(frozen=True)
class HttpResponse:
    url: str  # final URL (with query)
    status: int  # 2xx, or 304 when served from the validator cache
    headers: Mapping[str, str]  # lower-cased names
    body: bytes
    fetched_at: datetime  # UTC
    not_modified: bool = False

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    def text(self) -> str:
        """The body decoded with the charset of Content-Type, else UTF-8; undecodable bytes are replaced."""
        try:
            return self.body.decode(_charset(self.content_type) or "utf-8-sig", errors="replace")
        except LookupError:  # a codec that is not a text encoding, e.g. charset=base64
            return self.body.decode("utf-8-sig", errors="replace")

    def json(self) -> Any:
        """The body parsed as JSON; FetchError naming the content type when it is not JSON."""
        try:
            return json.loads(self.text() if _charset(self.content_type) else self.body)
        except ValueError as exc:
            snippet = " ".join(self.text().split())[:80]
            mime = (self.content_type or "").split(";", 1)[0].strip().lower()
            if mime and not (mime.endswith("/json") or mime.endswith("+json")):
                raise FetchError(self.url, f"expected JSON but got {mime}: {snippet}") from exc
            raise FetchError(self.url, f"invalid JSON ({exc}): {snippet}") from exc


class MemoryValidatorCache:
    """A dict-backed ValidatorCache (tests, one-off use). Keys are URLs with their query, as ``full_url`` gives."""

    def __init__(self) -> None:
        self._entries: dict[str, CachedResponse] = {}
        self._lock = threading.Lock()

    def lookup(self, url: str) -> CachedResponse | None:
        with self._lock:
            return self._entries.get(_cache_key(url))

    def remember(self, url: str, response: HttpResponse) -> None:
        """Keep a 200 (or refreshed 304) response that carries an ETag or Last-Modified."""
        if response.status not in (200, 304) or not (response.etag or response.last_modified):
            return
        entry = CachedResponse(response.etag, response.last_modified, response.body, response.content_type)
        with self._lock:
            self._entries[_cache_key(url)] = entry


def full_url(url: str, params: Mapping[str, str | int] | None = None) -> str:
    """The URL a request goes to, with ``params`` applied (the key of validator caches).

    >>> full_url("https://boards.example.com/v1/jobs?a=1", {"content": "true", "page": 2})
    'https://boards.example.com/v1/jobs?a=1&content=true&page=2'
    """
    prepared = requests.PreparedRequest()
    try:
        prepared.prepare_url(url, dict(params) if params else None)
    except requests.RequestException as exc:
        raise FetchError(url, f"invalid URL ({exc})") from exc
    return prepared.url or url


def _cache_key(url: str) -> str:
    try:
        return full_url(url)
    except FetchError:
        return url


def _charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type, when Python knows it.

    >>> _charset('text/html; Charset="ISO-8859-1"'), _charset("text/html; charset=klingon"), _charset(None)
    ('iso-8859-1', None, None)
    """
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower()
            try:
                codecs.lookup(charset)
            except LookupError:
                return None
            return charset
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (requests and urllib3 nest errors in args and causes)."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo and len(seen) < 20:
        current = todo.pop(0)
        if any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend(a for a in current.args if isinstance(a, BaseException))
        linked = (current.__cause__, current.__context__, getattr(current, "reason", None))
        todo.extend(e for e in linked if isinstance(e, BaseException))
    return seen


def is_timeout(exc: BaseException) -> bool:
    """A timeout somewhere in the chain (urllib3's NewConnectionError subclasses its timeout error: not one)."""
    errors = urllib3.exceptions
    return any(
        isinstance(e, errors.ReadTimeoutError | TimeoutError)
        or (isinstance(e, errors.ConnectTimeoutError) and not isinstance(e, errors.NewConnectionError))
        for e in _chain(exc)
    )


def error_cause(exc: BaseException) -> str:
    """A short readable cause, e.g. 'Connection refused', rather than requests' nested repr."""
    for e in reversed(_chain(exc)):
        if isinstance(e, OSError) and e.strerror:
            return str(e.strerror)
    return type(exc).__name__
