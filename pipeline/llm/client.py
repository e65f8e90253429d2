"""The one place jobatlas talks to a model: the official ``openai`` SDK against any OpenAI-compatible
chat-completions endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp server, LM Studio, and the
OpenAI-compatible endpoints of Anthropic and Google).

One request per posting, asking for JSON-schema structured output; a server that rejects ``json_schema`` (HTTP
400 or 422) is asked again in JSON mode (``json_object``) and the client stays in JSON mode from then on. Retries
are tenacity's alone (the SDK's own are switched off): 429, 408, 409, 5xx, timeouts and connection errors are
retried with exponential backoff and jitter, honouring ``Retry-After`` / ``retry-after-ms`` (capped at the
longest backoff). A reply that is not valid JSON or breaks the schema gets one repair request (the reply and
what is wrong with it), then the posting falls back to the rules. Refusals (the ``refusal`` field, a
``content_filter`` finish, or a reply that opens with an apology instead of JSON) are not repaired. A 200 that is
not a chat completion (an HTML page, another JSON shape) is an error, not a crash. Requests in
flight are limited by a semaphore, request starts by a requests-per-minute limit, spending by a
:class:`~pipeline.llm.budget.Budget`. The API key is handed to the SDK and never logged or put in an error.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

import openai
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
from pydantic import SecretStr
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from pipeline.domain import Posting
from pipeline.llm.budget import Budget, estimate_tokens
from pipeline.llm.failures import describe_error, retry_after, retryable
from pipeline.llm.limits import RateLimiter
from pipeline.llm.parse import Parsed, parse_response, reply_error
from pipeline.llm.pricing import Price
from pipeline.llm.prompt import Message
from pipeline.llm.schema import Answer, response_json_schema
from pipeline.settings import Settings

NO_KEY = "not-needed"  # local servers take any key; the SDK insists on one
_REFUSAL = re.compile(  # a reply that opens like this instead of JSON is a refusal
    r"^\W*(i'?m sorry|i am sorry|sorry,|i can(?:no|')t|i cannot|i'?m unable|i am unable|i won'?t)", re.I
)
_REPAIR = (
    "Your reply could not be used ({reason}). Reply again with only the JSON object, with every field of the "
    "shape described above and nothing else."
)
_MAX_ECHO = 8_000  # characters of a bad reply sent back with the repair request


class Outcome(StrEnum):
    OK = "ok"
    INVALID = "invalid"  # not JSON, or not the schema, even after the repair request
    REFUSED = "refused"
    ERROR = "error"  # the endpoint failed after the retries: HTTP error, timeout, unreachable
    BUDGET = "budget"  # not sent: the run's budget is spent


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class LlmResult:
    """What asking the model about one posting gave: the checked answer (when ``outcome`` is ok), the tokens and
    cost of every request answered (the repair request included), the time it all took, and why it failed."""

    outcome: Outcome
    parsed: Parsed | None = None
    usage: Usage = field(default_factory=Usage)
    cost_usd: float = 0.0
    latency_seconds: float = 0.0
    requests: int = 0
    error: str | None = None

    @property
    def answer(self) -> Answer | None:
        return self.parsed.answer if self.parsed is not None else None


@dataclass(frozen=True)
class ClientConfig:
    base_url: str
    api_key: SecretStr | None
    model: str
    temperature: float = 0.0
    timeout_seconds: float = 60.0
    max_attempts: int = 4
    max_concurrency: int = 4
    requests_per_minute: float = 60.0
    max_output_tokens: int = 1_500

    @classmethod
    def from_settings(cls, settings: Settings) -> ClientConfig:
        """The client settings; ValueError when no endpoint is configured."""
        if not settings.llm_base_url:
            raise ValueError("no LLM endpoint configured: set JOBATLAS_LLM_BASE_URL")
        return cls(
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            model=settings.llm_model,
            temperature=settings.llm_temperature,
            timeout_seconds=settings.llm_timeout_seconds,
            max_attempts=settings.llm_max_attempts,
            max_concurrency=settings.llm_max_concurrency,
            requests_per_minute=settings.llm_requests_per_minute,
            max_output_tokens=settings.llm_max_output_tokens,
        )


class BudgetExhaustedError(Exception):
    """The request was not sent: it does not fit in what is left of the budget."""


class MalformedResponseError(Exception):
    """The endpoint answered 200 with something that is not a chat completion (an HTML page, another shape)."""


@dataclass(frozen=True)
class _Reply:
    content: str | None
    refusal: str | None
    usage: Usage
    cost_usd: float


def looks_like_refusal(content: str | None) -> bool:
    """A reply that opens with an apology or a "can't" instead of JSON.

    >>> looks_like_refusal("I'm sorry, but I can't help with that."), looks_like_refusal('{"level": null}')
    (True, False)
    """
    return bool(content) and _REFUSAL.match(content or "") is not None


class LlmClient:
    """Ask one OpenAI-compatible endpoint to label postings; safe to share between threads."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        price: Price,
        budget: Budget | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff_seconds: float = 1.0,
        max_backoff_seconds: float = 60.0,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.config = config
        self.price = price
        self.budget = budget
        self._clock = clock
        self._backoff = backoff_seconds
        self._max_backoff = max_backoff_seconds
        key = config.api_key.get_secret_value() if config.api_key is not None else NO_KEY
        self._openai = openai.OpenAI(
            base_url=config.base_url, api_key=key or NO_KEY, timeout=config.timeout_seconds, max_retries=0
        )
        self._structured = True  # json_schema until the server rejects it
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(config.max_concurrency)
        self._limiter = RateLimiter(config.requests_per_minute, sleep=sleep)
        self._retrying = Retrying(
            retry=retry_if_exception(retryable),
            stop=stop_after_attempt(config.max_attempts),
            wait=self._wait,
            sleep=sleep,
            reraise=True,
        )

    @property
    def response_format(self) -> str:
        """``json_schema`` or, once the server rejected it, ``json_object``."""
        return "json_schema" if self._structured else "json_object"

    def close(self) -> None:
        self._openai.close()

    def tag(
        self, messages: Sequence[Message], posting: Posting, *, skill_names: Collection[str] | None = None
    ) -> LlmResult:
        """Ask about ``posting`` (``messages`` from :func:`~pipeline.llm.prompt.build_prompt`) and check the answer
        against it. Never raises for what the endpoint or the model does: the outcome says what happened."""
        started = self._clock()
        usage, cost, requests = Usage(), 0.0, 0

        def result(outcome: Outcome, parsed: Parsed | None = None, error: str | None = None) -> LlmResult:
            latency = self._clock() - started
            return LlmResult(outcome, parsed, usage, round(cost, 9), latency, requests, error)

        conversation = list(messages)
        for attempt in (1, 2):  # the question, then at most one repair request
            try:
                reply = self._ask(conversation)
            except BudgetExhaustedError:
                if attempt == 1:
                    return result(Outcome.BUDGET, error="budget spent")
                return result(Outcome.INVALID, error="invalid reply; repair not sent: budget spent")
            except openai.OpenAIError as exc:
                return result(Outcome.ERROR, error=describe_error(exc))
            except MalformedResponseError as exc:
                return result(Outcome.ERROR, error=str(exc))
            usage, cost, requests = usage + reply.usage, cost + reply.cost_usd, requests + 1
            if reply.refusal is not None:
                return result(Outcome.REFUSED, error=f"refused: {reply.refusal[:200]}")
            parsed = parse_response(reply.content, posting, skill_names=skill_names)
            if parsed is not None:
                return result(Outcome.OK, parsed)
            if looks_like_refusal(reply.content):
                return result(Outcome.REFUSED, error=f"refused: {(reply.content or '')[:200]}")
            reason = reply_error(reply.content) or "invalid reply"
            conversation = [
                *messages,
                {"role": "assistant", "content": (reply.content or "")[:_MAX_ECHO]},
                {"role": "user", "content": _REPAIR.format(reason=reason)},
            ]
        return result(Outcome.INVALID, error=f"invalid reply after a repair request: {reason}")

    def _ask(self, messages: Sequence[Message]) -> _Reply:
        """One answered request (retries included), paid for out of the budget."""
        prompt_chars = sum(len(m["content"]) for m in messages)
        estimate = self.price.cost(estimate_tokens(prompt_chars), self.config.max_output_tokens)
        if self.budget is not None and not self.budget.reserve(estimate):
            raise BudgetExhaustedError
        actual = 0.0
        try:
            try:
                completion = self._retrying.copy()(self._send, messages)
            except ValueError as exc:  # the SDK could not decode the body
                raise MalformedResponseError(f"not a chat completion: {type(exc).__name__}") from exc
            try:
                reported = completion.usage
                usage = Usage(int(reported.prompt_tokens), int(reported.completion_tokens)) if reported else None
                choice = completion.choices[0] if completion.choices else None
                content, refusal, finish = (
                    (choice.message.content, choice.message.refusal, choice.finish_reason)
                    if choice
                    else (None, None, None)
                )
            except (AttributeError, TypeError, IndexError, KeyError, ValueError) as exc:
                raise MalformedResponseError(f"not a chat completion: {type(exc).__name__}") from exc
            if usage is None:  # a server that reports no usage is charged the estimate
                usage = Usage(estimate_tokens(prompt_chars), self.config.max_output_tokens)
            actual = self.price.cost(usage.prompt_tokens, usage.completion_tokens)
        finally:
            if self.budget is not None:
                self.budget.settle(estimate, actual)
        if content is not None and not isinstance(content, str):
            raise MalformedResponseError("not a chat completion: content is not text")
        if refusal is None and finish == "content_filter":
            refusal = "content filter"
        return _Reply(content, str(refusal) if refusal is not None else None, usage, actual)

    def _send(self, messages: Sequence[Message]) -> ChatCompletion:
        """One HTTP request, in turn (rate limit) and in a free slot (concurrency limit)."""
        self._limiter.acquire()
        with self._slots:
            structured = self._structured
            try:
                return self._create(messages, structured=structured)
            except (openai.BadRequestError, openai.UnprocessableEntityError):
                if not structured:
                    raise
                with self._lock:
                    self._structured = False
                return self._create(messages, structured=False)

    def _create(self, messages: Sequence[Message], *, structured: bool) -> ChatCompletion:
        response_format: Any = (
            {"type": "json_schema", "json_schema": response_json_schema()} if structured else {"type": "json_object"}
        )
        return self._openai.chat.completions.create(
            model=self.config.model,
            messages=cast(list[ChatCompletionMessageParam], list(messages)),
            temperature=self.config.temperature,
            max_tokens=self.config.max_output_tokens,
            response_format=response_format,
        )

    def _wait(self, state: RetryCallState) -> float:
        """Seconds before the next try: what the server asked for, else exponential backoff with jitter."""
        exc = state.outcome.exception() if state.outcome is not None else None
        if isinstance(exc, openai.APIStatusError):
            hinted = retry_after(exc.response.headers)
            if hinted is not None:
                return min(hinted, self._max_backoff)
        backoff: float = self._backoff * 2.0 ** (state.attempt_number - 1)
        return min(backoff + random.uniform(0, self._backoff), self._max_backoff)
