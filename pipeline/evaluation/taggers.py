"""The taggers ``jobatlas eval --tagger`` scores: the rules alone, or the rules with the model in ``llm`` mode (the
model reads every gold posting) or ``hybrid`` mode (only the postings the policy flags, at most ``limit``).
Postings the model does not answer keep their rule tags, as in a refresh."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from pipeline.domain import Extraction, Posting
from pipeline.extraction.extractor import Extractor
from pipeline.llm.client import LlmClient
from pipeline.llm.modes import choose_postings, final_extractions
from pipeline.llm.pricing import Price
from pipeline.llm.prompt import PROMPT_VERSION
from pipeline.llm.reconcile import DEFAULT_POLICY, ReconcilePolicy
from pipeline.llm.tagger import AnswerCache, TaggingReport, tag_postings

PER_THOUSAND = 1_000


@dataclass(frozen=True)
class TaggedGold:
    """Every gold posting's tag, and what the model did (None for the rules alone)."""

    extractions: dict[str, Extraction]
    tagger: str = "rules"  # what tagged them besides the rules, e.g. "hybrid gpt-4o-mini (tagger-1)"
    report: TaggingReport | None = None


def tag_with_rules(extractor: Extractor, postings: Sequence[Posting]) -> TaggedGold:
    return TaggedGold({e.posting_id: e for e in extractor.extract_many(postings)})


def tag_with_model(
    extractor: Extractor,
    postings: Sequence[Posting],
    *,
    mode: str,
    client: LlmClient,
    cache: AnswerCache,
    skill_names: Collection[str],
    max_description_chars: int,
    limit: int,
    policy: ReconcilePolicy = DEFAULT_POLICY,
) -> TaggedGold:
    """The rule tags, then the model on the postings ``mode`` picks (through ``cache``), reconciled as in a
    refresh."""
    rules = tag_with_rules(extractor, postings).extractions
    chosen = choose_postings(list(rules.values()), mode=mode, limit=limit, policy=policy)
    by_id = {p.id: p for p in postings}
    answers, report = tag_postings(
        [by_id[posting_id] for posting_id, _ in chosen],
        client=client,
        cache=cache,
        skill_names=skill_names,
        max_description_chars=max_description_chars,
    )
    model = client.config.model
    final = final_extractions(
        rules, by_id, {a.posting_id: a.answer for a in answers}, mode=mode, model=model, policy=policy
    )
    return TaggedGold(final, f"{mode} {model} ({PROMPT_VERSION})", report)


def cost_lines(report: TaggingReport, price: Price) -> list[str]:
    """What the evaluation cost, and what 1,000 postings would cost at the same tokens per posting (measured from
    the usage the endpoint reported, for this run's requests and the cached answers' own).

    >>> report = TaggingReport("gpt-4o-mini", postings=4, answered=4, requests=4, prompt_tokens=14_000,
    ...                        completion_tokens=1_600, cost_usd=0.003)
    >>> for line in cost_lines(report, Price("gpt-4o-mini", 0.15, 0.6, "listed")):
    ...     print(line)
    LLM cost of this evaluation: $0.0030 (gpt-4o-mini, listed price $0.15 / $0.6 per million tokens in / out)
    LLM per posting: 3,500 tokens in / 400 out; 1,000 postings: about $0.77 before caching
    """
    lines = [
        f"LLM cost of this evaluation: ${report.cost_usd:.4f} ({price.model}, {price.basis} price "
        f"${price.input_per_million:g} / ${price.output_per_million:g} per million tokens in / out)"
    ]
    per_posting = report.tokens_per_posting()
    if per_posting is None:
        lines.append("LLM per posting: no answer measured, no estimate for 1,000 postings")
        return lines
    prompt, completion = per_posting
    thousand = price.cost(round(prompt * PER_THOUSAND), round(completion * PER_THOUSAND))
    lines.append(
        f"LLM per posting: {prompt:,.0f} tokens in / {completion:,.0f} out; {PER_THOUSAND:,} postings: about "
        f"${thousand:.2f} before caching"
    )
    return lines
