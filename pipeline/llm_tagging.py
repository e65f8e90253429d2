"""The LLM step of a refresh (``weekly_refresh``, ``reprocess``) and of ``jobatlas reextract``, run after the rule
tags are stored: choose the postings the mode sends (``pipeline.llm.modes``), ask the model through the store's
answer cache, and store a ``final`` tag (with the skills the model added, the provenance of each field and the
disagreements) for every posting it answered; then the run's usage (``llm_usage``) and the month's totals.

The model never fails or blocks the run: a missing endpoint, an outage, a spent budget, a refusal or an unusable
answer leave the rule labels, and the summary lines say what happened. Store errors propagate as in every step.
``flows/`` wires this into a Prefect task; nothing here knows about Prefect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.llm.modes import choose_postings, finalize
from pipeline.llm.prompt import PROMPT_VERSION
from pipeline.llm.reconcile import DEFAULT_POLICY, ReconcilePolicy
from pipeline.llm.setup import build_client, public_url, run_budget
from pipeline.llm.tagger import TaggingReport, tag_postings
from pipeline.settings import Settings
from pipeline.store import duplicates, final_tags, llm_cache, tags
from pipeline.store.llm_cache import UsageTotals

BATCH_POSTINGS = 500  # final tags per transaction


@dataclass
class LlmStepResult:
    """What the LLM step did: the tagging totals, the final tags written, and the month's totals so far."""

    mode: str
    report: TaggingReport | None = None
    final_tags: int = 0
    skills_added: int = 0
    disagreements: int = 0
    note: str | None = None  # why the model was not asked at all
    month: UsageTotals | None = None

    def summary_lines(self) -> list[str]:
        """The lines of the run summary (none in ``rules`` mode)."""
        lines = [self.note] if self.note else []
        if self.report is not None:
            lines.extend(self.report.summary_lines())
            lines.append(
                f"LLM final tags: {self.final_tags} posting(s) ({self.mode} mode), {self.skills_added} skill(s) "
                f"added by the model, {self.disagreements} disagreement(s) with the rules kept for review"
            )
        if self.month is not None:
            lines.append(month_line(self.month))
        return lines


def month_line(totals: UsageTotals) -> str:
    """One line of a month's LLM totals.

    >>> month_line(UsageTotals("2026-12", 3, 120, 9, 110, 31_500, 3_600, 0.00689, 2, 1))
    'LLM this month (2026-12): 3 run(s), 120 postings, 110 from the cache, 9 requests, tokens 31,500 in / 3,600 out, cost $0.0069'
    """  # noqa: E501
    return (
        f"LLM this month ({totals.period}): {totals.runs} run(s), {totals.postings:,} postings, "
        f"{totals.cache_hits:,} from the cache, {totals.requests:,} requests, tokens {totals.prompt_tokens:,} in / "
        f"{totals.completion_tokens:,} out, cost ${totals.cost_usd:.4f}"
    )


def month_totals(*, session: Session, today: date) -> UsageTotals | None:
    """The LLM totals of the calendar month of ``today`` (UTC), or None when nothing was recorded."""
    months = llm_cache.usage_by_month(session=session, since=today.replace(day=1))
    return months[-1] if months else None


def tag_with_llm(
    posting_ids: Sequence[str],
    *,
    settings: Settings,
    engine: Engine,
    run_key: str,
    run_id: int | None = None,
    policy: ReconcilePolicy = DEFAULT_POLICY,
) -> LlmStepResult:
    """Run the mode of ``settings`` over the stored postings of ``posting_ids`` (duplicates and postings whose
    rule tag is stale are left out) and store the final tags; ``run_key`` names the run in ``llm_usage``."""
    mode = settings.llm_mode
    result = LlmStepResult(mode=mode)
    if mode == "rules":
        return result
    if not settings.llm_base_url:
        result.note = (
            f"LLM mode {mode}, but no endpoint is configured (set JOBATLAS_LLM_BASE_URL): every posting keeps its "
            "rule labels"
        )
        return result
    started_at = datetime.now(UTC)
    try:
        taxonomy = load_taxonomy(settings.taxonomy_dir / "skills.yaml")
        client = build_client(settings, budget=run_budget(settings))
    except (OSError, ValueError) as exc:  # a broken price table or taxonomy: the rules still stand
        result.note = f"LLM not asked ({' '.join(str(exc).split())}): every posting keeps its rule labels"
        return result
    with Session(engine) as session:
        ids = duplicates.canonical_ids(posting_ids, session=session)
        rules = tags.stored_rule_tags(ids, session=session)
        chosen = choose_postings(
            [rules[i] for i in ids if i in rules],
            mode=mode,
            limit=settings.llm_hybrid_max_postings,
            finalized=tags.with_final_tag(ids, session=session),
            policy=policy,
        )
        postings, hashes = tags.stored_postings([posting_id for posting_id, _ in chosen], session=session)
    by_id = {p.id: p for p in postings}
    ordered = [by_id[posting_id] for posting_id, _ in chosen if posting_id in by_id]
    try:
        answers, report = tag_postings(
            ordered,
            client=client,
            cache=llm_cache.StoreAnswerCache(engine),
            skill_names=[skill.name for skill in taxonomy.skills],
            max_description_chars=settings.llm_max_description_chars,
        )
    finally:
        client.close()
    result.report = report
    reasons = dict(chosen)
    answered = [(by_id[a.posting_id], a.answer) for a in answers if a.answer is not None]
    for start in range(0, len(answered), BATCH_POSTINGS):
        with sessionmaker(engine).begin() as session:
            ids_of_skills = final_tags.skill_ids(session=session)
            for posting, answer in answered[start : start + BATCH_POSTINGS]:
                final = finalize(rules[posting.id], answer, posting, mode=mode, model=settings.llm_model, policy=policy)
                result.skills_added += final_tags.save_final(
                    final,
                    reasons=reasons[posting.id],
                    model=settings.llm_model,
                    prompt_version=PROMPT_VERSION,
                    content_hash=hashes[posting.id],
                    taxonomy_version=taxonomy.version,
                    skill_ids=ids_of_skills,
                    session=session,
                )
                result.final_tags += 1
                result.disagreements += len(final.disagreements)
    with sessionmaker(engine).begin() as session:
        llm_cache.record_usage(
            report,
            run_key=run_key,
            mode=mode,
            prompt_version=PROMPT_VERSION,
            started_at=started_at,
            run_id=run_id,
            session=session,
        )
        result.month = month_totals(session=session, today=started_at.date())
    return result


def endpoint_line(settings: Settings) -> str:
    """Which model at which endpoint (no credentials), for logs."""
    return f"{settings.llm_model} at {public_url(settings.llm_base_url or '')} ({settings.llm_mode} mode)"
