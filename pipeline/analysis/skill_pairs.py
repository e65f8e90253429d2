"""Pairs of skills asked together by the filtered postings, from the cheapest source that is exact.

``pair_counts(filters, among=..., involving=...)`` is a subquery of ``skill_id < other_id`` pairs with the unique
postings matching ``filters`` that ask both (``postings``, pairs with none left out), restricted to pairs of two
skills of ``among`` or to pairs with ``involving`` in them. It reads

- the pair cube (``skill_pair_cube``, ``pipeline.store.cube``) when the filters are one market dimension at most
  (source, remote policy, role family, level, specializations) and the cubes are current;
- for a date window alone, its whole weeks from the pair cube's weekly grain and the days of its partial weeks
  from the snapshot below;
- else the cubes' snapshot ``cube_postings`` (one row per unique posting with its skills as an array; indexed by
  day and company, the selective filters) when the cubes are current: the pairs are made from each matching
  posting's array, never by joining the twelve million posting skills with themselves;
- else ``posting_facts`` joined twice with ``posting_skills`` (a location filter, or changes not counted yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import grain_for, sum_of
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.scope import conditions_on
from pipeline.store.cube import PAIR_CUBE, WEEK_START, cubes_current
from pipeline.store.models import CubePosting, PostingFact, PostingSkill, skill_pair_cube


def _restrict(
    first: sa.ColumnElement[int],
    second: sa.ColumnElement[int],
    among: Sequence[int] | None,
    involving: int | None,
) -> list[sa.ColumnElement[bool]]:
    out: list[sa.ColumnElement[bool]] = [first < second]
    if among is not None:
        out += [first.in_(list(among)), second.in_(list(among))]
    if involving is not None:
        out.append(sa.or_(first == involving, second == involving))
    return out


def _weeks_of(
    filters: PostingFilters, session: Session
) -> tuple[date | None, date | None, list[PostingFilters]] | None:
    """For a date window alone: the first and last Monday of the whole weeks inside it (None: open) and the filters
    of its partial weeks at either end (read from the snapshot); None for other filters or a window shorter than a
    week. A bound beyond the store's first or last posting day bounds nothing."""
    if not (filters.since or filters.until) or set(filters.active()) - {"since", "until"}:
        return None
    first_day, last_day = session.execute(sa.select(sa.func.min(PostingFact.day), sa.func.max(PostingFact.day))).one()
    since = filters.since if filters.since and first_day and filters.since > first_day else None
    until = filters.until if filters.until and last_day and filters.until < last_day else None
    first_week = since + timedelta(days=(7 - since.weekday()) % 7) if since else None
    last_sunday = until - timedelta(days=(until.weekday() + 1) % 7) if until else None
    if first_week and last_sunday and first_week > last_sunday:
        return None
    edges = []
    if since and first_week and first_week > since:
        edges.append(replace(filters, since=since, until=first_week - timedelta(days=1)))
    if until and last_sunday and last_sunday < until:
        edges.append(replace(filters, since=last_sunday + timedelta(days=1), until=until))
    return first_week, last_sunday - timedelta(days=6) if last_sunday else None, edges


def _from_snapshot(filters: PostingFilters, among: Sequence[int] | None, involving: int | None) -> sa.Select[Any]:
    """Pairs from each matching posting's array of skills: only the skills of ``among`` are paired (a handful per
    posting), or ``involving`` with each other skill of the postings asking it."""
    posting = CubePosting.__table__.alias("posting")
    conditions = conditions_on(posting.c, filters)
    if involving is not None:
        other = sa.func.unnest(posting.c.skills).table_valued("skill").render_derived(name="other")
        both = sa.cast([involving], posting.c.skills.type)
        stmt = (
            sa.select(
                sa.func.least(involving, other.c.skill).label("skill_id"),
                sa.func.greatest(involving, other.c.skill).label("other_id"),
                sa.func.count().label("postings"),
            )
            .select_from(posting.join(other, sa.true()))
            .where(*conditions, posting.c.skills.op("@>")(both), other.c.skill != involving)
            .group_by(other.c.skill)
        )
        if among is not None:
            stmt = stmt.where(other.c.skill.in_(list(among)), sa.literal(involving).in_(list(among)))
        return stmt
    skill = sa.func.unnest(posting.c.skills).table_valued("skill").render_derived(name="skill")
    kept = sa.select(sa.func.array_agg(skill.c.skill).label("skills")).select_from(skill)
    if among is not None:
        kept = kept.where(skill.c.skill.in_(list(among)))
    picked = kept.lateral("picked")
    first = sa.func.unnest(picked.c.skills).table_valued("skill_id").render_derived(name="first")
    second = sa.func.unnest(picked.c.skills).table_valued("other_id").render_derived(name="second")
    return (
        sa.select(first.c.skill_id, second.c.other_id, sa.func.count().label("postings"))
        .select_from(posting.join(picked, sa.true()).join(first, sa.true()).join(second, sa.true()))
        .where(*conditions, first.c.skill_id < second.c.other_id)
        .group_by(first.c.skill_id, second.c.other_id)
    )


def pair_counts(
    filters: PostingFilters,
    *,
    session: Session,
    among: Sequence[int] | None = None,
    involving: int | None = None,
    name: str = "pairs",
) -> sa.Subquery:
    """Postings matching ``filters`` asking both skills of each pair (``skill_id < other_id``): ``skill_id``,
    ``other_id``, ``postings``."""
    grain = grain_for(PAIR_CUBE, filters, ())
    current = cubes_current(session=session) if not filters.location else False
    if current and grain is not None:
        table = skill_pair_cube
        stmt = (
            sa.select(table.c.skill_id, table.c.other_id, sum_of(table.c.postings).label("postings"))
            .where(table.c.grain == PAIR_CUBE.grain_id(grain), *conditions_on(table.c, filters))
            .where(*_restrict(table.c.skill_id, table.c.other_id, among, involving))
            .group_by(table.c.skill_id, table.c.other_id)
        )
        return stmt.subquery(name)
    if current:
        split = _weeks_of(filters, session)
        if split is None:
            return _from_snapshot(filters, among, involving).subquery(name)
        first_week, last_week, edges = split
        table = skill_pair_cube
        weeks = [table.c.week_start >= first_week] if first_week else []
        weeks += [table.c.week_start <= last_week] if last_week else []
        whole = (
            sa.select(table.c.skill_id, table.c.other_id, table.c.postings)
            .where(table.c.grain == PAIR_CUBE.grain_id(frozenset({WEEK_START})), *weeks)
            .where(*_restrict(table.c.skill_id, table.c.other_id, among, involving))
        )
        parts = sa.union_all(whole, *(_from_snapshot(edge, among, involving) for edge in edges)).subquery("parts")
        return (
            sa.select(parts.c.skill_id, parts.c.other_id, sum_of(parts.c.postings).label("postings"))
            .group_by(parts.c.skill_id, parts.c.other_id)
            .subquery(name)
        )
    a, b = PostingSkill.__table__.alias("a"), PostingSkill.__table__.alias("b")
    stmt = (
        sa.select(a.c.skill_id, b.c.skill_id.label("other_id"), sa.func.count().label("postings"))
        .select_from(PostingFact)
        .join(a, a.c.posting_id == PostingFact.posting_id)
        .join(b, b.c.posting_id == PostingFact.posting_id)
        .where(*conditions_on(PostingFact, filters), *_restrict(a.c.skill_id, b.c.skill_id, among, involving))
        .group_by(a.c.skill_id, b.c.skill_id)
    )
    return stmt.subquery(name)
