from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.store import archive, loads
from pipeline.store.models import PostingRow, QuarantinedRecord, RawPosting


def posting(pid: str, description: str = "Python and SQL", **extra: object) -> Posting:
    return Posting(id=pid, source_id="s", raw_hash=f"h-{pid}", title="AI Engineer", description=description, **extra)  # type: ignore[arg-type]


def xmins(session: Session, table: str) -> dict[str, str]:
    rows = session.execute(sa.text(f"select id::text, xmin::text from {table}"))
    return {pid: xmin for pid, xmin in rows}


def test_upserts_write_only_what_changed(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        run_id = loads.start_run(["s"], flow_run_id=None, session=session)
        loads.upsert_postings([posting("a"), posting("b")], raw_ids={}, seen_on=date(2026, 11, 2), session=session)
    with Session(migrated_engine) as session:
        before = xmins(session, "postings")
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_postings(
            [posting("a"), posting("b", "Python, SQL and Go")],
            raw_ids={},
            seen_on=date(2026, 11, 2),
            session=session,
        )
    with Session(migrated_engine) as session:
        after = xmins(session, "postings")
        assert after["a"] == before["a"]  # identical content, same day: not written
        assert after["b"] != before["b"]  # changed content: written
        assert session.get(PostingRow, "b").description == "Python, SQL and Go"  # type: ignore[union-attr]
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_postings([posting("a")], raw_ids={}, seen_on=date(2026, 11, 9), session=session)
        closed = loads.close_missing("s", seen_ids=["a"], closed_on=date(2026, 11, 9), session=session)
    assert closed == 1
    with Session(migrated_engine) as session:
        a, b = session.get(PostingRow, "a"), session.get(PostingRow, "b")
        assert a is not None and b is not None
        assert (a.first_seen_on, a.last_seen_on, a.closed_on) == (date(2026, 11, 2), date(2026, 11, 9), None)
        assert b.closed_on == date(2026, 11, 9)
    with Session(migrated_engine) as session, session.begin():  # seen again: reopened
        loads.upsert_postings(
            [posting("b", "Python, SQL and Go")], raw_ids={}, seen_on=date(2026, 11, 16), session=session
        )
    with Session(migrated_engine) as session:
        assert session.get(PostingRow, "b").closed_on is None  # type: ignore[union-attr]
    assert run_id > 0


def test_raw_payloads_and_rejects_are_kept_once(migrated_engine: sa.Engine) -> None:
    records = [RawRecord(source_id="s", locator=f"s.jsonl:{i}", payload=f'{{"n": {i}}}') for i in (1, 2)]
    reject = Reject(source_id="s", locator="s.jsonl:3", reason="invalid JSON", payload="{oops")
    for _ in range(2):
        with Session(migrated_engine) as session, session.begin():
            loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
            run_id = loads.start_run(["s"], flow_run_id=None, session=session)
            ids, new = archive.save_raw(records, run_id=run_id, session=session)
            quarantined = archive.quarantine([reject], run_id=run_id, session=session)
        assert set(ids) == {r.content_hash for r in records}
    assert (new, quarantined) == (0, 0)  # second time round nothing is new
    with Session(migrated_engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(RawPosting)) == 2
        stored = session.scalars(sa.select(QuarantinedRecord)).one()
        assert (stored.locator, stored.reason, stored.payload) == ("s.jsonl:3", "invalid JSON", "{oops")
