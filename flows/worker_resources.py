"""What a task needs and cannot receive as an argument: the store's engine, the HTTP client, the extractor.

Tasks submitted by the refresh flows receive picklable things only (the :class:`Settings`, plain data), so that
a Dask worker on another process or machine can run them (``flows/task_runner.py``). Each process builds its
engine, HTTP client and extractor once and keeps them:

- in the flow's process, the flow registers the engine and HTTP client it opened (:func:`flow_resources`), and
  its tasks (threads of the default task runner) use those; they are closed when the flow ends;
- in a Dask worker process, the first task opens them and they last as long as the worker (one engine per
  database, one extractor per taxonomy version), so a worker keeps a handful of connections, not one per task.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import Engine

from pipeline.extraction.extractor import Extractor, build_extractor
from pipeline.http import HttpClient
from pipeline.settings import Settings
from pipeline.sources.selection import http_config
from pipeline.store.database import connect
from pipeline.store.validators import StoreValidatorCache

TAXONOMY_FILES = ("skills.yaml", "specializations.yaml")


@dataclass(frozen=True)
class StoreResources:
    engine: Engine
    http: HttpClient


_lock = threading.Lock()
_flow_owned: dict[str, list[StoreResources]] = {}  # opened by a flow running in this process (a stack per store)
_process_owned: dict[str, StoreResources] = {}  # opened by a task on a worker, kept for the process's life


def store_key(settings: Settings) -> str:
    """Which store the settings name: the database URL, or the embedded server's data directory.

    >>> store_key(Settings(database_url="postgresql://u:p@db/jobs", _env_file=None))
    'postgresql://u:p@db/jobs'
    """
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return f"embedded:{settings.embedded_pgdata.resolve()}"


@contextmanager
def flow_resources(settings: Settings, engine: Engine, http: HttpClient) -> Iterator[None]:
    """Let the tasks running in this process use the flow's engine and HTTP client while the block runs."""
    key, resources = store_key(settings), StoreResources(engine, http)
    with _lock:
        _flow_owned.setdefault(key, []).append(resources)
    try:
        yield
    finally:
        with _lock:
            stack = _flow_owned[key]
            stack.remove(resources)
            if not stack:
                del _flow_owned[key]


def store_resources(settings: Settings) -> StoreResources:
    """The engine and HTTP client of the settings' store in this process: the flow's if it runs here, else the
    ones this process opened for an earlier task (or opens now)."""
    key = store_key(settings)
    with _lock:
        if _flow_owned.get(key):
            return _flow_owned[key][-1]
        if key not in _process_owned:
            engine = connect(settings)
            http = HttpClient(http_config(settings), validators=StoreValidatorCache(engine))
            _process_owned[key] = StoreResources(engine, http)
        return _process_owned[key]


def taxonomy_fingerprint(taxonomy_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, size and modification time of the taxonomy's files: an edited taxonomy builds a new extractor."""
    stats = [(name, (taxonomy_dir / name).stat()) for name in TAXONOMY_FILES]
    return tuple((name, stat.st_size, stat.st_mtime_ns) for name, stat in stats)


def extractor_for(taxonomy_dir: Path) -> Extractor:
    """The extractor of the taxonomy in ``taxonomy_dir``, built once per process (and per taxonomy edit)."""
    return _cached_extractor(taxonomy_dir.resolve(), taxonomy_fingerprint(taxonomy_dir))


@lru_cache(maxsize=4)
def _cached_extractor(taxonomy_dir: Path, fingerprint: tuple[tuple[str, int, int], ...]) -> Extractor:
    del fingerprint  # part of the cache key only
    return build_extractor(taxonomy_dir)


def process_report() -> dict[str, int]:
    """What this process has built: extractors, calls for one, stores it opened itself (for tests and checks)."""
    info = _cached_extractor.cache_info()
    with _lock:
        stores = len(_process_owned)
    return {"extractors_built": info.misses, "extractor_calls": info.hits + info.misses, "stores_opened": stores}
