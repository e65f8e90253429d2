"""The batched middle of the refresh flows: each source's archived listing is read back a batch at a time and
normalized, planned, extracted (``extract`` tasks, one per chunk) and loaded (a ``load`` task, one transaction per
batch), then the postings a complete listing no longer shows are closed (``pipeline/refresh_batches.py``).

The three steps run once per batch; their seconds and counts add up over batches and sources in the run summary,
and each logs one JSON line when every source is done (a step that fails logs its line at once).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from flows.refresh_tasks import extract_in_chunks
from flows.run_log import log_json
from pipeline import refresh_batches
from pipeline.domain import Extraction, RawRecord
from pipeline.extraction.extractor import Extractor
from pipeline.refresh_batches import Batch, BatchLoad, BatchPlan, Listing
from pipeline.sources.selection import SelectedSource
from pipeline.store import archive, loads, seen
from pipeline.summary import RunSummary, SourceSummary

LOAD_TIMEOUT_SECONDS = 1800
STEP_COUNTS = {  # what each batched step counts, summed over batches and sources
    "normalize": ("batches", "postings", "rejected"),
    "extract": ("batches", "new", "updated", "unchanged", "extracted", "chunks"),
    "load": ("batches", "written", "marked_seen", "quarantined", "closed"),
}
BATCH_STEPS = tuple(STEP_COUNTS)


def today() -> date:
    """The day of a run that is given none: today in UTC."""
    return datetime.now(UTC).date()


@dataclass
class BatchContext:
    """What every batch of a run shares, and the counts of the batched steps so far."""

    summary: RunSummary
    engine: Engine
    extractor: Extractor
    taxonomy_dir: Path
    run_id: int
    chunk_size: int
    batch_postings: int
    skill_ids: dict[str, int] = field(default_factory=dict)
    seen_on: date = field(default_factory=today)
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {step: dict.fromkeys(names, 0) for step, names in STEP_COUNTS.items()}
    )
    posting_ids: list[str] = field(default_factory=list)  # every posting of the run, for the llm step

    def add(self, step: str, **counts: int) -> None:
        totals = self.counts[step]
        for name, n in counts.items():
            totals[name] = totals.get(name, 0) + n

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one batch's part of a step into the summary; a failure logs the step's line at once."""
        try:
            with self.summary.step(name):
                yield
        except BaseException:
            self.log(name, "failed")
            raise

    def log(self, name: str, status: str) -> None:
        line = {
            "run": self.summary.run_id,
            "step": name,
            "status": status,
            "seconds": self.summary.step_seconds.get(name),
        }
        log_json(line | self.counts[name])


@task(name="load", cache_policy=NO_CACHE, timeout_seconds=LOAD_TIMEOUT_SECONDS)
def load(
    batch: Batch,
    planned: BatchPlan,
    extractions: list[Extraction],
    engine: Engine,
    context: BatchContext,
) -> BatchLoad:
    """Load one batch's rejects, postings and extractions in one transaction."""
    with sessionmaker(engine).begin() as session:
        return refresh_batches.load_batch(
            batch,
            planned,
            extractions,
            skill_ids=context.skill_ids,
            taxonomy_version=context.extractor.taxonomy.version,
            run_id=context.run_id,
            seen_on=context.seen_on,
            session=session,
        )


def refresh_listings(
    context: BatchContext, selected: list[SelectedSource], listings: list[Listing]
) -> list[SourceSummary]:
    """Normalize, extract and load every source's listing in batches; one summary per source."""
    for name in BATCH_STEPS:
        context.summary.step_seconds.setdefault(name, 0.0)
    with context.step("load"), sessionmaker(context.engine).begin() as session:
        context.skill_ids = loads.upsert_skills(context.extractor.taxonomy, session=session)
    out = [refresh_listing(context, source, listing) for source, listing in zip(selected, listings, strict=True)]
    for name in BATCH_STEPS:
        context.log(name, "done")
    return out


def refresh_listing(context: BatchContext, source: SelectedSource, listing: Listing) -> SourceSummary:
    """One source: its batches, then (a complete, healthy listing) closing the postings it no longer shows."""
    logger = get_run_logger()
    tally = SourceSummary(
        source_id=listing.source_id, fetched=len(listing.raw_ids), raw_new=listing.raw_new, error=listing.error
    )
    first_seen: dict[str, str] = {}
    first_reason: str | None = None
    batches = refresh_batches.listing_batches(
        source.adapter, listing, _reader(context.engine), first_seen=first_seen, batch_postings=context.batch_postings
    )
    while True:
        with context.step("normalize"):
            batch = next(batches, None)
        if batch is None:
            break
        rejects = batch.normalized.rejects
        for reject in rejects:
            logger.warning("rejected %s", reject.describe())
        first_reason = first_reason or (rejects[0].reason if rejects else None)
        context.summary.rejects.extend(r.describe() for r in rejects)
        tally.postings += len(batch.normalized.postings)
        tally.rejected += len(rejects)
        context.add("normalize", batches=1, postings=len(batch.normalized.postings), rejected=len(rejects))
        _refresh_batch(context, batch, tally)
    context.posting_ids.extend(first_seen)
    if not listing.error and tally.rejected and not tally.postings:
        listing.error = tally.error = f"answered no postings, only rejects: {first_reason}"  # not closed
        with sessionmaker(context.engine).begin() as session:
            archive.mark_fetch_failed(listing.source_id, run_id=context.run_id, reason=listing.error, session=session)
    if listing.complete:
        with context.step("load"), sessionmaker(context.engine).begin() as session:
            tally.closed = seen.close_missing(
                listing.source_id, seen_ids=list(first_seen), closed_on=context.seen_on, session=session
            )
        context.add("load", closed=tally.closed)
    return tally


def _refresh_batch(context: BatchContext, batch: Batch, tally: SourceSummary) -> None:
    with context.step("extract"):
        with sessionmaker(context.engine)() as session:
            planned = refresh_batches.plan_batch(
                batch.normalized.postings, extractor_version=context.extractor.version, session=session
            )
        plan = planned.plan
        extractions = extract_in_chunks(context.taxonomy_dir, plan.to_extract, context.chunk_size)
    tally.new, tally.updated, tally.unchanged = (
        tally.new + len(plan.new),
        tally.updated + len(plan.updated),
        tally.unchanged + len(plan.unchanged),
    )
    context.summary.extracted += len(extractions)
    context.summary.skills_found += sum(len(e.skills) for e in extractions)
    context.add(
        "extract",
        batches=1,
        new=len(plan.new),
        updated=len(plan.updated),
        unchanged=len(plan.unchanged),
        extracted=len(extractions),
        chunks=-(-len(plan.to_extract) // context.chunk_size),
    )
    with context.step("load"):
        # quoted: Prefect does not walk every posting and extraction looking for futures
        loaded = load(
            quote(batch), quote(planned), quote(extractions), context.engine, quote(context), return_state=False
        )
    context.add(
        "load", batches=1, written=loaded.written, marked_seen=loaded.marked_seen, quarantined=loaded.quarantined_new
    )
    get_run_logger().info(
        "%s: batch of %d postings loaded (%d new, %d updated, %d unchanged, %d extracted)",
        tally.source_id,
        len(batch.normalized.postings),
        len(plan.new),
        len(plan.updated),
        len(plan.unchanged),
        len(extractions),
    )


def _reader(engine: Engine) -> refresh_batches.RecordReader:
    def read(raw_ids: Sequence[int]) -> list[tuple[int, RawRecord]]:
        with sessionmaker(engine)() as session:
            return archive.raw_records(raw_ids, session=session)

    return read
