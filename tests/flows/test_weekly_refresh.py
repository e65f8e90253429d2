"""The weekly_refresh flow end to end on a real PostgreSQL server."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from flows.weekly_refresh import weekly_refresh
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "postings.jsonl"
TRACKED = (
    "sources",
    "raw_postings",
    "quarantine",
    "postings",
    "skills",
    "posting_skills",
    "posting_tags",
    "weekly_segment_counts",
    "weekly_specialization_counts",
    "weekly_skill_counts",
)


def row_versions(url: str) -> dict[str, set[tuple[str, str]]]:
    """Every row's physical location and creating transaction: any insert, update or delete changes it."""
    engine = create_store_engine(url)
    with engine.connect() as conn:
        out = {
            t: {(c, x) for c, x in conn.execute(sa.text(f"select ctid::text, xmin::text from {t}"))} for t in TRACKED
        }
    engine.dispose()
    return out


def scalar(url: str, sql: str) -> object:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar()
    engine.dispose()
    return value


def test_sample_end_to_end_then_a_second_run_changes_nothing(settings: Settings, database_url: str) -> None:
    lines = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    first = weekly_refresh(settings=settings)
    assert first.status == "succeeded"
    assert first.counts()["fetched"] == lines
    assert (
        first.total("new"),
        first.total("updated"),
        first.total("unchanged"),
        first.total("rejected"),
    ) == (lines, 0, 0, 0)
    assert first.extracted == lines and first.skills_found > 5 * lines
    assert set(first.step_seconds) == {"migrate", "ingest", "normalize", "extract", "load", "dedup", "aggregate"}
    assert (first.open_postings, first.unique_postings) == (lines, lines)  # the sample has no duplicates
    assert scalar(database_url, "select count(*) from postings") == lines
    assert scalar(database_url, "select count(*) from posting_tags where method = 'rules'") == lines
    assert scalar(database_url, "select count(*) from raw_postings") == lines
    assert scalar(database_url, "select count(distinct level) from posting_tags") == 4
    assert scalar(database_url, "select count(distinct s) from posting_tags, unnest(specializations) s") == 5
    assert scalar(database_url, "select sum(postings) from weekly_segment_counts") == lines
    before = row_versions(database_url)

    second = weekly_refresh(settings=settings)
    assert second.status == "succeeded"
    assert (second.total("new"), second.total("updated"), second.total("unchanged")) == (0, 0, lines)
    assert (second.extracted, second.total("raw_new"), second.aggregate_rows_written) == (0, 0, 0)
    assert row_versions(database_url) == before  # no row added, changed or removed
    assert scalar(database_url, "select count(*) from ingest_runs where status = 'succeeded'") == 2
    assert scalar(database_url, "select count(*) from source_fetches where status = 'ok'") == 2  # the fetch log


def write_jsonl(path: Path, rows: list[dict[str, object] | str]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def post(pid: str, title: str, description: str) -> dict[str, object]:
    return {
        "id": pid,
        "title": title,
        "company": "Acme",
        "posted_at": "2026-11-02",
        "description_text": description,
    }


def test_bad_lines_are_quarantined_and_the_run_goes_on(settings: Settings, database_url: str, tmp_path: Path) -> None:
    broken = '{"id": "u:9", "title": "AI Engineer", "description_text": "RAG'
    path = write_jsonl(
        tmp_path / "mine.jsonl",
        [
            post("u:1", "Senior AI Engineer", "Requirements\n- Python, LangChain and RAG"),
            broken,
            {"id": "u:2", "title": "ML Engineer"},
            post("u:3", "Data Engineer", "We need Spark and dbt."),
        ],
    )
    summary = weekly_refresh(settings=settings, files=[path], sources="none")
    assert summary.status == "succeeded"
    assert (summary.total("new"), summary.total("rejected")) == (2, 2)
    assert summary.rejects == [
        f"{path}:2: invalid JSON: Unterminated string starting at (column 59)",
        f"{path}:3: no description",
    ]
    engine = create_store_engine(database_url)
    with engine.connect() as conn:
        quarantined = conn.execute(sa.text("select locator, reason, payload from quarantine order by locator")).all()
        raw = conn.execute(sa.text("select count(*) from raw_postings")).scalar()
    engine.dispose()
    assert [(q.locator, q.payload) for q in quarantined] == [
        (f"{path}:2", broken),
        (f"{path}:3", json.dumps({"id": "u:2", "title": "ML Engineer"})),
    ]
    assert raw == 4  # every fetched line is kept, good or bad


def test_changed_postings_are_reextracted_and_missing_ones_closed(
    settings: Settings, database_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "board.jsonl"
    write_jsonl(
        path,
        [
            post("b:1", "AI Engineer", "Python and RAG"),
            post("b:2", "ML Engineer", "PyTorch"),
            post("b:3", "Data Scientist", "SQL and statistics"),
        ],
    )
    weekly_refresh(settings=settings, files=[path], sources="none")
    write_jsonl(
        path,
        [post("b:1", "AI Engineer", "Python and RAG"), post("b:2", "ML Engineer", "PyTorch and Kubernetes")],
    )
    summary = weekly_refresh(settings=settings, files=[path], sources="none")
    source = summary.sources[0]
    assert (source.new, source.updated, source.unchanged, source.closed) == (0, 1, 1, 1)
    assert summary.extracted == 1
    assert scalar(database_url, "select closed_on is not null from postings where id = 'b:3'") is True
    assert scalar(
        database_url,
        """select string_agg(k.name, ',' order by k.name) from posting_skills s
                                   join skills k on k.id = s.skill_id where s.posting_id = 'b:2'""",
    ) == ("Kubernetes,PyTorch")


def test_an_unreadable_source_fails_alone(settings: Settings, database_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "gone.jsonl"
    summary = weekly_refresh(settings=settings, files=[missing])
    assert summary.status == "partial"
    failed = {s.source_id: s.error for s in summary.sources if s.error}
    assert list(failed) == ["file:gone"] and "gone.jsonl" in str(failed["file:gone"])
    assert summary.total("new") > 80  # the sample still loaded
    assert scalar(database_url, "select status from ingest_runs") == "partial"


def test_seen_on_is_the_runs_day(settings: Settings, database_url: str, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "board.jsonl", [post("d:1", "AI Engineer", "Python"), post("d:2", "ML Engineer", "JAX")]
    )
    first, later = date(2026, 11, 2), date(2026, 11, 9)
    assert weekly_refresh(settings=settings, files=[path], sources="none", seen_on=first).status == "succeeded"
    write_jsonl(path, [post("d:1", "AI Engineer", "Python")])
    summary = weekly_refresh(settings=settings, files=[path], sources="none", seen_on=later)
    assert (summary.sources[0].unchanged, summary.sources[0].closed) == (1, 1)
    days = (
        "select string_agg(concat_ws(' ', id, first_seen_on, last_seen_on, closed_on), '; ' order by id) from postings"
    )
    assert scalar(database_url, days) == "d:1 2026-11-02 2026-11-09; d:2 2026-11-02 2026-11-02 2026-11-09"
    write_jsonl(path, [post("d:1", "AI Engineer", "Python"), post("d:3", "Data Engineer", "dbt")])
    before = datetime.now(UTC).date()
    weekly_refresh(settings=settings, files=[path], sources="none")  # no day given: today in UTC
    assert scalar(database_url, "select last_seen_on from postings where id = 'd:3'") in {
        before,
        datetime.now(UTC).date(),
    }
