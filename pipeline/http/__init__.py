"""The shared HTTP layer: every connector fetches through one HttpClient."""

from pipeline.http.client import HttpClient, HttpConfig
from pipeline.http.response import (
    CachedResponse,
    FetchError,
    HttpResponse,
    MemoryValidatorCache,
    ValidatorCache,
    full_url,
)

__all__ = [
    "CachedResponse",
    "FetchError",
    "HttpClient",
    "HttpConfig",
    "HttpResponse",
    "MemoryValidatorCache",
    "ValidatorCache",
    "full_url",
]
