"""Read queries of the dashboard's Pipeline page: refresh runs (status, counts, time per step, errors), the health
of each source's fetches, quarantined records and what the LLM tagger asked and spent.

Every function takes the session as a keyword argument, only reads and returns a Polars frame (or a small dict).
``since`` / ``until`` limit runs, fetches, quarantined records and LLM usage to those started (created) on those
days (UTC); ``sources`` limits fetches and quarantined records to those sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

EXCERPT_CHARS = 300
_WINDOW = """(cast(:since as date) is null or {column} >= cast(:since as date))
    and (cast(:until as date) is null or {column} < cast(:until as date))"""
_SOURCES = "(cardinality(cast(:sources as text[])) = 0 or {column} = any(cast(:sources as text[])))"


def _params(since: date | None, until: date | None, sources: Sequence[str] = ()) -> dict[str, Any]:
    # ``until`` is inclusive: compare with the next midnight
    return {"since": since, "until": until + timedelta(days=1) if until else None, "sources": list(sources)}


def _frame(session: Session, sql: str, params: dict[str, Any], schema: dict[str, Any]) -> pl.DataFrame:
    rows = [dict(row) for row in session.execute(sa.text(sql), params).mappings()]
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


RUN_SCHEMA: dict[str, Any] = {
    "run": pl.Int64,
    "status": pl.String,
    "started_at": pl.Datetime(time_zone="UTC"),
    "finished_at": pl.Datetime(time_zone="UTC"),
    "seconds": pl.Float64,
    "sources": pl.Int64,
    "fetched": pl.Int64,
    "new": pl.Int64,
    "updated": pl.Int64,
    "unchanged": pl.Int64,
    "rejected": pl.Int64,
    "closed": pl.Int64,
    "errors": pl.String,
}


def runs(*, session: Session, since: date | None = None, until: date | None = None, limit: int = 50) -> pl.DataFrame:
    """The latest refresh runs, newest first: status, duration, the counts of the run summary and its errors
    (``source: message`` lines joined with ``; ``)."""
    return _frame(
        session,
        f"""
        select r.id as run, r.status, r.started_at, r.finished_at,
               extract(epoch from r.finished_at - r.started_at)::float8 as seconds,
               cardinality(r.source_ids) as sources,
               (r.counts->>'fetched')::int as fetched, (r.counts->>'new')::int as new,
               (r.counts->>'updated')::int as updated, (r.counts->>'unchanged')::int as unchanged,
               (r.counts->>'rejected')::int as rejected, (r.counts->>'closed')::int as closed,
               (select string_agg(e.key || ': ' || (e.value #>> '{{}}'), '; ' order by e.key)
                from jsonb_each(r.errors) e) as errors
        from ingest_runs r
        where {_WINDOW.format(column="r.started_at")}
        order by r.started_at desc, r.id desc limit :limit
        """,
        {**_params(since, until), "limit": limit},
        RUN_SCHEMA,
    )


def step_durations(
    *, session: Session, since: date | None = None, until: date | None = None, limit: int = 20
) -> pl.DataFrame:
    """Seconds per step (ingest, normalize, extract, load, ...) of the latest ``limit`` runs, one row per run and
    step, oldest run first: the data of a stacked bar chart."""
    return _frame(
        session,
        f"""
        with latest as (
            select id, started_at, step_seconds from ingest_runs r
            where {_WINDOW.format(column="r.started_at")}
            order by started_at desc, id desc limit :limit
        )
        select l.id as run, l.started_at, s.key as step, (s.value #>> '{{}}')::float8 as seconds
        from latest l cross join jsonb_each(l.step_seconds) s
        where jsonb_typeof(s.value) = 'number'
        order by l.started_at, l.id, s.key
        """,
        {**_params(since, until), "limit": limit},
        {"run": pl.Int64, "started_at": pl.Datetime(time_zone="UTC"), "step": pl.String, "seconds": pl.Float64},
    )


def source_health(
    *, session: Session, since: date | None = None, until: date | None = None, sources: Sequence[str] = ()
) -> pl.DataFrame:
    """Per source: fetches and failures in the window, the failure rate, mean seconds per fetch, and the status,
    records and error of its latest fetch."""
    return _frame(
        session,
        f"""
        with fetches as (
            select f.*, r.started_at from source_fetches f join ingest_runs r on r.id = f.run_id
            where {_WINDOW.format(column="r.started_at")} and {_SOURCES.format(column="f.source_id")}
        ), latest as (
            select distinct on (source_id) source_id, run_id, started_at, status, records, error
            from fetches order by source_id, started_at desc, run_id desc
        )
        select f.source_id as source, count(*)::int as fetches,
               (count(*) filter (where f.status = 'failed'))::int as failures,
               round(100.0 * count(*) filter (where f.status = 'failed') / count(*), 1)::float8 as failure_pct,
               avg(f.seconds)::float8 as mean_seconds,
               l.status as last_status, l.started_at as last_fetch, l.records as last_records,
               l.error as last_error
        from fetches f join latest l on l.source_id = f.source_id
        group by f.source_id, l.status, l.started_at, l.records, l.error
        order by failures desc, f.source_id
        """,
        _params(since, until, sources),
        {
            "source": pl.String,
            "fetches": pl.Int64,
            "failures": pl.Int64,
            "failure_pct": pl.Float64,
            "mean_seconds": pl.Float64,
            "last_status": pl.String,
            "last_fetch": pl.Datetime(time_zone="UTC"),
            "last_records": pl.Int64,
            "last_error": pl.String,
        },
    )


def quarantine_reasons(
    *, session: Session, since: date | None = None, until: date | None = None, sources: Sequence[str] = ()
) -> pl.DataFrame:
    """Quarantined records per reason (most first), with the latest time one was quarantined."""
    return _frame(
        session,
        f"""
        select q.reason, count(*)::int as records, max(q.created_at) as latest
        from quarantine q
        where {_WINDOW.format(column="q.created_at")} and {_SOURCES.format(column="q.source_id")}
        group by q.reason order by records desc, q.reason
        """,
        _params(since, until, sources),
        {"reason": pl.String, "records": pl.Int64, "latest": pl.Datetime(time_zone="UTC")},
    )


def quarantine_examples(
    *,
    session: Session,
    since: date | None = None,
    until: date | None = None,
    sources: Sequence[str] = (),
    limit: int = 20,
) -> pl.DataFrame:
    """The latest quarantined records: source, where they were read (file:line, URL), the reason and the start of
    their raw text."""
    return _frame(
        session,
        f"""
        select q.id, q.source_id as source, q.locator, q.reason, q.created_at, q.run_id as run,
               left(q.payload, {EXCERPT_CHARS}) as excerpt
        from quarantine q
        where {_WINDOW.format(column="q.created_at")} and {_SOURCES.format(column="q.source_id")}
        order by q.created_at desc, q.id desc limit :limit
        """,
        {**_params(since, until, sources), "limit": limit},
        {
            "id": pl.Int64,
            "source": pl.String,
            "locator": pl.String,
            "reason": pl.String,
            "created_at": pl.Datetime(time_zone="UTC"),
            "run": pl.Int64,
            "excerpt": pl.String,
        },
    )


LLM_SCHEMA: dict[str, Any] = {
    "run_key": pl.String,
    "run": pl.Int64,
    "started_at": pl.Datetime(time_zone="UTC"),
    "mode": pl.String,
    "model": pl.String,
    "postings": pl.Int64,
    "requests": pl.Int64,
    "cache_hits": pl.Int64,
    "hit_rate_pct": pl.Float64,
    "prompt_tokens": pl.Int64,
    "completion_tokens": pl.Int64,
    "cost_usd": pl.Float64,
    "hallucinations": pl.Int64,
    "failures": pl.Int64,
}


def llm_usage(
    *, session: Session, since: date | None = None, until: date | None = None, limit: int = 50
) -> pl.DataFrame:
    """What each run of the LLM tagger asked and spent, newest first; the hit rate is cache hits per posting
    considered, as in the run summary."""
    return _frame(
        session,
        f"""
        select u.run_key, u.run_id as run, u.started_at, u.mode, u.model, u.postings, u.requests, u.cache_hits,
               case when u.postings > 0 then round(100.0 * u.cache_hits / u.postings, 1)::float8 end
                   as hit_rate_pct,
               u.prompt_tokens, u.completion_tokens, u.cost_usd::float8 as cost_usd, u.hallucinations, u.failures
        from llm_usage u
        where {_WINDOW.format(column="u.started_at")}
        order by u.started_at desc, u.run_key limit :limit
        """,
        {**_params(since, until), "limit": limit},
        LLM_SCHEMA,
    )


def llm_totals(*, session: Session, since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """Totals of the LLM tagger over the window: runs, postings, requests, cache hits and hit rate (0-1, None
    without postings), tokens, cost (USD), hallucinations, failures."""
    row = (
        session.execute(
            sa.text(f"""
            select count(*)::int as runs, coalesce(sum(postings), 0)::int as postings,
                   coalesce(sum(requests), 0)::int as requests, coalesce(sum(cache_hits), 0)::int as cache_hits,
                   coalesce(sum(prompt_tokens), 0)::bigint as prompt_tokens,
                   coalesce(sum(completion_tokens), 0)::bigint as completion_tokens,
                   coalesce(sum(cost_usd), 0)::float8 as cost_usd,
                   coalesce(sum(hallucinations), 0)::int as hallucinations,
                   coalesce(sum(failures), 0)::int as failures
            from llm_usage u where {_WINDOW.format(column="u.started_at")}
            """),
            _params(since, until),
        )
        .mappings()
        .one()
    )
    out = dict(row)
    out["hit_rate"] = out["cache_hits"] / out["postings"] if out["postings"] else None
    return out
