"""Read the open postings as dedup candidates and write ``duplicate_of`` links, touching only changed rows."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.dedup import DedupCandidate
from pipeline.store.models import PostingRow


def dedup_candidates(*, session: Session) -> list[DedupCandidate]:
    """Every open posting, with what the duplicate rules compare."""
    rows = session.execute(
        sa.select(
            PostingRow.id,
            PostingRow.source_id,
            PostingRow.canonical_url,
            PostingRow.company,
            PostingRow.title,
            PostingRow.location,
            PostingRow.description,
            PostingRow.first_seen_on,
        ).where(PostingRow.closed_on.is_(None))
    )
    return [
        DedupCandidate(
            id=r.id,
            source_id=r.source_id,
            canonical_url=r.canonical_url,
            company=r.company,
            title=r.title,
            location=r.location,
            description=r.description,
            first_seen=r.first_seen_on,
        )
        for r in rows
    ]


def set_duplicates(links: dict[str, str], *, session: Session) -> int:
    """Make ``duplicate_of`` equal ``links`` (posting id -> canonical id) for all postings; returns rows changed."""
    cleared = session.execute(
        sa.update(PostingRow)
        .where(PostingRow.duplicate_of.is_not(None), PostingRow.id.not_in(list(links)) if links else sa.true())
        .values(duplicate_of=None)
    )
    changed = int(getattr(cleared, "rowcount", 0) or 0)
    for posting_id, canonical in links.items():
        result = session.execute(
            sa.update(PostingRow)
            .where(PostingRow.id == posting_id, PostingRow.duplicate_of.is_distinct_from(canonical))
            .values(duplicate_of=canonical)
        )
        changed += int(getattr(result, "rowcount", 0) or 0)
    return changed


def canonical_ids(posting_ids: Sequence[str], *, session: Session) -> list[str]:
    """Those of ``posting_ids`` that are stored and duplicate no other posting, in the given order."""
    keep: set[str] = set()
    for start in range(0, len(posting_ids), 10_000):
        chunk = list(posting_ids[start : start + 10_000])
        keep.update(
            session.scalars(sa.select(PostingRow.id).where(PostingRow.id.in_(chunk), PostingRow.duplicate_of.is_(None)))
        )
    return [posting_id for posting_id in posting_ids if posting_id in keep]
