"""The LLM client against a local OpenAI-compatible server: structured output and its JSON-mode fallback, repair,
refusals, retries (429 with Retry-After, 500, timeouts), the requests-per-minute limit, usage and cost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from http_server import Reply
from llm_samples import POSTING, SKILL_NAMES, answer_text
from openai_server import CHAT_PATH, OpenAIServer, completion, error
from pg_server import free_port
from pydantic import SecretStr

from pipeline.llm.budget import Budget
from pipeline.llm.client import ClientConfig, LlmClient, Outcome
from pipeline.llm.pricing import FREE, Price
from pipeline.llm.prompt import build_prompt

MESSAGES = build_prompt(POSTING, SKILL_NAMES, max_description_chars=5_000)
MINI = Price("gpt-4o-mini", 0.15, 0.60, "listed")


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def make_client(
    base_url: str, *, sleeps: list[float] | None = None, price: Price = FREE, **overrides: Any
) -> LlmClient:
    config: dict[str, Any] = {
        "base_url": base_url,
        "api_key": SecretStr("sk-test-secret"),
        "model": "test-model",
        "timeout_seconds": 5.0,
        "max_attempts": 3,
        "requests_per_minute": 60_000,
    }
    config.update(overrides)
    recorded = sleeps if sleeps is not None else []
    return LlmClient(ClientConfig(**config), price=price, sleep=recorded.append, backoff_seconds=0.01)


def test_a_valid_answer_is_parsed_with_its_usage_latency_and_cost(server: OpenAIServer) -> None:
    server.script(completion(answer_text(), prompt_tokens=2_000, completion_tokens=500))
    result = make_client(server.base_url, price=MINI).tag(MESSAGES, POSTING, skill_names=SKILL_NAMES)
    assert result.outcome is Outcome.OK and result.error is None
    assert result.answer is not None
    assert (result.answer.level, result.answer.role_family, result.answer.years_min) == ("senior", "ai_engineer", 5)
    assert [s.name for s in result.answer.skills] == ["Python", "Kubernetes"]
    assert (result.usage.prompt_tokens, result.usage.completion_tokens, result.requests) == (2_000, 500, 1)
    assert result.cost_usd == pytest.approx(0.0006)
    assert result.latency_seconds >= 0
    [request] = server.requests
    assert request.path == CHAT_PATH
    assert request.body["model"] == "test-model" and request.body["temperature"] == 0
    assert request.body["messages"] == MESSAGES
    assert request.response_format == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert request.headers["authorization"] == "Bearer sk-test-secret"


def test_invalid_json_gets_one_repair_request(server: OpenAIServer) -> None:
    server.script(completion('{"level": "senior", "track": '), completion(answer_text()))
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.OK
    assert result.requests == 2 and result.usage.prompt_tokens == 2_000
    repair = server.requests[1].body["messages"]
    assert repair[:2] == MESSAGES
    assert repair[2] == {"role": "assistant", "content": '{"level": "senior", "track": '}
    assert repair[3]["role"] == "user" and "not JSON" in repair[3]["content"]


def test_invalid_json_twice_falls_back(server: OpenAIServer) -> None:
    server.script(completion("Here are the labels: level senior"), completion("still not json"))
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.INVALID and result.answer is None
    assert result.requests == 2
    assert result.error == "invalid reply after a repair request: not JSON: Expecting value (line 1, column 1)"


def test_schema_violating_json_is_repaired_or_falls_back(server: OpenAIServer) -> None:
    server.script(completion(answer_text(level="expert")), completion(answer_text(years_min="five")))
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.INVALID and result.requests == 2
    assert (
        "schema: level: Input should be 'i', 'ii', 'senior' or 'staff'"
        in server.requests[1].body["messages"][3]["content"]
    )
    assert result.error is not None and "schema: years_min" in result.error


def test_a_hallucinated_evidence_quote_drops_the_skill_and_is_counted(server: OpenAIServer) -> None:
    skills = [
        {"name": "Python", "requirement": "required", "evidence": "strong  PYTHON skills"},
        {"name": "LLMs", "requirement": "required", "evidence": "10 years of LLM research"},
    ]
    server.script(completion(answer_text(skills=skills)))
    result = make_client(server.base_url).tag(MESSAGES, POSTING, skill_names=SKILL_NAMES)
    assert result.outcome is Outcome.OK and result.parsed is not None and result.answer is not None
    assert [s.name for s in result.answer.skills] == ["Python"]
    assert [s.name for s in result.parsed.hallucinated] == ["LLMs"]


def test_429_is_retried_after_the_time_the_server_asks(server: OpenAIServer) -> None:
    server.script(error(429, "slow down", headers={"Retry-After": "7"}), completion(answer_text()))
    sleeps: list[float] = []
    result = make_client(server.base_url, sleeps=sleeps).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.OK and len(server.requests) == 2
    assert sleeps == [7.0]
    assert result.requests == 1  # one answered (billed) request


def test_retry_after_ms_wins_and_long_waits_are_capped(server: OpenAIServer) -> None:
    server.script(
        error(429, "slow down", headers={"retry-after-ms": "250", "Retry-After": "1"}),
        error(429, "slow down", headers={"Retry-After": "3600"}),
        completion(answer_text()),
    )
    sleeps: list[float] = []
    config = ClientConfig(base_url=server.base_url, api_key=None, model="m", max_attempts=3, requests_per_minute=6e4)
    client = LlmClient(config, price=FREE, sleep=sleeps.append, max_backoff_seconds=30.0)
    assert client.tag(MESSAGES, POSTING).outcome is Outcome.OK
    assert sleeps == [0.25, 30.0]
    assert server.requests[0].headers["authorization"] == "Bearer not-needed"


def test_a_500_is_retried_with_backoff(server: OpenAIServer) -> None:
    server.script(error(500, "boom"), completion(answer_text()))
    sleeps: list[float] = []
    result = make_client(server.base_url, sleeps=sleeps).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.OK and len(server.requests) == 2
    assert len(sleeps) == 1 and 0.01 <= sleeps[0] <= 0.02  # backoff 0.01 s plus up to 0.01 s of jitter


def test_a_500_that_persists_is_an_error_after_the_last_attempt(server: OpenAIServer) -> None:
    server.default = error(503, "overloaded")
    result = make_client(server.base_url, max_attempts=3).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.ERROR and result.answer is None
    assert len(server.requests) == 3
    assert result.error == "HTTP 503: overloaded"


def test_a_client_error_is_not_retried(server: OpenAIServer) -> None:
    server.default = error(401, "invalid api key")
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.ERROR and len(server.requests) == 1
    assert result.error == "HTTP 401: invalid api key"
    assert "sk-test-secret" not in result.error


def test_a_timeout_is_retried(server: OpenAIServer) -> None:
    server.script(completion(answer_text(), delay=5.0), completion(answer_text()))
    result = make_client(server.base_url, timeout_seconds=0.3).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.OK
    assert len(server.requests) == 2


def test_timeouts_on_every_attempt_are_an_error(server: OpenAIServer) -> None:
    server.default = completion(answer_text(), delay=5.0)
    result = make_client(server.base_url, timeout_seconds=0.2, max_attempts=2).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.ERROR and result.error == "timed out"
    assert len(server.requests) == 2


def test_an_unreachable_server_is_an_error_in_one_line() -> None:
    result = make_client(f"http://127.0.0.1:{free_port()}/v1", max_attempts=2).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.ERROR
    assert result.error is not None and result.error.startswith("connection failed")
    assert "\n" not in result.error


def test_a_rejected_json_schema_falls_back_to_json_mode_for_good(server: OpenAIServer) -> None:
    def only_json_mode(body: dict[str, Any]) -> Any:
        if body["response_format"]["type"] == "json_schema":
            return error(400, "response_format json_schema is not supported")
        return completion(answer_text())

    server.default = only_json_mode
    client = make_client(server.base_url)
    assert client.tag(MESSAGES, POSTING).outcome is Outcome.OK
    assert client.response_format == "json_object"
    assert client.tag(MESSAGES, POSTING).outcome is Outcome.OK
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object", "json_object"]


def test_a_400_in_json_mode_is_an_error(server: OpenAIServer) -> None:
    server.default = error(400, "context length exceeded")
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.ERROR and result.error == "HTTP 400: context length exceeded"
    assert [r.response_format for r in server.requests] == ["json_schema", "json_object"]


@pytest.mark.parametrize(
    "reply",
    [
        completion(None, refusal="I can't help with that request."),
        completion("", finish_reason="content_filter"),
        completion("I'm sorry, but I cannot label this posting."),
    ],
    ids=["refusal-field", "content-filter", "apology"],
)
def test_a_refusal_falls_back_without_a_repair_request(server: OpenAIServer, reply: Any) -> None:
    server.script(reply)
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.REFUSED and result.answer is None
    assert len(server.requests) == 1
    assert result.error is not None and result.error.startswith("refused")


def test_a_response_without_usage_is_charged_the_estimate(server: OpenAIServer) -> None:
    server.script(completion(answer_text(), usage=False))
    result = make_client(server.base_url, price=MINI, max_output_tokens=1_000).tag(MESSAGES, POSTING)
    prompt_chars = sum(len(m["content"]) for m in MESSAGES)
    assert result.usage.prompt_tokens == -(-prompt_chars // 3) and result.usage.completion_tokens == 1_000
    assert result.cost_usd == MINI.cost(result.usage.prompt_tokens, 1_000)


def test_requests_are_spaced_by_the_requests_per_minute_limit(server: OpenAIServer) -> None:
    server.default = completion(answer_text())
    sleeps: list[float] = []
    client = make_client(server.base_url, sleeps=sleeps, requests_per_minute=60)
    for _ in range(3):
        client.tag(MESSAGES, POSTING)
    # the fake sleep returns at once, so the turns stay one and two seconds after the first request
    assert len(sleeps) == 2 and 0 < sleeps[0] <= 1.0 and 1.0 < sleeps[1] <= 2.0


def test_a_request_that_does_not_fit_the_budget_is_not_sent(server: OpenAIServer) -> None:
    server.default = completion(answer_text())
    budget = Budget(0.0001)  # less than the worst case of one request at gpt-4o-mini prices
    config = ClientConfig(base_url=server.base_url, api_key=None, model="gpt-4o-mini")
    result = LlmClient(config, price=MINI, budget=budget).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.BUDGET and result.requests == 0
    assert server.requests == [] and budget.exhausted and budget.spent_usd == 0


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "<html><body>Bad gateway</body></html>", content_type="text/html"),
        Reply(200, b'{"choices": [', content_type="application/json"),
        Reply(200, {"choices": "none"}),
    ],
    ids=["html-page", "broken-json", "other-shape"],
)
def test_a_200_that_is_not_a_chat_completion_is_an_error_not_a_crash(server: OpenAIServer, reply: Reply) -> None:
    server.default = reply
    result = make_client(server.base_url).tag(MESSAGES, POSTING)
    assert result.outcome is Outcome.ERROR and result.answer is None
    assert result.error is not None and result.error.startswith("not a chat completion")
    assert len(server.requests) == 1
