"""``jobatlas extract`` end to end through typer's CliRunner: output file, summary, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from flows.cli.extract import extract

runner = CliRunner()
app = typer.Typer()
app.command()(extract)  # the command on its own; `jobatlas extract` registers the same function

GOOD = [
    {
        "id": "c:1",
        "title": "Senior AI Engineer",
        "description_text": "Requirements\n- 5+ years of Python\n- LangChain and RAG\n- BS in Computer Science",
    },
    {
        "id": "c:2",
        "title": "Machine Learning Engineer",
        "description_text": "Requirements\n- PyTorch and Kubernetes\n- MS or PhD in CS",
    },
]
BAD = {"id": "c:bad", "title": "Data Scientist"}  # no description


def write(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return runner.invoke(app, list(args))


def test_extract_writes_one_tag_line_per_posting_and_a_summary(tmp_path: Path) -> None:
    source = write(tmp_path / "postings.jsonl", [GOOD[0], BAD, GOOD[1]])
    result = run("--input", str(source), "--output", str(tmp_path / "tags.jsonl"))
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in (tmp_path / "tags.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [item["id"] for item in out] == ["c:1", "c:bad", "c:2"]
    assert (out[0]["level"], out[0]["education_min"], out[2]["education_min"]) == ("senior", "bachelor", "master")
    assert out[1] == {"id": "c:bad", "line": 2, "error": "no description"}
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        rf"3 lines: 2 tagged, 1 error in \d+\.\d\d s \([\d,.]+ postings/s\) -> {re.escape(str(tmp_path))}.*tags\.jsonl",
        summary,
    ), summary
    assert "line 2: no description" in result.stderr


def test_strict_exits_3_when_a_line_failed(tmp_path: Path) -> None:
    source = write(tmp_path / "postings.jsonl", [GOOD[0], BAD])
    result = run("--input", str(source), "--output", str(tmp_path / "tags.jsonl"), "--strict")
    assert result.exit_code == 3
    assert (tmp_path / "tags.jsonl").exists()


def test_strict_exits_0_when_every_line_is_tagged(tmp_path: Path) -> None:
    source = write(tmp_path / "postings.jsonl", GOOD)
    result = run("--input", str(source), "--output", str(tmp_path / "tags.jsonl"), "--strict")
    assert result.exit_code == 0, result.output
    assert "2 lines: 2 tagged, 0 errors" in result.stdout


def test_missing_input_file_is_one_clear_line(tmp_path: Path) -> None:
    result = run("--input", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "tags.jsonl"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: input file {tmp_path / 'nope.jsonl'} not found"
    assert not (tmp_path / "tags.jsonl").exists()


def test_a_broken_taxonomy_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATA_DIR", str(tmp_path))  # settings read once, in the command: no taxonomy here
    source = write(tmp_path / "postings.jsonl", GOOD)
    result = run("--input", str(source), "--output", str(tmp_path / "tags.jsonl"), "--workers", "2")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "skills.yaml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_two_workers_give_the_same_file(tmp_path: Path) -> None:
    source = write(tmp_path / "postings.jsonl", [GOOD[0], BAD, GOOD[1]] * 3)
    assert run("--input", str(source), "--output", str(tmp_path / "one.jsonl")).exit_code == 0
    result = run("--input", str(source), "--output", str(tmp_path / "two.jsonl"), "--workers", "2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
