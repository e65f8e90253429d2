"""The ``weekly_refresh`` flow: ingest -> normalize -> extract -> load -> aggregate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from pipeline import refresh
from pipeline.domain import Extraction, Posting
from pipeline.extraction.extractor import Extractor, build_extractor
from pipeline.settings import Settings
from pipeline.sources.base import SourceAdapter
from pipeline.sources.jsonl_file import file_source, sample_source
from pipeline.store import loads, migrate
from pipeline.store.database import open_engine
from pipeline.summary import RunSummary, SourceSummary


@task(name="ingest", cache_policy=NO_CACHE, retries=0)
def ingest(source: SourceAdapter, engine: Engine, run_id: int) -> tuple[refresh.FetchResult, dict[str, int], int]:
    """Fetch a source and keep every raw payload (committed before anything else can fail)."""
    fetched = refresh.fetch_source(source)
    logger = get_run_logger()
    if fetched.error:
        logger.error("source %s failed: %s", source.source_id, fetched.error)
    with sessionmaker(engine).begin() as session:
        raw_ids, raw_new = refresh.store_raw(source, fetched, run_id=run_id, session=session)
    logger.info("%s: fetched %d records (%d new payloads)", source.source_id, len(fetched.records), raw_new)
    return fetched, raw_ids, raw_new


@task(name="normalize", cache_policy=NO_CACHE)
def normalize(source: SourceAdapter, fetched: refresh.FetchResult) -> refresh.NormalizeResult:
    result = refresh.normalize_records(source, fetched.records)
    logger = get_run_logger()
    for reject in result.rejects:
        logger.warning("rejected %s", reject.describe())
    return result


@task(name="extract", cache_policy=NO_CACHE)
def extract(extractor: Extractor, postings: list[Posting]) -> list[Extraction]:
    logger = get_run_logger()

    def progress(done: int, total: int) -> None:
        logger.info("extracted %d/%d postings", done, total)

    if not postings:
        logger.info("nothing new or changed to extract")
    return refresh.extract_postings(extractor, postings, on_progress=progress)


@task(name="load", cache_policy=NO_CACHE)
def load(
    fetched: list[refresh.FetchResult],
    raw_ids: list[dict[str, int]],
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
            refresh.load_source(f, n, raw_ids=ids, run_id=run_id, seen_on=seen_on, session=session)
            for f, ids, n in zip(fetched, raw_ids, normalized, strict=True)
        ]
        every_posting = [p for n in normalized for p in n.postings]
        refresh.load_extractions(extractor, extractions, every_posting, session=session)
    return counts


@task(name="aggregate", cache_policy=NO_CACHE)
def aggregate(engine: Engine) -> int:
    with sessionmaker(engine).begin() as session:
        return sum(refresh.aggregate(session=session).values())


def build_sources(settings: Settings, files: list[Path], include_sample: bool) -> list[SourceAdapter]:
    sources: list[SourceAdapter] = [sample_source(settings.sample_postings_path)] if include_sample else []
    sources.extend(file_source(Path(path)) for path in files)
    return sources


@flow(name="weekly_refresh", validate_parameters=False)
def weekly_refresh(settings: Settings, files: list[Path] | None = None, include_sample: bool = True) -> RunSummary:
    """Refresh the store from every source; returns (and stores) the run summary."""
    logger = get_run_logger()
    sources = build_sources(settings, files or [], include_sample)
    summary = RunSummary()
    with open_engine(settings) as engine:
        with summary.step("migrate"):
            if not migrate.is_up_to_date(engine):
                migrate.upgrade(engine)
                logger.info("store schema upgraded to %s", migrate.current_revision(engine))
        flow_run = get_run_context().flow_run  # type: ignore[union-attr]
        with sessionmaker(engine).begin() as session:
            summary.run_id = loads.start_run(
                [s.source_id for s in sources],
                flow_run_id=str(flow_run.id) if flow_run else None,
                session=session,
            )
        try:
            _run_steps(summary, sources, settings, engine, summary.run_id)
            summary.status = "partial" if any(s.error for s in summary.sources) else "succeeded"
        except BaseException:
            summary.status = "failed"
            raise
        finally:
            with sessionmaker(engine).begin() as session:
                loads.finish_run(
                    summary.run_id,
                    status=summary.status,
                    counts=summary.counts(),
                    step_seconds=summary.step_seconds,
                    errors={s.source_id: s.error for s in summary.sources if s.error}
                    | ({"rejects": summary.rejects} if summary.rejects else {}),
                    session=session,
                )
    logger.info("run %s %s: %s", summary.run_id, summary.status, summary.counts())
    return summary


def _run_steps(
    summary: RunSummary, sources: list[SourceAdapter], settings: Settings, engine: Engine, run_id: int
) -> None:
    with summary.step("ingest"):
        ingested = [ingest(source, engine, run_id) for source in sources]
    fetched = [f for f, _, _ in ingested]
    with summary.step("normalize"):
        normalized = [normalize(source, f) for source, f in zip(sources, fetched, strict=True)]
    with summary.step("extract"):
        extractor = build_extractor(settings.taxonomy_dir)
        every_posting = [p for n in normalized for p in n.postings]
        with sessionmaker(engine)() as session:
            state = loads.stored_state([p.id for p in every_posting], session=session)
        plans = [refresh.plan_changes(n.postings, state, extractor.version) for n in normalized]
        extractions = extract(extractor, [p for plan in plans for p in plan.to_extract])
    with summary.step("load"):
        counts = load(fetched, [ids for _, ids, _ in ingested], normalized, extractor, extractions, engine, run_id)
    with summary.step("aggregate"):
        summary.aggregate_rows_written = aggregate(engine)
    summary.extracted = len(extractions)
    summary.skills_found = sum(len(e.skills) for e in extractions)
    for source, (f, _, raw_new), n, plan, c in zip(sources, ingested, normalized, plans, counts, strict=True):
        summary.sources.append(
            SourceSummary(
                source_id=source.source_id,
                fetched=len(f.records),
                raw_new=raw_new,
                new=len(plan.new),
                updated=len(plan.updated),
                unchanged=len(plan.unchanged),
                rejected=len(n.rejects),
                closed=c.closed,
                error=f.error,
            )
        )
        summary.rejects.extend(r.describe() for r in n.rejects)
