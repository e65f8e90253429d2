"""Recently seen postings, for analyses that read their descriptions (``jobatlas taxonomy suggest``)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store.models import PostingRow


def recent_descriptions(
    *, session: Session, days: int, today: date | None = None, limit: int | None = None
) -> list[str]:
    """Descriptions of the postings last seen within ``days`` days up to ``today``, newest first; duplicates of
    another posting are left out (their canonical posting counts once)."""
    since = (today or date.today()) - timedelta(days=days)
    query = (
        sa.select(PostingRow.description)
        .where(PostingRow.last_seen_on >= since, PostingRow.duplicate_of.is_(None))
        .order_by(PostingRow.last_seen_on.desc(), PostingRow.id)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))
