"""Pipeline-page queries on a real PostgreSQL holding the sample store of tests/explorer_samples.py: runs with their
errors and step times, source health, quarantined records, LLM usage and its totals, each within a window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from explorer_samples import sample_database
from sqlalchemy.orm import Session

from pipeline.analysis.operations import (
    llm_totals,
    llm_usage,
    quarantine_examples,
    quarantine_reasons,
    runs,
    source_health,
    step_durations,
)
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres

NOVEMBER_10 = date(2026, 11, 10)


@pytest.fixture(scope="module")
def session(postgres: TestPostgres) -> Iterator[Session]:
    engine = create_store_engine(sample_database(postgres.url))
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_runs_newest_first_with_counts_and_errors(session: Session) -> None:
    frame = runs(session=session)
    assert frame["run"].to_list() == [2, 1]
    latest = frame.row(0, named=True)
    assert (latest["status"], latest["seconds"], latest["sources"], latest["unchanged"]) == ("partial", 60.0, 2, 2)
    assert latest["errors"] == "y: HTTP 503 from boards.example"
    assert frame.row(1, named=True)["errors"] is None
    assert runs(session=session, since=NOVEMBER_10)["run"].to_list() == [2]
    assert runs(session=session, until=date(2026, 11, 1))["run"].to_list() == [1]  # the last day is included
    assert runs(session=session, limit=1)["run"].to_list() == [2]


def test_step_durations_one_row_per_run_and_step(session: Session) -> None:
    frame = step_durations(session=session)
    assert frame.select("run", "step", "seconds").rows() == [
        (1, "extract", 15.5),
        (1, "ingest", 10.0),
        (1, "load", 4.5),
        (2, "extract", 12.0),
        (2, "ingest", 40.0),
        (2, "load", 8.0),
    ]
    assert step_durations(session=session, limit=1)["run"].unique().to_list() == [2]


def test_source_health_counts_failures_and_shows_the_latest_fetch(session: Session) -> None:
    frame = source_health(session=session)
    assert frame["source"].to_list() == ["y", "x"]  # most failures first
    y = frame.row(0, named=True)
    assert (y["fetches"], y["failures"], y["failure_pct"], y["mean_seconds"]) == (2, 1, 50.0, 6.0)
    assert (y["last_status"], y["last_records"], y["last_error"]) == ("failed", 0, "HTTP 503")
    assert source_health(session=session, sources=["x"])["source"].to_list() == ["x"]
    before = source_health(session=session, until=date(2026, 11, 5))
    assert before["failures"].to_list() == [0, 0]


def test_quarantine_per_reason_and_latest_examples(session: Session) -> None:
    assert quarantine_reasons(session=session).select("reason", "records").rows() == [
        ("invalid JSON: Expecting ',' delimiter", 1),
        ("missing title", 1),
    ]
    examples = quarantine_examples(session=session)
    assert examples["locator"].to_list() == ["y.jsonl:7", "x.jsonl:3"]
    assert examples["excerpt"][1] == '{"description": "<script>alert(3)</script>"}'
    assert quarantine_examples(session=session, sources=["x"])["source"].to_list() == ["x"]
    assert quarantine_reasons(session=session, since=NOVEMBER_10, sources=["x"]).is_empty()


def test_llm_usage_and_totals(session: Session) -> None:
    usage = llm_usage(session=session)
    row = usage.row(0, named=True)
    assert (row["run"], row["requests"], row["cache_hits"], row["hit_rate_pct"], row["cost_usd"]) == (
        2,
        1,
        3,
        75.0,
        0.0125,
    )
    totals = llm_totals(session=session)
    assert (totals["runs"], totals["postings"], totals["hit_rate"], totals["cost_usd"]) == (1, 4, 0.75, 0.0125)
    assert totals["prompt_tokens"] + totals["completion_tokens"] == 3400
    empty = llm_totals(session=session, until=date(2026, 11, 5))
    assert (empty["runs"], empty["hit_rate"], empty["cost_usd"]) == (0, None, 0.0)
    assert llm_usage(session=session, until=date(2026, 11, 5)).is_empty()
