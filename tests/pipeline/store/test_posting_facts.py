"""Migration 0006: ``posting_facts`` is filled from the existing store, kept exact by triggers on every change of
postings and tags, rebuilt by ``refresh_facts``; the migration goes down and up again on a real database."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store import migrate
from pipeline.store.facts import FACTS_SELECT, refresh_facts

POSTING = (
    "insert into postings (id, source_id, content_hash, title, company, remote, description, posted_on, first_seen_on,"
    " last_seen_on, duplicate_of, salary_annual_min, salary_currency) values (:id, 's', 'h', 'ML Engineer', :company,"
    " :remote, 'PyTorch and Kubernetes', :posted, '2026-11-04', '2026-11-04', :dup, :pay, :currency)"
)
TAG = (
    "insert into posting_tags (posting_id, method, level, role_family, specializations, specialization_scores,"
    " years_min, confidence, evidence, extractor_version, taxonomy_version, content_hash)"
    " values (:id, :method, :level, 'ml_engineer', :specs, '{}', :years, '{}', '{}', 'v', 't', 'h')"
)
COLUMNS = "posting_id, day, week_start, source_id, company, remote, role_family, level, specializations, years_min"


def facts(engine: sa.Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"select {COLUMNS} from posting_facts order by posting_id"))
        return {row[0]: tuple(row[1:]) for row in rows}


def wanted(engine: sa.Engine) -> dict[str, tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"select {COLUMNS} from ({FACTS_SELECT}) f order by posting_id"))
        return {row[0]: tuple(row[1:]) for row in rows}


def execute(engine: sa.Engine, sql: str, **params: Any) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def posting(engine: sa.Engine, pid: str, *, posted: str | None = "2026-11-10", dup: str | None = None) -> None:
    params = {"company": "Acme", "remote": None, "pay": 100000, "currency": "USD"}
    execute(engine, POSTING, id=pid, posted=posted, dup=dup, **params)


def tag(engine: sa.Engine, pid: str, method: str, level: str | None, specs: list[str], years: int | None) -> None:
    execute(engine, TAG, id=pid, method=method, level=level, specs=specs, years=years)


def test_0006_fills_the_facts_of_an_existing_store_and_goes_down_and_up(engine: sa.Engine) -> None:
    migrate.upgrade(engine, "0005")
    execute(engine, "insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')")
    posting(engine, "p1")
    posting(engine, "p2", posted=None)
    posting(engine, "p3", dup="p1")  # a duplicate: never a fact
    tag(engine, "p1", "rules", "senior", ["rag"], 5)
    migrate.upgrade(engine, "0006")
    assert facts(engine) == {
        "p1": (
            date(2026, 11, 10),
            date(2026, 11, 9),
            "s",
            "Acme",
            "unknown",
            "ml_engineer",
            "senior",
            ["rag"],
            5,
        ),
        "p2": (
            date(2026, 11, 4),
            date(2026, 11, 2),
            "s",
            "Acme",
            "unknown",
            "other",
            "unknown",
            [],
            None,
        ),
    }
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("postings")}
    with engine.connect() as conn:
        has_trgm = conn.execute(sa.text("select count(*) from pg_available_extensions where name = 'pg_trgm'")).scalar()
    if has_trgm:
        assert {"ix_postings_title_trgm", "ix_postings_company_trgm", "ix_postings_description_trgm"} <= indexes
    migrate.downgrade(engine, "0005")
    assert not sa.inspect(engine).has_table("posting_facts")
    assert not {i["name"] for i in sa.inspect(engine).get_indexes("postings")} & {"ix_postings_title_trgm"}
    with engine.connect() as conn:
        functions = conn.execute(sa.text("select count(*) from pg_proc where proname like 'posting_facts%'")).scalar()
    assert functions == 0
    tag(engine, "p2", "rules", "i", [], 1)  # no trigger left behind
    migrate.upgrade(engine)
    assert facts(engine) == wanted(engine) and facts(engine)["p2"][6] == "i"


def test_triggers_keep_the_facts_exact_and_refresh_repairs_drift(migrated_engine: sa.Engine) -> None:
    engine = migrated_engine
    execute(engine, "insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')")
    posting(engine, "p1")
    posting(engine, "p2")
    assert facts(engine)["p1"][5:] == ("other", "unknown", [], None)  # no tag yet
    tag(engine, "p1", "rules", "ii", ["rag"], 3)
    assert facts(engine)["p1"][5:] == ("ml_engineer", "ii", ["rag"], 3)
    tag(engine, "p1", "final", "staff", ["agents"], 9)  # the final tag wins
    assert facts(engine)["p1"][5:] == ("ml_engineer", "staff", ["agents"], 9)
    execute(engine, "update posting_tags set level = 'senior' where posting_id = 'p1' and method = 'final'")
    assert facts(engine)["p1"][6] == "senior"
    execute(engine, "delete from posting_tags where posting_id = 'p1' and method = 'final'")
    assert facts(engine)["p1"][5:] == ("ml_engineer", "ii", ["rag"], 3)  # back to the rules tag
    execute(engine, "update postings set company = 'Beta', remote = 'remote', posted_on = '2026-11-20'")
    assert [f[3:5] for f in facts(engine).values()] == [("Beta", "remote")] * 2
    assert facts(engine)["p2"][1].isoformat() == "2026-11-16"  # the week follows the day
    execute(engine, "update postings set duplicate_of = 'p1' where id = 'p2'")
    assert set(facts(engine)) == {"p1"}
    execute(engine, "update postings set duplicate_of = null where id = 'p2'")
    execute(engine, "delete from postings where id = 'p1'")  # the facts go with the posting
    assert set(facts(engine)) == {"p2"}
    assert facts(engine) == wanted(engine)

    with Session(engine) as session, session.begin():
        assert refresh_facts(session=session) == 0  # nothing drifted: nothing written
    with engine.begin() as conn:  # a change the triggers did not see (they are off during a bulk load)
        conn.execute(sa.text("alter table postings disable trigger user"))
        conn.execute(sa.text("update postings set company = 'Gamma'"))
        conn.execute(sa.text("alter table postings enable trigger user"))
    assert facts(engine)["p2"][3] == "Beta"
    with Session(engine) as session, session.begin():
        assert refresh_facts(session=session) == 1
    assert facts(engine) == wanted(engine) and facts(engine)["p2"][3] == "Gamma"
