"""``recent_descriptions`` on a real PostgreSQL: the window, duplicates left out, newest first, the limit."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Posting
from pipeline.store import loads
from pipeline.store.models import PostingRow
from pipeline.store.recent import recent_descriptions


def posting(pid: str, description: str) -> Posting:
    return Posting(id=pid, source_id="s", raw_hash=f"h-{pid}", title="AI Engineer", description=description)


def test_recent_descriptions(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        loads.upsert_postings([posting("old", "Old: Perl")], raw_ids={}, seen_on=date(2026, 9, 1), session=session)
        loads.upsert_postings(
            [posting("a", "A: Pekko"), posting("dup", "Dup: Pekko")],
            raw_ids={},
            seen_on=date(2026, 11, 20),
            session=session,
        )
        loads.upsert_postings([posting("b", "B: Gremlin")], raw_ids={}, seen_on=date(2026, 11, 25), session=session)
        session.execute(sa.update(PostingRow).where(PostingRow.id == "dup").values(duplicate_of="a"))
    with Session(migrated_engine) as session:
        today = date(2026, 11, 28)
        assert recent_descriptions(session=session, days=30, today=today) == ["B: Gremlin", "A: Pekko"]
        assert recent_descriptions(session=session, days=5, today=today) == ["B: Gremlin"]
        assert recent_descriptions(session=session, days=120, today=today, limit=1) == ["B: Gremlin"]
        assert recent_descriptions(session=session, days=120, today=today)[-1] == "Old: Perl"
