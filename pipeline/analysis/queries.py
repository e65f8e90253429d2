"""Read queries behind the dashboard pages. Each takes the session as a keyword and returns a Polars frame
(or a small dict), reading the weekly aggregates where they exist rather than scanning postings.

No query here names a tag method: labels come from the weekly aggregates, which count each posting by its
effective tag (``pipeline.store.effective``: the ``final`` tag where the LLM tagger answered, else the rules'),
and skill counts from ``posting_skills`` (the rule skills plus the skills the model added beside a final tag).
A new query that reads ``posting_tags`` must join ``effective_tags()`` / ``EFFECTIVE_TAGS_SQL`` the same way."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store.cube import SKILL_CUBE, cubes_current

LEVEL_ORDER = ("i", "ii", "senior", "staff", "unknown")
LEVEL_NAMES = {
    "i": "AI Engineer I (0-2 y)",
    "ii": "AI Engineer II (2-4 y)",
    "senior": "Senior (4-7 y)",
    "staff": "Staff (7+ y)",
    "unknown": "No level stated",
}
SPECIALIZATION_NAMES = {
    "rag": "RAG & retrieval",
    "agents": "Agents & autonomy",
    "infrastructure": "AI infrastructure",
    "safety": "AI safety & security",
    "multimodal": "Multimodal",
}


def _frame(
    session: Session, sql: str, params: dict[str, Any] | None = None, schema: dict[str, Any] | None = None
) -> pl.DataFrame:
    result = session.execute(sa.text(sql), params or {})
    rows = [dict(row) for row in result.mappings()]
    if schema is None:
        schema = dict.fromkeys(result.keys())
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def has_schema(*, session: Session) -> bool:
    """True when the store has been migrated (the postings table exists)."""
    return bool(session.execute(sa.text("select to_regclass('public.postings') is not null")).scalar())


_OVERVIEW_SQL = """
    select coalesce(sum(postings), 0)::bigint as postings, coalesce(sum(open_postings), 0)::bigint as open_postings,
           coalesce(sum(duplicates), 0)::bigint as duplicates,
           (select count(*) from (select company from source_company_counts where company is not null
                                  group by company) c) as companies,
           (select count(*) from (select source_id from source_company_counts group by source_id) s) as sources,
           ({mentions})::bigint as skill_mentions, (select count(*) from quarantine) as quarantined
    from source_company_counts
"""


def _skill_mentions(session: Session) -> str:
    """SQL of the skills asked by unique postings: the skill cube's top grain when it is current, else the weekly
    aggregates (as of the last refresh)."""
    if cubes_current(session=session):
        return f"select coalesce(sum(postings), 0) from skill_cube where grain = {SKILL_CUBE.grain_id(frozenset())}"
    return "select coalesce(sum(postings), 0) from weekly_skill_counts"


def overview(*, session: Session) -> dict[str, Any]:
    """Headline counts and the last refresh. The postings (all, open, duplicates), companies and sources are summed
    from ``source_company_counts`` (kept exact by triggers on ``postings``, migration 0008); ``skill_mentions``
    counts the skills asked by unique postings, from the skill cube (``pipeline.store.cube``)."""
    row = session.execute(sa.text(_OVERVIEW_SQL.format(mentions=_skill_mentions(session)))).mappings().one()
    last = (
        session.execute(
            sa.text("""
        select id, status, started_at, finished_at, counts from ingest_runs
        where status <> 'running' order by started_at desc limit 1
    """)
        )
        .mappings()
        .first()
    )
    return {**dict(row), "last_run": dict(last) if last else None}


def sources(*, session: Session) -> pl.DataFrame:
    """Each source with its posting counts and the last day one of its postings was seen (from
    ``source_company_counts``, kept exact by triggers on ``postings``)."""
    return _frame(
        session,
        """
        select s.id as source, s.kind, coalesce(sum(c.postings), 0)::int as postings,
               coalesce(sum(c.open_postings), 0)::int as open_postings, max(c.last_seen_on) as last_seen_on
        from sources s left join source_company_counts c on c.source_id = s.id
        group by s.id, s.kind order by postings desc, s.id
    """,
        schema={
            "source": pl.String,
            "kind": pl.String,
            "postings": pl.Int64,
            "open_postings": pl.Int64,
            "last_seen_on": pl.Date,
        },
    )


def recent_runs(*, session: Session, limit: int = 10) -> pl.DataFrame:
    return _frame(
        session,
        """
        select id as run, status, started_at, finished_at,
               extract(epoch from finished_at - started_at)::float8 as seconds,
               (counts->>'new')::int as new, (counts->>'updated')::int as updated,
               (counts->>'unchanged')::int as unchanged, (counts->>'rejected')::int as rejected
        from ingest_runs order by started_at desc limit :limit
    """,
        {"limit": limit},
    )
