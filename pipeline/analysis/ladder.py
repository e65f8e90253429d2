"""The career ladder of the filtered postings: how many postings each level has per role family, the years of
experience asked per level (box-plot statistics), the annual pay stated per level, and the skills whose share of
postings rises most from level I to staff.

Every query counts unique postings matching the filters, labelled by their effective tag, with
``pipeline.analysis.cube_scope`` (the market cubes when they answer, else ``posting_facts``). The years and pay
statistics are computed from the posting cube's histograms (years, or currency and pay, per level) with
PostgreSQL's ``percentile_cont`` arithmetic, else by PostgreSQL over ``pipeline.analysis.scope.scoped_postings``.
Each takes the session as a keyword and returns a Polars frame."""

from __future__ import annotations

import bisect
import itertools
import math
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import posting_counts, skill_counts, sum_of, use_cubes
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.frames import query_frame, rows_frame
from pipeline.analysis.queries import LEVEL_ORDER
from pipeline.analysis.scope import scoped_postings
from pipeline.store.cube import CURRENCY, LEVEL, PAY, POSTING_CUBE
from pipeline.store.models import Skill

LADDER = ("i", "ii", "senior", "staff")  # the rungs a skill's share is compared across (no "unknown")
QUARTILES = (("q1", 0.25), ("median", 0.5), ("q3", 0.75))
BANDS = (("p25", 0.25), ("median", 0.5), ("p75", 0.75))
YEARS_SCHEMA: dict[str, Any] = {
    "level": pl.String,
    "n": pl.Int64,
    "min": pl.Float64,
    "q1": pl.Float64,
    "median": pl.Float64,
    "q3": pl.Float64,
    "max": pl.Float64,
}
SALARY_SCHEMA: dict[str, Any] = {
    "level": pl.String,
    "currency": pl.String,
    "n": pl.Int64,
    "p25": pl.Float64,
    "median": pl.Float64,
    "p75": pl.Float64,
}
RISING_SCHEMA: dict[str, Any] = {
    "skill": pl.String,
    "category": pl.String,
    "postings": pl.Int64,
    **{f"share_{level}": pl.Float64 for level in LADDER},
    "change": pl.Float64,
}


def by_level_order(data: pl.DataFrame) -> pl.DataFrame:
    """``data`` sorted by its ``level`` column in ladder order (I, II, senior, staff, unknown), stably."""
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    return data.sort(
        pl.col("level").replace_strict(rank, default=len(rank), return_dtype=pl.Int64), maintain_order=True
    )


def level_distribution(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Postings per role family and level."""
    counts = posting_counts(filters, ("role_family", "level"), session=session)
    stmt = sa.select(counts.c.role_family, counts.c.level, counts.c.postings).order_by(
        counts.c.role_family, counts.c.level
    )
    data = query_frame(session, stmt, {"role_family": pl.String, "level": pl.String, "postings": pl.Int64})
    return by_level_order(data).sort("role_family", maintain_order=True)


def years_by_level(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Per level, the minimum years of experience asked by the postings stating it: n, min, q1, median, q3, max
    (continuous percentiles), the boxes of a box plot."""
    if use_cubes(filters, [(POSTING_CUBE, ("level", "years_min"))], session=session):
        return by_level_order(_years_from_histogram(filters, session))
    scope = scoped_postings(filters)
    years = scope.c.years_min
    stmt = (
        sa.select(
            scope.c.level,
            sa.func.count().label("n"),
            sa.cast(sa.func.min(years), sa.Float).label("min"),
            *(sa.func.percentile_cont(q).within_group(years).label(name) for name, q in QUARTILES),
            sa.cast(sa.func.max(years), sa.Float).label("max"),
        )
        .where(years.is_not(None))
        .group_by(scope.c.level)
    )
    return by_level_order(query_frame(session, stmt, YEARS_SCHEMA))


def percentile_cont(histogram: list[tuple[float, int]], fraction: float) -> float:
    """PostgreSQL's ``percentile_cont(fraction)`` of the values of ``histogram`` ((value, count), sorted by value,
    counts positive), with its arithmetic: the values at rows floor and ceil of ``fraction * (n - 1)`` (0-based),
    interpolated.

    >>> percentile_cont([(1.0, 1), (3.0, 2), (8.0, 1)], 0.25), percentile_cont([(2.0, 1), (5.0, 1)], 0.5)
    (2.5, 3.5)
    """
    position = fraction * (sum(n for _, n in histogram) - 1)
    first, second = math.floor(position), math.ceil(position)
    ends = list(itertools.accumulate(n for _, n in histogram))  # one past the last row of each value
    low = histogram[bisect.bisect_right(ends, first)][0]
    high = histogram[bisect.bisect_right(ends, second)][0]
    return low + (high - low) * (position - first)


def _years_from_histogram(filters: PostingFilters, session: Session) -> pl.DataFrame:
    """:func:`years_by_level` from the posting cube: postings per level and years, the statistics in Python."""
    counts = posting_counts(filters, ("level", "years_min"), session=session, cube=True)
    stmt = (
        sa.select(counts.c.level, counts.c.years_min, counts.c.postings)
        .where(counts.c.years_min.is_not(None))
        .order_by(counts.c.level, counts.c.years_min)
    )
    histograms: dict[str, list[tuple[float, int]]] = {}
    for level, years, n in session.execute(stmt):
        histograms.setdefault(level, []).append((float(years), int(n)))
    rows = [
        {
            "level": level,
            "n": sum(n for _, n in histogram),
            "min": histogram[0][0],
            **{name: percentile_cont(histogram, q) for name, q in QUARTILES},
            "max": histogram[-1][0],
        }
        for level, histogram in histograms.items()
    ]
    return rows_frame(rows, YEARS_SCHEMA)


def _pay_from_histogram(filters: PostingFilters, session: Session) -> pl.DataFrame:
    """:func:`salary_bands` from the posting cube: postings per level, currency and pay, the bands in Python."""
    counts = posting_counts(filters, (LEVEL, CURRENCY, PAY), session=session, cube=True)
    stmt = (
        sa.select(counts.c.level, counts.c.salary_currency, counts.c.pay, counts.c.postings)
        .where(counts.c.salary_currency.is_not(None), counts.c.pay.is_not(None))
        .order_by(counts.c.level, counts.c.pay)
    )
    found = session.execute(stmt).all()
    per_currency: dict[str, int] = {}
    for _, currency, _, n in found:
        per_currency[currency] = per_currency.get(currency, 0) + int(n)
    if not per_currency:
        return rows_frame([], SALARY_SCHEMA)
    chosen = min(per_currency, key=lambda c: (-per_currency[c], c))  # most common, ties alphabetically
    histograms: dict[str, list[tuple[float, int]]] = {}
    for level, currency, pay, n in found:
        if currency == chosen:
            histograms.setdefault(level, []).append((float(pay), int(n)))
    rows = [
        {
            "level": level,
            "currency": chosen,
            "n": sum(n for _, n in histogram),
            **{name: percentile_cont(histogram, q) for name, q in BANDS},
        }
        for level, histogram in histograms.items()
    ]
    return rows_frame(rows, SALARY_SCHEMA)


def salary_bands(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Per level, the annual pay of the postings stating it in the most common currency among them (ties: the
    first alphabetically; ``currency`` names it): n, and the 25th, 50th and 75th percentile of each posting's pay,
    the middle of its range, or its one bound when only one is stated. Postings paying in other currencies are
    left out."""
    if use_cubes(filters, [(POSTING_CUBE, (LEVEL, CURRENCY, PAY))], session=session):
        return by_level_order(_pay_from_histogram(filters, session))
    scope = scoped_postings(filters)
    low, high = sa.cast(scope.c.salary_annual_min, sa.Float), sa.cast(scope.c.salary_annual_max, sa.Float)
    stated = sa.and_(scope.c.salary_currency.is_not(None), sa.or_(low.is_not(None), high.is_not(None)))
    currency = (
        sa.select(scope.c.salary_currency)
        .where(stated)
        .group_by(scope.c.salary_currency)
        .order_by(sa.func.count().desc(), scope.c.salary_currency)
        .limit(1)
        .scalar_subquery()
    )
    pay = sa.func.coalesce((low + high) / 2, low, high)
    stmt = (
        sa.select(
            scope.c.level,
            scope.c.salary_currency.label("currency"),
            sa.func.count().label("n"),
            *(sa.func.percentile_cont(q).within_group(pay).label(name) for name, q in BANDS),
        )
        .where(stated, scope.c.salary_currency == currency)
        .group_by(scope.c.level, scope.c.salary_currency)
    )
    return by_level_order(query_frame(session, stmt, SALARY_SCHEMA))


def rising_skills(filters: PostingFilters, *, limit: int = 10, min_postings: int = 3, session: Session) -> pl.DataFrame:
    """The skills whose share of postings rises most from level I to staff, most first: per skill, the postings
    at those four levels asking it, the percentage of each level's postings asking it (``share_i`` ...
    ``share_staff``; null when the level has no posting) and ``change``, ``share_staff - share_i`` in percentage
    points. Skills asked by fewer than ``min_postings`` postings of the four levels, and those not rising, are left
    out; so is every skill when level I or staff has no posting."""
    per_level = posting_counts(filters, ("level",), session=session)
    levels = sa.select(per_level.c.level, per_level.c.postings).where(per_level.c.level.in_(LADDER))
    totals: dict[str, int] = {level: int(n) for level, n in session.execute(levels)}
    asked = skill_counts(filters, ("level",), session=session)
    stmt = (
        sa.select(Skill.name.label("skill"), Skill.category, asked.c.level, sum_of(asked.c.postings).label("asking"))
        .join(Skill, Skill.id == asked.c.skill_id)
        .where(asked.c.level.in_(LADDER))
        .group_by(Skill.name, Skill.category, asked.c.level)
    )
    schema = {"skill": pl.String, "category": pl.String, "level": pl.String, "asking": pl.Int64}
    counts = query_frame(session, stmt, schema)
    if counts.is_empty() or not totals.get("i") or not totals.get("staff"):
        return pl.DataFrame(schema=RISING_SCHEMA)
    shares = counts.with_columns(
        share=100.0 * pl.col("asking") / pl.col("level").replace_strict(totals, return_dtype=pl.Float64)
    )
    wide = shares.pivot(on="level", index=["skill", "category"], values="share")
    columns = [
        (pl.col(level).fill_null(0.0) if level in wide.columns else pl.lit(0.0)).alias(f"share_{level}")
        if totals.get(level)
        else pl.lit(None, dtype=pl.Float64).alias(f"share_{level}")
        for level in LADDER
    ]
    postings = shares.group_by("skill").agg(pl.col("asking").sum().alias("postings"))
    rising = (
        wide.select("skill", "category", *columns)
        .join(postings, on="skill")
        .with_columns(change=pl.col("share_staff") - pl.col("share_i"))
        .filter(pl.col("postings") >= min_postings, pl.col("change") > 0)
        .sort(["change", "postings", "skill"], descending=[True, True, False])
        .head(limit)
    )
    return rising.select(list(RISING_SCHEMA))
