"""`jobatlas sources` and `jobatlas bench ingest` from the command line."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_server import LocalHttpServer, Reply
from typer.testing import CliRunner

from flows.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
runner = CliRunner()


@pytest.fixture
def registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text("# mine\nversion: 1\nsources:\n  - {id: sample, kind: jsonl_file, path: sample/postings.jsonl}\n")
    monkeypatch.setenv("JOBATLAS_SOURCES_FILE", str(path))
    return path


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as running:
        yield running


def test_sources_add_then_list(registry: Path) -> None:
    added = runner.invoke(app, ["sources", "add", "greenhouse", "acme", "--company", "Acme"])
    assert added.exit_code == 0, added.output
    assert "added greenhouse:acme" in added.output
    listed = runner.invoke(app, ["sources", "list"])
    assert listed.exit_code == 0
    assert "greenhouse:acme" in listed.output and "Acme" in listed.output and "sample" in listed.output
    again = runner.invoke(app, ["sources", "add", "greenhouse", "acme"])
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert registry.read_text().startswith("# mine")


def test_sources_check_reports_health_and_exit_code(
    registry: Path, server: LocalHttpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    board = (FIXTURES / "greenhouse" / "board.json").read_text(encoding="utf-8")
    server.route("/v1/boards/good/jobs", Reply(body=board, content_type="application/json"))
    server.route("/v1/boards/down/jobs", Reply(status=404))
    root = server.url("/v1/boards")
    with registry.open("a") as handle:
        handle.write(f'  - {{id: greenhouse:good, kind: greenhouse, board: good, url: "{root}"}}\n')
        handle.write(f'  - {{id: greenhouse:down, kind: greenhouse, board: down, url: "{root}"}}\n')
    monkeypatch.setenv("JOBATLAS_HTTP_REQUESTS_PER_SECOND", "50")
    result = runner.invoke(app, ["sources", "check", "greenhouse:good,greenhouse:down"])
    assert result.exit_code == 3, result.output
    lines = {line.split()[1]: line for line in result.output.splitlines() if "greenhouse:" in line}
    assert "ok" in lines["greenhouse:good"]
    assert "unhealthy" in lines["greenhouse:down"] and "HTTP 404" in result.output


def test_bench_ingest_prints_throughput(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "api_samples" / "greenhouse").mkdir(parents=True)
    shutil.copy(FIXTURES / "greenhouse" / "board.json", corpus / "api_samples" / "greenhouse" / "board.json")
    (corpus / "postings.jsonl").write_text(
        '{"id": "a:1", "title": "AI Engineer", "description_text": "RAG with Python"}\n{"title": null}\n'
    )
    result = runner.invoke(app, ["bench", "ingest", "--corpus", str(corpus), "--repeat", "1"])
    assert result.exit_code == 0, result.output
    assert "postings JSONL lines" in result.output and "Greenhouse API responses" in result.output
    assert "postings/s" in result.output
    missing = runner.invoke(app, ["bench", "ingest", "--corpus", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "not found" in missing.output


def test_bench_extract_prints_speed_and_memory(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "postings.jsonl").write_text(
        '{"id": "a:1", "title": "Senior AI Engineer", "description_text": "Requirements\\n- 5+ years of Python"}\n'
        '{"id": "a:2", "title": "Data Engineer", "description_text": "We use Spark, dbt and Airflow."}\n'
        '{"id": "a:3", "title": "No description"}\n'  # not a posting: the 20 are repeats of the two that are
    )
    result = runner.invoke(app, ["bench", "extract", "--corpus", str(corpus), "--postings", "20", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "20 postings" in result.output and "bare tokenization" in result.output
    assert "peak memory" in result.output
    twice = runner.invoke(app, ["bench", "extract", "--corpus", str(corpus), "--postings", "4", "--repeat", "2"])
    assert twice.exit_code == 0, twice.output
    assert "medians of 2" in twice.output and "all runs" in twice.output
    missing = runner.invoke(app, ["bench", "extract", "--corpus", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no postings*.jsonl" in missing.output
