"""Read queries of the postings explorer: search and filter postings, page through them, and read one posting
with its skills (character offsets into its description) and every label with its evidence and source.

Every function takes the session as a keyword argument and only reads. Lists leave duplicates out (as the
aggregates do); one posting can still be read by id. Labels come from each posting's effective tag
(``pipeline.store.effective``): the ``final`` tag when the LLM tagger answered, else the rules tag; for a final tag,
``tag_provenance`` says which fields the model gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import WEEK, posting_counts
from pipeline.analysis.filters import PostingFilters, posting_day
from pipeline.analysis.text_search import counted, page_of_matches, search_text, without_jit
from pipeline.store.effective import effective_tags
from pipeline.store.models import PostingRow, PostingSkill, Skill, TagProvenance

PAGE_SIZE = 25
# A search reads at most this many of the newest filtered postings before it lists the text's matches first
EVERYTHING = PostingFilters()
RESULT_SCHEMA: dict[str, Any] = {
    "id": pl.String,
    "title": pl.String,
    "company": pl.String,
    "location": pl.String,
    "remote": pl.String,
    "source": pl.String,
    "day": pl.Date,
    "level": pl.String,
    "role_family": pl.String,
    "specializations": pl.String,
}
# label -> (the effective tag's column holding its value, the key of its evidence and confidence)
LABELS = {
    "level": ("level", "level"),
    "track": ("track", "track"),
    "role family": ("role_family", "role_family"),
    "specializations": ("specializations", "specialization_lines"),
    "years": ("years_min", "years"),
    "education": ("education_min", "education"),
    "publications": ("publications_required", "publications"),
}


def count_postings(filters: PostingFilters = EVERYTHING, text: str | None = None, *, session: Session) -> int:
    """How many unique postings match (without a search text, the posting cube's count when it answers). Exact:
    with a text it reads every match (seconds for a common text on a large store); the explorer page shows
    :func:`pipeline.analysis.match_counts.count_matches`, exact up to a cap."""
    query = search_text(text)
    if query is None:
        counts = posting_counts(filters, (), session=session)
        return int(session.scalar(sa.select(counts.c.postings)) or 0)
    with without_jit(session):
        return int(session.scalar(sa.select(sa.func.count()).select_from(counted(filters, query, session))) or 0)


def search_postings(
    filters: PostingFilters = EVERYTHING,
    text: str | None = None,
    *,
    page: int = 0,
    page_size: int = PAGE_SIZE,
    session: Session,
) -> pl.DataFrame:
    """One page (0-based) of the matching postings, newest first: id, title, company, location, remote, source,
    day, level, role family and specializations (comma-separated)."""
    matched = page_of_matches(filters, text, max(page, 0) * page_size, page_size, session)
    tag = effective_tags("t")
    stmt = (
        sa.select(
            PostingRow.id,
            PostingRow.title,
            PostingRow.company,
            PostingRow.location,
            PostingRow.remote,
            PostingRow.source_id.label("source"),
            matched.c.day,
            tag.c.level,
            tag.c.role_family,
            sa.func.array_to_string(tag.c.specializations, ", ").label("specializations"),
        )
        .select_from(matched)
        .join(PostingRow, PostingRow.id == matched.c.posting_id)
        .outerjoin(tag, tag.c.posting_id == PostingRow.id)
        .order_by(matched.c.day.desc(), PostingRow.id)
    )
    with without_jit(session):
        rows = [dict(row) for row in session.execute(stmt).mappings()]
    return pl.DataFrame(rows, schema=RESULT_SCHEMA, orient="row") if rows else pl.DataFrame(schema=RESULT_SCHEMA)


def postings_per_week(
    filters: PostingFilters = EVERYTHING, text: str | None = None, *, session: Session
) -> pl.DataFrame:
    """Matching unique postings per week (Monday), exact: with a text it reads every match (the explorer page
    charts :func:`pipeline.analysis.match_counts.matches_per_week`, estimated from a sample above a cap)."""
    query = search_text(text)
    if query is not None:
        matched = counted(filters, query, session)
        week = sa.cast(sa.func.date_trunc("week", matched.c.day), sa.Date).label("week_start")
        stmt = sa.select(week, sa.func.count().label("postings")).group_by(week).order_by(week)
    else:
        per_week = posting_counts(filters, (WEEK,), session=session)
        stmt = sa.select(per_week.c.week_start, per_week.c.postings).order_by(per_week.c.week_start)
    with without_jit(session):
        data = [dict(row) for row in session.execute(stmt).mappings()]
    schema = {"week_start": pl.Date, "postings": pl.Int64}
    return pl.DataFrame(data, schema=schema, orient="row") if data else pl.DataFrame(schema=schema)


@dataclass(frozen=True)
class SkillSpan:
    """A skill the posting asks for, where it is named in the description, and who found it."""

    skill: str
    category: str
    requirement: str  # required, preferred
    start: int
    end: int
    evidence: str
    source: str  # rules, llm


@dataclass(frozen=True)
class LabelView:
    """One label of a posting: its value, the evidence and confidence behind it, and where it came from."""

    label: str
    value: str | None
    evidence: str | None
    confidence: float | None
    source: str  # "rules", "llm" or "rules + llm" (a final tag's field the provenance does not name)


@dataclass(frozen=True)
class PostingDetail:
    """One posting as the explorer shows it."""

    id: str
    title: str
    company: str | None
    location: str | None
    remote: str | None
    source: str
    day: date | None
    url: str | None
    salary_text: str | None
    description: str
    duplicate_of: str | None
    method: str | None  # the effective tag's method: rules or final; None when the posting has no tag
    labels: tuple[LabelView, ...]
    skills: tuple[SkillSpan, ...]


def _text(value: Any) -> str | None:
    if value is None or value == [] or value == {}:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _value(row: Any, column: str) -> str | None:
    value = row[column]
    if column == "education_min" and value is not None and row["education_requirement"]:
        return f"{value} ({row['education_requirement']})"
    if column == "publications_required" and value is not None and row["publication_venues"]:
        return f"{value} ({', '.join(row['publication_venues'])})"
    return _text(value)


def _labels(row: Any, provenance: dict[str, Any]) -> tuple[LabelView, ...]:
    out = []
    for label, (column, key) in LABELS.items():
        if row["method"] == "final":
            field = provenance.get(column, provenance.get(key))
            source = field if isinstance(field, str) else "rules + llm"
        else:
            source = "rules"
        confidence = row["confidence"].get(key)
        evidence = row["evidence"].get(key)
        if evidence is None and column == "specializations":
            evidence = row["evidence"].get("specialization_cues")
        out.append(
            LabelView(
                label=label,
                value=_value(row, column),
                evidence=_text(evidence),
                confidence=float(confidence) if isinstance(confidence, int | float) else None,
                source=source,
            )
        )
    return tuple(out)


def posting_detail(posting_id: str, *, session: Session) -> PostingDetail | None:
    """The posting ``posting_id`` with its effective labels and its skills in order of appearance; None when no
    posting has that id."""
    tag = effective_tags("t")
    row = (
        session.execute(
            sa.select(PostingRow, posting_day().label("day"), tag)
            .outerjoin(tag, tag.c.posting_id == PostingRow.id)
            .where(PostingRow.id == posting_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    posting: PostingRow = row["PostingRow"]
    provenance = session.scalar(sa.select(TagProvenance.provenance).where(TagProvenance.posting_id == posting_id))
    skills = session.execute(
        sa.select(PostingSkill, Skill.name, Skill.category)
        .join(Skill, Skill.id == PostingSkill.skill_id)
        .where(PostingSkill.posting_id == posting_id)
        .order_by(PostingSkill.start_char, Skill.name)
    ).all()
    return PostingDetail(
        id=posting.id,
        title=posting.title,
        company=posting.company,
        location=posting.location,
        remote=posting.remote,
        source=posting.source_id,
        day=row["day"],
        url=posting.url,
        salary_text=posting.salary_text,
        description=posting.description,
        duplicate_of=posting.duplicate_of,
        method=row["method"],
        labels=_labels(row, provenance or {}) if row["method"] is not None else (),
        skills=tuple(
            SkillSpan(
                skill=name,
                category=category,
                requirement=mention.requirement,
                start=mention.start_char,
                end=mention.end_char,
                evidence=mention.evidence,
                source=mention.source,
            )
            for mention, name, category in skills
        ),
    )
