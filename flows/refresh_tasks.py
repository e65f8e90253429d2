"""The submitted tasks of the refresh flows (``flows/weekly_refresh.py``): ingest, one per source, and extract, one
per chunk of postings. Their arguments are picklable (settings, a registry entry, postings): they run in threads of
the flow's process by default, or on Dask workers (``flows/task_runner.py``), and find the engine, HTTP client and
extractor of whichever process runs them in ``flows/worker_resources.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from sqlalchemy.orm import sessionmaker

from flows.host_limits import host_slot
from flows.worker_resources import extractor_for, store_resources
from pipeline import refresh, refresh_batches
from pipeline.domain import Extraction, Posting
from pipeline.refresh_batches import Listing
from pipeline.settings import Settings
from pipeline.sources.adapters import build_adapter
from pipeline.sources.registry import SourceEntry
from pipeline.sources.selection import SelectedSource
from pipeline.store import loads

INGEST_RETRIES = 2
INGEST_RETRY_DELAYS_SECONDS: list[float] = [10, 60]
EXTRACT_TIMEOUT_SECONDS = 3600
EXTRACT_CHUNK_POSTINGS = 500


@task(name="ingest", cache_policy=NO_CACHE, retries=INGEST_RETRIES, retry_delay_seconds=INGEST_RETRY_DELAYS_SECONDS)
def ingest(config: dict[str, Any], settings: Settings, run_id: int, from_archive: bool) -> Listing:
    """Fetch the source of a registry entry and archive every raw payload as it arrives, a batch per transaction
    (none is open while the source is read), or find its last archived listing; returns the listing's raw ids,
    not its records (the flow reads them back a batch at a time)."""
    logger = get_run_logger()
    resources = store_resources(settings)
    engine = resources.engine
    entry = SourceEntry.model_validate(config)
    http = None if from_archive else resources.http  # reprocessing only parses
    selected = SelectedSource(build_adapter(entry, data_dir=settings.data_dir, http=http), config)
    source = selected.adapter
    registered = [(source.source_id, source.kind, source.name, config)]  # upserted where a payload is archived
    if from_archive:
        with sessionmaker(engine).begin() as session:
            loads.upsert_sources(registered, session=session)
            listing = refresh_batches.archived_listing(source.source_id, session=session)
    else:
        listing = Listing(source.source_id)
        with host_slot(selected):  # nothing is written before the first request
            for batch in refresh_batches.fetch_batches(source, listing):
                with sessionmaker(engine).begin() as session:
                    loads.upsert_sources(registered, session=session)
                    refresh_batches.archive_batch(batch, listing, run_id=run_id, session=session)
        with sessionmaker(engine).begin() as session:
            loads.upsert_sources(registered, session=session)
            refresh_batches.log_listing(listing, run_id=run_id, session=session)
    if listing.error:
        logger.error("source %s failed: %s", source.source_id, listing.error)
    logger.info("%s: %d records (%d new payloads)", source.source_id, len(listing.raw_ids), listing.raw_new)
    return listing


@task(name="extract", cache_policy=NO_CACHE, timeout_seconds=EXTRACT_TIMEOUT_SECONDS)
def extract(taxonomy_dir: Path, postings: list[Posting]) -> list[Extraction]:
    """Extract one chunk of postings with this process's extractor of the taxonomy."""
    logger = get_run_logger()

    def progress(done: int, total: int) -> None:
        logger.info("extracted %d/%d postings", done, total)

    return refresh.extract_postings(extractor_for(taxonomy_dir), postings, on_progress=progress)


def extract_in_chunks(taxonomy_dir: Path, postings: Sequence[Posting], chunk_size: int) -> list[Extraction]:
    """Submit one extract task per chunk of ``chunk_size`` postings; the extractions in the postings' order."""
    if not postings:
        get_run_logger().info("nothing new or changed to extract")
        return []
    futures = [
        extract.submit(taxonomy_dir, list(postings[start : start + chunk_size]))
        for start in range(0, len(postings), chunk_size)
    ]
    wait(futures)
    return [extraction for future in futures for extraction in future.result()]
