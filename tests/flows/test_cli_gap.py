"""``jobatlas gap`` through typer's CliRunner: a skill list or a resume against the fixture market in a real store,
every export written and named, bad input in one line, an empty segment or no store still reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from fpdf import FPDF
from gap_samples import RESUME, seed_gap_market
from pg_server import free_port
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from flows.cli import app
from pipeline.gap import GapReport

runner = CliRunner()
SEGMENT = ["--role", "ai_engineer", "--level", "senior", "--specialization", "rag"]


def gap(*args: str) -> Result:
    return runner.invoke(app, ["gap", *args])


@pytest.fixture
def market(migrated_engine: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with Session(migrated_engine) as session, session.begin():
        seed_gap_market(session)
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)


def only(folder: Path, suffix: str) -> Path:
    (path,) = folder.glob(f"gap_ai_engineer_senior_rag_*.{suffix}")
    return path


def test_a_skill_list_in_every_format(market: None, tmp_path: Path) -> None:
    result = gap("--skills", "python, docker, tensorflow, pyhton3", *SEGMENT, "-f", "all", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Skill gap: AI engineer · Senior · rag\nSkills    Python, Docker, TensorFlow")
    assert "Coverage  39%: you have 2 of the 8 skills the segment asks, meeting 7 of its 18 skill asks" in result.stdout
    assert "warning: 'pyhton3' is not in the taxonomy; did you mean Python" in result.stderr
    assert "warning: AI engineer · Senior · rag: only 5 postings (fewer than 30)" in result.stderr
    written = sorted(p.suffix for p in tmp_path.iterdir())
    assert written == [".csv", ".html", ".json", ".md", ".pdf"]
    report = GapReport.model_validate_json(only(tmp_path, "json").read_text(encoding="utf-8"))
    assert [r.skill for r in report.missing][:2] == ["RAG", "LLMs"]
    assert f"wrote {only(tmp_path, 'pdf')}" in result.stdout


def test_a_resume(market: None, tmp_path: Path) -> None:
    resume = tmp_path / "resume.md"
    resume.write_text(RESUME, encoding="utf-8")
    result = gap("--resume", str(resume), *SEGMENT, "-f", "json", "-f", "md", "--output-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    data = json.loads(only(tmp_path / "out", "json").read_text(encoding="utf-8"))
    assert {"Python", "Docker", "TensorFlow", "SQL"} <= set(data["user"]["skills"])
    assert data["user"]["source"] == str(resume)
    assert "| 1 | Python | 100% (5 of 5) | 100% | " in only(tmp_path / "out", "md").read_text(encoding="utf-8")
    assert result.stdout.count("wrote ") == 2 and "Skill gap:" not in result.stdout  # text only when asked


def test_an_empty_segment_is_reported_with_a_warning(market: None) -> None:
    result = gap("--skills", "python", "--role", "data_engineer", "--level", "staff")
    assert result.exit_code == 0, result.output
    assert "warning: only 0 postings (fewer than 30): read as indicative" in result.stdout
    assert "Coverage  no score: the segment asks no skill" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give your skills with either --skills"),
        (("--skills", "python", "--resume", "cv.txt"), "give your skills with either --skills"),
        (("--skills", " , "), "--skills is empty"),
        (("--resume", "does-not-exist.txt"), "does-not-exist.txt: no such file"),
    ],
)
def test_bad_arguments_fail_in_one_line(args: tuple[str, ...], message: str) -> None:
    result = gap(*args, "--no-market")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {message}") or f"error: {message}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _scan(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 120, 60, style="F")  # a page with a picture and no text, like a scanned resume
    pdf.output(str(path))
    return path


def test_bad_resumes_fail_in_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "cv.txt"
    empty.write_bytes(b"")
    for path, message in ((empty, "is empty"), (_scan(tmp_path / "scan.pdf"), "the PDF has no text layer")):
        result = gap("--resume", str(path), "--no-market")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: {path}") and message in result.stderr


def test_an_unwritable_output_dir_fails_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = gap("--skills", "python", "--no-market", "-f", "csv", "-o", str(blocker / "sub"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot write to {blocker / 'sub'}")


def test_an_unreachable_store_warns_and_still_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", f"postgresql+psycopg://bob:hunter2@127.0.0.1:{free_port()}/x")
    monkeypatch.setenv("JOBATLAS_CONNECT_TIMEOUT_SECONDS", "1")
    result = gap("--skills", "python, sql", *SEGMENT)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: no market data: cannot connect to the database at ")
    assert "hunter2" not in result.stderr + result.stdout
    assert "Market    no market data: the store cannot be reached" in result.stdout


def test_a_store_without_schema_says_so(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    result = gap("--skills", "python", *SEGMENT)
    assert result.exit_code == 0, result.output
    assert "Market    no market data: the store has no schema yet" in result.stdout
