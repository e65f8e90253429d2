"""``jobatlas taxonomy suggest`` through typer's CliRunner: from a JSONL file and from the store."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from flows.cli import app
from pipeline.domain import Posting
from pipeline.store import loads

runner = CliRunner()

POSTINGS = [
    {
        "id": "t:1",
        "title": "Platform Engineer",
        "description_text": "Requirements\n- Python and feature flags\n- Pekko",
    },
    {
        "id": "t:2",
        "title": "Backend Engineer",
        "description_text": "Requirements\n- Kafka, feature flags\n- it is Pekko",
    },
    {"id": "t:3", "description_html": "<p>Requirements</p><ul><li>feature flags with Kubernetes</li></ul>"},
    {"id": "t:bad", "title": "No description"},
]


def write(path: Path, items: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def rows(output: str) -> list[list[str]]:
    """The cells of the rich table's body rows."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in output.splitlines() if line.startswith("│")]


def test_suggest_from_a_file_lists_phrases_the_taxonomy_lacks(tmp_path: Path) -> None:
    source = write(tmp_path / "postings.jsonl", POSTINGS)
    result = runner.invoke(app, ["taxonomy", "suggest", "--input", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(f"3 postings ({source}), taxonomy ")
    assert result.stdout.splitlines()[0].endswith(": 2 phrases the taxonomy lacks")
    assert rows(result.stdout) == [
        ["feature flags", "3", "- Python and feature flags"],
        ["pekko", "2", "- Pekko"],
    ]
    assert "skipped postings.jsonl:4: no description" in result.stderr


def test_suggest_top_and_min_postings(tmp_path: Path) -> None:
    source = write(tmp_path / "postings.jsonl", POSTINGS[:3])
    result = runner.invoke(app, ["taxonomy", "suggest", "--input", str(source), "--top", "1", "--min-postings", "3"])
    assert result.exit_code == 0, result.output
    assert rows(result.stdout) == [["feature flags", "3", "- Python and feature flags"]]


def test_a_missing_input_file_is_one_error_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["taxonomy", "suggest", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: input file {tmp_path / 'nope.jsonl'} not found"


def test_suggest_reads_recent_postings_from_the_store(
    migrated_engine: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    today = date.today()
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        loads.upsert_postings(
            [
                Posting(id=f"s:{n}", source_id="s", raw_hash=f"h{n}", title="Engineer", description=text)
                for n, text in enumerate(["Requirements\n- feature flags", "Requirements\n- feature flags, Kafka"])
            ],
            raw_ids={},
            seen_on=today,
            session=session,
        )
    result = runner.invoke(app, ["taxonomy", "suggest", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("2 postings (postings last seen in the past 7 days), taxonomy ")
    assert rows(result.stdout) == [["feature flags", "2", "- feature flags"]]
