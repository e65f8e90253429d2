"""The skills asked together, and one skill in detail: its weekly trend, its demand by level and role family, how
often it is required, the skills asked beside it and example postings with the sentence that asks for it.

As in ``pipeline.analysis.skill_demand``, the filtered postings come from ``pipeline.analysis.scope`` only; the
example postings add their title, company and evidence by joining ``postings`` and ``posting_skills`` on their keys
(display columns the scope does not carry, never a condition on which postings count).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.filters import LEVELS, PostingFilters
from pipeline.analysis.frames import rows_frame
from pipeline.analysis.scope import scoped_postings, scoped_skills
from pipeline.analysis.skill_demand import EVERYTHING, REQUIRED, count_scoped, percent, top_rows
from pipeline.store.models import PostingRow, PostingSkill, Skill

BREAKDOWN_COUNTS: dict[str, Any] = {
    "postings": pl.Int64,
    "asking": pl.Int64,
    "required": pl.Int64,
    "share_pct": pl.Float64,
}
RELATED_SCHEMA: dict[str, Any] = {
    "skill": pl.String,
    "category": pl.String,
    "postings": pl.Int64,
    "share_pct": pl.Float64,
}
EXAMPLES_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "title": pl.String,
    "company": pl.String,
    "day": pl.Date,
    "requirement": pl.String,
    "evidence": pl.String,
}
PAIRS_SCHEMA: dict[str, Any] = {
    "skill_a": pl.String,
    "skill_b": pl.String,
    "postings": pl.Int64,
    "postings_a": pl.Int64,
    "postings_b": pl.Int64,
    "jaccard": pl.Float64,
    "lift": pl.Float64,
}


def skill_cooccurrence(filters: PostingFilters = EVERYTHING, *, top_n: int = 15, session: Session) -> pl.DataFrame:
    """Pairs among the ``top_n`` most asked skills that some posting asks for together: ``postings`` asking both,
    each skill's own count, the Jaccard index (both / either) and the lift (how many times more often they are asked
    together than if independent: both x total / (a x b)). ``skill_a`` is the more asked of the two; most shared
    postings first."""
    top = top_rows(filters, top_n, session)
    if len(top) < 2:
        return rows_frame([], PAIRS_SCHEMA)
    total = count_scoped(filters, session=session)
    asks = scoped_skills(filters)
    asked = (
        sa.select(asks.c.posting_id, asks.c.skill_id)
        .where(asks.c.skill_id.in_([row["skill_id"] for row in top]))
        .cte("asked")
    )
    a, b = asked.alias("a"), asked.alias("b")
    stmt = (
        sa.select(a.c.skill_id.label("a"), b.c.skill_id.label("b"), sa.func.count().label("both"))
        .select_from(a)
        .join(b, sa.and_(a.c.posting_id == b.c.posting_id, a.c.skill_id < b.c.skill_id))
        .group_by(a.c.skill_id, b.c.skill_id)
    )
    rank = {row["skill_id"]: i for i, row in enumerate(top)}
    rows = []
    for pair in session.execute(stmt).mappings():
        first, second = (top[i] for i in sorted((rank[pair["a"]], rank[pair["b"]])))
        both, n_a, n_b = pair["both"], first["postings"], second["postings"]
        rows.append(
            {
                "skill_a": first["skill"],
                "skill_b": second["skill"],
                "postings": both,
                "postings_a": n_a,
                "postings_b": n_b,
                "jaccard": round(both / (n_a + n_b - both), 3),
                "lift": round(both * total / (n_a * n_b), 2),
            }
        )
    order = {row["skill"]: i for i, row in enumerate(top)}
    rows.sort(key=lambda r: (-r["postings"], order[r["skill_a"]], order[r["skill_b"]]))
    return rows_frame(rows, PAIRS_SCHEMA)


def _breakdown(
    postings: sa.Subquery, mine: sa.Subquery, key: str, session: Session, dtype: Any = pl.String
) -> pl.DataFrame:
    """Per value of ``postings.c[key]``: the filtered postings, those asking for the skill (``mine``), those
    requiring it and the share asking."""
    column = postings.c[key]
    stmt = (
        sa.select(
            column.label(key),
            sa.func.count().label("postings"),
            sa.func.count(mine.c.posting_id).label("asking"),
            sa.func.count().filter(mine.c.requirement == REQUIRED).label("required"),
        )
        .select_from(postings)
        .outerjoin(mine, mine.c.posting_id == postings.c.posting_id)
        .group_by(column)
        .order_by(column)
    )
    rows = [{**row, "share_pct": percent(row["asking"], row["postings"])} for row in session.execute(stmt).mappings()]
    return rows_frame(rows, {key: dtype, **BREAKDOWN_COUNTS})


def skill_detail(
    skill_name: str, filters: PostingFilters = EVERYTHING, *, related: int = 10, session: Session
) -> dict[str, Any] | None:
    """The skill named ``skill_name`` among the filtered postings (None when the taxonomy has no such skill):

    ``skill``, ``category``; ``postings`` (filtered), ``asking``, ``required``, ``share_pct`` (asking of postings)
    and ``required_share_pct`` (requiring of asking); frames ``weekly`` (per week: postings, asking, required,
    share), ``by_level`` and ``by_family`` (the same per level, in ladder order, and per role family), and
    ``cooccurring``: the ``related`` skills most often asked by the same postings, with their share of the postings
    asking for this one.
    """
    found = session.execute(sa.select(Skill.id, Skill.name, Skill.category).where(Skill.name == skill_name)).first()
    if found is None:
        return None
    skill_id, name, category = found
    postings = scoped_postings(filters, "detail_postings")
    asks = scoped_skills(filters)
    mine = sa.select(asks.c.posting_id, asks.c.requirement).where(asks.c.skill_id == skill_id).subquery("mine")
    weekly = _breakdown(postings, mine, "week_start", session, pl.Date)
    by_level = _breakdown(postings, mine, "level", session)
    by_level = by_level.sort(pl.col("level").replace_strict(LEVELS, list(range(len(LEVELS))), default=len(LEVELS)))
    by_family = _breakdown(postings, mine, "role_family", session)
    others = scoped_skills(filters, "other_skills")
    together = sa.func.count().label("postings")
    stmt = (
        sa.select(Skill.name.label("skill"), Skill.category, together)
        .select_from(others)
        .join(mine, mine.c.posting_id == others.c.posting_id)
        .join(Skill, Skill.id == others.c.skill_id)
        .where(others.c.skill_id != skill_id)
        .group_by(Skill.id)
        .order_by(together.desc(), Skill.name)
        .limit(related)
    )
    total, asking, required = (int(weekly[c].sum()) for c in ("postings", "asking", "required"))
    cooccurring = [{**row, "share_pct": percent(row["postings"], asking)} for row in session.execute(stmt).mappings()]
    return {
        "skill": name,
        "category": category,
        "postings": total,
        "asking": asking,
        "required": required,
        "share_pct": percent(asking, total),
        "required_share_pct": percent(required, asking),
        "weekly": weekly,
        "by_level": by_level,
        "by_family": by_family,
        "cooccurring": rows_frame(cooccurring, RELATED_SCHEMA),
    }


def skill_examples(
    skill_name: str, filters: PostingFilters = EVERYTHING, *, limit: int = 10, session: Session
) -> pl.DataFrame:
    """Up to ``limit`` filtered postings asking for ``skill_name``, newest first: id, title, company, day, whether
    they require or prefer it, and the evidence (the text that asks for it)."""
    asks = scoped_skills(filters)
    stmt = (
        sa.select(
            asks.c.posting_id.label("id"),
            PostingRow.title,
            PostingRow.company,
            asks.c.day,
            asks.c.requirement,
            PostingSkill.evidence,
        )
        .select_from(asks)
        .join(Skill, Skill.id == asks.c.skill_id)
        .join(PostingRow, PostingRow.id == asks.c.posting_id)
        .join(
            PostingSkill,
            sa.and_(PostingSkill.posting_id == asks.c.posting_id, PostingSkill.skill_id == asks.c.skill_id),
        )
        .where(Skill.name == skill_name)
        .order_by(asks.c.day.desc(), asks.c.posting_id)
        .limit(limit)
    )
    return rows_frame([dict(row) for row in session.execute(stmt).mappings()], EXAMPLES_SCHEMA)
