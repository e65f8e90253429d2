"""Read the open postings as dedup candidates and write ``duplicate_of`` links, touching only changed rows; and the
fingerprint of the open postings a pass read (``dedup_state``), so that a pass over unchanged input is skipped."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Session

from pipeline.dedup import DedupCandidate
from pipeline.dedup.model import RULES_VERSION
from pipeline.store.models import DedupState, PostingRow


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


_SET_LINKS = sa.text(
    """
    update postings p set duplicate_of = s.canonical
    from unnest(:ids, :canonicals) as s (id, canonical)
    where p.id = s.id and p.duplicate_of is distinct from s.canonical
    """
).bindparams(sa.bindparam("ids", type_=ARRAY(sa.String())), sa.bindparam("canonicals", type_=ARRAY(sa.String())))
_CLEAR_OTHERS = sa.text(
    "update postings set duplicate_of = null where duplicate_of is not null and not (id = any(:ids))"
).bindparams(sa.bindparam("ids", type_=ARRAY(sa.String())))


def set_duplicates(links: dict[str, str], *, session: Session) -> int:
    """Make ``duplicate_of`` equal ``links`` (posting id -> canonical id) for all postings; returns rows changed.

    Two statements whatever the number of links (the ids travel as array parameters, not one bind parameter
    each: PostgreSQL takes 65,535 per statement); a row already so is not written."""
    ids = list(links)
    cleared = session.execute(_CLEAR_OTHERS, {"ids": ids})
    linked = session.execute(_SET_LINKS, {"ids": ids, "canonicals": [links[posting_id] for posting_id in ids]})
    return int(getattr(cleared, "rowcount", 0) or 0) + int(getattr(linked, "rowcount", 0) or 0)


def canonical_ids(posting_ids: Sequence[str], *, session: Session) -> list[str]:
    """Those of ``posting_ids`` that are stored and duplicate no other posting, in the given order."""
    keep: set[str] = set()
    for start in range(0, len(posting_ids), 10_000):
        chunk = list(posting_ids[start : start + 10_000])
        keep.update(
            session.scalars(sa.select(PostingRow.id).where(PostingRow.id.in_(chunk), PostingRow.duplicate_of.is_(None)))
        )
    return [posting_id for posting_id in posting_ids if posting_id in keep]


def open_fingerprint(*, session: Session) -> str:
    """What the dedup rules read, in a few bytes: the dedup rules' version, how many postings are open, and an
    order-free sum of 60-bit hashes of each open posting's id, content hash (every field the rules compare) and
    first-seen day (which decides the canonical posting of a group)."""
    count, total = session.execute(
        sa.text("""
        select count(*), coalesce(sum(('x' || substr(md5(id || ':' || content_hash || ':' || first_seen_on::text),
                                                     1, 15))::bit(60)::bigint), 0)
        from postings where closed_on is null
    """)
    ).one()
    return f"rules {RULES_VERSION}; {count} open; {total}"


def last_fingerprint(*, session: Session) -> str | None:
    """The fingerprint the last completed dedup pass read, if any."""
    return session.scalar(sa.select(DedupState.fingerprint).where(DedupState.id == 1))


def save_fingerprint(fingerprint: str, *, session: Session) -> None:
    """Remember the input of a completed pass (in the pass's transaction: a pass rolled back leaves the old one)."""
    stmt = insert(DedupState).values(id=1, fingerprint=fingerprint)
    changed = {"fingerprint": fingerprint, "computed_at": sa.func.now()}
    session.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=changed))


def open_counts(*, session: Session) -> tuple[int, int]:
    """Open postings, and how many of them duplicate no other (as the last pass linked them)."""
    open_postings, unique = session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(PostingRow.duplicate_of.is_(None))).where(
            PostingRow.closed_on.is_(None)
        )
    ).one()
    return int(open_postings), int(unique)
