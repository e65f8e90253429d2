"""What a failed model request means: whether to try again, how long the server asks to wait, and one line
saying what went wrong (never the API key: the SDK does not echo it)."""

from __future__ import annotations

import time
from email.utils import parsedate_to_datetime
from typing import Any

import openai


def retry_after(headers: Any) -> float | None:
    """Seconds a server asks to wait: ``retry-after-ms``, or ``Retry-After`` in seconds or as an HTTP date.

    >>> retry_after({"retry-after": "2"}), retry_after({"retry-after-ms": "1500"}), retry_after({})
    (2.0, 1.5, None)
    """
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        try:
            return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
        except (TypeError, ValueError):
            return None


def retryable(exc: BaseException) -> bool:
    """Timeouts, connection errors, 408, 409, 429 and 5xx are worth another try; other statuses are not."""
    if isinstance(exc, openai.APIConnectionError):  # timeouts included
        return True
    return isinstance(exc, openai.APIStatusError) and (exc.status_code in (408, 409, 429) or exc.status_code >= 500)


def describe_error(exc: BaseException) -> str:
    """One line saying why a request failed (never the API key: the SDK does not echo it)."""
    if isinstance(exc, openai.APITimeoutError):
        return "timed out"
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__
        return f"connection failed: {cause}" if cause is not None else "connection failed"
    if isinstance(exc, openai.APIStatusError):
        body = exc.body
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, str):
            message = str(exc.message).removeprefix(f"Error code: {exc.status_code} - ")
        return f"HTTP {exc.status_code}: {' '.join(message.split())[:200]}"
    return f"{type(exc).__name__}: {exc}"
