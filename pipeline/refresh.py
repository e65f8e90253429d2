"""The steps of a refresh as plain functions: fetch, normalize, plan, extract, load, aggregate.

``flows/`` wires these into Prefect tasks; nothing here knows about Prefect.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from pipeline.dedup import find_duplicates
from pipeline.domain import Extraction, Posting, RawRecord, Reject
from pipeline.extraction.extractor import Extractor
from pipeline.sources.base import SourceAdapter, SourceFetchError
from pipeline.store import archive, duplicates, loads
from pipeline.store.cube import refresh_cubes
from pipeline.store.weekly import refresh_weekly

ProgressCallback = Callable[[int, int], None]


@dataclass
class FetchResult:
    source_id: str
    records: list[RawRecord]
    error: str | None = None
    seconds: float = 0.0
    from_archive: bool = False

    @property
    def complete(self) -> bool:
        """True when a whole new listing was read, so postings missing from it can be closed."""
        return self.error is None and not self.from_archive


def fetch_source(source: SourceAdapter) -> FetchResult:
    """Read every raw record of a source; a source that cannot be read yields an error, not an exception.

    Records fetched before the failure are kept (archived) but the listing counts as incomplete.
    """
    started = time.perf_counter()
    records: list[RawRecord] = []
    try:
        records.extend(source.fetch())
    except SourceFetchError as exc:
        return FetchResult(source.source_id, records, error=str(exc), seconds=time.perf_counter() - started)
    return FetchResult(source.source_id, records, seconds=time.perf_counter() - started)


@dataclass
class NormalizeResult:
    postings: list[Posting] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def normalize_records(source: SourceAdapter, records: Sequence[RawRecord]) -> NormalizeResult:
    """Parse each record; a record that fails, or repeats an id already seen in this listing, is rejected."""
    result = NormalizeResult()
    first_seen: dict[str, str] = {}
    for record in records:
        for parsed in source.parse(record):
            if isinstance(parsed, Reject):
                result.rejects.append(parsed)
            elif parsed.id in first_seen:
                result.rejects.append(
                    Reject(
                        source_id=record.source_id,
                        locator=record.locator,
                        payload=record.payload,
                        reason=f"duplicate posting id {parsed.id!r} (first at {first_seen[parsed.id]})",
                    )
                )
            else:
                first_seen[parsed.id] = record.locator
                result.postings.append(parsed)
    return result


def unhealthy_reason(fetched: FetchResult, normalized: NormalizeResult) -> str | None:
    """Why a source that answered should count as failed: it answered garbage (only rejects, no posting)."""
    if fetched.error or not normalized.rejects or normalized.postings:
        return None
    return f"answered no postings, only rejects: {normalized.rejects[0].reason}"


@dataclass
class ChangePlan:
    """Which postings are new, changed or unchanged, and which need (re-)extraction."""

    new: list[Posting] = field(default_factory=list)
    updated: list[Posting] = field(default_factory=list)
    unchanged: list[Posting] = field(default_factory=list)
    to_extract: list[Posting] = field(default_factory=list)


def plan_changes(
    postings: Sequence[Posting], state: dict[str, loads.StoredState], extractor_version: str
) -> ChangePlan:
    """Compare content hashes with the store: only new, changed or stale-tagged postings are extracted."""
    plan = ChangePlan()
    for posting in postings:
        stored = state.get(posting.id)
        content_hash = posting.content_hash
        if stored is None:
            plan.new.append(posting)
        elif stored.content_hash != content_hash:
            plan.updated.append(posting)
        else:
            plan.unchanged.append(posting)
        if stored is None or stored.tagged_hash != content_hash or stored.tagged_version != extractor_version:
            plan.to_extract.append(posting)
    return plan


def extract_postings(
    extractor: Extractor, postings: Sequence[Posting], *, on_progress: ProgressCallback | None = None
) -> list[Extraction]:
    """Run the extractor over postings, reporting progress every 50 postings and at the end."""
    out: list[Extraction] = []
    total = len(postings)
    for extraction in extractor.extract_many(postings):
        out.append(extraction)
        if on_progress and (len(out) % 50 == 0 or len(out) == total):
            on_progress(len(out), total)
    return out


def store_raw(
    source: SourceAdapter,
    fetched: FetchResult,
    *,
    run_id: int,
    config: dict[str, Any],
    session: Session,
    log_fetch: bool = True,
) -> tuple[dict[str, int], int]:
    """Register the source, keep every fetched payload, remember HTTP validators and log the fetch.

    Returns payload hash -> raw id, and how many payloads are new.
    """
    loads.upsert_sources([(source.source_id, source.kind, source.name, config)], session=session)
    raw_ids, new = archive.save_raw(fetched.records, run_id=run_id, session=session)
    archive.save_validators(fetched.records, raw_ids=raw_ids, session=session)
    if not log_fetch:
        return raw_ids, new
    archive.log_fetch(
        source.source_id,
        run_id=run_id,
        error=fetched.error,
        raw_ids=[raw_ids[r.content_hash] for r in fetched.records],
        seconds=fetched.seconds,
        session=session,
    )
    return raw_ids, new


@dataclass
class LoadCounts:
    quarantined_new: int = 0
    closed: int = 0


def load_source(
    fetched: FetchResult,
    normalized: NormalizeResult,
    *,
    raw_ids: dict[str, int],
    run_id: int,
    seen_on: date,
    session: Session,
) -> LoadCounts:
    """Quarantine rejects, upsert postings and close the ones gone from a complete listing."""
    counts = LoadCounts()
    counts.quarantined_new = archive.quarantine(normalized.rejects, run_id=run_id, session=session)
    loads.upsert_postings(normalized.postings, raw_ids=raw_ids, seen_on=seen_on, session=session)
    if fetched.complete:
        counts.closed = loads.close_missing(
            fetched.source_id,
            seen_ids=[p.id for p in normalized.postings],
            closed_on=seen_on,
            session=session,
        )
    return counts


def load_extractions(
    extractor: Extractor, extractions: Sequence[Extraction], postings: Sequence[Posting], *, session: Session
) -> None:
    """Load the taxonomy and the extractions of the given postings."""
    skill_ids = loads.upsert_skills(extractor.taxonomy, session=session)
    hashes = {p.id: p.content_hash for p in postings}
    loads.save_extractions(
        extractions,
        content_hashes=hashes,
        skill_ids=skill_ids,
        taxonomy_version=extractor.taxonomy.version,
        session=session,
    )


@dataclass(frozen=True)
class DedupCounts:
    open_postings: int
    unique_postings: int
    changed: int
    skipped: bool = False  # the open postings were those the last pass read: its links stand


def mark_duplicates(*, session: Session) -> DedupCounts:
    """Link every open posting that repeats another (same URL, same company/title/location, or a near-identical
    description) to the canonical one; only links that changed are written. When the open postings are exactly those
    the last pass read (same ids, content and first-seen days, same dedup rules), its links stand and nothing is
    compared again."""
    fingerprint = duplicates.open_fingerprint(session=session)
    if duplicates.last_fingerprint(session=session) == fingerprint:
        open_postings, unique = duplicates.open_counts(session=session)
        return DedupCounts(open_postings=open_postings, unique_postings=unique, changed=0, skipped=True)
    candidates = duplicates.dedup_candidates(session=session)
    links = {link.id: link.duplicate_of for link in find_duplicates(candidates)}
    changed = duplicates.set_duplicates(links, session=session)
    duplicates.save_fingerprint(fingerprint, session=session)
    return DedupCounts(open_postings=len(candidates), unique_postings=len(candidates) - len(links), changed=changed)


def aggregate(*, session: Session) -> dict[str, int]:
    """Bring the market cubes up to date with the postings changed since the last run (``cube_dirty``, filled by
    triggers) and recompute the weekly aggregates of the weeks those postings were or are in; rows written or
    deleted per weekly table, and the postings whose counted values changed (``market_cubes``). Incremental: an
    unchanged rerun finds nothing dirty and reads nothing else. The posting facts are kept exact by triggers
    (``pipeline.store.facts.refresh_facts`` stays for bulk loads and repairs)."""
    refreshed = refresh_cubes(session=session)
    return {**refresh_weekly(session=session, weeks=refreshed.weeks), "market_cubes": refreshed.changed}
