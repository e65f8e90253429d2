"""``jobatlas reextract`` prints what it checked, re-tagged and left unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from flows.cli import app
from flows.weekly_refresh import weekly_refresh
from pipeline.settings import Settings

pytestmark = pytest.mark.usefixtures("prefect_harness")

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "postings.jsonl"
runner = CliRunner()


def test_reextract_prints_the_counts(settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
    assert weekly_refresh(settings=settings).status == "succeeded"
    engine = sa.create_engine(database_url)
    with engine.begin() as conn:  # three tags made by an older extractor
        conn.execute(
            sa.text(
                "update posting_tags set extractor_version = 'rules-0.0.1+taxonomy-2020.1'"
                " where posting_id in (select id from postings order by id limit 3)"
            )
        )
    engine.dispose()
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)

    result = runner.invoke(app, ["reextract"])
    assert result.exit_code == 0, result.output
    assert f"checked {lines} postings: re-tagged 3, unchanged {lines - 3}" in result.output
    assert "extractor rules-" in result.output and "time per step: migrate" in result.output
    again = runner.invoke(app, ["reextract"])
    assert f"checked {lines} postings: re-tagged 0, unchanged {lines}" in again.output
    assert "0 aggregate rows written" in again.output
    everything = runner.invoke(app, ["reextract", "--all"])
    assert everything.exit_code == 0, everything.output
    assert f"checked {lines} postings: re-tagged {lines}, unchanged 0 (--all" in everything.output


def test_a_broken_taxonomy_is_one_error_line(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "taxonomy").mkdir()
    (tmp_path / "taxonomy" / "skills.yaml").write_text("version: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    monkeypatch.setenv("JOBATLAS_DATA_DIR", str(tmp_path))
    result = runner.invoke(app, ["reextract"])
    assert result.exit_code == 1
    assert "error: " in result.output and "skills.yaml" in result.output


def test_reextract_waits_for_no_refresh(
    settings: Settings, migrated_engine: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.reextract import reextract
    from pipeline.store.run_lock import RefreshLockedError, refresh_lock

    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    with refresh_lock(migrated_engine, label="run 7 (flow run busy-bee)"):
        result = runner.invoke(app, ["reextract"])
        assert result.exit_code == 4, result.output
        assert "locked" in result.output and "run 7 (flow run busy-bee)" in result.output
        with pytest.raises(RefreshLockedError):
            reextract(settings=settings)
    assert runner.invoke(app, ["reextract"]).exit_code == 0  # the lock is free again
