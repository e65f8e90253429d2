"""Tagging many postings against a local OpenAI-compatible server: the concurrency limit, the budget running out
mid-run, the cache answering a second run, an outage, and the run summary."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llm_samples import POSTING, SKILL_NAMES, answer_text
from openai_server import OpenAIServer, completion, error

from pipeline.domain import Posting
from pipeline.llm.budget import Budget, estimate_tokens
from pipeline.llm.client import ClientConfig, LlmClient
from pipeline.llm.pricing import FREE, Price
from pipeline.llm.prompt import build_prompt
from pipeline.llm.tagger import SKIPPED_OUTAGE, MemoryCache, TaggingReport, cache_key, tag_postings

MINI = Price("gpt-4o-mini", 0.15, 0.60, "listed")
CHARS = 5_000


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def postings(count: int) -> list[Posting]:
    return [POSTING.model_copy(update={"id": f"test:{n}", "title": f"Senior AI Engineer {n}"}) for n in range(count)]


def client_for(server: OpenAIServer, *, price: Price = FREE, budget: Budget | None = None, **config: Any) -> LlmClient:
    settings: dict[str, Any] = {"api_key": None, "model": "gpt-4o-mini", "requests_per_minute": 60_000}
    settings.update(config)
    return LlmClient(
        ClientConfig(base_url=server.base_url, **settings),
        price=price,
        budget=budget,
        sleep=lambda _: None,
        backoff_seconds=0.01,
    )


def run(items: list[Posting], client: LlmClient, cache: MemoryCache) -> tuple[list[Any], TaggingReport]:
    return tag_postings(items, client=client, cache=cache, skill_names=SKILL_NAMES, max_description_chars=CHARS)


def test_slow_answers_stay_under_the_concurrency_limit(server: OpenAIServer) -> None:
    server.default = completion(answer_text(), delay=0.2)
    answers, report = run(postings(8), client_for(server, max_concurrency=3), MemoryCache())
    assert server.max_in_flight <= 3
    assert len(server.requests) == 8
    assert [a.source for a in answers] == ["llm"] * 8 and report.answered == 8


def test_the_budget_runs_out_mid_run_and_the_rest_keep_their_rule_labels(server: OpenAIServer) -> None:
    server.default = completion(answer_text(), prompt_tokens=1_000, completion_tokens=200)
    items = postings(5)
    prompt_chars = sum(len(m["content"]) for m in build_prompt(items[0], SKILL_NAMES, max_description_chars=CHARS))
    worst = MINI.cost(estimate_tokens(prompt_chars), 1_500)
    actual = MINI.cost(1_000, 200)
    budget = Budget(2 * actual + worst + actual / 2)  # room for three requests, not a fourth
    answers, report = run(items, client_for(server, price=MINI, budget=budget, max_concurrency=1), MemoryCache())
    assert len(server.requests) == 3
    assert [a.source for a in answers] == ["llm", "llm", "llm", None, None]
    assert [a.error for a in answers[3:]] == ["budget spent", "budget spent"]
    assert report.failures == {"budget": 2} and report.answered == 3
    assert report.cost_usd == pytest.approx(3 * actual) and budget.spent_usd == pytest.approx(3 * actual)
    assert budget.exhausted


def test_a_second_run_is_answered_by_the_cache_for_free(server: OpenAIServer) -> None:
    server.default = completion(answer_text(), prompt_tokens=1_000, completion_tokens=200)
    cache = MemoryCache()
    items = postings(3)
    first, report = run(items, client_for(server, price=MINI), cache)
    assert report.cache_hits == 0 and report.requests == 3 and report.cost_usd > 0
    second, again = run(items, client_for(server, price=MINI), cache)
    assert len(server.requests) == 3
    assert (again.cache_hits, again.requests, again.cost_usd, again.hit_rate) == (3, 0, 0.0, 1.0)
    assert [a.answer for a in second] == [a.answer for a in first]
    assert [a.source for a in second] == ["cache"] * 3
    entry = cache.entries[cache_key("gpt-4o-mini", build_prompt(items[0], SKILL_NAMES, max_description_chars=CHARS))]
    assert (entry.prompt_tokens, entry.completion_tokens) == (1_000, 200)


def test_a_changed_posting_is_asked_again(server: OpenAIServer) -> None:
    server.default = completion(answer_text())
    cache = MemoryCache()
    run(postings(2), client_for(server), cache)
    changed = [p.model_copy(update={"description": p.description + "\n- SQL"}) for p in postings(2)[:1]]
    _, report = run(changed, client_for(server), cache)
    assert report.cache_hits == 0 and len(server.requests) == 3


def test_an_outage_stops_calling_the_model_and_is_one_line_in_the_summary(server: OpenAIServer) -> None:
    server.default = error(503, "upstream connect error")
    answers, report = run(postings(6), client_for(server, max_attempts=1, max_concurrency=1), MemoryCache())
    assert len(server.requests) == 3  # three failures in a row: the endpoint counts as down
    assert all(a.answer is None for a in answers)
    assert [a.error for a in answers] == ["HTTP 503: upstream connect error"] * 3 + [SKIPPED_OUTAGE] * 3
    assert report.failures == {"error": 6}
    assert report.summary_lines()[-2:] == [
        "LLM failures: error 6",
        "LLM most frequent error (3x): HTTP 503: upstream connect error",
    ]


def test_hallucinations_and_the_run_totals_are_summarised(server: OpenAIServer) -> None:
    skills = [
        {"name": "Python", "requirement": "required", "evidence": "Strong Python skills"},
        {"name": "LLMs", "requirement": "required", "evidence": "a quote that is not there"},
        {"name": "Rust", "requirement": "required", "evidence": "Strong Python skills"},
    ]
    server.script(
        completion(answer_text(skills=skills), prompt_tokens=1_200, completion_tokens=300),
        completion("I'm sorry, I can't do that."),
    )
    _, report = run(postings(2), client_for(server, price=MINI, max_concurrency=1), MemoryCache())
    assert report.summary_lines() == [
        "LLM gpt-4o-mini: 2 postings, 0 from the cache (hit rate 0%), 1 answered by the model, "
        "1 kept their rule labels",
        "LLM tokens 2,200 in / 500 out, 2 requests, cost $0.0006",
        "LLM hallucinated evidence: 1 skill(s) dropped; 1 unknown skill name(s) dropped",
        "LLM failures: refused 1",
        "LLM most frequent error (1x): refused: I'm sorry, I can't do that.",
    ]


def test_a_refusal_is_remembered_and_not_asked_again(server: OpenAIServer) -> None:
    server.script(completion(answer_text()), completion(None, refusal="I can't help with that."))
    cache = MemoryCache()
    items = postings(2)
    first, report = run(items, client_for(server, max_concurrency=1), cache)
    assert [a.source for a in first] == ["llm", None] and report.failures == {"refused": 1}
    second, again = run(items, client_for(server, max_concurrency=1), cache)
    assert len(server.requests) == 2  # nothing asked the second time
    assert [(a.source, a.error) for a in second] == [("cache", None), ("cache", "refused: I can't help with that.")]
    assert (again.cache_hits, again.requests, again.failures) == (2, 0, {"refused": 1})
    assert again.summary_lines()[0].endswith(
        "2 from the cache (hit rate 100%), 0 answered by the model, 1 kept their rule labels"
    )


def test_an_outage_line_names_the_last_error_and_the_postings_not_sent(server: OpenAIServer) -> None:
    server.default = error(503, "upstream connect error")
    _, report = run(postings(5), client_for(server, max_attempts=1, max_concurrency=1), MemoryCache())
    assert report.not_sent == 2 and report.errors == {"HTTP 503: upstream connect error": 3}
    assert report.outage == (
        "LLM endpoint down (3 failures in a row; last: HTTP 503: upstream connect error): 2 posting(s) not sent, "
        "they keep their rule labels"
    )
    assert [line for line in report.summary_lines() if "down" in line] == [report.outage]
