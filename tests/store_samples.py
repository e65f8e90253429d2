"""Postings written straight in SQL for the store tests that need many of them."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store import loads

FIRST = date(2026, 11, 2)


def fill(session: Session, count: int) -> None:
    """``count`` open postings of source ``s`` (ids ``s:0``...), first and last seen on FIRST, straight in SQL."""
    loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
    session.execute(
        sa.text(
            "insert into postings (id, source_id, content_hash, title, description, first_seen_on, last_seen_on) "
            "select 's:' || n, 's', md5(n::text), 'AI Engineer', 'Python', :day, :day from generate_series(0, :last) n"
        ),
        {"day": FIRST, "last": count - 1},
    )
