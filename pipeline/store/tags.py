"""Which stored postings need their rule tags made again, and those postings read back as domain records.

A tag is stale when the posting has none, when it was made from other content (``content_hash``), by another
extractor version, or before the education and publication columns existed (``taxonomy_version`` null). Every
function takes the session as a keyword argument and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Posting
from pipeline.store.models import PostingRow, PostingTag
from pipeline.store.upserts import table_of

RULES = "rules"  # the method of the tags the extractor makes
_CHUNK = 10_000


def tagged_version() -> sa.ColumnElement[str | None]:
    """SQL: the extractor version of a posting's rule tag; null when it has none, or when the tag predates the
    education and publication columns (migration 0003) and so must be made again whatever its version."""
    return sa.case((PostingTag.taxonomy_version.is_(None), sa.null()), else_=PostingTag.extractor_version)


def count_postings(*, session: Session) -> int:
    """How many postings the store holds (open, closed and duplicates alike: all of them carry tags)."""
    return int(session.scalar(sa.select(sa.func.count()).select_from(PostingRow)) or 0)


def stale_posting_ids(extractor_version: str, *, everything: bool = False, session: Session) -> list[str]:
    """Ids (sorted) of the stored postings whose rule tag is stale for ``extractor_version``; with
    ``everything``, of every stored posting."""
    stmt = (
        sa.select(PostingRow.id)
        .outerjoin(PostingTag, sa.and_(PostingTag.posting_id == PostingRow.id, PostingTag.method == RULES))
        .order_by(PostingRow.id)
    )
    if not everything:
        stmt = stmt.where(
            sa.or_(
                tagged_version().is_distinct_from(extractor_version),
                PostingTag.content_hash.is_distinct_from(PostingRow.content_hash),
            )
        )
    return list(session.scalars(stmt))


_POSTING_FIELDS = tuple(name for name in Posting.model_fields if name != "raw_hash")


def stored_postings(posting_ids: Sequence[str], *, session: Session) -> tuple[list[Posting], dict[str, str]]:
    """The stored postings of ``posting_ids`` (in id order; unknown ids are left out) as domain records, and
    their stored content hashes (what a tag made from them must record).

    ``raw_hash`` is left empty: the extractor does not read it, and the posting is not stored again."""
    table = table_of(PostingRow)
    postings: list[Posting] = []
    hashes: dict[str, str] = {}
    for start in range(0, len(posting_ids), _CHUNK):
        chunk = list(posting_ids[start : start + _CHUNK])
        stmt = (
            sa.select(*(table.c[name] for name in _POSTING_FIELDS), table.c.content_hash)
            .where(table.c.id.in_(chunk))
            .order_by(table.c.id)
        )
        for row in session.execute(stmt).mappings():
            postings.append(Posting(raw_hash="", **{name: row[name] for name in _POSTING_FIELDS}))
            hashes[row["id"]] = row["content_hash"]
    return postings, hashes
