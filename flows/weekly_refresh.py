"""The ``weekly_refresh`` flow (ingest -> normalize -> extract -> load -> dedup -> [llm] -> aggregate) and the
``reprocess`` flow, which runs the same steps on the archived payloads without fetching. The llm step runs in the
``llm`` and ``hybrid`` modes only (``flows/llm_step.py``).

Memory does not grow with the run: ingest archives each source's payloads as they arrive and hands on only their
raw ids; normalize, extract and load then go a batch of ``batch_postings`` postings at a time, read back from the
archive, each batch loaded in a transaction of its own (``flows/refresh_sources.py``). What the run keeps is
the ids of the postings seen, to close the ones a complete listing no longer shows. A run killed midway leaves
whole batches behind (postings with their tags); the next run finds them unchanged and loads the rest.

Both hold the store's refresh lock for the whole run (``pipeline.store.run_lock``: a second run started meanwhile
fails at once, naming the first) and log one JSON line per step (``flows/run_log.py``; the batched steps log
theirs, with totals over the batches, once every source is done). Retries and timeouts:

- ingest: 2 retries, 10 s then 60 s later, on an unexpected exception (a dropped database connection, an
  adapter bug). A source that cannot be read is not an exception: its HTTP requests were already retried by the
  HTTP client (``JOBATLAS_HTTP_MAX_ATTEMPTS``) and it is reported as failed (a partial run). Each fetch holds a
  slot of its host's concurrency limit (``flows/host_limits.py``).
- extract: one task per chunk of 500 postings (``weekly_refresh``'s ``extract_chunk_size``), gathered in order. A
  chunk fails after 1 hour, a batch's load after 30 minutes (its transaction rolled back), far above what a
  weekly refresh needs. In a worker thread Prefect interrupts Python code at the limit, but a blocking call (a
  database statement) only when it returns.

The submitted tasks (ingest, extract: ``flows/refresh_tasks.py``) take picklable arguments and also run on a Dask
cluster (``flows/task_runner.py``, ``jobatlas run --dask-address``). Normalizing, the tasks called directly (load,
dedup, aggregate), the lock and the run's bookkeeping stay in the flow's process whatever the task runner.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import PrefectFuture
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from flows.host_limits import ensure_host_limits
from flows.llm_step import llm_run_key, llm_tag
from flows.refresh_sources import BatchContext, refresh_listings, today
from flows.refresh_tasks import EXTRACT_CHUNK_POSTINGS, ingest
from flows.run_log import log_json, logged_step
from flows.worker_resources import extractor_for, flow_resources
from pipeline import refresh
from pipeline.refresh_batches import Listing
from pipeline.settings import Settings
from pipeline.sources.selection import SelectedSource, http_client, resolve_sources, stored_sources
from pipeline.store import loads, migrate
from pipeline.store.database import open_engine
from pipeline.store.run_lock import close_abandoned_runs, refresh_lock
from pipeline.summary import RunSummary

BATCH_POSTINGS = 5_000


@task(name="dedup", cache_policy=NO_CACHE)
def dedup(engine: Engine) -> refresh.DedupCounts:
    with sessionmaker(engine).begin() as session:
        return refresh.mark_duplicates(session=session)


@task(name="aggregate", cache_policy=NO_CACHE)
def aggregate(engine: Engine) -> int:
    with sessionmaker(engine).begin() as session:
        return sum(refresh.aggregate(session=session).values())


def ensure_schema(engine: Engine) -> None:
    """Apply pending migrations (a flow's first step)."""
    if not migrate.is_up_to_date(engine):
        migrate.upgrade(engine)
        get_run_logger().info("store schema upgraded to %s", migrate.current_revision(engine))


@flow(name="weekly_refresh", validate_parameters=False)
def weekly_refresh(
    settings: Settings,
    sources: str = "offline",
    files: list[Path] | None = None,
    extract_chunk_size: int = EXTRACT_CHUNK_POSTINGS,
    batch_postings: int = BATCH_POSTINGS,
    seen_on: date | None = None,
) -> RunSummary:
    """Refresh the store from the selected sources of the registry (``offline``, ``live``, ``all``, ``none`` or
    comma-separated ids) and any postings files, ``batch_postings`` postings at a time, extracting in tasks of
    ``extract_chunk_size`` postings; returns (and stores) the run summary. ``seen_on`` is the run's day (the
    postings listed are last seen on it, those a complete listing no longer shows closed on it): today in UTC
    unless given."""
    return _run(
        settings,
        from_archive=False,
        selection=sources,
        files=files or [],
        chunk_size=extract_chunk_size,
        batch_postings=batch_postings,
        seen_on=seen_on,
    )


@flow(name="reprocess", validate_parameters=False)
def reprocess(settings: Settings, source_ids: list[str] | None = None) -> RunSummary:
    """Normalize and extract again from the archived payloads of the latest good fetch of each source."""
    return _run(settings, from_archive=True, source_ids=source_ids)


def _run(
    settings: Settings,
    *,
    from_archive: bool,
    selection: str = "offline",
    files: list[Path] | None = None,
    source_ids: list[str] | None = None,
    chunk_size: int = EXTRACT_CHUNK_POSTINGS,
    batch_postings: int = BATCH_POSTINGS,
    seen_on: date | None = None,
) -> RunSummary:
    summary = RunSummary()
    flow_run = get_run_context().flow_run  # type: ignore[union-attr]
    flow_run_name = flow_run.name if flow_run else "no flow run"
    with (
        open_engine(settings) as engine,
        refresh_lock(engine, label=f"a refresh starting (flow run {flow_run_name})") as lock,
        http_client(settings, engine) as http,
        flow_resources(settings, engine, http),
    ):
        with logged_step(summary, "migrate") as logged:
            ensure_schema(engine)
            with sessionmaker(engine).begin() as session:
                logged["abandoned_runs_closed"] = close_abandoned_runs(session=session)
        if from_archive:
            selected = stored_sources(settings, engine, source_ids)
        else:
            selected = resolve_sources(settings, selection, files or [], http)
            ensure_host_limits(selected, settings.source_host_fetches)
        with sessionmaker(engine).begin() as session:
            summary.run_id = loads.start_run(
                [s.adapter.source_id for s in selected],
                flow_run_id=str(flow_run.id) if flow_run else None,
                session=session,
            )
        lock.label(f"run {summary.run_id} (flow run {flow_run_name})")
        failure: dict[str, str] = {}
        try:
            _run_steps(
                summary,
                selected,
                settings,
                engine,
                summary.run_id,
                from_archive=from_archive,
                chunk_size=chunk_size,
                batch_postings=batch_postings,
                seen_on=seen_on or today(),
            )
            summary.status = "partial" if any(s.error for s in summary.sources) else "succeeded"
        except BaseException as exc:
            summary.status = "failed"
            failure["run"] = f"{type(exc).__name__}: {exc}"[:500]
            raise
        finally:
            with sessionmaker(engine).begin() as session:
                loads.finish_run(
                    summary.run_id,
                    status=summary.status,
                    counts=summary.counts(),
                    step_seconds=summary.step_seconds,
                    errors={s.source_id: s.error for s in summary.sources if s.error}
                    | ({"rejects": summary.rejects} if summary.rejects else {})
                    | failure,
                    session=session,
                )
            log_json({"run": summary.run_id, "status": summary.status} | summary.counts() | failure)
    return summary


def _run_steps(
    summary: RunSummary,
    selected: list[SelectedSource],
    settings: Settings,
    engine: Engine,
    run_id: int,
    *,
    from_archive: bool,
    chunk_size: int,
    batch_postings: int,
    seen_on: date,
) -> None:
    with logged_step(summary, "ingest") as logged:
        futures: list[PrefectFuture[Listing]] = [
            ingest.submit(source.config, settings, run_id, from_archive) for source in selected
        ]
        listings = [future.result() for future in futures]
        logged.update(
            sources=len(listings),
            records=sum(len(listing.raw_ids) for listing in listings),
            raw_new=sum(listing.raw_new for listing in listings),
            failed=sorted(listing.source_id for listing in listings if listing.error),
        )
    context = BatchContext(
        summary=summary,
        engine=engine,
        extractor=extractor_for(settings.taxonomy_dir),
        taxonomy_dir=settings.taxonomy_dir,
        run_id=run_id,
        chunk_size=chunk_size,
        batch_postings=batch_postings,
        seen_on=seen_on,
    )
    sources = refresh_listings(context, selected, listings)
    with logged_step(summary, "dedup") as logged:
        deduped = dedup(engine)
        logged.update(
            open=deduped.open_postings, unique=deduped.unique_postings, changed=deduped.changed, skipped=deduped.skipped
        )
    summary.llm_mode = settings.llm_mode
    if settings.llm_mode != "rules":
        with logged_step(summary, "llm") as logged:
            llm = llm_tag(settings, engine, context.posting_ids, llm_run_key("refresh"), run_id)
            logged["final_tags"] = llm.final_tags
        summary.llm_final_tags, summary.llm_lines = llm.final_tags, llm.summary_lines()
    with logged_step(summary, "aggregate") as logged:
        summary.aggregate_rows_written = logged["rows_written"] = aggregate(engine)
    summary.open_postings, summary.unique_postings = deduped.open_postings, deduped.unique_postings
    summary.sources.extend(sources)
