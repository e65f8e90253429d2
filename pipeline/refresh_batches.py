"""The refresh in bounded batches: a source's listing is archived as it is fetched (only its raw ids are kept), then
read back from the archive a few thousand postings at a time to be normalized, planned, extracted and loaded.

What a run holds at once is one batch of records, postings and extractions, plus the ids of the postings seen so
far (to reject an id repeated in a listing and to close the postings a complete listing no longer shows). Each
batch is loaded in a transaction of its own: a run killed after some batches leaves them stored with their tags,
and the next run finds them unchanged (not extracted again) and loads the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Posting, RawRecord
from pipeline.refresh import ChangePlan, NormalizeResult, normalize_records, plan_changes
from pipeline.sources.base import SourceAdapter, SourceFetchError
from pipeline.store import archive, loads, seen

ARCHIVE_BATCH_RECORDS = 1_000
READ_BATCH_RECORDS = 500

RecordReader = Callable[[Sequence[int]], list[tuple[int, RawRecord]]]


@dataclass
class Listing:
    """What a source's fetch left in the archive: the raw ids of its records in fetch order (an id repeats when a
    payload does), how many payloads were new, and whether the listing is complete."""

    source_id: str
    raw_ids: list[int] = field(default_factory=list)
    raw_new: int = 0
    error: str | None = None
    seconds: float = 0.0
    from_archive: bool = False

    @property
    def complete(self) -> bool:
        """True when a whole new listing was read, so postings missing from it can be closed."""
        return self.error is None and not self.from_archive


def _timed_records(source: SourceAdapter, listing: Listing) -> Iterator[RawRecord]:
    """The source's records; the time spent reading them goes to ``listing.seconds``, a failure to its error."""
    started = time.perf_counter()
    try:
        iterator = iter(source.fetch())
        while True:
            try:
                record = next(iterator)
            except StopIteration:
                return
            listing.seconds += time.perf_counter() - started
            yield record
            started = time.perf_counter()
    except SourceFetchError as exc:
        listing.error = str(exc)
    finally:
        listing.seconds += time.perf_counter() - started


def fetch_batches(
    source: SourceAdapter, listing: Listing, *, batch_size: int = ARCHIVE_BATCH_RECORDS
) -> Iterator[list[RawRecord]]:
    """The source's records, ``batch_size`` at a time, to archive as they arrive. A fetch that fails midway ends
    the batches with what it read and the error in ``listing`` (an incomplete listing)."""
    batch: list[RawRecord] = []
    for record in _timed_records(source, listing):
        batch.append(record)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def archive_batch(batch: Sequence[RawRecord], listing: Listing, *, run_id: int, session: Session) -> None:
    """Keep every payload of the batch once (and the HTTP validators of its URLs); the raw ids join the listing."""
    raw_ids, new = archive.save_raw(batch, run_id=run_id, session=session)
    archive.save_validators(batch, raw_ids=raw_ids, session=session)
    listing.raw_ids.extend(raw_ids[r.content_hash] for r in batch)
    listing.raw_new += new


def log_listing(listing: Listing, *, run_id: int, session: Session) -> None:
    """Record how the fetch went and which raw records made up the listing."""
    archive.log_fetch(
        listing.source_id,
        run_id=run_id,
        error=listing.error,
        raw_ids=listing.raw_ids,
        seconds=listing.seconds,
        session=session,
    )


def archived_listing(source_id: str, *, session: Session) -> Listing:
    """The listing of the latest successful fetch of a source, to process again without fetching."""
    raw_ids = archive.listing_raw_ids(source_id, session=session)
    if raw_ids is None:
        return Listing(source_id, error="no successful fetch archived yet", from_archive=True)
    return Listing(source_id, raw_ids=raw_ids, from_archive=True)


@dataclass
class Batch:
    """Up to a batch's worth of a listing's postings (a record with many postings is never split), its rejects
    and, per raw payload hash, the payload's raw id."""

    normalized: NormalizeResult
    raw_ids: dict[str, int]


def listing_batches(
    adapter: SourceAdapter,
    listing: Listing,
    read: RecordReader,
    *,
    first_seen: dict[str, str],
    batch_postings: int,
    read_batch: int = READ_BATCH_RECORDS,
) -> Iterator[Batch]:
    """Read the listing's records back (``read``: raw ids -> (raw id, record) pairs) and normalize them into
    batches of at least ``batch_postings`` postings (the last one smaller). ``first_seen`` (posting id -> locator)
    carries over batches, so an id repeated anywhere in the listing is rejected."""
    pending = Batch(NormalizeResult(), {})
    step = max(1, min(read_batch, batch_postings))
    for start in range(0, len(listing.raw_ids), step):
        pairs = read(listing.raw_ids[start : start + step])
        result = normalize_records(adapter, [record for _, record in pairs], first_seen=first_seen)
        pending.normalized.postings.extend(result.postings)
        pending.normalized.rejects.extend(result.rejects)
        pending.raw_ids.update((record.content_hash, raw_id) for raw_id, record in pairs)
        if len(pending.normalized.postings) >= batch_postings:
            yield pending
            pending = Batch(NormalizeResult(), {})
    if pending.normalized.postings or pending.normalized.rejects:
        yield pending


@dataclass
class BatchPlan:
    plan: ChangePlan
    content_hashes: dict[str, str]  # posting id -> content hash, computed once per posting


def plan_batch(postings: Sequence[Posting], *, extractor_version: str, session: Session) -> BatchPlan:
    """Compare the postings with the store: which are new, changed or unchanged, and which to extract."""
    hashes = {p.id: p.content_hash for p in postings}
    state = loads.stored_state(list(hashes), session=session)
    return BatchPlan(plan_changes(postings, state, extractor_version, content_hashes=hashes), hashes)


@dataclass(frozen=True)
class BatchLoad:
    quarantined_new: int
    written: int  # postings inserted or updated
    marked_seen: int  # unchanged postings whose last-seen day, open state or raw payload changed


def load_batch(
    batch: Batch,
    planned: BatchPlan,
    extractions: Sequence[Extraction],
    *,
    skill_ids: dict[str, int],
    taxonomy_version: str,
    run_id: int,
    seen_on: date,
    session: Session,
) -> BatchLoad:
    """Quarantine the batch's rejects, upsert its new and changed postings, mark its unchanged ones seen (one
    update), and replace the tags and skills of the extracted ones."""
    quarantined = archive.quarantine(batch.normalized.rejects, run_id=run_id, session=session)
    plan = planned.plan
    changed = [*plan.new, *plan.updated]
    loads.upsert_postings(
        changed, raw_ids=batch.raw_ids, seen_on=seen_on, content_hashes=planned.content_hashes, session=session
    )
    marked = seen.mark_seen(
        [(p.id, batch.raw_ids.get(p.raw_hash)) for p in plan.unchanged], seen_on=seen_on, session=session
    )
    loads.save_extractions(
        extractions,
        content_hashes=planned.content_hashes,
        skill_ids=skill_ids,
        taxonomy_version=taxonomy_version,
        session=session,
    )
    return BatchLoad(quarantined, len(changed), marked)
