from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Label, Posting, RawRecord, Reject
from pipeline.store import archive, loads, seen
from pipeline.store.models import PostingRow, PostingTag, QuarantinedRecord, RawPosting


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
        closed = seen.close_missing("s", seen_ids=["a"], closed_on=date(2026, 11, 9), session=session)
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


def extraction(pid: str, **extra: object) -> Extraction:
    fields: dict[str, object] = {
        "posting_id": pid,
        "extractor_version": "rules-9.9.9+taxonomy-t1",
        "skills": (),
        "level": Label(value="senior", confidence=0.9, evidence="title: Senior"),
        "track": Label(value="ic", confidence=0.8, evidence="AI Engineer"),
        "role_family": Label(value="ai_researcher", confidence=0.6, evidence="title"),
        "specializations": {},
        "years_min": 5,
    }
    return Extraction(**{**fields, **extra})  # type: ignore[arg-type]


def test_tags_store_education_publications_and_versions_in_their_own_columns(migrated_engine: sa.Engine) -> None:
    research = extraction(
        "a",
        education=Label(value="phd", confidence=0.8, evidence="PhD in machine learning required"),
        education_requirement="required",
        publications=Label(value="preferred", confidence=0.7, evidence="papers at NeurIPS or ICML"),
        publication_venues=("NeurIPS", "ICML"),
    )
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        loads.upsert_postings([posting("a"), posting("b")], raw_ids={}, seen_on=date(2026, 11, 2), session=session)
        hashes = {"a": posting("a").content_hash, "b": posting("b").content_hash}
        loads.save_extractions(
            [research, extraction("b")], content_hashes=hashes, skill_ids={}, taxonomy_version="t1", session=session
        )
    with Session(migrated_engine) as session:
        a, b = session.get(PostingTag, ("a", "rules")), session.get(PostingTag, ("b", "rules"))
        assert a is not None and b is not None
        assert (a.education_min, a.education_requirement, a.publications_required, a.publication_venues) == (
            "phd",
            "required",
            "preferred",
            ["NeurIPS", "ICML"],
        )
        assert (a.extractor_version, a.taxonomy_version, a.content_hash) == (
            "rules-9.9.9+taxonomy-t1",
            "t1",
            hashes["a"],
        )
        assert a.confidence["education"] == 0.8 and a.evidence["publications"] == "papers at NeurIPS or ICML"
        assert (b.education_min, b.education_requirement, b.publications_required, b.publication_venues) == (
            None,
            None,
            None,
            [],
        )
        before = {pid: x for pid, x in session.execute(sa.text("select posting_id, xmin::text from posting_tags"))}
        state = loads.stored_state(["a", "b"], session=session)
    assert state["a"] == loads.StoredState(hashes["a"], hashes["a"], "rules-9.9.9+taxonomy-t1")
    with Session(migrated_engine) as session, session.begin():  # the same extractions again: no tag row written
        loads.save_extractions(
            [research, extraction("b")], content_hashes=hashes, skill_ids={}, taxonomy_version="t1", session=session
        )
    with Session(migrated_engine) as session:
        after = {pid: x for pid, x in session.execute(sa.text("select posting_id, xmin::text from posting_tags"))}
        assert after == before
        with pytest.raises(sa.exc.IntegrityError):  # the requirement columns take only required / preferred
            session.execute(sa.text("update posting_tags set education_requirement = 'maybe'"))
