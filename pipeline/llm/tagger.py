"""Tag many postings with the model: the answer cache first, then the model on a thread pool, with the counts a
run summary shows (hit rate, tokens, cost, hallucinations, failures).

A posting's cache key is the model, the prompt version and the SHA-256 of the exact messages sent (the trimmed
posting and the skill vocabulary included), so a changed posting, prompt or vocabulary asks again and anything
else is answered from the cache for free. Checked answers are cached, and so are refusals (the same messages to
the same model would be refused again: asking would only cost); invalid replies and failures are not. A posting
that gets no answer (budget spent, refusal, invalid reply, endpoint failure) keeps its rule labels. After
``outage_after`` endpoint failures in a row the endpoint counts as down: the postings still queued are not sent,
and the summary says so in one line.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Protocol

from pipeline.domain import Posting, sha256_hex
from pipeline.llm.client import LlmClient, LlmResult, Outcome
from pipeline.llm.parse import Parsed
from pipeline.llm.prompt import PROMPT_VERSION, Message, build_prompt
from pipeline.llm.schema import Answer

OUTAGE_AFTER = 3
SKIPPED_OUTAGE = "skipped: endpoint down"


@dataclass(frozen=True)
class CacheKey:
    model: str
    prompt_version: str
    content_hash: str


@dataclass(frozen=True)
class CachedAnswer:
    """A checked answer as the cache keeps it, with what it cost when it was asked; or a refusal (``answer``
    None, ``refusal`` saying what the model said)."""

    answer: Answer | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    hallucinations: int = 0
    refusal: str | None = None


class AnswerCache(Protocol):
    def get_many(self, keys: Collection[CacheKey]) -> Mapping[CacheKey, CachedAnswer]: ...

    def put(self, key: CacheKey, entry: CachedAnswer, *, posting_id: str) -> None: ...


class MemoryCache:
    """An in-process :class:`AnswerCache` (``jobatlas llm check`` and tests); the store has its own."""

    def __init__(self) -> None:
        self.entries: dict[CacheKey, CachedAnswer] = {}

    def get_many(self, keys: Collection[CacheKey]) -> Mapping[CacheKey, CachedAnswer]:
        return {key: self.entries[key] for key in keys if key in self.entries}

    def put(self, key: CacheKey, entry: CachedAnswer, *, posting_id: str) -> None:
        self.entries.setdefault(key, entry)


def cache_key(model: str, messages: Sequence[Message]) -> CacheKey:
    """The cache key of a request: model, prompt version and the hash of the messages."""
    return CacheKey(model, PROMPT_VERSION, sha256_hex(json.dumps(list(messages), ensure_ascii=False)))


@dataclass(frozen=True)
class PostingAnswer:
    """The model's checked answer for one posting (None: it keeps its rule labels), where it came from
    (``cache`` or ``llm``), and why there is none."""

    posting_id: str
    answer: Answer | None
    source: str | None
    error: str | None = None


@dataclass
class TaggingReport:
    """Totals of one tagging run."""

    model: str
    postings: int = 0
    cache_hits: int = 0
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    hallucinations: int = 0
    unknown_skills: int = 0
    answered: int = 0
    failures: Counter[str] = field(default_factory=Counter)  # outcome -> postings
    errors: Counter[str] = field(default_factory=Counter)  # error line -> postings
    not_sent: int = 0  # postings not sent because the endpoint was down
    cached_prompt_tokens: int = 0  # what the cache hits took when they were asked (not spent again)
    cached_completion_tokens: int = 0
    outage: str | None = None  # one line when the endpoint went down during the run

    @property
    def hit_rate(self) -> float:
        return self.cache_hits / self.postings if self.postings else 0.0

    def tokens_per_posting(self) -> tuple[float, float] | None:
        """Mean prompt and completion tokens per posting with a measured answer (asked in this run, or cached
        with the usage it had when asked); None when no posting has one.

        >>> TaggingReport("m", postings=3, cache_hits=1, answered=1, prompt_tokens=3_000, completion_tokens=400,
        ...               cached_prompt_tokens=3_400, cached_completion_tokens=200).tokens_per_posting()
        (3200.0, 300.0)
        """
        measured = self.answered + self.cache_hits
        if not measured:
            return None
        return (
            (self.prompt_tokens + self.cached_prompt_tokens) / measured,
            (self.completion_tokens + self.cached_completion_tokens) / measured,
        )

    def add(self, result: LlmResult) -> None:
        self.requests += result.requests
        self.prompt_tokens += result.usage.prompt_tokens
        self.completion_tokens += result.usage.completion_tokens
        self.cost_usd = round(self.cost_usd + result.cost_usd, 9)
        if result.parsed is not None:
            self.hallucinations += len(result.parsed.hallucinated)
            self.unknown_skills += len(result.parsed.unknown)
        if result.outcome is Outcome.OK:
            self.answered += 1
        else:
            self.failures[result.outcome.value] += 1
            if result.error == SKIPPED_OUTAGE:
                self.not_sent += 1
            elif result.error:
                self.errors[result.error] += 1

    def summary_lines(self) -> list[str]:
        """What the run summary prints about the model."""
        failed = sum(self.failures.values())
        lines = [
            f"LLM {self.model}: {self.postings} postings, {self.cache_hits} from the cache "
            f"(hit rate {self.hit_rate:.0%}), {self.answered} answered by the model, {failed} kept their rule labels",
            f"LLM tokens {self.prompt_tokens:,} in / {self.completion_tokens:,} out, {self.requests} requests, "
            f"cost ${self.cost_usd:.4f}",
            f"LLM hallucinated evidence: {self.hallucinations} skill(s) dropped; "
            f"{self.unknown_skills} unknown skill name(s) dropped",
        ]
        if self.outage:
            lines.append(self.outage)
        if failed:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(self.failures.items()))
            lines.append(f"LLM failures: {kinds}")
        if self.errors:
            error, count = self.errors.most_common(1)[0]
            lines.append(f"LLM most frequent error ({count}x): {error}")
        return lines


class _Outage:
    """Counts endpoint failures in a row across threads, and remembers the last one."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self._lock = threading.Lock()
        self._in_a_row = 0
        self.last_error: str | None = None

    def record(self, result: LlmResult) -> None:
        with self._lock:
            self._in_a_row = self._in_a_row + 1 if result.outcome is Outcome.ERROR else 0
            if result.outcome is Outcome.ERROR:
                self.last_error = result.error

    @property
    def down(self) -> bool:
        with self._lock:
            return self._in_a_row >= self.threshold


def tag_postings(
    postings: Sequence[Posting],
    *,
    client: LlmClient,
    cache: AnswerCache,
    skill_names: Collection[str],
    max_description_chars: int,
    outage_after: int = OUTAGE_AFTER,
    on_result: Callable[[Posting, LlmResult], None] | None = None,
) -> tuple[list[PostingAnswer], TaggingReport]:
    """Answers for ``postings`` (in input order) and the run's totals. New answers go into ``cache`` as they
    arrive (from this thread: ``cache`` need not be thread-safe); ``on_result`` sees every model result."""
    report = TaggingReport(model=client.config.model, postings=len(postings))
    prompts = [build_prompt(p, skill_names, max_description_chars=max_description_chars) for p in postings]
    keys = [cache_key(client.config.model, messages) for messages in prompts]
    cached = cache.get_many(set(keys))
    answers: dict[str, PostingAnswer] = {}
    pending: list[int] = []
    for index, posting in enumerate(postings):
        hit = cached.get(keys[index])
        if hit is None:
            pending.append(index)
            continue
        report.cache_hits += 1
        report.cached_prompt_tokens += hit.prompt_tokens
        report.cached_completion_tokens += hit.completion_tokens
        if hit.answer is not None:
            answers[posting.id] = PostingAnswer(posting.id, hit.answer, "cache")
        else:  # a refusal remembered
            refused = f"refused: {hit.refusal or 'refusal'}"
            report.failures[Outcome.REFUSED.value] += 1
            report.errors[refused] += 1
            answers[posting.id] = PostingAnswer(posting.id, None, "cache", refused)
    outage = _Outage(outage_after)

    def ask(index: int) -> LlmResult:
        if outage.down:
            return LlmResult(Outcome.ERROR, error=SKIPPED_OUTAGE)
        result = client.tag(prompts[index], postings[index], skill_names=skill_names)
        outage.record(result)
        return result

    for index, result in _run(ask, pending, workers=client.config.max_concurrency):
        posting = postings[index]
        report.add(result)
        if on_result is not None:
            on_result(posting, result)
        if result.outcome is Outcome.OK and result.parsed is not None:
            cache.put(keys[index], _entry(result, result.parsed), posting_id=posting.id)
            answers[posting.id] = PostingAnswer(posting.id, result.parsed.answer, "llm")
        else:
            if result.outcome is Outcome.REFUSED:
                cache.put(keys[index], _entry(result, None), posting_id=posting.id)
            answers[posting.id] = PostingAnswer(posting.id, None, None, result.error or result.outcome.value)
    if report.not_sent:
        report.outage = (
            f"LLM endpoint down ({outage.threshold} failures in a row; last: {outage.last_error}): "
            f"{report.not_sent} posting(s) not sent, they keep their rule labels"
        )
    return [answers[p.id] for p in postings], report


def _entry(result: LlmResult, parsed: Parsed | None) -> CachedAnswer:
    """The cache entry of an answer (``parsed``) or of a refusal (``parsed`` None)."""
    return CachedAnswer(
        parsed.answer if parsed is not None else None,
        result.usage.prompt_tokens,
        result.usage.completion_tokens,
        result.cost_usd,
        len(parsed.hallucinated) if parsed is not None else 0,
        refusal=None if parsed is not None else (result.error or "refused").removeprefix("refused: "),
    )


def _run(ask: Callable[[int], LlmResult], indexes: list[int], *, workers: int) -> Iterator[tuple[int, LlmResult]]:
    """``ask`` over ``indexes`` on a thread pool, yielding each result as it completes."""
    if not indexes:
        return
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(indexes))), thread_name_prefix="llm") as pool:
        futures = {pool.submit(ask, index): index for index in indexes}
        for future in as_completed(futures):
            yield futures[future], future.result()
