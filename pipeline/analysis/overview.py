"""The Overview page's figures of the filtered postings: totals and postings per week.

Both count unique postings matching the filters, labelled by their effective tag, with
:func:`pipeline.analysis.cube_scope.posting_counts` (the posting cube when it answers, else ``posting_facts``), and
take the session as a keyword. The store-wide counts (duplicates, quarantine, runs) stay in
:func:`pipeline.analysis.queries.overview`.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import WEEK, posting_counts, sum_of, use_cubes
from pipeline.analysis.filters import UNKNOWN, PostingFilters
from pipeline.analysis.frames import query_frame
from pipeline.analysis.scope import scoped_postings
from pipeline.store.cube import POSTING_CUBE


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


_BY = {  # the counts read per dimension from the posting cube: name -> (dimension, counted rows)
    "companies": "company",
    "sources": "source_id",
    "weeks": WEEK,
    "with_level": "level",
    "with_remote": "remote",
    "with_specialization": "specializations",
}


def _cube_totals(filters: PostingFilters, session: Session) -> dict[str, Any]:
    """:func:`totals`'s counts from the posting cube: one small grouped read per dimension."""
    whole = posting_counts(filters, (), session=session, cube=True, name="whole")
    by = {name: posting_counts(filters, (dim,), session=session, cube=True, name=name) for name, dim in _BY.items()}
    level, remote = by["with_level"], by["with_remote"]
    specs = by["with_specialization"]
    columns = {
        "postings": sa.select(whole.c.postings),
        "companies": sa.select(sa.func.count(sa.distinct(by["companies"].c.company))),
        "sources": sa.select(sa.func.count()).select_from(by["sources"]),
        "weeks": sa.select(sa.func.count()).select_from(by["weeks"]),
        "with_level": sa.select(sum_of(level.c.postings, level.c.level != UNKNOWN)),
        "with_years": sa.select(whole.c.with_years),
        "with_salary": sa.select(whole.c.with_salary),
        "with_remote": sa.select(sum_of(remote.c.postings, remote.c.remote != UNKNOWN)),
        "with_specialization": sa.select(sum_of(specs.c.postings, sa.func.cardinality(specs.c.specializations) > 0)),
    }
    row = session.execute(sa.select(*(q.scalar_subquery().label(n) for n, q in columns.items()))).mappings().one()
    return {name: int(value or 0) for name, value in row.items()}


def totals(filters: PostingFilters, *, session: Session) -> dict[str, Any]:
    """Counts of the filtered postings: ``postings``, ``companies``, ``sources``, ``weeks``, and how many state a
    level (``with_level``), years of experience (``with_years``), pay (``with_salary``), a remote policy
    (``with_remote``) or focus on a specialization (``with_specialization``), each also as ``<name>_pct`` of the
    postings (None when there are none)."""
    needs = [(POSTING_CUBE, (dim,)) for dim in _BY.values()]
    if use_cubes(filters, needs, session=session):
        return _with_shares(_cube_totals(filters, session))
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
    return _with_shares({name: int(value) for name, value in row.items()})


def _with_shares(counts: dict[str, int]) -> dict[str, Any]:
    out: dict[str, Any] = dict(counts)
    for name in ("with_level", "with_years", "with_salary", "with_remote", "with_specialization"):
        out[f"{name}_pct"] = _share(counts[name], counts["postings"])
    return out


def postings_per_week(filters: PostingFilters, *, session: Session) -> pl.DataFrame:
    """Filtered postings per week (Monday) and level."""
    counts = posting_counts(filters, (WEEK, "level"), session=session)
    stmt = sa.select(counts.c.week_start, counts.c.level, counts.c.postings).order_by(
        counts.c.week_start, counts.c.level
    )
    return query_frame(session, stmt, {"week_start": pl.Date, "level": pl.String, "postings": pl.Int64})
