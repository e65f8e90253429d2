"""``pipeline.bench.refresh.age_store``: the store made to look refreshed a week earlier, everything derived from
the postings still exact and their triggers back on afterwards."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.bench.refresh import age_store
from pipeline.store.cube import rebuild_source_counts

POSTING = (
    "insert into postings (id, source_id, content_hash, title, company, description, first_seen_on, last_seen_on)"
    " select 'p' || n, 's', 'h', 'ML Engineer', case when n % 4 = 0 then null else 'Acme ' || (n % 3) end, 'PyTorch',"
    " date '2026-11-02', date '2026-11-20' - (n % 2) from generate_series(1, 20) n"
)


def table(engine: sa.Engine, sql: str) -> set[tuple[Any, ...]]:
    with engine.connect() as conn:
        return {tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in conn.execute(sa.text(sql))}


def test_age_store_moves_the_last_seen_days_back_and_keeps_the_counts_exact(
    migrated_engine: sa.Engine, database_url: str
) -> None:
    engine = migrated_engine
    with engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        conn.execute(sa.text(POSTING))
        conn.execute(sa.text("truncate cube_dirty"))
    facts = table(engine, "select * from posting_facts")
    assert age_store(database_url, days=7) == 20
    assert table(engine, "select distinct last_seen_on from postings") == {(date(2026, 11, 12),), (date(2026, 11, 13),)}
    assert table(engine, "select * from posting_facts") == facts
    assert not table(engine, "select * from cube_dirty")
    counts = "select * from source_company_counts"
    kept = table(engine, counts)
    assert {row[-1] for row in kept} == {date(2026, 11, 13)}
    with Session(engine) as session, session.begin():
        rebuild_source_counts(session=session)
    assert table(engine, counts) == kept
    with engine.begin() as conn:  # the triggers are on again
        conn.execute(sa.text("update postings set company = 'Beta' where id = 'p1'"))
    assert ("Beta",) in table(engine, "select company from posting_facts")
    assert ("s", "Beta") in table(engine, "select source_id, company from source_company_counts")
