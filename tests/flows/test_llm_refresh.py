"""The LLM step of weekly_refresh and reextract on a real PostgreSQL server, against the local OpenAI-compatible
server: final tags, provenance, disagreements, the model's skills, usage and summary lines; the cache answering
later runs; a budget running out; an endpoint that is down. The rule labels always stay."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from http_server import Reply
from openai_server import OpenAIServer, completion
from pg_server import free_port
from typer.testing import CliRunner

from flows.cli import app
from flows.reextract import reextract
from flows.weekly_refresh import weekly_refresh
from pipeline.domain import Posting
from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.llm.budget import estimate_tokens
from pipeline.llm.pricing import Price
from pipeline.llm.prompt import build_prompt
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")

MINI = Price("gpt-4o-mini", 0.15, 0.60, "listed")
POSTINGS = {  # title -> description; the rules flag every one but h:4 (see the comments)
    "h:1": ("AI Engineer", "Build chat assistants for our support team.\nRequirements\n- Python and LangChain\n"
            "- Craft the instructions our assistants follow"),  # no level; a close count of skills
    "h:2": ("Machine Learning Engineer", "Train ranking models.\nRequirements\n- PyTorch and Python\n"
            "- Mentor other engineers"),  # level from scope language only
    "h:3": ("AI/ML Engineer", "Requirements\n- Python\n- LangChain and PyTorch\n- Fine-tune models"),  # no level
    "h:4": ("Senior AI Engineer, Retrieval", "Requirements\n- 5+ years of Python\n- Build retrieval-augmented "
            "generation (RAG) pipelines with LangChain\n- Vector search with pgvector and semantic search over "
            "embeddings\n- Evaluate RAG answer quality"),  # trusted: never sent in hybrid mode
    "h:5": ("Software Engineer", "We build agents.\nRequirements\n- Python, LangChain and OpenAI APIs\n"
            "- 1+ years of experience"),  # "other" by default, yet asks LLM skills
}  # fmt: skip
TITLES = {title: pid for pid, (title, _) in POSTINGS.items()}


def answer(**fields: Any) -> str:
    data: dict[str, Any] = {
        "level": "ii",
        "track": "ic",
        "role_family": "ai_engineer",
        "specializations": [],
        "skills": [{"name": "Python", "requirement": "required", "evidence": "Python"}],
        "years_min": None,
        "education_min": None,
        "publications": None,
        "rationale": "test",
    }
    data.update(fields)
    return json.dumps(data)


ANSWERS: dict[str, Reply] = {
    "h:1": completion(
        answer(
            specializations=["agents"],
            skills=[
                {"name": "Python", "requirement": "required", "evidence": "Python and LangChain"},
                {
                    "name": "Prompt engineering",
                    "requirement": "required",
                    "evidence": "Craft the instructions our assistants follow",
                },
            ],
        )
    ),
    "h:2": completion(None, refusal="I can't help with that."),
    "h:3": completion(
        answer(
            level="senior",
            role_family="ml_engineer",
            skills=[
                {"name": "PyTorch", "requirement": "required", "evidence": "LangChain and PyTorch"},
                {"name": "Kubernetes", "requirement": "required", "evidence": "Deploy models on Kubernetes"},
            ],
        )
    ),
    "h:5": completion(answer(level="i")),
}


def posting_id_of(body: dict[str, Any]) -> str:
    user = body["messages"][1]["content"]
    return TITLES[user.split("\n", 1)[0].removeprefix("Title: ")]


def by_posting(body: dict[str, Any]) -> Reply:
    return ANSWERS[posting_id_of(body)]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        running.default = by_posting
        yield running


@pytest.fixture
def postings_file(tmp_path: Path) -> Path:
    path = tmp_path / "board.jsonl"
    rows = [
        {"id": pid, "title": title, "company": "Acme", "posted_at": "2026-11-02", "description_text": text}
        for pid, (title, text) in POSTINGS.items()
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def llm_settings(settings: Settings, base_url: str, **more: Any) -> Settings:
    values: dict[str, Any] = {
        "llm_mode": "hybrid",
        "llm_base_url": base_url,
        "llm_model": "gpt-4o-mini",
        "llm_requests_per_minute": 60_000,
        "llm_max_attempts": 1,
        "llm_max_concurrency": 2,
    }
    values.update(more)
    return settings.model_copy(update=values)


def this_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        out = [tuple(row) for row in conn.execute(sa.text(sql))]
    engine.dispose()
    return out


def versions(url: str, tables: tuple[str, ...]) -> dict[str, set[tuple[str, str]]]:
    sql = "select ctid::text, xmin::text from {}"
    return {table: set(rows(url, sql.format(table))) for table in tables}  # type: ignore[misc]


REVIEWED = ("posting_tags", "posting_skills", "tag_provenance", "tag_disagreements", "weekly_segment_counts")


def test_hybrid_refresh_stores_final_tags_and_later_runs_are_answered_by_the_cache(
    settings: Settings, database_url: str, postings_file: Path, server: OpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = llm_settings(settings, server.base_url)
    first = weekly_refresh(settings=config, sources="none", files=[postings_file])
    assert first.status == "succeeded"
    assert sorted(posting_id_of(r.body) for r in server.requests) == ["h:1", "h:2", "h:3", "h:5"]
    assert "llm" in first.step_seconds and first.llm_mode == "hybrid" and first.llm_final_tags == 3
    assert first.llm_lines == [
        "LLM gpt-4o-mini: 4 postings, 0 from the cache (hit rate 0%), 3 answered by the model, "
        "1 kept their rule labels",
        "LLM tokens 4,000 in / 800 out, 4 requests, cost $0.0011",
        "LLM hallucinated evidence: 1 skill(s) dropped; 0 unknown skill name(s) dropped",
        "LLM failures: refused 1",
        "LLM most frequent error (1x): refused: I can't help with that.",
        "LLM final tags: 3 posting(s) (hybrid mode), 1 skill(s) added by the model, 9 disagreement(s) with the "
        "rules kept for review",
        f"LLM this month ({this_month()}): 1 run(s), 4 postings, 0 from the cache, 4 requests, tokens 4,000 in / "
        "800 out, cost $0.0011",
    ]
    # every posting keeps its rule tag; the answered ones also have a final tag
    assert rows(database_url, "select posting_id from posting_tags where method = 'rules' order by 1") == [
        (pid,) for pid in POSTINGS
    ]
    finals = rows(database_url, "select posting_id, level, role_family from posting_tags where method = 'final'")
    assert sorted(finals) == [
        ("h:1", "ii", "ai_engineer"),
        ("h:3", "senior", "ml_engineer"),
        ("h:5", "i", "ai_engineer"),
    ]
    assert rows(database_url, "select level from posting_tags where posting_id = 'h:1' and method = 'rules'") == [
        (None,)
    ]
    # the model's skill reaches posting_skills beside the rule skills; the hallucinated one does not
    skills = rows(
        database_url,
        "select s.posting_id, k.name, s.source from posting_skills s join skills k on k.id = s.skill_id"
        " where s.source = 'llm' or k.name = 'Kubernetes'",
    )
    assert skills == [("h:1", "Prompt engineering", "llm")]
    provenance = dict(rows(database_url, "select posting_id, provenance from tag_provenance"))
    assert set(provenance) == {"h:1", "h:3", "h:5"}
    assert provenance["h:1"]["level"] == "llm" and provenance["h:1"]["track"] == "rules"
    assert provenance["h:1"]["skills"]["Prompt engineering"] == "llm"
    assert provenance["h:1"]["skills"]["LangChain"] == "rules"
    reasons = rows(database_url, "select reasons from tag_provenance where posting_id = 'h:5'")
    assert reasons == [(["role family: other by default, yet asks LangChain, OpenAI API"],)]
    disagreements = rows(
        database_url, "select posting_id, field, rules_value, llm_value, chosen from tag_disagreements order by 1, 2"
    )
    assert disagreements == [
        ("h:1", "skill:LangChain", "required", None, "rules"),
        ("h:1", "skill:Prompt engineering", None, "required", "llm"),
        ("h:1", "specializations", [], ["agents"], "llm"),
        ("h:3", "skill:Fine-tuning", "required", None, "rules"),
        ("h:3", "skill:LangChain", "required", None, "rules"),
        ("h:3", "skill:Python", "required", None, "rules"),  # Kubernetes is not there: its quote is not in h:3
        ("h:5", "role_family", "other", "ai_engineer", "llm"),
        ("h:5", "skill:LangChain", "required", None, "rules"),
        ("h:5", "skill:OpenAI API", "required", None, "rules"),
    ]
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)  # the review command lists them
    review = CliRunner().invoke(app, ["llm", "disagreements", "--field", "role_family"])
    assert review.exit_code == 0, review.output
    assert "1 disagreement(s) in 1 posting(s)" in review.output and "h:5" in review.output
    assert "skill:" in CliRunner().invoke(app, ["llm", "disagreements", "--field", "skill:", "--limit", "2"]).output
    # the aggregates count the final labels
    assert rows(database_url, "select level, postings from weekly_segment_counts where role_family = 'other'") == []
    usage = rows(
        database_url,
        "select mode, model, postings, requests, cache_hits, hallucinations, failures, errors, run_id from llm_usage",
    )
    assert usage == [("hybrid", "gpt-4o-mini", 4, 4, 0, 1, 1, {"refused": 1}, first.run_id)]

    # a second run on the same postings: every answer (and the refusal) comes from the cache, nothing changes
    before = versions(database_url, REVIEWED)
    second = weekly_refresh(settings=config, sources="none", files=[postings_file])
    assert second.status == "succeeded" and len(server.requests) == 4
    assert second.llm_lines[0] == (
        "LLM gpt-4o-mini: 4 postings, 4 from the cache (hit rate 100%), 0 answered by the model, "
        "1 kept their rule labels"
    )
    assert second.llm_lines[1] == "LLM tokens 0 in / 0 out, 0 requests, cost $0.0000"
    assert second.llm_lines[-1].startswith(f"LLM this month ({this_month()}): 2 run(s), 8 postings, 4 from the cache")
    assert versions(database_url, REVIEWED) == before
    assert rows(database_url, "select count(*), sum(cache_hits) from llm_usage") == [(2, 4)]

    # re-tagging every posting drops the final tags with the rule tags; the cache makes them again for free
    retagged = reextract(settings=config, everything=True)
    assert len(server.requests) == 4
    assert retagged.llm_lines[0].startswith("LLM gpt-4o-mini: 4 postings, 4 from the cache (hit rate 100%)")
    assert sorted(rows(database_url, "select posting_id, level from posting_tags where method = 'final'")) == [
        ("h:1", "ii"),
        ("h:3", "senior"),
        ("h:5", "i"),
    ]
    assert rows(database_url, "select count(*) from posting_skills where source = 'llm'") == [(1,)]


def test_a_budget_spent_mid_run_keeps_the_rule_labels_of_the_rest(
    settings: Settings, database_url: str, postings_file: Path, server: OpenAIServer
) -> None:
    server.default = completion(answer(), prompt_tokens=1_000, completion_tokens=200)
    skill_names = [s.name for s in load_taxonomy(settings.taxonomy_dir / "skills.yaml").skills]
    prompts = [
        build_prompt(
            Posting(id=pid, source_id="f", raw_hash="", title=title, company="Acme", description=text),
            skill_names,
            max_description_chars=settings.llm_max_description_chars,
        )
        for pid, (title, text) in POSTINGS.items()
    ]
    worst = max(MINI.cost(estimate_tokens(sum(len(m["content"]) for m in p)), 1_500) for p in prompts)
    actual = MINI.cost(1_000, 200)
    config = llm_settings(
        settings, server.base_url, llm_mode="llm", llm_max_concurrency=1, llm_budget_usd=actual + worst + actual / 2
    )
    summary = weekly_refresh(settings=config, sources="none", files=[postings_file])
    assert summary.status == "succeeded"
    assert len(server.requests) == 2  # room for two requests' worst case, not a third
    assert "LLM failures: budget 3" in summary.llm_lines
    assert rows(database_url, "select posting_id from posting_tags where method = 'final' order by 1") == [
        ("h:1",),
        ("h:2",),
    ]
    assert rows(database_url, "select count(*) from posting_tags where method = 'rules'") == [(5,)]
    assert rows(database_url, "select mode, requests, failures, errors from llm_usage") == [
        ("llm", 2, 3, {"budget": 3})
    ]


def test_an_endpoint_that_is_down_is_one_line_and_the_run_keeps_the_rule_labels(
    settings: Settings, database_url: str, postings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    down = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    config = llm_settings(settings, down, llm_mode="llm", llm_max_concurrency=1)
    summary = weekly_refresh(settings=config, sources="none", files=[postings_file])
    assert summary.status == "succeeded" and summary.llm_final_tags == 0
    outage = [line for line in summary.llm_lines if "endpoint down" in line]
    assert len(outage) == 1
    assert outage[0].startswith("LLM endpoint down (3 failures in a row; last: connection failed")
    assert outage[0].endswith("2 posting(s) not sent, they keep their rule labels")
    assert rows(database_url, "select count(*) from posting_tags where method = 'rules'") == [(5,)]
    assert rows(database_url, "select count(*) from posting_tags where method = 'final'") == [(0,)]
    assert rows(database_url, "select requests, failures, errors from llm_usage") == [
        (0, 5, {"error": 5, "not_sent_endpoint_down": 2})
    ]

    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)  # jobatlas run prints the lines of the summary
    monkeypatch.setenv("JOBATLAS_LLM_MODE", "hybrid")
    monkeypatch.delenv("JOBATLAS_LLM_BASE_URL", raising=False)
    result = CliRunner().invoke(app, ["run", "--sources", "none", "--file", str(postings_file)])
    assert result.exit_code == 0, result.output
    assert (
        "LLM mode hybrid, but no endpoint is configured (set JOBATLAS_LLM_BASE_URL): every posting keeps its rule "
        "labels"
    ) in result.output.splitlines()
