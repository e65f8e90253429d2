"""``jobatlas export``: the file it names holds the rows it counts; clear one-line errors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from flows.cli import app
from pipeline.store.database import create_store_engine

runner = CliRunner()


@pytest.fixture
def populated(populated_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", populated_url)
    monkeypatch.setenv("JOBATLAS_GENERATED_DIR", str(tmp_path / "generated"))
    return populated_url


def one(url: str, sql: str, **params: object) -> object:
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def unique_postings(url: str, since: str = "1900-01-01") -> int:
    sql = "select count(*) from postings where duplicate_of is null and coalesce(posted_on, first_seen_on) >= :d"
    return int(str(one(url, sql, d=since)))


def test_export_writes_under_the_generated_dir_by_default_and_says_rows_and_path(
    populated: str, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["export", "--format", "csv", "--table", "postings"])
    assert result.exit_code == 0, result.output
    today = datetime.now(UTC).date().isoformat()
    path = tmp_path / "generated" / "exports" / f"postings-{today}.csv"
    rows = unique_postings(populated)
    assert result.stdout.strip() == f"wrote {rows} rows of postings to {path}"
    assert pl.read_csv(path).height == rows


def middle_day(url: str) -> str:
    return str(
        one(url, "select percentile_disc(0.5) within group (order by coalesce(posted_on, first_seen_on)) from postings")
    )


def test_export_to_a_chosen_file_since_a_day(populated: str, tmp_path: Path) -> None:
    target = tmp_path / "out" / "recent.parquet"
    since = middle_day(populated)
    result = runner.invoke(app, ["export", "--table", "postings", "--output", str(target), "--since", since])
    assert result.exit_code == 0, result.output
    rows = unique_postings(populated, since)
    assert 0 < rows < unique_postings(populated)
    assert result.stdout.strip() == f"wrote {rows} rows of postings to {target}"
    assert pl.read_parquet(target).height == rows


def test_export_weekly_into_a_directory(populated: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "-t", "weekly", "-f", "parquet", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    [written] = tmp_path.glob("weekly-*.parquet")
    assert pl.read_parquet(written).height > 0 and str(written) in result.stdout


def test_an_unwritable_output_is_one_line_naming_it(populated: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    target = tmp_path / "file" / "postings.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--output", str(target)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot write {target}: "), result.stderr


def test_a_bad_day_or_table_is_refused(populated: str) -> None:
    assert runner.invoke(app, ["export", "--since", "last week"]).exit_code == 2
    assert runner.invoke(app, ["export", "--table", "raw"]).exit_code == 2


def test_a_store_without_schema_is_one_line(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    result = runner.invoke(app, ["export"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: the store has no schema yet: run `jobatlas run` or `jobatlas db upgrade` first"
    )
