"""``jobatlas llm check`` against a local OpenAI-compatible server, and its one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from llm_samples import answer_text
from openai_server import OpenAIServer, completion
from pg_server import free_port
from typer.testing import CliRunner, Result

from flows.cli import app

runner = CliRunner()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        monkeypatch.setenv("JOBATLAS_LLM_BASE_URL", running.base_url)
        monkeypatch.setenv("JOBATLAS_LLM_MODEL", "gpt-4o-mini")
        monkeypatch.setenv("JOBATLAS_LLM_API_KEY", "sk-very-secret")
        yield running


def check(*args: str) -> Result:
    return runner.invoke(app, ["llm", "check", *args])


def test_check_sends_the_first_sample_posting_and_prints_answer_latency_tokens_and_cost(server: OpenAIServer) -> None:
    server.script(completion(answer_text(), prompt_tokens=1_000, completion_tokens=200))
    result = check()
    assert result.exit_code == 0, result.output
    [request] = server.requests
    assert (
        "Title: Senior AI Engineer, Retrieval\nCompany: Northwind Analytics" in request.body["messages"][1]["content"]
    )
    lines = result.stdout.splitlines()
    assert lines[0] == f"sample:0001: Senior AI Engineer, Retrieval -> gpt-4o-mini at {server.base_url} (json_schema)"
    printed = json.loads("\n".join(lines[1:-2]))
    assert (printed["level"], printed["role_family"], printed["years_min"]) == ("senior", "ai_engineer", 5)
    assert lines[-2].startswith("latency ")
    assert lines[-2].endswith(
        "tokens 1,000 in / 200 out in 1 request(s); cost $0.000270 (listed price: $0.15 / $0.6 per million tokens)"
    )
    # the sample posting does not hold the answer's quotes ("Strong Python skills", ...): both are dropped
    assert lines[-1] == "skills dropped: hallucinated evidence: Python, Kubernetes; not in the taxonomy: none"
    assert "sk-very-secret" not in result.output


def test_check_reads_a_chosen_posting(server: OpenAIServer, tmp_path: Path) -> None:
    postings = tmp_path / "mine.jsonl"
    rows = [
        {"id": "m:1", "title": "Data Engineer", "description_text": "Spark and Airflow"},
        {
            "id": "m:2",
            "title": "ML Engineer",
            "description_text": "Strong Python skills. Kubernetes experience is a plus",
        },
    ]
    postings.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    server.script(completion(answer_text()))
    result = check("--input", str(postings), "--id", "m:2")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("m:2: ML Engineer -> gpt-4o-mini")
    assert result.stdout.splitlines()[-1] == "skills dropped: hallucinated evidence: none; not in the taxonomy: none"
    missing = check("--input", str(postings), "--id", "m:9")
    assert missing.exit_code == 1 and missing.stderr.strip() == f"error: no posting with id m:9 in {postings}"


def test_check_without_an_endpoint_says_what_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBATLAS_LLM_BASE_URL", raising=False)
    result = check()
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: no LLM endpoint configured: set JOBATLAS_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama)"
    )


def test_check_against_an_unreachable_server_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    monkeypatch.setenv("JOBATLAS_LLM_BASE_URL", url)
    monkeypatch.setenv("JOBATLAS_LLM_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("JOBATLAS_LLM_API_KEY", "sk-very-secret")
    result = check()
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: the LLM endpoint at {url} failed: connection failed")
    assert "sk-very-secret" not in result.output


def test_check_reports_a_model_that_gives_no_usable_answer(server: OpenAIServer) -> None:
    server.script(completion("not json"), completion("still not json"))
    result = check()
    assert result.exit_code == 1
    assert result.stderr.strip().startswith(f"error: gpt-4o-mini at {server.base_url} gave no usable answer: invalid")
