"""Specializations in the filtered postings: how many postings focus on each (overall and per level), per week,
the skills each asks most, and how often two go together.

A posting counts for every specialization of its effective tag. Every query reads
:func:`pipeline.analysis.cube_scope.posting_counts` (or ``skill_counts``: the market cubes when they answer), takes the
session as a keyword and returns a Polars frame; shares are percentages of the filtered postings (of the level, the week
or the specialization)."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import WEEK, posting_counts, skill_counts, sum_of
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.frames import query_frame
from pipeline.analysis.ladder import by_level_order
from pipeline.store.cube import LEVEL, SPECS
from pipeline.store.models import Skill

SHARE_SCHEMA: dict[str, Any] = {"specialization": pl.String, "postings": pl.Int64, "share_pct": pl.Float64}
BY_LEVEL_SCHEMA: dict[str, Any] = {
    "specialization": pl.String,
    "level": pl.String,
    "postings": pl.Int64,
    "share_pct": pl.Float64,
}
TREND_SCHEMA: dict[str, Any] = {
    "week_start": pl.Date,
    "specialization": pl.String,
    "postings": pl.Int64,
    "share_pct": pl.Float64,
}
TOP_SCHEMA: dict[str, Any] = {
    "specialization": pl.String,
    "rank": pl.Int64,
    "skill": pl.String,
    "category": pl.String,
    "postings": pl.Int64,
    "share_pct": pl.Float64,
}
OVERLAP_SCHEMA: dict[str, Any] = {
    "specialization_a": pl.String,
    "specialization_b": pl.String,
    "both": pl.Int64,
    "jaccard": pl.Float64,
}


def _focus(source: sa.Subquery, name: str) -> sa.Subquery:
    """One row per posting and specialization of ``source`` (a scoped subquery), with every column of it."""
    return sa.select(*source.c, sa.func.unnest(source.c.specializations).label("specialization")).subquery(name)


def _pct(part: pl.Expr, whole: pl.Expr) -> pl.Expr:
    return (100.0 * part / whole).cast(pl.Float64)


def specialization_share(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Per specialization, the postings focusing on it and their percentage of the filtered postings; most first."""
    whole = posting_counts(filters, (), session=session, name="whole")
    total = session.scalar(sa.select(whole.c.postings)) or 0
    focus = _focus(posting_counts(filters, (SPECS,), session=session), "focus")
    stmt = sa.select(focus.c.specialization, sum_of(focus.c.postings).label("postings")).group_by(
        focus.c.specialization
    )
    data = query_frame(session, stmt, {"specialization": pl.String, "postings": pl.Int64})
    return (
        data.with_columns(share_pct=_pct(pl.col("postings"), pl.lit(total)))
        .sort(["postings", "specialization"], descending=[True, False])
        .select(list(SHARE_SCHEMA))
    )


def specialization_by_level(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Per specialization and level, the postings focusing on it and their percentage of that level's filtered
    postings."""
    per_level = posting_counts(filters, (LEVEL,), session=session)
    levels = query_frame(
        session,
        sa.select(per_level.c.level, per_level.c.postings.label("level_postings")),
        {"level": pl.String, "level_postings": pl.Int64},
    )
    focus = _focus(posting_counts(filters, (SPECS, LEVEL), session=session), "focus")
    stmt = sa.select(focus.c.specialization, focus.c.level, sum_of(focus.c.postings).label("postings")).group_by(
        focus.c.specialization, focus.c.level
    )
    data = query_frame(session, stmt, {"specialization": pl.String, "level": pl.String, "postings": pl.Int64})
    joined = data.join(levels, on="level").with_columns(share_pct=_pct(pl.col("postings"), pl.col("level_postings")))
    return (
        by_level_order(joined.sort("specialization"))
        .sort("specialization", maintain_order=True)
        .select(list(BY_LEVEL_SCHEMA))
    )


def specialization_trend(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Per week (Monday) with filtered postings and specialization seen in the filters, the postings focusing on
    it (0 in a week without any) and their percentage of that week's filtered postings."""
    per_week = posting_counts(filters, (WEEK,), session=session)
    weeks = query_frame(
        session,
        sa.select(per_week.c.week_start, per_week.c.postings.label("week_postings")),
        {"week_start": pl.Date, "week_postings": pl.Int64},
    )
    focus = _focus(posting_counts(filters, (WEEK, SPECS), session=session), "focus")
    stmt = sa.select(focus.c.week_start, focus.c.specialization, sum_of(focus.c.postings).label("postings")).group_by(
        focus.c.week_start, focus.c.specialization
    )
    data = query_frame(session, stmt, {"week_start": pl.Date, "specialization": pl.String, "postings": pl.Int64})
    if data.is_empty():
        return pl.DataFrame(schema=TREND_SCHEMA)
    grid = weeks.join(data.select("specialization").unique(), how="cross")
    return (
        grid.join(data, on=["week_start", "specialization"], how="left")
        .with_columns(pl.col("postings").fill_null(0))
        .with_columns(share_pct=_pct(pl.col("postings"), pl.col("week_postings")))
        .sort(["week_start", "specialization"])
        .select(list(TREND_SCHEMA))
    )


def specialization_top_skills(filters: PostingFilters, *, limit: int = 10, session: Session) -> pl.DataFrame:
    """The ``limit`` skills asked by most postings of each specialization (ties by name), with the percentage of
    that specialization's filtered postings asking each."""
    sizes = specialization_share(filters, session=session).select("specialization", size="postings")
    focus = _focus(skill_counts(filters, (SPECS,), session=session), "focus_skills")
    asking = sum_of(focus.c.postings).label("postings")
    rank = sa.func.row_number().over(
        partition_by=focus.c.specialization, order_by=(sum_of(focus.c.postings).desc(), Skill.name)
    )
    ranked = (
        sa.select(focus.c.specialization, rank.label("rank"), Skill.name.label("skill"), Skill.category, asking)
        .join(Skill, Skill.id == focus.c.skill_id)
        .group_by(focus.c.specialization, Skill.name, Skill.category)
        .subquery("ranked")
    )
    stmt = sa.select(*ranked.c).where(ranked.c.rank <= limit).order_by(ranked.c.specialization, ranked.c.rank)
    data = query_frame(session, stmt, {name: dtype for name, dtype in TOP_SCHEMA.items() if name != "share_pct"})
    return (
        data.join(sizes, on="specialization")
        .with_columns(share_pct=_pct(pl.col("postings"), pl.col("size")))
        .sort(["specialization", "rank"])
        .select(list(TOP_SCHEMA))
    )


def specialization_overlap(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Every pair of the specializations seen in the filtered postings (both orders and each with itself, the
    cells of a heatmap): the postings focusing on both and the Jaccard index, both / postings focusing on either."""
    sizes = specialization_share(filters, session=session).select("specialization", "postings")
    if sizes.is_empty():
        return pl.DataFrame(schema=OVERLAP_SCHEMA)
    per_set = posting_counts(filters, (SPECS,), session=session)
    a = sa.func.unnest(per_set.c.specializations).table_valued("specialization").render_derived(name="a")
    b = sa.func.unnest(per_set.c.specializations).table_valued("specialization").render_derived(name="b")
    stmt = (
        sa.select(
            a.c.specialization.label("specialization_a"),
            b.c.specialization.label("specialization_b"),
            sum_of(per_set.c.postings).label("both"),
        )
        .select_from(per_set.join(a, sa.true()).join(b, sa.true()))
        .group_by(a.c.specialization, b.c.specialization)
    )
    pairs = query_frame(session, stmt, {k: v for k, v in OVERLAP_SCHEMA.items() if k != "jaccard"})
    grid = sizes.rename({"specialization": "specialization_a", "postings": "n_a"}).join(
        sizes.rename({"specialization": "specialization_b", "postings": "n_b"}), how="cross"
    )
    return (
        grid.join(pairs, on=["specialization_a", "specialization_b"], how="left")
        .with_columns(pl.col("both").fill_null(0))
        .with_columns(jaccard=(pl.col("both") / (pl.col("n_a") + pl.col("n_b") - pl.col("both"))).cast(pl.Float64))
        .sort(["specialization_a", "specialization_b"])
        .select(list(OVERLAP_SCHEMA))
    )
