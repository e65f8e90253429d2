"""The postings a filtered dashboard view counts, as one subquery every filter-aware query builds on.

``scoped_postings(filters)`` has one row per unique posting matching ``filters`` with the columns the market views
group by: ``posting_id, day, week_start, source_id, company, location, remote, role_family, level, specializations,
years_min, salary_annual_min, salary_annual_max, salary_currency``. Labels are the effective tag's
(``pipeline.store.effective``); a posting without a tag has role family ``other`` and level ``unknown``, as in the
weekly aggregates. ``scoped_skills(filters)`` adds ``skill_id, requirement`` (one row per posting and skill).

Queries select from these instead of joining postings and tags themselves, so that where the rows come from (the
base tables today) is decided in one place.
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa

from pipeline.analysis.filters import UNKNOWN, PostingFilters, conditions, posting_day
from pipeline.store.effective import effective_tags
from pipeline.store.models import PostingRow, PostingSkill

OTHER = "other"


def scoped_postings_query(filters: PostingFilters) -> sa.Select[Any]:
    """SELECT of the unique postings matching ``filters`` with their grouping columns."""
    tag = effective_tags("scope_tag")
    day = posting_day()
    stmt = (
        sa.select(
            PostingRow.id.label("posting_id"),
            day.label("day"),
            sa.cast(sa.func.date_trunc("week", day), sa.Date).label("week_start"),
            PostingRow.source_id,
            PostingRow.company,
            PostingRow.location,
            sa.func.coalesce(PostingRow.remote, UNKNOWN).label("remote"),
            sa.func.coalesce(tag.c.role_family, OTHER).label("role_family"),
            sa.func.coalesce(tag.c.level, UNKNOWN).label("level"),
            sa.func.coalesce(tag.c.specializations, sa.literal([], sa.ARRAY(sa.Text))).label("specializations"),
            tag.c.years_min,
            PostingRow.salary_annual_min,
            PostingRow.salary_annual_max,
            PostingRow.salary_currency,
        )
        .select_from(PostingRow)
        .outerjoin(tag, tag.c.posting_id == PostingRow.id)
        .where(*conditions(filters, tag))
    )
    return cast("sa.Select[Any]", stmt)


def scoped_postings(filters: PostingFilters, name: str = "scope") -> sa.Subquery:
    """:func:`scoped_postings_query` as a named subquery."""
    return scoped_postings_query(filters).subquery(name)


def scoped_skills(filters: PostingFilters, name: str = "scope_skills") -> sa.Subquery:
    """Every column of :func:`scoped_postings` plus ``skill_id`` and ``requirement``: one row per posting and skill
    it asks for."""
    postings = scoped_postings(filters, f"{name}_postings")
    return (
        sa.select(*postings.c, PostingSkill.skill_id, PostingSkill.requirement)
        .select_from(postings)
        .join(PostingSkill, PostingSkill.posting_id == postings.c.posting_id)
        .subquery(name)
    )
