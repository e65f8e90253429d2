"""Prices (data/pricing.yaml), the cost of a request, the budget and the requests-per-minute limit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pipeline.llm.budget import Budget, estimate_tokens
from pipeline.llm.limits import RateLimiter
from pipeline.llm.pricing import Price, is_local_host, load_price_table, price_for

PRICING = Path(__file__).resolve().parents[3] / "data" / "pricing.yaml"
TABLE = load_price_table(PRICING)
OPENAI = "https://api.openai.com/v1"


def test_the_table_prices_the_major_hosted_models_with_a_date_and_a_source() -> None:
    names = {entry.name for entry in TABLE.models}
    assert {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano"} <= names
    assert any(name.startswith("claude") for name in names) and any(name.startswith("gemini") for name in names)
    assert len(names) == len(TABLE.models)
    for entry in TABLE.models:
        assert entry.source.startswith("https://") and entry.checked.year >= 2025
        assert 0 < entry.input <= entry.output
    assert TABLE.unlisted.input >= max(e.input for e in TABLE.models)
    assert TABLE.unlisted.output >= max(e.output for e in TABLE.models)


@pytest.mark.parametrize(
    ("model", "base_url", "expected"),
    [
        ("gpt-4o", OPENAI, ("gpt-4o", "listed")),
        ("gpt-4o-2024-08-06", OPENAI, ("gpt-4o", "listed")),
        ("gpt-4o-mini-2024-07-18", OPENAI, ("gpt-4o-mini", "listed")),
        ("gpt-4.1-nano", OPENAI, ("gpt-4.1-nano", "listed")),
        ("openai/gpt-4.1", "https://openrouter.example/api/v1", ("gpt-4.1", "listed")),
        ("claude-sonnet-4-5-20250929", "https://api.anthropic.com/v1/", ("claude-sonnet-4-5", "listed")),
        ("claude-sonnet-4-20250514", "https://api.anthropic.com/v1/", ("claude-sonnet-4", "listed")),
        (
            "gemini-2.5-flash",
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            ("gemini-2.5-flash", "listed"),
        ),
        (
            "models/gemini-2.0-flash-lite",
            "https://generativelanguage.googleapis.com/v1beta/openai/",
            (
                "gemini-2.0-flash-lite",
                "listed",
            ),
        ),
        ("gpt-4o", "http://localhost:4000/v1", ("gpt-4o", "listed")),  # a local proxy to a paid model still costs
        ("llama3.1:8b", "http://localhost:11434/v1", ("llama3.1:8b", "local")),
        ("Qwen/Qwen2.5-7B-Instruct", "http://vllm:8000/v1", ("Qwen/Qwen2.5-7B-Instruct", "local")),
        ("gpt-4o-large-preview-unknown", "http://192.168.1.20:8080/v1", ("gpt-4o", "listed")),
        ("some-new-model", OPENAI, ("some-new-model", "unlisted")),
        ("gpt-4", OPENAI, ("gpt-4", "unlisted")),  # gpt-4 is not gpt-4o
    ],
)
def test_models_find_their_price(model: str, base_url: str, expected: tuple[str, str]) -> None:
    price = price_for(model, base_url, TABLE)
    assert (price.model, price.basis) == expected
    if price.basis == "local":
        assert price.cost(1_000_000, 1_000_000) == 0.0


def test_cost_is_per_million_tokens() -> None:
    mini = price_for("gpt-4o-mini", OPENAI, TABLE)
    assert mini.cost(1_000_000, 0) == mini.input_per_million
    assert mini.cost(0, 1_000_000) == mini.output_per_million
    assert Price("m", 2.5, 10.0, "listed").cost(3_000, 700) == 0.0145


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000/v1", True),
        ("http://[::1]:8000/v1", True),
        ("http://host.docker.internal:11434/v1", True),
        ("http://gpu-box.local:8000/v1", True),
        ("http://172.20.0.5:8000/v1", True),
        ("https://api.groq.com/openai/v1", False),
        ("http://8.8.8.8/v1", False),
        ("http://[2001:4860:4860::8888]/v1", False),
    ],
)
def test_local_hosts(url: str, local: bool) -> None:
    assert is_local_host(url) is local


def test_the_budget_refuses_what_does_not_fit_and_stays_exhausted() -> None:
    budget = Budget(1.0)
    assert budget.reserve(0.6)
    budget.settle(0.6, 0.2)  # the request cost less than its worst case
    assert budget.spent_usd == pytest.approx(0.2)
    assert budget.reserve(0.7)
    assert not budget.reserve(0.2)  # 0.2 spent + 0.7 reserved + 0.2 > 1.0
    budget.settle(0.7, 0.1)
    assert not budget.reserve(0.01) and budget.exhausted  # no more requests in this run
    assert budget.spent_usd == pytest.approx(0.3)


def test_a_zero_budget_allows_free_models_only_and_none_is_unlimited() -> None:
    assert Budget(0.0).reserve(0.0) and not Budget(0.0).reserve(0.000001)
    assert Budget(None).reserve(1e9)


def test_the_budget_holds_across_threads() -> None:
    budget = Budget(1.0)
    granted: list[bool] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            ok = budget.reserve(1 / 128)  # exact in binary: no rounding at the limit
            if ok:
                budget.settle(1 / 128, 1 / 128)
            with lock:
                granted.append(ok)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 128 and budget.spent_usd == 1.0


def test_token_estimate() -> None:
    assert [estimate_tokens(n) for n in (0, 1, 3, 4, 3_000)] == [0, 1, 1, 2, 1_000]


def test_the_rate_limiter_spaces_request_starts() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(30, clock=lambda: now[0], sleep=sleep)
    limiter.acquire()
    now[0] += 0.5
    limiter.acquire()
    now[0] += 10
    limiter.acquire()  # long after the last turn: no wait
    assert waits == [1.5]
    with pytest.raises(ValueError):
        RateLimiter(0)
