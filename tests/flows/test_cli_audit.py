"""``jobatlas audit`` through typer's CliRunner: the report in every format, --output, --fail-on exit codes, standard
input, URLs, the market comparison from a real store (or why it was skipped), and bad inputs in one line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from audit_samples import JUNIOR_SEVEN_YEARS, WELL_WRITTEN, seed_market
from bs4 import BeautifulSoup
from http_server import LocalHttpServer, Reply
from pg_server import free_port
from sqlalchemy.orm import Session
from typer.testing import CliRunner, Result

from flows.cli import app
from pipeline.audit.report import AuditReport

runner = CliRunner()


def audit(*args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, ["audit", *args], input=stdin)


@pytest.fixture
def junior(tmp_path: Path) -> Path:
    path = tmp_path / "junior.txt"
    path.write_text(JUNIOR_SEVEN_YEARS, encoding="utf-8")
    return path


@pytest.fixture
def well_written(tmp_path: Path) -> Path:
    path = tmp_path / "good.md"
    path.write_text(WELL_WRITTEN, encoding="utf-8")
    return path


@pytest.fixture
def http() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as server:
        yield server


@pytest.fixture
def fast_http(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_HTTP_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("JOBATLAS_HTTP_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("JOBATLAS_HTTP_REQUESTS_PER_SECOND", "1000")


def test_the_text_report_and_fail_on_exit_codes(junior: Path) -> None:
    result = audit(str(junior), "--no-market")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "JD audit: Junior AI Engineer"
    assert "".join(line.removeprefix("Source    ") for line in lines[1:3]).startswith(str(junior))
    assert "Market    not compared: --no-market was given" in lines
    assert "HIGH   AI Engineer I ('Junior') title asking 7+ years  [level.years-above-title]" in lines
    assert audit(str(junior), "--no-market", "--fail-on", "high").exit_code == 2
    assert audit(str(junior), "--no-market", "--fail-on", "low").exit_code == 2


def test_fail_on_passes_a_description_without_such_findings(well_written: Path) -> None:
    for threshold in ("high", "medium", "low"):
        result = audit(str(well_written), "--no-market", "--fail-on", threshold)
        assert result.exit_code == 0, (threshold, result.output)


def test_json_to_standard_output_validates(junior: Path) -> None:
    result = audit(str(junior), "--no-market", "--format", "json")
    assert result.exit_code == 0, result.output
    report = AuditReport.model_validate_json(result.stdout)
    assert report.findings[0].id == "level.years-above-title"
    assert report.market.reason == "--no-market was given"


@pytest.mark.parametrize(("fmt", "suffix"), [("md", ".md"), ("html", ".html"), ("json", ".json"), ("text", ".txt")])
def test_output_file_in_every_format(junior: Path, tmp_path: Path, fmt: str, suffix: str) -> None:
    target = tmp_path / f"report{suffix}"
    result = audit(str(junior), "--no-market", "-f", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"1 high, 0 medium, 0 low, 0 info -> {target}"
    written = target.read_text(encoding="utf-8")
    if fmt == "md":
        assert "## Findings" in written and "### 1. HIGH: " in written
    elif fmt == "html":
        assert BeautifulSoup(written, "html.parser").select_one("section.finding.high") is not None
    elif fmt == "json":
        assert json.loads(written)["counts"]["high"] == 1
    else:
        assert written.startswith("JD audit: Junior AI Engineer")


def test_standard_input_and_title(junior: Path) -> None:
    result = audit("-", "--no-market", "-f", "json", stdin=JUNIOR_SEVEN_YEARS)
    assert result.exit_code == 0, result.output
    report = AuditReport.model_validate_json(result.stdout)
    assert (report.input.source, report.input.title) == ("standard input", "Junior AI Engineer")
    titled = audit("-", "--no-market", "-f", "json", "--title", "Staff AI Engineer", stdin=JUNIOR_SEVEN_YEARS)
    report = AuditReport.model_validate_json(titled.stdout)
    assert report.input.title == "Staff AI Engineer"
    assert report.input.description.startswith("Junior AI Engineer\n")  # with --title the first line is text


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "{path} is empty"),
        ("Senior AI Engineer\n", "{path}: only a title line ('Senior AI Engineer'), no description below it"),
        (
            "Ingénieur IA\nNous recherchons un ingénieur pour notre équipe à Paris. Vous travaillerez avec nos équipes "
            "produit sur des modèles de langage et des systèmes de recherche.",
            "{path}: the description cannot be audited: ",
        ),
    ],
    ids=["empty", "title only", "not English"],
)
def test_bad_files_fail_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "jd.txt"
    path.write_text(content, encoding="utf-8")
    result = audit(str(path), "--no-market")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: " + message.format(path=path))


def test_a_missing_file_fails_in_one_line(tmp_path: Path) -> None:
    result = audit(str(tmp_path / "nope.txt"), "--no-market")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.txt'}: no such file"


def test_an_unwritable_output_fails_in_one_line(junior: Path, tmp_path: Path) -> None:
    result = audit(str(junior), "--no-market", "-o", str(tmp_path / "missing" / "report.md"))
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"error: cannot write {tmp_path / 'missing' / 'report.md'}: ")


@pytest.mark.usefixtures("fast_http")
def test_a_url(http: LocalHttpServer) -> None:
    http.route("/jobs/7", Reply(body=JUNIOR_SEVEN_YEARS))
    result = audit(http.url("/jobs/7"), "--no-market", "-f", "json")
    assert result.exit_code == 0, result.output
    assert AuditReport.model_validate_json(result.stdout).input.source == http.url("/jobs/7")


@pytest.mark.usefixtures("fast_http")
@pytest.mark.parametrize(
    ("reply", "reason"), [(Reply(500, "down"), "HTTP 500 after 1 attempt"), (Reply(body="x", delay=3), "timed out")]
)
def test_a_url_that_does_not_answer_fails_in_one_line(http: LocalHttpServer, reply: Reply, reason: str) -> None:
    http.route("/jobs/8", reply)
    result = audit(http.url("/jobs/8"), "--no-market")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"error: cannot fetch {http.url('/jobs/8')}: {reason}")


def test_an_empty_store_skips_the_market_comparison_and_says_why(
    junior: Path, migrated_engine: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    result = audit(str(junior), "--fail-on", "high")
    assert result.exit_code == 2, result.output
    assert (
        "Market    not compared: the store holds no tagged postings (run `jobatlas run` to load some)"
        in result.stdout.splitlines()
    )


def test_a_store_with_postings_is_compared_with(
    junior: Path, migrated_engine: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(migrated_engine) as session, session.begin():
        seed_market(session)
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    result = audit(str(junior), "-f", "json")
    assert result.exit_code == 0, result.output
    report = AuditReport.model_validate_json(result.stdout)
    assert report.market.status == "compared"
    assert (report.market.segment, report.market.postings, report.market.store_postings) == ("AI engineer · I", 1, 6)
    level = report.findings[0]
    assert level.market[0].describe() == (
        "0% of 1 posting (AI engineer · I) ask 7+ years [only 1 posting (fewer than 30): read as indicative]"
    )


def test_an_unreachable_store_warns_and_still_audits(junior: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", f"postgresql+psycopg://bob:hunter2@127.0.0.1:{free_port()}/x")
    monkeypatch.setenv("JOBATLAS_CONNECT_TIMEOUT_SECONDS", "1")
    result = audit(str(junior), "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: market comparison skipped: cannot connect to the database at ")
    assert "hunter2" not in result.stderr + result.stdout
    report = AuditReport.model_validate_json(result.stdout)
    assert report.market.status == "skipped" and report.market.reason is not None
    assert report.market.reason.startswith("the store cannot be reached (cannot connect to the database at ")
