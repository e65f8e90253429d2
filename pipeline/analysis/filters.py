"""The filters a dashboard view applies to postings, and the SQL conditions they make.

``PostingFilters`` is frozen and hashable (the dashboard caches query results by it). Every field is optional: an
empty tuple or None means "every value". Values within one field are alternatives (OR); fields combine with AND.
A posting's date is ``posted_on``, falling back to ``first_seen_on`` (as in the weekly aggregates); its labels come
from its effective tag (``pipeline.store.effective``); level ``unknown`` and remote ``unknown`` match postings with
none. Duplicates of another posting are always left out, as in the aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store.models import PostingFact, PostingRow, Source

UNKNOWN = "unknown"
LEVELS = ("i", "ii", "senior", "staff", UNKNOWN)
ROLE_FAMILIES = ("ai_engineer", "ml_engineer", "data_scientist", "ai_researcher", "data_engineer", "other")
SPECIALIZATIONS = ("rag", "agents", "infrastructure", "safety", "multimodal")
REMOTE_POLICIES = ("remote", "hybrid", "onsite", UNKNOWN)
MAX_COMPANY_OPTIONS = 500


@dataclass(frozen=True)
class PostingFilters:
    """Which postings a view shows."""

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    companies: tuple[str, ...] = ()
    location: str | None = None  # a case-insensitive substring of the location
    remote: tuple[str, ...] = ()
    role_families: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    specializations: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when nothing is filtered.

        >>> PostingFilters().is_empty, PostingFilters(levels=("staff",)).is_empty
        (True, False)
        """
        return self == PostingFilters()

    @property
    def needs_tag(self) -> bool:
        """True when a condition reads the posting's labels."""
        return bool(self.role_families or self.levels or self.specializations)

    def active(self) -> dict[str, Any]:
        """The fields that filter something, by name."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) not in (None, (), "")}


def like_pattern(text: str) -> str:
    """An ILIKE pattern matching ``text`` anywhere, with its wildcards escaped (escape character ``\\``).

    >>> like_pattern("100%_ml")
    '%100\\\\%\\\\_ml%'
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def posting_day() -> sa.ColumnElement[date]:
    """SQL: the day a posting counts on (posted, else first seen)."""
    return sa.func.coalesce(PostingRow.posted_on, PostingRow.first_seen_on)


def filter_options(*, session: Session) -> dict[str, Any]:
    """What the filter widgets offer: the sources, the companies with most unique postings (at most
    ``MAX_COMPANY_OPTIONS``) and the first and last posting day. Reads ``posting_facts`` (one row per unique
    posting, see ``pipeline.store.facts``) for an index probe per source and two index lookups for the days, and
    the companies' counts from the posting cube (``pipeline.analysis.cube_scope``)."""
    facts = PostingFact
    has_postings = sa.exists().where(facts.source_id == Source.id)
    sources = list(session.scalars(sa.select(Source.id).where(has_postings).order_by(Source.id)))
    from pipeline.analysis.cube_scope import posting_counts  # the scope modules import this one

    per_company = posting_counts(PostingFilters(), ("company",), session=session)
    companies = list(
        session.scalars(
            sa.select(per_company.c.company)
            .where(per_company.c.company.is_not(None))
            .order_by(per_company.c.postings.desc(), per_company.c.company)
            .limit(MAX_COMPANY_OPTIONS)
        )
    )
    first = session.scalar(sa.select(sa.func.min(facts.day)))
    last = session.scalar(sa.select(sa.func.max(facts.day)))
    return {"sources": sources, "companies": sorted(companies), "first_day": first, "last_day": last}
