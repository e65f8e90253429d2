"""Which sources a run reads: entries of the registry, files named on the command line, or (to reprocess)
the sources already in the store; each built into its adapter."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pipeline.http import HttpClient, HttpConfig
from pipeline.settings import Settings
from pipeline.sources.adapters import build_adapter
from pipeline.sources.base import SourceAdapter
from pipeline.sources.registry import SourceEntry, load_registry, select
from pipeline.store.models import Source
from pipeline.store.validators import StoreValidatorCache


@dataclass(frozen=True)
class SelectedSource:
    adapter: SourceAdapter
    config: dict[str, Any]


def http_config(settings: Settings) -> HttpConfig:
    return HttpConfig(
        user_agent=settings.http_user_agent,
        read_timeout=settings.http_timeout_seconds,
        max_attempts=settings.http_max_attempts,
        max_bytes=settings.http_max_bytes,
        requests_per_second_per_host=settings.http_requests_per_second,
    )


@contextmanager
def http_client(settings: Settings, engine: Engine) -> Iterator[HttpClient]:
    """The shared HTTP client, with conditional GETs backed by the store's validators."""
    client = HttpClient(http_config(settings), validators=StoreValidatorCache(engine))
    try:
        yield client
    finally:
        client.close()


def file_entry(path: Path) -> SourceEntry:
    """A registry entry for a postings file or folder given on the command line.

    >>> file_entry(Path("My Postings.jsonl")).id
    'file:my-postings'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "postings"
    return SourceEntry(id=f"file:{slug}", kind="local_files", path=str(path.resolve()))


def resolve_sources(
    settings: Settings, selection: str, files: Sequence[Path], http: HttpClient | None
) -> list[SelectedSource]:
    """Registry entries chosen by ``selection`` (``none`` for none) plus one source per file."""
    entries = [] if selection == "none" else select(load_registry(settings.sources_path), selection)
    entries += [file_entry(path) for path in files]
    return [selected(e, settings, http) for e in entries]


def stored_sources(settings: Settings, engine: Engine, source_ids: Sequence[str] | None) -> list[SelectedSource]:
    """The sources recorded in the store (all, or the given ids), with adapters that only parse."""
    with Session(engine) as session:
        query = sa.select(Source).order_by(Source.id)
        if source_ids:
            query = query.where(Source.id.in_(list(source_ids)))
        rows = list(session.scalars(query))
    missing = sorted(set(source_ids or []) - {row.id for row in rows})
    if missing:
        raise ValueError(f"no such source in the store: {', '.join(missing)}")
    entries = [SourceEntry.model_validate(row.config) for row in rows if row.config]
    return [selected(e, settings, None) for e in entries]


def selected(entry: SourceEntry, settings: Settings, http: HttpClient | None) -> SelectedSource:
    """The entry's adapter, with the entry itself as the config the store keeps (so reprocessing can rebuild it)."""
    return SelectedSource(build_adapter(entry, data_dir=settings.data_dir, http=http), entry.model_dump(mode="json"))
