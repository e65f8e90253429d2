"""The Overview page's figures of the filtered postings: totals and postings per week.

Both read :func:`pipeline.analysis.scope.scoped_postings` (unique postings matching the filters, labelled by their
effective tag) and take the session as a keyword. The store-wide counts (duplicates, quarantine, runs) stay in
:func:`pipeline.analysis.queries.overview`.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.filters import UNKNOWN, PostingFilters
from pipeline.analysis.frames import query_frame
from pipeline.analysis.scope import scoped_postings


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def totals(filters: PostingFilters, *, session: Session) -> dict[str, Any]:
    """Counts of the filtered postings: ``postings``, ``companies``, ``sources``, ``weeks``, and how many state a
    level (``with_level``), years of experience (``with_years``), pay (``with_salary``), a remote policy
    (``with_remote``) or focus on a specialization (``with_specialization``), each also as ``<name>_pct`` of the
    postings (None when there are none)."""
    scope = scoped_postings(filters)
    count_if = {
        "with_level": scope.c.level != UNKNOWN,
        "with_years": scope.c.years_min.is_not(None),
        "with_salary": sa.or_(scope.c.salary_annual_min.is_not(None), scope.c.salary_annual_max.is_not(None)),
        "with_remote": scope.c.remote != UNKNOWN,
        "with_specialization": sa.func.cardinality(scope.c.specializations) > 0,
    }
    row = (
        session.execute(
            sa.select(
                sa.func.count().label("postings"),
                sa.func.count(sa.distinct(scope.c.company)).label("companies"),
                sa.func.count(sa.distinct(scope.c.source_id)).label("sources"),
                sa.func.count(sa.distinct(scope.c.week_start)).label("weeks"),
                *(sa.func.count().filter(condition).label(name) for name, condition in count_if.items()),
            )
        )
        .mappings()
        .one()
    )
    out: dict[str, Any] = {name: int(value) for name, value in row.items()}
    for name in count_if:
        out[f"{name}_pct"] = _share(out[name], out["postings"])
    return out


def postings_per_week(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Filtered postings per week (Monday) and level."""
    scope = scoped_postings(filters)
    stmt = (
        sa.select(scope.c.week_start, scope.c.level, sa.func.count().label("postings"))
        .group_by(scope.c.week_start, scope.c.level)
        .order_by(scope.c.week_start, scope.c.level)
    )
    return query_frame(session, stmt, {"week_start": pl.Date, "level": pl.String, "postings": pl.Int64})
