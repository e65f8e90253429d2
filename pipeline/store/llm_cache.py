"""The LLM tagger's tables: the answer cache, usage per run (and its totals per month), and the provenance and
disagreements of hybrid tags. Every function takes the session as a keyword argument; writes are idempotent
upserts (writing the same thing twice changes no row).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pipeline.llm.reconcile import Reconciled
from pipeline.llm.schema import Answer
from pipeline.llm.tagger import CachedAnswer, CacheKey, TaggingReport
from pipeline.store.models import LlmAnswer, LlmUsage, TagDisagreement, TagProvenance
from pipeline.store.upserts import changed, table_of

_CHUNK = 1_000


def cached_answers(keys: Collection[CacheKey], *, session: Session) -> dict[CacheKey, CachedAnswer]:
    """The cached answers (and refusals) of ``keys`` (missing keys are left out). An entry whose answer no longer
    validates (an older schema) is treated as missing."""
    out: dict[CacheKey, CachedAnswer] = {}
    ordered = sorted(keys, key=lambda k: (k.model, k.prompt_version, k.content_hash))
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        stmt = sa.select(LlmAnswer).where(
            sa.tuple_(LlmAnswer.model, LlmAnswer.prompt_version, LlmAnswer.content_hash).in_(
                [(k.model, k.prompt_version, k.content_hash) for k in chunk]
            )
        )
        for row in session.scalars(stmt):
            try:
                answer = Answer.model_validate(row.answer) if row.answer is not None else None
            except ValueError:
                continue
            if answer is None and row.refusal is None:
                continue
            key = CacheKey(row.model, row.prompt_version, row.content_hash)
            out[key] = CachedAnswer(
                answer,
                row.prompt_tokens,
                row.completion_tokens,
                float(row.cost_usd),
                row.hallucinations,
                refusal=row.refusal if answer is None else None,
            )
    return out


def save_answer(key: CacheKey, entry: CachedAnswer, *, posting_id: str | None, session: Session) -> None:
    """Cache a checked answer (or a refusal); what is already cached under ``key`` is kept (the cache stays
    stable)."""
    stmt = insert(table_of(LlmAnswer)).values(
        model=key.model,
        prompt_version=key.prompt_version,
        content_hash=key.content_hash,
        posting_id=posting_id,
        answer=entry.answer.model_dump(mode="json") if entry.answer is not None else None,
        refusal=(entry.refusal or "refused") if entry.answer is None else None,
        prompt_tokens=entry.prompt_tokens,
        completion_tokens=entry.completion_tokens,
        cost_usd=entry.cost_usd,
        hallucinations=entry.hallucinations,
    )
    session.execute(stmt.on_conflict_do_nothing(index_elements=["model", "prompt_version", "content_hash"]))


class StoreAnswerCache:
    """The answer cache of :func:`~pipeline.llm.tagger.tag_postings` in the store: one short transaction per
    lookup and per answer, so the answers paid for survive an interrupted run."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get_many(self, keys: Collection[CacheKey]) -> dict[CacheKey, CachedAnswer]:
        with Session(self.engine) as session:
            return cached_answers(keys, session=session)

    def put(self, key: CacheKey, entry: CachedAnswer, *, posting_id: str) -> None:
        with Session(self.engine) as session, session.begin():
            save_answer(key, entry, posting_id=posting_id, session=session)


def record_usage(
    report: TaggingReport,
    *,
    run_key: str,
    mode: str,
    prompt_version: str,
    started_at: datetime,
    run_id: int | None = None,
    session: Session,
) -> None:
    """Store (or replace) what the run ``run_key`` asked and spent; ``errors`` counts the postings per failure
    outcome, and those not sent because the endpoint was down (``not_sent_endpoint_down``)."""
    row = {
        "run_key": run_key,
        "run_id": run_id,
        "started_at": started_at,
        "mode": mode,
        "model": report.model,
        "prompt_version": prompt_version,
        "postings": report.postings,
        "requests": report.requests,
        "cache_hits": report.cache_hits,
        "prompt_tokens": report.prompt_tokens,
        "completion_tokens": report.completion_tokens,
        "cost_usd": report.cost_usd,
        "hallucinations": report.hallucinations,
        "failures": sum(report.failures.values()),
        "errors": dict(sorted(report.failures.items()))
        | ({"not_sent_endpoint_down": report.not_sent} if report.not_sent else {}),
    }
    table = table_of(LlmUsage)
    columns = [name for name in row if name != "run_key"]
    stmt = insert(table).values(**row)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["run_key"], set_={c: stmt.excluded[c] for c in columns}, where=changed(table, columns)
        )
    )


@dataclass(frozen=True)
class UsageTotals:
    """What the model cost over a period (a month, or one run)."""

    period: str
    runs: int
    postings: int
    requests: int
    cache_hits: int
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    hallucinations: int
    failures: int


def _totals(period: str, row: Any) -> UsageTotals:
    return UsageTotals(
        period,
        int(row.runs),
        int(row.postings),
        int(row.requests),
        int(row.cache_hits),
        int(row.prompt_tokens),
        int(row.completion_tokens),
        float(row.cost_usd),
        int(row.hallucinations),
        int(row.failures),
    )


def _sums() -> list[sa.ColumnElement[Any]]:
    names = (
        "postings",
        "requests",
        "cache_hits",
        "prompt_tokens",
        "completion_tokens",
        "cost_usd",
        "hallucinations",
        "failures",
    )
    return [sa.func.count().label("runs"), *(sa.func.sum(LlmUsage.__table__.c[n]).label(n) for n in names)]


def usage_by_month(*, session: Session, since: date | None = None) -> list[UsageTotals]:
    """Totals per calendar month of the runs' start (UTC), oldest first; ``period`` is "YYYY-MM"."""
    month = sa.func.to_char(sa.func.timezone("UTC", LlmUsage.started_at), "YYYY-MM").label("month")
    stmt = sa.select(month, *_sums()).group_by(month).order_by(month)
    if since is not None:
        stmt = stmt.where(LlmUsage.started_at >= since)
    return [_totals(row.month, row) for row in session.execute(stmt)]


def usage_of_run(run_key: str, *, session: Session) -> UsageTotals | None:
    """The totals of one run, or None when it has no usage row."""
    row = session.execute(sa.select(*_sums()).where(LlmUsage.run_key == run_key)).one()
    return _totals(run_key, row) if row.runs else None


def save_review(
    posting_id: str,
    reconciled: Reconciled,
    *,
    reasons: Sequence[str],
    model: str,
    prompt_version: str,
    content_hash: str,
    session: Session,
) -> None:
    """Store where each field of a posting's hybrid tag came from and replace its disagreements."""
    table = table_of(TagProvenance)
    row = {
        "posting_id": posting_id,
        "provenance": reconciled.provenance,
        "reasons": list(reasons),
        "model": model,
        "prompt_version": prompt_version,
        "content_hash": content_hash,
    }
    columns = [name for name in row if name != "posting_id"]
    stmt = insert(table).values(**row)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["posting_id"],
            set_={**{c: stmt.excluded[c] for c in columns}, "updated_at": sa.func.now()},
            where=changed(table, columns),
        )
    )
    fields = [d.field for d in reconciled.disagreements]
    session.execute(
        sa.delete(TagDisagreement).where(TagDisagreement.posting_id == posting_id, TagDisagreement.field.not_in(fields))
    )
    if not fields:
        return
    rows = [
        {
            "posting_id": posting_id,
            "field": d.field,
            "rules_value": d.rules,
            "llm_value": d.llm,
            "chosen": d.chosen,
            "model": model,
            "prompt_version": prompt_version,
        }
        for d in reconciled.disagreements
    ]
    table = table_of(TagDisagreement)
    columns = ["rules_value", "llm_value", "chosen", "model", "prompt_version"]
    stmt = insert(table)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["posting_id", "field"],
            set_={c: stmt.excluded[c] for c in columns},
            where=changed(table, columns),
        ),
        rows,
    )


@dataclass(frozen=True)
class StoredDisagreement:
    posting_id: str
    field: str
    rules_value: Any
    llm_value: Any
    chosen: str


def disagreements(*, session: Session, field: str | None = None) -> list[StoredDisagreement]:
    """The stored disagreements (of one field, or of all; ``skill:`` matches every skill), by posting and field."""
    stmt = sa.select(TagDisagreement).order_by(TagDisagreement.posting_id, TagDisagreement.field)
    if field is not None:
        stmt = stmt.where(
            TagDisagreement.field.startswith(field) if field.endswith(":") else TagDisagreement.field == field
        )
    return [
        StoredDisagreement(row.posting_id, row.field, row.rules_value, row.llm_value, row.chosen)
        for row in session.scalars(stmt)
    ]


def provenance_of(posting_id: str, *, session: Session) -> dict[str, Any] | None:
    row = session.get(TagProvenance, posting_id)
    return dict(row.provenance) if row is not None else None
