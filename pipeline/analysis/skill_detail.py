"""The skills asked together, and one skill in detail: its weekly trend, its demand by level and role family, how
often it is required, the skills asked beside it and example postings with the sentence that asks for it.

As in ``pipeline.analysis.skill_demand``, the counts come from ``pipeline.analysis.cube_scope`` and the pairs of
skills from ``pipeline.analysis.skill_pairs`` (the market cubes when they answer); the example postings walk
``posting_facts`` newest first and add their title, company and evidence by joining ``postings`` and
``posting_skills`` on their keys (display columns, never a condition on which postings count).
"""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import WEEK, posting_counts, skill_counts
from pipeline.analysis.filters import LEVELS, PostingFilters
from pipeline.analysis.frames import rows_frame
from pipeline.analysis.scope import fact_conditions
from pipeline.analysis.skill_demand import EVERYTHING, count_scoped, percent, top_rows
from pipeline.analysis.skill_pairs import pair_counts
from pipeline.store.cube import FAMILY, LEVEL
from pipeline.store.models import PostingFact, PostingRow, PostingSkill, Skill

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
    pairs = pair_counts(filters, session=session, among=[row["skill_id"] for row in top])
    stmt = sa.select(pairs.c.skill_id.label("a"), pairs.c.other_id.label("b"), pairs.c.postings.label("both"))
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
    filters: PostingFilters, key: str, skill_id: int, session: Session, dtype: Any = pl.String
) -> pl.DataFrame:
    """Per value of ``key`` (a dimension, or ``week_start``): the filtered postings, those asking for the skill,
    those requiring it and the share asking."""
    postings = posting_counts(filters, (key,), session=session, name="postings")
    mine = skill_counts(filters, (key,), session=session, skill_ids=[skill_id], name="mine")
    value = postings.c[key]
    stmt = (
        sa.select(
            value,
            postings.c.postings,
            sa.func.coalesce(mine.c.postings, 0).label("asking"),
            sa.func.coalesce(mine.c.required, 0).label("required"),
        )
        .select_from(postings)
        .outerjoin(mine, mine.c[key] == value)
        .order_by(value)
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
    weekly = _breakdown(filters, WEEK, skill_id, session, pl.Date)
    by_level = _breakdown(filters, LEVEL, skill_id, session)
    by_level = by_level.sort(pl.col("level").replace_strict(LEVELS, list(range(len(LEVELS))), default=len(LEVELS)))
    by_family = _breakdown(filters, FAMILY, skill_id, session)
    pairs = pair_counts(filters, session=session, involving=skill_id)
    other = sa.case((pairs.c.skill_id == skill_id, pairs.c.other_id), else_=pairs.c.skill_id)
    stmt = (
        sa.select(Skill.name.label("skill"), Skill.category, pairs.c.postings)
        .select_from(pairs)
        .join(Skill, Skill.id == other)
        .order_by(pairs.c.postings.desc(), Skill.name)
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
    they require or prefer it, and the evidence (the text that asks for it).

    The skill's id is read first, so that the plan can walk the filtered postings newest first
    (``ix_posting_facts_day``) and probe each one's skill by primary key, stopping at ``limit``: a common skill
    is found within a few dozen postings."""
    skill_id = session.scalar(sa.select(Skill.id).where(Skill.name == skill_name))
    if skill_id is None:
        return rows_frame([], EXAMPLES_SCHEMA)
    facts = PostingFact
    stmt = (
        sa.select(
            facts.posting_id.label("id"),
            PostingRow.title,
            PostingRow.company,
            facts.day,
            PostingSkill.requirement,
            PostingSkill.evidence,
        )
        .join(
            PostingSkill,
            sa.and_(PostingSkill.posting_id == facts.posting_id, PostingSkill.skill_id == skill_id),
        )
        .join(PostingRow, PostingRow.id == facts.posting_id)
        .where(*fact_conditions(filters))
        .order_by(facts.day.desc(), facts.posting_id)
        .limit(limit)
    )
    return rows_frame([dict(row) for row in session.execute(stmt).mappings()], EXAMPLES_SCHEMA)
