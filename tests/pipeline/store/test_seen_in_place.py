"""Migration 0010: marking postings seen on a later day is a HOT update (a new version on the row's page, no
index entry written), week after week, however many rows of a page one transaction updates; a store upgraded from
0009 gets there after one later-day rerun; the migration goes down to 0009's index and storage exactly."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store import migrate, seen

POSTINGS = 3_000
FIRST = date(2026, 11, 2)
POSTING = (
    "insert into postings (id, source_id, raw_posting_id, content_hash, title, company, description, first_seen_on,"
    " last_seen_on) select 's:' || n, 's', null, md5(n::text), 'AI Engineer ' || n, 'Acme ' || (n % 40),"
    " repeat('Python, PyTorch and retrieval-augmented generation. ', 8) || n, :day, :day"
    " from generate_series(1, :count) n"
)
INDEX = (
    "select indexdef from pg_indexes where indexname = 'ix_postings_source_company'",
    "select coalesce(array_to_string(reloptions, ','), '') from pg_class where relname = 'postings'",
)


def fill(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        conn.execute(sa.text(POSTING), {"day": FIRST, "count": POSTINGS})


def mark_all_seen(engine: sa.Engine, day: date) -> tuple[int, int]:
    """Every posting marked seen on ``day`` in one transaction (as a batch of a refresh is); returns the rows
    updated and how many of the updates were HOT (this transaction's statistics)."""
    with Session(engine) as session, session.begin():
        ids = list(session.scalars(sa.text("select id from postings")))
        before = counters(session)
        written = seen.mark_seen([(pid, None) for pid in ids], seen_on=day, session=session)
        after = counters(session)
    updated, hot = after[0] - before[0], after[1] - before[1]
    assert written == updated
    return updated, hot


def counters(session: Session) -> tuple[int, int]:
    """The updates of ``postings`` and the HOT ones that this backend counted and has not yet reported (its
    earlier transactions' included)."""
    row = session.execute(
        sa.text("select n_tup_upd, n_tup_hot_upd from pg_stat_xact_user_tables where relname = 'postings'")
    ).one()
    return int(row[0]), int(row[1])


def definitions(engine: sa.Engine) -> tuple[str, ...]:
    with engine.connect() as conn:
        return tuple(str(conn.execute(sa.text(sql)).scalar_one()) for sql in INDEX)


def test_marking_seen_on_later_days_is_hot_week_after_week(migrated_engine: sa.Engine) -> None:
    fill(migrated_engine)
    for week in (1, 2, 3):  # the second and third find the dead versions of the week before and prune them
        assert mark_all_seen(migrated_engine, FIRST + timedelta(weeks=week)) == (POSTINGS, POSTINGS), week
    assert mark_all_seen(migrated_engine, FIRST + timedelta(weeks=3)) == (0, 0)  # the same day again: no write
    with migrated_engine.connect() as conn:
        days = conn.execute(sa.text("select first_seen_on, last_seen_on, count(*) from postings group by 1, 2"))
        assert days.all() == [(FIRST, FIRST + timedelta(weeks=3), POSTINGS)]


def test_a_store_upgraded_from_0009_marks_seen_in_place_after_one_rerun(engine: sa.Engine) -> None:
    migrate.upgrade(engine, "0009")
    before = definitions(engine)
    assert "last_seen_on" in before[0] and before[1] == ""
    fill(engine)  # full pages: no room for a new version beside the rows
    migrate.upgrade(engine, "0010")
    assert definitions(engine) == (before[0].replace(", last_seen_on", ""), "fillfactor=50")
    updated, hot = mark_all_seen(engine, FIRST + timedelta(weeks=1))
    assert updated == POSTINGS and hot < POSTINGS / 10  # moved to pages filled to half...
    assert mark_all_seen(engine, FIRST + timedelta(weeks=2)) == (POSTINGS, POSTINGS)  # ...and HOT from then on
    migrate.downgrade(engine, "0009")
    assert definitions(engine) == before
    assert mark_all_seen(engine, FIRST + timedelta(weeks=3)) == (POSTINGS, 0)  # last_seen_on is indexed again
