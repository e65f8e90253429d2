"""The ``reextract`` flow: tag the stored postings again when the extractor or the taxonomy changed (the stale tags
only, or every posting), in the ``llm`` and ``hybrid`` modes ask the model about the re-tagged ones (its cache
answers unchanged postings for free), then refresh the weekly aggregates as ``weekly_refresh`` does. Nothing is
fetched from the sources. It holds the store's refresh lock (``pipeline.store.run_lock``) for the whole run, so it
never re-tags postings a refresh is loading, and a refresh started meanwhile stops naming it."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from flows.llm_step import llm_run_key, llm_tag
from flows.weekly_refresh import aggregate, ensure_schema
from pipeline import reextract as steps
from pipeline.extraction.extractor import Extractor, build_extractor
from pipeline.settings import Settings
from pipeline.store import loads
from pipeline.store.database import open_engine
from pipeline.store.run_lock import refresh_lock

BATCH_POSTINGS = 500  # postings per transaction: an interrupted run keeps what it did and the next one goes on


@task(name="select", cache_policy=NO_CACHE)
def select(engine: Engine, extractor_version: str, everything: bool) -> tuple[int, list[str]]:
    with sessionmaker(engine)() as session:
        return steps.select_stale(extractor_version, everything=everything, session=session)


@task(name="retag", cache_policy=NO_CACHE)
def retag(extractor: Extractor, engine: Engine, posting_ids: list[str], batch_size: int) -> tuple[int, int]:
    """Tag the given postings again, one transaction per batch, logging progress; returns the postings re-tagged
    and the skill mentions found."""
    logger = get_run_logger()
    if not posting_ids:
        logger.info("every tag is current: nothing to re-tag")
        return 0, 0
    with sessionmaker(engine).begin() as session:
        skill_ids = loads.upsert_skills(extractor.taxonomy, session=session)
    retagged = skills = 0
    for start in range(0, len(posting_ids), batch_size):
        with sessionmaker(engine).begin() as session:
            batch = posting_ids[start : start + batch_size]
            extractions = steps.retag(extractor, batch, skill_ids=skill_ids, session=session)
        retagged += len(extractions)
        skills += sum(len(e.skills) for e in extractions)
        logger.info("re-tagged %d/%d postings", min(start + batch_size, len(posting_ids)), len(posting_ids))
    return retagged, skills


@flow(name="reextract", validate_parameters=False)
def reextract(settings: Settings, everything: bool = False, batch_size: int = BATCH_POSTINGS) -> steps.ReextractSummary:
    """Tag again the stored postings whose tag is stale (made by another extractor or taxonomy version, from older
    content, or missing; every posting with ``everything``), then refresh the weekly aggregates."""
    logger = get_run_logger()
    summary = steps.ReextractSummary(everything=everything)
    with open_engine(settings) as engine, refresh_lock(engine, label="a reextract run"):
        with summary.step("migrate"):
            ensure_schema(engine)
        with summary.step("build"):
            extractor = build_extractor(settings.taxonomy_dir)
            summary.extractor_version = extractor.version
        with summary.step("select"):
            summary.checked, stale = select(engine, extractor.version, everything)
        logger.info("extractor %s: %d of %d stored postings to tag", extractor.version, len(stale), summary.checked)
        with summary.step("retag"):
            summary.retagged, summary.skills_found = retag(extractor, engine, stale, batch_size)
        if settings.llm_mode != "rules":
            with summary.step("llm"):
                summary.llm_lines = llm_tag(settings, engine, stale, llm_run_key("reextract"), None).summary_lines()
        with summary.step("aggregate"):
            summary.aggregate_rows_written = aggregate(engine)
    logger.info(
        "checked %d, re-tagged %d, unchanged %d; %d aggregate rows written",
        summary.checked,
        summary.retagged,
        summary.unchanged,
        summary.aggregate_rows_written,
    )
    return summary
