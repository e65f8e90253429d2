"""The ``weekly_refresh`` flow (ingest -> normalize -> extract -> load -> dedup -> [llm] -> aggregate) and the
``reprocess`` flow, which runs the same steps on the archived payloads without fetching. The llm step runs in the
``llm`` and ``hybrid`` modes only (``flows/llm_step.py``).

Both hold the store's refresh lock for the whole run (``pipeline.store.run_lock``: a second run started meanwhile
fails at once, naming the first) and log one JSON line per step (``flows/run_log.py``). Retries and timeouts:

- ingest: 2 retries, 10 s then 60 s later, on an unexpected exception (a dropped database connection, an
  adapter bug). A source that cannot be read is not an exception: its HTTP requests were already retried by the
  HTTP client (``JOBATLAS_HTTP_MAX_ATTEMPTS``) and it is reported as failed (a partial run). Each fetch holds a
  slot of its host's concurrency limit (``flows/host_limits.py``).
- extract: one task per chunk of 500 postings (``weekly_refresh``'s ``extract_chunk_size``), gathered in order. A
  chunk fails after 1 hour, load after 30 minutes (one transaction, rolled back), far above what a weekly refresh
  needs. In a worker thread Prefect interrupts Python code at the limit, but a blocking call (a database
  statement) only when it returns.

The submitted tasks (ingest, extract: ``flows/refresh_tasks.py``) take picklable arguments and also run on a Dask
cluster (``flows/task_runner.py``, ``jobatlas run --dask-address``). The tasks called directly (normalize, load,
dedup, aggregate), the lock and the run's bookkeeping stay in the flow's process whatever the task runner.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.futures import PrefectFuture
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from flows.host_limits import ensure_host_limits
from flows.llm_step import llm_run_key, llm_tag
from flows.refresh_tasks import EXTRACT_CHUNK_POSTINGS, IngestOutput, extract_in_chunks, ingest
from flows.run_log import log_json, logged_step
from flows.worker_resources import extractor_for, flow_resources
from pipeline import refresh
from pipeline.domain import Extraction
from pipeline.extraction.extractor import Extractor
from pipeline.settings import Settings
from pipeline.sources.selection import SelectedSource, http_client, resolve_sources, stored_sources
from pipeline.store import archive, loads, migrate
from pipeline.store.database import open_engine
from pipeline.store.run_lock import close_abandoned_runs, refresh_lock
from pipeline.summary import RunSummary, SourceSummary

LOAD_TIMEOUT_SECONDS = 1800


@task(name="normalize", cache_policy=NO_CACHE)
def normalize(selected: SelectedSource, fetched: refresh.FetchResult) -> refresh.NormalizeResult:
    result = refresh.normalize_records(selected.adapter, fetched.records)
    logger = get_run_logger()
    for reject in result.rejects:
        logger.warning("rejected %s", reject.describe())
    return result


@task(name="load", cache_policy=NO_CACHE, timeout_seconds=LOAD_TIMEOUT_SECONDS)
def load(
    ingested: list[IngestOutput],
    normalized: list[refresh.NormalizeResult],
    extractor: Extractor,
    extractions: list[Extraction],
    engine: Engine,
    run_id: int,
) -> list[refresh.LoadCounts]:
    """Load every source's postings, rejects and extractions in one transaction."""
    seen_on = datetime.now(UTC).date()
    with sessionmaker(engine).begin() as session:
        counts = [
            refresh.load_source(fetched, n, raw_ids=raw_ids, run_id=run_id, seen_on=seen_on, session=session)
            for (fetched, raw_ids, _), n in zip(ingested, normalized, strict=True)
        ]
        every_posting = [p for n in normalized for p in n.postings]
        refresh.load_extractions(extractor, extractions, every_posting, session=session)
    return counts


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
) -> RunSummary:
    """Refresh the store from the selected sources of the registry (``offline``, ``live``, ``all``, ``none`` or
    comma-separated ids) and any postings files, extracting in tasks of ``extract_chunk_size`` postings; returns
    (and stores) the run summary."""
    return _run(settings, from_archive=False, selection=sources, files=files or [], chunk_size=extract_chunk_size)


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
                summary, selected, settings, engine, summary.run_id, from_archive=from_archive, chunk_size=chunk_size
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
) -> None:
    with logged_step(summary, "ingest") as logged:
        futures: list[PrefectFuture[IngestOutput]] = [
            ingest.submit(source.config, settings, run_id, from_archive) for source in selected
        ]
        ingested = [future.result() for future in futures]
        logged.update(
            sources=len(ingested),
            records=sum(len(f.records) for f, _, _ in ingested),
            raw_new=sum(new for _, _, new in ingested),
            failed=sorted(f.source_id for f, _, _ in ingested if f.error),
        )
    with logged_step(summary, "normalize") as logged:
        normalized = [normalize(source, fetched) for source, (fetched, _, _) in zip(selected, ingested, strict=True)]
        for (fetched, _, _), result in zip(ingested, normalized, strict=True):
            reason = refresh.unhealthy_reason(fetched, result)
            if reason:
                fetched.error = reason  # reported, and its postings are not closed
                with sessionmaker(engine).begin() as session:
                    archive.mark_fetch_failed(fetched.source_id, run_id=run_id, reason=reason, session=session)
        logged.update(
            postings=sum(len(n.postings) for n in normalized), rejected=sum(len(n.rejects) for n in normalized)
        )
    with logged_step(summary, "extract") as logged:
        extractor = extractor_for(settings.taxonomy_dir)
        every_posting = [p for n in normalized for p in n.postings]
        with sessionmaker(engine)() as session:
            state = loads.stored_state([p.id for p in every_posting], session=session)
        plans = [refresh.plan_changes(n.postings, state, extractor.version) for n in normalized]
        to_extract = [p for plan in plans for p in plan.to_extract]
        extractions = extract_in_chunks(settings.taxonomy_dir, to_extract, chunk_size)
        logged.update(
            new=sum(len(p.new) for p in plans),
            updated=sum(len(p.updated) for p in plans),
            unchanged=sum(len(p.unchanged) for p in plans),
            extracted=len(extractions),
            chunks=-(-len(to_extract) // chunk_size),
        )
    with logged_step(summary, "load") as logged:
        counts = load(ingested, normalized, extractor, extractions, engine, run_id)
        logged["closed"] = sum(c.closed for c in counts)
    with logged_step(summary, "dedup") as logged:
        deduped = dedup(engine)
        logged.update(
            open=deduped.open_postings, unique=deduped.unique_postings, changed=deduped.changed, skipped=deduped.skipped
        )
    summary.llm_mode = settings.llm_mode
    if settings.llm_mode != "rules":
        with logged_step(summary, "llm") as logged:
            llm = llm_tag(settings, engine, [p.id for p in every_posting], llm_run_key("refresh"), run_id)
            logged["final_tags"] = llm.final_tags
        summary.llm_final_tags, summary.llm_lines = llm.final_tags, llm.summary_lines()
    with logged_step(summary, "aggregate") as logged:
        summary.aggregate_rows_written = logged["rows_written"] = aggregate(engine)
    summary.extracted = len(extractions)
    summary.skills_found = sum(len(e.skills) for e in extractions)
    summary.open_postings, summary.unique_postings = deduped.open_postings, deduped.unique_postings
    for source, (fetched, _, raw_new), n, plan, c in zip(selected, ingested, normalized, plans, counts, strict=True):
        summary.sources.append(
            SourceSummary(
                source_id=source.adapter.source_id,
                fetched=len(fetched.records),
                raw_new=raw_new,
                postings=len(n.postings),
                new=len(plan.new),
                updated=len(plan.updated),
                unchanged=len(plan.unchanged),
                rejected=len(n.rejects),
                closed=c.closed,
                error=fetched.error,
            )
        )
        summary.rejects.extend(r.describe() for r in n.rejects)
