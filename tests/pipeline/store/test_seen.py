"""Marking unchanged postings seen and closing the ones a listing no longer shows, with more ids than PostgreSQL
takes bind parameters in one statement (65,535); reading archived records back in order."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import RawRecord
from pipeline.store import archive, loads, seen
from tests.store_samples import FIRST, fill

MANY = 75_000  # more than 65,535
LATER = date(2026, 11, 9)


def xmins(session: Session) -> dict[str, str]:
    return {str(pid): str(xmin) for pid, xmin in session.execute(sa.text("select id, xmin::text from postings"))}


def test_close_missing_takes_more_ids_than_bind_parameters(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        fill(session, MANY)
    still_listed = [f"s:{n}" for n in range(MANY) if n % 25]  # 72,000 ids; every 25th posting is gone
    with Session(migrated_engine) as session, session.begin():
        closed = seen.close_missing("s", seen_ids=still_listed, closed_on=LATER, session=session)
    assert closed == MANY // 25
    with Session(migrated_engine) as session:
        gone = session.scalars(sa.text("select id from postings where closed_on = :day"), {"day": LATER}).all()
        assert sorted(gone) == sorted(f"s:{n}" for n in range(0, MANY, 25))
        assert session.scalar(sa.text("select count(*) from postings where closed_on is null")) == len(still_listed)
    with Session(migrated_engine) as session, session.begin():  # again: nothing left to close
        assert seen.close_missing("s", seen_ids=still_listed, closed_on=LATER, session=session) == 0


def test_mark_seen_writes_only_rows_that_differ_and_reopens(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        fill(session, MANY)
        session.execute(sa.text("update postings set closed_on = :day where id = 's:7'"), {"day": FIRST})
    every = [(f"s:{n}", None) for n in range(MANY)]
    with Session(migrated_engine) as session, session.begin():
        assert seen.mark_seen(every, seen_on=FIRST, session=session) == 1  # only the closed one: reopened
    with Session(migrated_engine) as session:
        versions = xmins(session)
    with Session(migrated_engine) as session, session.begin():
        assert seen.mark_seen(every, seen_on=FIRST, session=session) == 0
    with Session(migrated_engine) as session:
        assert xmins(session) == versions
    with Session(migrated_engine) as session, session.begin():
        assert seen.mark_seen(every[:10], seen_on=LATER, session=session) == 10  # a later week: last seen moves
    with Session(migrated_engine) as session:
        rows = session.execute(sa.text("select first_seen_on, last_seen_on, closed_on from postings where id = 's:7'"))
        assert rows.one() == (FIRST, LATER, None)
        assert session.scalar(sa.text("select count(*) from postings where last_seen_on = :d"), {"d": LATER}) == 10


def test_raw_records_come_back_in_the_order_asked(migrated_engine: sa.Engine) -> None:
    records = [RawRecord(source_id="s", locator=f"s.jsonl:{i}", payload=f'{{"n": {i}}}') for i in range(5)]
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        run_id = loads.start_run(["s"], flow_run_id=None, session=session)
        ids, _ = archive.save_raw(records, run_id=run_id, session=session)
        archive.log_fetch(
            "s", run_id=run_id, error=None, raw_ids=[ids[r.content_hash] for r in records], seconds=0.1, session=session
        )
    order = [ids[records[i].content_hash] for i in (3, 0, 3, 4)]
    with Session(migrated_engine) as session:
        back = archive.raw_records([*order, 999_999], session=session)  # an unknown id is left out
        assert [raw_id for raw_id, _ in back] == order
        assert [record.payload for _, record in back] == [records[i].payload for i in (3, 0, 3, 4)]
        assert archive.archived_records("s", session=session) == [
            r.model_copy(update={"fetched_at": got.fetched_at})
            for r, got in zip(records, archive.archived_records("s", session=session) or [], strict=True)
        ]
