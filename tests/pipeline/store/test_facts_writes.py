"""Migration 0009: the facts triggers write only what changed. Moving ``last_seen_on`` (a weekly rerun) or any
other column the facts are not made of writes no ``posting_facts`` row and marks nothing in ``cube_dirty``; a
change of a fact column still rewrites (and marks) exactly the postings it changed; the facts stay equal to
``FACTS_SELECT`` through a mix of changes; the migration goes down to 0006's definitions and up again."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from pipeline.store import migrate
from pipeline.store.facts import FACT_VALUES, FACTS_SELECT

POSTINGS = 60
POSTING = (
    "insert into postings (id, source_id, content_hash, title, company, location, remote, description, posted_on,"
    " first_seen_on, last_seen_on, salary_annual_min, salary_currency)"
    " select 'p' || n, 's', 'h', 'ML Engineer', 'Acme ' || (n % 7), 'Berlin', case when n % 3 = 0 then 'remote' end,"
    " 'PyTorch', case when n % 2 = 0 then date '2026-11-10' end, date '2026-11-04', date '2026-11-04',"
    " 90000 + n, 'EUR' from generate_series(1, :count) n"
)
TAG = (
    "insert into posting_tags (posting_id, method, level, role_family, specializations, specialization_scores,"
    " years_min, confidence, evidence, extractor_version, taxonomy_version, content_hash)"
    " select 'p' || n, 'rules', 'senior', 'ml_engineer', '{rag}', '{}', n % 10, '{}', '{}', 'v', 't', 'h'"
    " from generate_series(1, :count) n"
)
FACT_COLUMNS = ", ".join(("posting_id", *FACT_VALUES))


def execute(engine: sa.Engine, *statements: str, **params: Any) -> None:
    """The statements in one transaction (one UPDATE statement fires each statement trigger once)."""
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(sa.text(sql), params)


def fill(engine: sa.Engine) -> None:
    execute(
        engine,
        "insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')",
        POSTING,
        TAG,
        "truncate cube_dirty",
        count=POSTINGS,
    )


def written_by(engine: sa.Engine) -> dict[str, str]:
    """The transaction that last wrote each facts row (``xmin``): an unchanged value means the row was not
    written."""
    with engine.connect() as conn:
        return {
            str(pid): str(x) for pid, x in conn.execute(sa.text("select posting_id, xmin::text from posting_facts"))
        }


def dirty(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(sa.text("select posting_id from cube_dirty")))


def as_rows(engine: sa.Engine, sql: str) -> set[tuple[Any, ...]]:
    with engine.connect() as conn:
        return {
            tuple(tuple(v) if isinstance(v, list) else v for v in row)
            for row in conn.execute(sa.text(f"select {FACT_COLUMNS} from ({sql}) f"))
        }


def assert_facts_exact(engine: sa.Engine) -> None:
    assert as_rows(engine, "select * from posting_facts") == as_rows(engine, FACTS_SELECT)


def test_moving_last_seen_and_other_columns_writes_no_facts_and_marks_nothing(migrated_engine: sa.Engine) -> None:
    engine = migrated_engine
    fill(engine)
    assert len(written_by(engine)) == POSTINGS and not dirty(engine)
    before = written_by(engine)
    execute(
        engine,
        "update postings set last_seen_on = last_seen_on + 7, updated_at = now()",  # a weekly rerun: mark_seen
        "update postings set closed_on = date '2026-11-20' where id in ('p1', 'p2')",
        "update postings set closed_on = null, title = 'Senior ML Engineer', description = 'JAX', content_hash = 'i'",
    )
    assert written_by(engine) == before
    assert not dirty(engine)
    assert_facts_exact(engine)


def test_a_fact_column_change_rewrites_and_marks_only_the_postings_it_changed(migrated_engine: sa.Engine) -> None:
    engine = migrated_engine
    fill(engine)
    before = written_by(engine)
    changes = {
        "p1": "company = 'Beta'",
        "p2": "location = 'Paris'",
        "p3": "remote = 'hybrid'",
        "p4": "posted_on = date '2026-11-25'",
        "p5": "first_seen_on = date '2026-10-01'",  # no posted_on: the day is the first-seen day
        "p6": "salary_annual_min = 1",
        "p7": "salary_annual_max = 2",
        "p8": "salary_currency = 'USD'",
    }
    # one statement moving every posting's last-seen day and changing a fact column of a few (as a load would)
    cases = " ".join(f"when '{pid}' then ' 1'" for pid in changes)
    execute(
        engine, f"update postings set last_seen_on = last_seen_on + 7, company = company || case id {cases} else '' end"
    )
    assert dirty(engine) == set(changes)
    execute(engine, "truncate cube_dirty")
    for pid, change in changes.items():
        execute(engine, f"update postings set {change}, last_seen_on = last_seen_on + 1 where id = '{pid}'")
    after = written_by(engine)
    assert {pid for pid in before if after[pid] != before[pid]} == set(changes)
    assert dirty(engine) == set(changes)
    assert_facts_exact(engine)
    with engine.connect() as conn:
        day = conn.execute(sa.text("select day, week_start from posting_facts where posting_id = 'p5'")).one()
    assert [d.isoformat() for d in day] == ["2026-10-01", "2026-09-28"]


def test_duplicates_and_tags_keep_the_facts_exact(migrated_engine: sa.Engine) -> None:
    engine = migrated_engine
    fill(engine)
    execute(engine, "truncate cube_dirty")
    execute(engine, "update postings set duplicate_of = 'p1', last_seen_on = last_seen_on + 7 where id in ('p2', 'p3')")
    assert "p2" not in written_by(engine) and "p3" not in written_by(engine)
    assert dirty(engine) == {"p2", "p3"}
    assert_facts_exact(engine)
    before = written_by(engine)
    execute(engine, "update postings set duplicate_of = null where id = 'p2'")  # no longer a duplicate
    assert set(written_by(engine)) - set(before) == {"p2"}
    # a posting whose id changes (not a duplicate: its facts would hold the old id) gets facts under the new one
    execute(
        engine,
        "delete from posting_tags where posting_id = 'p3'",
        "update postings set id = 'p3b', duplicate_of = null where id = 'p3'",
    )
    assert "p3b" in written_by(engine)
    assert_facts_exact(engine)
    before = written_by(engine)
    execute(engine, "update posting_tags set confidence = '{\"level\": 0.5}' where posting_id = 'p4'")  # not a fact
    execute(engine, "update posting_tags set extractor_version = 'v2'")  # every tag rewritten, no label changed
    assert written_by(engine) == before
    execute(engine, "update posting_tags set level = 'staff' where posting_id = 'p5'")
    execute(
        engine,
        "insert into posting_tags (posting_id, method, level, role_family, specializations, specialization_scores,"
        " confidence, evidence, extractor_version, taxonomy_version, content_hash)"
        " values ('p6', 'final', 'lead', 'research', '{agents}', '{}', '{}', '{}', 'v', 't', 'h')",
    )
    after = written_by(engine)
    assert {pid for pid in before if after[pid] != before[pid]} == {"p5", "p6"}
    assert_facts_exact(engine)
    execute(engine, "delete from posting_tags where posting_id = 'p6' and method = 'final'")
    execute(engine, "delete from postings where id = 'p7'")
    assert_facts_exact(engine)


def definitions(engine: sa.Engine) -> tuple[str, str]:
    """The facts function's body and the postings UPDATE trigger's definition."""
    with engine.connect() as conn:
        body = conn.execute(sa.text("select prosrc from pg_proc where proname = 'posting_facts_refresh'")).scalar_one()
        trigger = conn.execute(
            sa.text("select pg_get_triggerdef(oid) from pg_trigger where tgname = 'posting_facts_postings_update'")
        ).scalar_one()
    return str(body), str(trigger)


def test_0009_goes_down_to_the_0006_definitions_and_up_again(engine: sa.Engine) -> None:
    migrate.upgrade(engine, "0008")
    old = definitions(engine)
    fill(engine)
    migrate.upgrade(engine, "0009")
    assert definitions(engine) != old
    before = written_by(engine)
    execute(engine, "update postings set last_seen_on = last_seen_on + 7")
    assert written_by(engine) == before and not dirty(engine)
    migrate.downgrade(engine, "0008")
    assert definitions(engine) == old
    with engine.connect() as conn:
        functions = conn.execute(sa.text("select count(*) from pg_proc where proname like 'posting_facts_from%'"))
        assert functions.scalar_one() == 2  # 0006's two trigger functions, the 0009 one is gone
    execute(engine, "update postings set last_seen_on = last_seen_on + 7")  # 0006: every posting rewritten
    assert not set(written_by(engine).items()) & set(before.items()) and len(dirty(engine)) == POSTINGS
    migrate.upgrade(engine, "0009")
    assert migrate.current_revision(engine) == "0009"
    execute(engine, "truncate cube_dirty")
    before = written_by(engine)
    execute(engine, "update postings set last_seen_on = last_seen_on + 7, company = 'Gamma' where id = 'p9'")
    after = written_by(engine)
    assert {pid for pid in before if after[pid] != before[pid]} == {"p9"} and dirty(engine) == {"p9"}
    assert_facts_exact(engine)
