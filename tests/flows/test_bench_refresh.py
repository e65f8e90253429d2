"""``jobatlas bench refresh`` on a few hundred postings: the postings it generates and the figures it prints."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from pg_server import TestPostgres
from typer.testing import CliRunner

from flows.cli import app
from pipeline.bench.refresh import SAMPLE, base_postings, generate

runner = CliRunner()


def databases(server: TestPostgres) -> set[str]:
    engine = sa.create_engine(server.url)
    with engine.connect() as conn:
        names = {str(row[0]) for row in conn.execute(sa.text("select datname from pg_database"))}
    engine.dispose()
    return names


def test_generated_postings_are_distinct_and_one_percent_change() -> None:
    base = base_postings([SAMPLE])
    plain = list(generate(base, 3 * len(base) + 10))
    assert len({p["id"] for p in plain}) == len(plain)
    copies = [p for p in plain if p["id"].endswith(":" + base[0]["id"])]
    assert len(copies) == 4
    for field in ("title", "company", "location", "description_text"):
        assert len({c[field] for c in copies}) > 1, field
    changed = list(generate(base, len(plain), change_some=True))
    edited = [a["id"] for a, b in zip(plain, changed, strict=True) if a != b]
    assert edited == [p["id"] for i, p in enumerate(plain) if i % 100 == 0]


def written(out: str, run: str) -> str:
    """The "rows written" line of a run."""
    return out.split(f"rows written, {run}:")[1].splitlines()[0]


@pytest.mark.usefixtures("prefect_harness")
def test_bench_refresh_prints_four_runs_and_drops_its_database(postgres: TestPostgres) -> None:
    before = databases(postgres)
    result = runner.invoke(app, ["bench", "refresh", "--postings", "250", "--database-url", postgres.url])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "bench refresh: 250 postings" in out
    assert "seconds per step" in out and "peak memory" in out
    assert "store vacuumed and analyzed" in out
    assert written(out, "second (unchanged, same day)").startswith(" ingest_runs")
    assert "posting_tags" not in written(out, "second (unchanged, same day)")
    later = written(out, "third (unchanged, 7 days later)")
    assert " postings 250" in later  # every posting marked seen on the new day...
    for table in ("posting_facts", "cube_dirty", "posting_tags", "posting_skills", "weekly_"):
        assert table not in later, table  # ...and nothing derived written again
    assert "posting_tags 3" in written(out, "fourth (1% changed)")
    # marking them seen a week later wrote no index entry (migration 0010)
    assert "postings updated, third (unchanged, 7 days later): 250, 250 of them HOT" in out
    assert "postings updated, second (unchanged, same day): 0, 0 of them HOT" in out
    assert databases(postgres) == before  # the scratch database is gone
