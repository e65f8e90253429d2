"""The Pipeline page with Streamlit's AppTest over the sample store of tests/explorer_samples.py (two runs, one
partial with a failed source, quarantined records, LLM usage) and over an empty or unreachable store."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from explorer_samples import sample_database
from pg_server import free_port
from streamlit.testing.v1 import AppTest

if TYPE_CHECKING:
    from pg_server import TestPostgres

VIEWS = Path(__file__).resolve().parents[2] / "dashboard" / "views"


def page(name: str, **params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(VIEWS / f"{name}.py"), default_timeout=60)
    at.query_params.update(params)
    return at.run()


@pytest.fixture(scope="module")
def sample_url(postgres: TestPostgres) -> str:
    return sample_database(postgres.url)


@pytest.fixture
def sample(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_url)
    return sample_url


def test_runs_sources_quarantine_and_llm(sample: str) -> None:
    at = page("pipeline_runs")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Runs shown"] == "2" and metrics["Failed or partial"] == "1"
    assert metrics["Last run"] == "2 partial" and metrics["Last run took"] == "60.0 s"
    assert metrics["Cache hit rate"] == "75%" and metrics["Cost"] == "$0.0125"
    assert len(at.get("vega_lite_chart")) == 3  # steps, quarantine reasons, LLM cost
    runs, health, examples, usage = (d.value for d in at.dataframe)
    assert list(runs["run"]) == [2, 1] and runs["errors"][0] == "y: HTTP 503 from boards.example"
    assert list(health["source"]) == ["y", "x"] and health["last_status"][0] == "failed"
    assert list(examples["locator"]) == ["y.jsonl:7", "x.jsonl:3"]
    assert list(usage["run_key"]) == ["run-2"]
    assert {b.label for b in at.get("download_button")} >= {
        "Download run_step_seconds (CSV)",
        "Download quarantine_reasons (CSV)",
        "Download llm_usage (CSV)",
    }


def test_source_filter_from_the_url(sample: str) -> None:
    at = page("pipeline_runs", source="x")
    assert not at.exception
    _, health, examples, _ = (d.value for d in at.dataframe)
    assert list(health["source"]) == ["x"] and list(examples["source"]) == ["x"]
    assert at.multiselect(key="filter_sources").value == ["x"]


def test_date_window_from_the_url(sample: str) -> None:
    early = page("pipeline_runs", until="2026-11-05")
    assert not early.exception
    assert {m.label: m.value for m in early.metric}["Runs shown"] == "1"
    assert any("did not run in this window" in i.value for i in early.info)
    assert early.query_params["until"] == "2026-11-05"


def test_window_without_runs_says_so(sample: str) -> None:
    at = page("pipeline_runs", since="2026-11-25", until="2026-11-26")
    assert not at.exception
    assert [i.value for i in at.info][:1] == [
        "No refresh ran in this window. `jobatlas run` starts one; widen the date window to see older runs."
    ]
    assert not at.get("vega_lite_chart") and not at.dataframe


def test_empty_store_shows_the_first_run_page(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    for name in ("explorer", "pipeline_runs"):
        at = page(name)
        assert not at.exception
        assert [t.value for t in at.title] == ["Welcome to jobatlas"]


def test_unreachable_store_shows_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing")
    monkeypatch.setenv("JOBATLAS_CONNECT_TIMEOUT_SECONDS", "2")
    for name in ("explorer", "pipeline_runs"):
        at = page(name)
        assert not at.exception
        assert len(at.error) == 1 and "cannot connect to the database" in at.error[0].value
