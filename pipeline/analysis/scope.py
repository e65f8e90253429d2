"""The postings a filtered dashboard view counts, as one subquery every filter-aware query builds on.

``scoped_postings(filters)`` has one row per unique posting matching ``filters`` with the columns the market views
group by: ``posting_id, day, week_start, source_id, company, location, remote, role_family, level, specializations,
years_min, salary_annual_min, salary_annual_max, salary_currency``. Labels are the effective tag's
(``pipeline.store.effective``); a posting without a tag has role family ``other`` and level ``unknown``, as in the
weekly aggregates. ``scoped_skills(filters)`` adds ``skill_id, requirement`` (one row per posting and skill).

Queries select from these instead of joining postings and tags themselves, so that where the rows come from is
decided in one place: ``posting_facts`` (``pipeline.store.facts``), one narrow row per unique posting with exactly
these columns, kept exact by triggers on ``postings`` and ``posting_tags`` (migration 0006), so that a million
postings are scanned as about 100 MB instead of the postings heap joined with the effective tags.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from pipeline.analysis.filters import PostingFilters, like_pattern
from pipeline.store.facts import FACT_KEYS, FACT_VALUES
from pipeline.store.models import PostingFact, PostingSkill

OTHER = "other"
_COLUMNS = (*FACT_KEYS, *FACT_VALUES)  # every column of posting_facts, in its order


def conditions_on(columns: Any, filters: PostingFilters) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions for ``filters`` on ``columns``: anything with the columns of ``posting_facts`` as attributes
    (``PostingFact``, or a market cube's ``.c``, which has every one but ``location``). The meaning of
    ``pipeline.analysis.filters``: level and remote ``unknown`` match postings with none, which the facts store as
    ``unknown``."""
    out: list[sa.ColumnElement[bool]] = []
    if filters.since is not None:
        out.append(columns.day >= filters.since)
    if filters.until is not None:
        out.append(columns.day <= filters.until)
    if filters.sources:
        out.append(columns.source_id.in_(filters.sources))
    if filters.companies:
        out.append(columns.company.in_(filters.companies))
    if filters.location:
        out.append(columns.location.ilike(like_pattern(filters.location), escape="\\"))
    if filters.remote:
        out.append(columns.remote.in_(filters.remote))
    if filters.role_families:
        out.append(columns.role_family.in_(filters.role_families))
    if filters.levels:
        out.append(columns.level.in_(filters.levels))
    if filters.specializations:
        wanted = sa.cast(list(filters.specializations), postgresql.ARRAY(sa.Text))
        out.append(columns.specializations.op("&&")(wanted))  # the arrays overlap
    return out


def fact_conditions(filters: PostingFilters) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions on ``PostingFact`` for ``filters``."""
    return conditions_on(PostingFact, filters)


def scoped_postings_query(filters: PostingFilters) -> sa.Select[Any]:
    """SELECT of the unique postings matching ``filters`` with their grouping columns."""
    columns = [getattr(PostingFact, name) for name in _COLUMNS]
    return sa.select(*columns).where(*fact_conditions(filters))


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
