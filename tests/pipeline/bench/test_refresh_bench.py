"""``pipeline.bench.refresh.run_refresh_bench`` with a stand-in for the flow: the days it refreshes on (the first
two runs on the first day, the last two a week later) and the updates of ``postings`` it counts, HOT or not."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.bench.refresh import LATER_DAYS, SAMPLE, run_refresh_bench
from pipeline.store.database import create_store_engine
from pipeline.store.seen import mark_seen
from pipeline.summary import RunSummary

FIRST = date(2026, 11, 2)
POSTINGS = 40
POSTING = (
    "insert into postings (id, source_id, content_hash, title, company, description, first_seen_on, last_seen_on)"
    " select 'p' || n, 's', 'h', 'ML Engineer', 'Acme', repeat('PyTorch ', 60), :day, :day"
    " from generate_series(1, :count) n"
)


def test_the_runs_go_on_the_first_day_then_a_week_later_and_count_hot_updates(
    migrated_engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    engine = migrated_engine
    with engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
    engine.dispose()  # no connection left open: the bench waits for every session's statistics
    calls: list[tuple[str, date]] = []

    def refresh(path: Path, day: date) -> RunSummary:
        """Stands in for the flow: the first file loads POSTINGS postings, a later day marks them all seen."""
        calls.append((path.name, day))
        flow_engine = create_store_engine(database_url)  # disposed after: the bench reads the statistics it leaves
        try:
            with Session(flow_engine) as session, session.begin():
                if path.name != "warmup.jsonl" and len(calls) == 2:
                    session.execute(sa.text(POSTING), {"day": day, "count": POSTINGS})
                ids = list(session.scalars(sa.text("select id from postings")))
                mark_seen([(pid, None) for pid in ids], seen_on=day, session=session)
        finally:
            flow_engine.dispose()
        return RunSummary(status="succeeded")

    result = run_refresh_bench(
        database_url, refresh, postings=10, corpus_dir=SAMPLE.parent, workdir=tmp_path, first_day=FIRST
    )
    later = FIRST + timedelta(days=LATER_DAYS)
    bench = "bench-postings.jsonl"
    assert calls == [("warmup.jsonl", FIRST), (bench, FIRST), (bench, FIRST), (bench, later), (bench, later)]
    assert [(run.postings_writes.updated, run.postings_writes.hot_updated) for run in result.runs] == [
        (0, 0),  # inserted, not updated
        (0, 0),  # the same day: nothing to mark
        (POSTINGS, POSTINGS),  # a week later: every posting marked seen, each in place
        (0, 0),
    ]
    assert result.runs[0].rows_written["postings"] == POSTINGS
    assert result.runs[2].rows_written["postings"] == POSTINGS
    with engine.connect() as conn:
        assert conn.execute(sa.text("select distinct last_seen_on from postings")).scalar_one() == later
