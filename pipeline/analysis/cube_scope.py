"""Counts of the filtered postings grouped by some of their dimensions, read from the market cubes when they can
answer, else from the posting tables: the one place that decides.

``posting_counts(filters, dims)`` is a subquery with one row per combination of ``dims`` among the unique postings
matching ``filters`` and their counts: ``postings``, ``with_years`` (stating years of experience), ``with_salary``
(stating pay). ``skill_counts(filters, dims)`` has one row per combination of ``dims`` and skill: ``skill_id``,
``postings`` asking it and ``required`` (requiring it). Both give the same rows from either source:

- the cubes (``pipeline.store.cube``) when every condition of ``filters`` and every grouped dimension is a
  dimension of one of the cube's grains (the location substring never is) and no change waits to be counted
  (``cube_dirty`` empty): a few thousand pre-aggregated rows of the smallest such grain;
- for skill counts the cube has no grain for (a company filter, several filters at once), the cubes' snapshot
  ``cube_postings`` while it is current: one row per unique posting with its skills as arrays, indexed by day and
  company, so a selective filter reads a few thousand rows instead of probing the posting skills one by one;
- else ``posting_facts`` (joined with ``posting_skills``), grouped on the fly: exact whatever the filters, and fast
  when a filter is selective (the company and day indexes).

``week_start`` (the Monday of ``day``) can be grouped by like a dimension.

A dimension is a column of ``posting_facts``: ``day``, ``source_id``, ``company``, ``remote``, ``role_family``,
``level``, ``specializations``, ``years_min`` (posting counts only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.scope import conditions_on
from pipeline.store.cube import (
    COMPANY,
    DAY,
    FAMILY,
    LEVEL,
    POSTING_CUBE,
    REMOTE,
    SKILL_CUBE,
    SOURCE,
    SPECS,
    Cube,
    cubes_current,
)
from pipeline.store.models import CubePosting, PostingFact, PostingSkill, posting_cube, skill_cube

REQUIRED = "required"
WEEK = "week_start"  # a grouping key besides the dimensions: the Monday of ``day`` (needs the ``day`` dimension)
# the filter fields and the dimension each conditions (location has none: a substring is no cube dimension)
FILTER_DIMENSIONS = {
    "since": DAY,
    "until": DAY,
    "sources": SOURCE,
    "companies": COMPANY,
    "remote": REMOTE,
    "role_families": FAMILY,
    "levels": LEVEL,
    "specializations": SPECS,
}


def sum_of(column: sa.ColumnElement[Any], where: sa.ColumnElement[bool] | None = None) -> sa.ColumnElement[int]:
    """SQL: the sum of a count column as a bigint, 0 over no rows (``where`` restricts the rows summed)."""
    total = sa.func.sum(column) if where is None else sa.func.sum(column).filter(where)
    return sa.cast(sa.func.coalesce(total, 0), sa.BigInteger)


def grain_for(cube: Cube, filters: PostingFilters, dims: Sequence[str]) -> frozenset[str] | None:
    """The grain of ``cube`` that answers ``dims`` under ``filters`` (None when none does)."""
    if filters.location:
        return None
    needed = {DAY if d == WEEK else d for d in dims} | {FILTER_DIMENSIONS[name] for name in filters.active()}
    return cube.grain_for(needed)


def _keys(columns: Any, dims: Sequence[str]) -> list[sa.ColumnElement[Any]]:
    """The grouping keys ``dims`` over ``columns`` (``week_start``: the Monday of ``day``)."""
    return [
        sa.cast(sa.func.date_trunc("week", columns.day), sa.Date).label(WEEK) if d == WEEK else getattr(columns, d)
        for d in dims
    ]


def _rolled_up(cube: Cube, columns: Any, grain: frozenset[str]) -> list[sa.ColumnElement[bool]]:
    """``IS NULL`` on the dimensions ``grain`` rolls up: always true there, and it lets the cube's unique index
    (grain first, then the dimensions) seek to a filtered value instead of reading the whole grain."""
    return [getattr(columns, d).is_(None) for d in cube.dimensions if d not in grain]


def use_cubes(filters: PostingFilters, needs: Sequence[tuple[Cube, Sequence[str]]], *, session: Session) -> bool:
    """True when the cubes answer every (cube, dims) of ``needs`` under ``filters`` and count the store as it is."""
    if any(grain_for(cube, filters, dims) is None for cube, dims in needs):
        return False
    return cubes_current(session=session)


def posting_counts(
    filters: PostingFilters, dims: Sequence[str], *, session: Session, cube: bool | None = None, name: str = "counts"
) -> sa.Subquery:
    """Unique postings matching ``filters`` per combination of ``dims``: ``postings``, ``with_years``,
    ``with_salary``. ``cube`` forces the source (None: the cube when it answers)."""
    grain = grain_for(POSTING_CUBE, filters, dims)
    if cube is None:
        cube = grain is not None and cubes_current(session=session)
    if cube and grain is not None:
        table = posting_cube
        keys = _keys(table.c, dims)
        stmt = sa.select(
            *keys,
            *(sum_of(table.c[m]).label(m) for m in ("postings", "with_years", "with_salary")),
        ).where(
            table.c.grain == POSTING_CUBE.grain_id(grain),
            *_rolled_up(POSTING_CUBE, table.c, grain),
            *conditions_on(table.c, filters),
        )
    else:
        facts = PostingFact
        keys = _keys(facts, dims)
        stated = sa.or_(facts.salary_annual_min.is_not(None), facts.salary_annual_max.is_not(None))
        stmt = sa.select(
            *keys,
            sa.func.count().label("postings"),
            sa.func.count(facts.years_min).label("with_years"),
            sa.func.count().filter(stated).label("with_salary"),
        ).where(*conditions_on(facts, filters))
    return (stmt.group_by(*keys) if keys else stmt).subquery(name)


def skill_counts(
    filters: PostingFilters,
    dims: Sequence[str],
    *,
    session: Session,
    skill_ids: Sequence[int] | None = None,
    cube: bool | None = None,
    name: str = "skill_counts",
) -> sa.Subquery:
    """Unique postings matching ``filters`` asking each skill (``skill_ids`` only, when given) per combination of
    ``dims``: ``skill_id``, ``postings``, ``required``."""
    grain = grain_for(SKILL_CUBE, filters, dims)
    if cube is None:
        cube = not filters.location and cubes_current(session=session)
    if cube and grain is not None:
        table = skill_cube
        keys = _keys(table.c, dims)
        stmt = sa.select(
            *keys,
            table.c.skill_id,
            sum_of(table.c.postings).label("postings"),
            sum_of(table.c.required).label("required"),
        ).where(
            table.c.grain == SKILL_CUBE.grain_id(grain),
            *_rolled_up(SKILL_CUBE, table.c, grain),
            *conditions_on(table.c, filters),
        )
        if skill_ids is not None:
            stmt = stmt.where(table.c.skill_id.in_(list(skill_ids)))
        return stmt.group_by(*keys, table.c.skill_id).subquery(name)
    if cube and not filters.location:  # current, but no grain: each matching posting's array of skills
        posting = CubePosting.__table__.alias("posting")
        skill = sa.func.unnest(posting.c.skills).table_valued("skill_id").render_derived(name="skill")
        keys = _keys(posting.c, dims)
        stmt = (
            sa.select(
                *keys,
                skill.c.skill_id,
                sa.func.count().label("postings"),
                sa.func.count().filter(skill.c.skill_id == sa.any_(posting.c.required)).label("required"),
            )
            .select_from(posting.join(skill, sa.true()))
            .where(*conditions_on(posting.c, filters))
        )
        if skill_ids is not None:
            stmt = stmt.where(skill.c.skill_id.in_(list(skill_ids)))
        return stmt.group_by(*keys, skill.c.skill_id).subquery(name)
    facts = PostingFact
    keys = _keys(facts, dims)
    stmt = (
        sa.select(
            *keys,
            PostingSkill.skill_id,
            sa.func.count().label("postings"),
            sa.func.count().filter(PostingSkill.requirement == REQUIRED).label("required"),
        )
        .select_from(facts)
        .join(PostingSkill, PostingSkill.posting_id == facts.posting_id)
        .where(*conditions_on(facts, filters))
    )
    if skill_ids is not None:
        stmt = stmt.where(PostingSkill.skill_id.in_(list(skill_ids)))
    return stmt.group_by(*keys, PostingSkill.skill_id).subquery(name)
