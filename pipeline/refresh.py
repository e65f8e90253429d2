"""The steps of a refresh as plain functions: normalize, plan, extract, dedup, aggregate (fetching, archiving and
loading go a batch at a time: ``pipeline/refresh_batches.py``).

``flows/`` wires these into Prefect tasks; nothing here knows about Prefect.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pipeline.dedup import find_duplicates
from pipeline.domain import Extraction, Posting, RawRecord, Reject
from pipeline.extraction.extractor import Extractor
from pipeline.sources.base import SourceAdapter
from pipeline.store import duplicates, loads
from pipeline.store.cube import refresh_cubes
from pipeline.store.weekly import refresh_weekly

ProgressCallback = Callable[[int, int], None]


@dataclass
class NormalizeResult:
    postings: list[Posting] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def normalize_records(
    source: SourceAdapter, records: Sequence[RawRecord], *, first_seen: dict[str, str] | None = None
) -> NormalizeResult:
    """Parse each record; a record that fails, or repeats an id already seen in this listing, is rejected.

    ``first_seen`` (posting id -> locator, updated here) carries the ids seen in earlier batches of the listing."""
    result = NormalizeResult()
    first_seen = {} if first_seen is None else first_seen
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


@dataclass
class ChangePlan:
    """Which postings are new, changed or unchanged, and which need (re-)extraction."""

    new: list[Posting] = field(default_factory=list)
    updated: list[Posting] = field(default_factory=list)
    unchanged: list[Posting] = field(default_factory=list)
    to_extract: list[Posting] = field(default_factory=list)


def plan_changes(
    postings: Sequence[Posting],
    state: dict[str, loads.StoredState],
    extractor_version: str,
    *,
    content_hashes: dict[str, str] | None = None,
) -> ChangePlan:
    """Compare content hashes with the store: only new, changed or stale-tagged postings are extracted.
    ``content_hashes`` (posting id -> content hash) saves hashing the postings again."""
    plan = ChangePlan()
    for posting in postings:
        stored = state.get(posting.id)
        content_hash = content_hashes[posting.id] if content_hashes is not None else posting.content_hash
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
