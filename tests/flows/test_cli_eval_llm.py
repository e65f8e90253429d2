"""``jobatlas eval --tagger llm|hybrid`` on the three project-written gold postings of test_cli_eval, against the
local OpenAI-compatible server: the report, the usage and cost lines, the store's cache answering a second run,
and one clear line when no endpoint is configured."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from http_server import Reply
from openai_server import OpenAIServer, completion
from test_cli_eval import POSTINGS, write_inputs
from typer.testing import CliRunner

from flows.cli import app
from pipeline.store.database import create_store_engine

runner = CliRunner()
TITLES = {str(p["title"]): str(p["id"]) for p in POSTINGS}


def skill(name: str, quote: str, requirement: str = "required") -> dict[str, str]:
    return {"name": name, "requirement": requirement, "evidence": quote}


ANSWERS = {
    "t:1": {
        "level": "senior",
        "role_family": "ml_engineer",
        "skills": [
            skill("Python", "training models with Python and PyTorch"),
            skill("PyTorch", "training models with Python and PyTorch"),
            skill("Kubernetes", "Deploy models on Kubernetes"),
            skill("Spark", "Experience with Spark", "preferred"),
        ],
        "years_min": 5,
    },
    "t:2": {
        "level": "ii",
        "role_family": "ai_engineer",
        "specializations": ["rag"],
        "skills": [
            skill("Python", "2+ years of Python"),
            skill("RAG", "retrieval-augmented generation (RAG)"),
            skill("LLMs", "RAG) features on LLMs"),
        ],
        "years_min": 2,
        "education_min": "bachelor",
    },
    "t:3": {
        "level": None,
        "role_family": "other",
        "skills": [skill("SQL", "Strong SQL and Excel"), skill("Excel", "Strong SQL and Excel")],
    },
}


def reply(body: dict[str, Any]) -> Reply:
    title = body["messages"][1]["content"].split("\n", 1)[0].removeprefix("Title: ")
    base = {"track": "ic", "specializations": [], "years_min": None, "education_min": None, "publications": None}
    answer = {**base, "rationale": "test", **ANSWERS[TITLES[title]]}
    return completion(json.dumps(answer), prompt_tokens=3_500, completion_tokens=400)


@pytest.fixture
def server(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        running.default = reply
        for name, value in {
            "DATABASE_URL": database_url,
            "LLM_BASE_URL": running.base_url,
            "LLM_MODEL": "gpt-4o-mini",
            "LLM_REQUESTS_PER_MINUTE": "60000",
            "LLM_MAX_ATTEMPTS": "1",
        }.items():
            monkeypatch.setenv(f"JOBATLAS_{name}", value)
        yield running


def test_eval_with_the_model_prints_the_report_usage_and_cost_and_caches_the_answers(
    server: OpenAIServer, database_url: str, tmp_path: Path
) -> None:
    gold, postings = write_inputs(tmp_path)
    out = tmp_path / "report.json"
    args = ["eval", "--gold", str(gold), "--postings", str(postings), "--json", str(out)]
    rules = runner.invoke(app, args)
    assert rules.exit_code == 0, rules.output
    by_rules = json.loads(out.read_text(encoding="utf-8"))
    assert by_rules["tagger"] == "rules" and "llm" not in by_rules and server.requests == []

    first = runner.invoke(app, [*args, "--tagger", "llm"])
    assert first.exit_code == 0, first.output
    assert len(server.requests) == 3
    assert "with llm gpt-4o-mini (tagger-1)" in first.output
    for text in ("targets", "level confusion", "specializations"):
        assert text in first.output  # the same report
    lines = first.output.splitlines()
    assert (
        "LLM gpt-4o-mini: 3 postings, 0 from the cache (hit rate 0%), 3 answered by the model, 0 kept their rule labels"
    ) in lines
    assert "LLM tokens 10,500 in / 1,200 out, 3 requests, cost $0.0023" in lines
    assert (
        "LLM cost of this evaluation: $0.0023 (gpt-4o-mini, listed price $0.15 / $0.6 per million tokens in / out)"
    ) in lines
    assert "LLM per posting: 3,500 tokens in / 400 out; 1,000 postings: about $0.77 before caching" in lines
    by_model = json.loads(out.read_text(encoding="utf-8"))
    assert by_model["tagger"] == "llm gpt-4o-mini (tagger-1)" and by_model["llm"][0].startswith("LLM gpt-4o-mini")
    assert by_model["level"]["accuracy"] == 1.0 and by_model["role_family"]["accuracy"] == 1.0

    again = runner.invoke(app, [*args, "--tagger", "hybrid"])
    assert again.exit_code == 0, again.output
    assert len(server.requests) == 3  # whatever hybrid mode sends is answered by the cache
    assert "LLM tokens 0 in / 0 out, 0 requests, cost $0.0000" in again.output
    engine = create_store_engine(database_url)
    with engine.connect() as conn:
        usage = conn.execute(sa.text("select mode, requests from llm_usage where run_key like 'eval:%' order by 1"))
        assert [tuple(row) for row in usage] == [("hybrid", 0), ("llm", 3)]
    engine.dispose()


def test_eval_with_the_model_and_no_endpoint_is_one_line(
    server: OpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOBATLAS_LLM_BASE_URL")
    gold, postings = write_inputs(tmp_path)
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--postings", str(postings), "--tagger", "hybrid"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        "error: --tagger hybrid needs an LLM endpoint: set JOBATLAS_LLM_BASE_URL (and JOBATLAS_LLM_MODEL, "
        "JOBATLAS_LLM_API_KEY as the endpoint needs)"
    )
    assert server.requests == []
