"""SQLAlchemy 2.0 models of the jobatlas store. Schema changes go through Alembic migrations only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import (
    ARRAY,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSONB, list[str]: ARRAY(Text)}


class Source(Base):
    """A place postings come from (a file, an ATS board, a job board)."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(Text)
    config: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class IngestRun(Base):
    """One run of the refresh: status, counts, time per step and errors."""

    __tablename__ = "ingest_runs"
    __table_args__ = (CheckConstraint("status in ('running', 'succeeded', 'partial', 'failed')", name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    flow_run_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))
    source_ids: Mapped[list[str]] = mapped_column(default=list)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    step_seconds: Mapped[dict[str, Any]] = mapped_column(default=dict)
    errors: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RawPosting(Base):
    """An immutable fetched payload; the same bytes from the same source are stored once."""

    __tablename__ = "raw_postings"
    __table_args__ = (UniqueConstraint("source_id", "content_hash", name="uq_raw_postings_source_hash"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    locator: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # PostgreSQL compresses large values (TOAST)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(Text)


class SourceFetch(Base):
    """One source in one run: whether it could be read, and which raw records made up its listing."""

    __tablename__ = "source_fetches"
    __table_args__ = (
        CheckConstraint("status in ('ok', 'failed')", name="status"),
        Index("ix_source_fetches_source_id_run_id", "source_id", "run_id"),
    )

    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    error: Mapped[str | None] = mapped_column(Text)
    records: Mapped[int] = mapped_column(Integer)
    raw_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), default=list)
    seconds: Mapped[float] = mapped_column(Float)


class HttpValidator(Base):
    """ETag / Last-Modified of the last good response per URL, for conditional GETs."""

    __tablename__ = "http_validators"

    url: Mapped[str] = mapped_column(Text, primary_key=True)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    raw_posting_id: Mapped[int] = mapped_column(ForeignKey("raw_postings.id"))


class QuarantinedRecord(Base):
    """A record that failed parsing or validation, with its raw text and the reason."""

    __tablename__ = "quarantine"
    __table_args__ = (UniqueConstraint("source_id", "content_hash", name="uq_quarantine_source_hash"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    locator: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# Percent of a ``postings`` page that inserts fill (migration 0010): the rest is room for the new versions of its
# rows when a weekly rerun marks them seen, one transaction updating every row of a page.
POSTINGS_FILLFACTOR = 50


class PostingRow(Base):
    """A normalized posting, keyed by its stable id; ``content_hash`` tells whether it changed."""

    __tablename__ = "postings"
    __table_args__ = (
        # lookups by source and company, and the open and duplicate postings of each from an index-only scan
        # (migration 0006). Neither ``last_seen_on``, ``raw_posting_id`` nor ``updated_at`` is in any index, and
        # the pages are filled to POSTINGS_FILLFACTOR only: marking a posting seen on a later day is a HOT update
        # (a new row version on the same page, no index entry written; migration 0010).
        Index(
            "ix_postings_source_company",
            "source_id",
            "company",
            postgresql_include=["closed_on", "duplicate_of"],
        ),
        Index("ix_postings_posted_on", "posted_on"),
        Index("ix_postings_canonical_url", "canonical_url"),
        # the explorer's ILIKE search (migration 0006; built only where the server has pg_trgm)
        *(
            Index(f"ix_postings_{column}_trgm", column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"})
            for column in ("title", "company", "description")
        ),
        {"postgresql_with": {"fillfactor": POSTINGS_FILLFACTOR}},
    )

    id: Mapped[str] = mapped_column(String(300), primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    raw_posting_id: Mapped[int | None] = mapped_column(ForeignKey("raw_postings.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    company: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    remote: Mapped[str | None] = mapped_column(String(10))
    salary_min: Mapped[float | None] = mapped_column(Numeric(12, 2))
    salary_max: Mapped[float | None] = mapped_column(Numeric(12, 2))
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(10))
    salary_text: Mapped[str | None] = mapped_column(Text)
    salary_annual_min: Mapped[float | None] = mapped_column(Numeric(14, 2))
    salary_annual_max: Mapped[float | None] = mapped_column(Numeric(14, 2))
    employment_type: Mapped[str | None] = mapped_column(String(20))
    posted_on: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    duplicate_of: Mapped[str | None] = mapped_column(String(300))  # the posting this one repeats, if any
    first_seen_on: Mapped[date] = mapped_column(Date)
    last_seen_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Skill(Base):
    """A canonical skill of the taxonomy."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    category: Mapped[str] = mapped_column(String(40))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    released: Mapped[int | None] = mapped_column(Integer)
    specializations: Mapped[list[str]] = mapped_column(default=list)
    taxonomy_version: Mapped[str] = mapped_column(String(40))


class PostingSkill(Base):
    """A skill a posting asks for, required or preferred, with the evidence and its character offsets.

    ``source`` says who found it: ``rules`` (the extractor), or ``llm`` for a skill only the model named, which
    exists only beside the posting's ``final`` tag (both are written and removed together)."""

    __tablename__ = "posting_skills"
    __table_args__ = (
        CheckConstraint("requirement in ('required', 'preferred')", name="requirement"),
        CheckConstraint("source in ('rules', 'llm')", name="source"),
        Index("ix_posting_skills_skill_id", "skill_id"),
    )

    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True)
    requirement: Mapped[str] = mapped_column(String(10))
    evidence: Mapped[str] = mapped_column(Text)
    start_char: Mapped[int] = mapped_column(Integer)
    end_char: Mapped[int] = mapped_column(Integer)
    extractor_version: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(10), default="rules", server_default="rules")


class PostingTag(Base):
    """Labels of one posting by one method (rules, llm, final), with confidence and evidence.

    ``extractor_version`` (``rules-X+taxonomy-Y``) and ``taxonomy_version`` say what made the tag; a tag whose
    ``taxonomy_version`` is null was made before the education and publication columns existed (migration 0003)
    and counts as stale, like one made by another extractor version or from older content (``content_hash``).
    """

    __tablename__ = "posting_tags"
    __table_args__ = (
        Index("ix_posting_tags_family_level", "role_family", "level"),
        Index("ix_posting_tags_final", "posting_id", postgresql_where=sa.text("method = 'final'")),
        CheckConstraint("education_requirement in ('required', 'preferred')", name="education_requirement"),
        CheckConstraint("publications_required in ('required', 'preferred')", name="publications_required"),
    )

    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    method: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[str | None] = mapped_column(String(10))
    track: Mapped[str | None] = mapped_column(String(10))
    role_family: Mapped[str | None] = mapped_column(String(20))
    specializations: Mapped[list[str]] = mapped_column(default=list)
    specialization_scores: Mapped[dict[str, Any]] = mapped_column(default=dict)
    years_min: Mapped[int | None] = mapped_column(Integer)
    confidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    education_min: Mapped[str | None] = mapped_column(String(20))  # lowest degree asked: bachelor, master, phd
    education_requirement: Mapped[str | None] = mapped_column(String(10))  # required, preferred
    publications_required: Mapped[str | None] = mapped_column(String(10))  # required, preferred
    publication_venues: Mapped[list[str]] = mapped_column(default=list, server_default="{}")
    extractor_version: Mapped[str] = mapped_column(String(40))
    taxonomy_version: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))


class PostingFact(Base):
    """One narrow row per unique posting (duplicates left out) with what the market views group and filter by, its
    labels from the effective tag (``level`` 'unknown', ``role_family`` 'other', ``remote`` 'unknown' when none).
    Triggers of migration 0006 keep it exact on every change of ``postings`` and ``posting_tags``
    (``pipeline.store.facts``)."""

    __tablename__ = "posting_facts"
    __table_args__ = (
        Index("ix_posting_facts_day", "day", "posting_id"),
        Index("ix_posting_facts_company", "company"),
        Index("ix_posting_facts_source_id", "source_id"),
    )

    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    week_start: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    remote: Mapped[str] = mapped_column(String(10))
    role_family: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    specializations: Mapped[list[str]] = mapped_column()
    years_min: Mapped[int | None] = mapped_column(Integer)
    salary_annual_min: Mapped[float | None] = mapped_column(Numeric(14, 2))
    salary_annual_max: Mapped[float | None] = mapped_column(Numeric(14, 2))
    salary_currency: Mapped[str | None] = mapped_column(String(3))


class DedupState(Base):
    """The input the last dedup pass linked duplicates from (one row): a fingerprint of the open postings (ids,
    content hashes, first-seen days) and the dedup rules' version. A pass over the same input would write the same
    links, so the refresh skips it (``pipeline.store.duplicates``)."""

    __tablename__ = "dedup_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    fingerprint: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WeeklySegmentCount(Base):
    """Postings per week, role family and level (level 'unknown' when none was found)."""

    __tablename__ = "weekly_segment_counts"

    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    role_family: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer)


class WeeklySpecializationCount(Base):
    """Postings per week, specialization and level."""

    __tablename__ = "weekly_specialization_counts"

    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    specialization: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer)
    mean_score: Mapped[float] = mapped_column(Float)


class WeeklySkillCount(Base):
    """Postings asking for a skill per week, level and role family (and how many require it)."""

    __tablename__ = "weekly_skill_counts"

    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True)
    level: Mapped[str] = mapped_column(String(10), primary_key=True)
    role_family: Mapped[str] = mapped_column(String(20), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer)
    required: Mapped[int] = mapped_column(Integer)


class LlmAnswer(Base):
    """A checked answer of the LLM tagger, cached by model, prompt version and the SHA-256 of the exact messages
    sent (``content_hash``), with the tokens and cost it took when it was asked. A re-run answers from here. A
    refusal is cached too (``refusal`` set, ``answer`` null): asking again would cost and change nothing."""

    __tablename__ = "llm_answers"
    __table_args__ = (CheckConstraint("answer is not null or refusal is not null", name="answer_or_refusal"),)

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    prompt_version: Mapped[str] = mapped_column(String(40), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    posting_id: Mapped[str | None] = mapped_column(String(300))  # the posting first asked about (the cache outlives it)
    answer: Mapped[dict[str, Any] | None] = mapped_column()
    refusal: Mapped[str | None] = mapped_column(Text)
    prompt_tokens: Mapped[int] = mapped_column(Integer)
    completion_tokens: Mapped[int] = mapped_column(Integer)
    cost_usd: Mapped[float] = mapped_column(Numeric(12, 6))
    hallucinations: Mapped[int] = mapped_column(Integer)  # skills dropped because their quote is not in the posting
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LlmUsage(Base):
    """What one run of the LLM tagger asked and spent: postings, requests, cache hits, tokens, cost,
    hallucinations and failures (``errors``: outcome -> postings; ``not_sent_endpoint_down``: postings not sent after
    the endpoint went down). One row per run (``run_key``)."""

    __tablename__ = "llm_usage"
    __table_args__ = (
        CheckConstraint("mode in ('llm', 'hybrid')", name="mode"),
        Index("ix_llm_usage_started_at", "started_at"),
    )

    run_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    mode: Mapped[str] = mapped_column(String(10))
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(40))
    postings: Mapped[int] = mapped_column(Integer)
    requests: Mapped[int] = mapped_column(Integer)
    cache_hits: Mapped[int] = mapped_column(Integer)
    prompt_tokens: Mapped[int] = mapped_column(BigInteger)
    completion_tokens: Mapped[int] = mapped_column(BigInteger)
    cost_usd: Mapped[float] = mapped_column(Numeric(12, 6))
    hallucinations: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    errors: Mapped[dict[str, Any]] = mapped_column(default=dict)


class TagProvenance(Base):
    """Where each field of a posting's hybrid tag came from (``provenance``: field -> "rules" or "llm"; "skills"
    -> {skill: source}), why the model was asked (``reasons``), with which model and prompt, from which content."""

    __tablename__ = "tag_provenance"

    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    provenance: Mapped[dict[str, Any]] = mapped_column()
    reasons: Mapped[list[str]] = mapped_column(default=list)
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TagDisagreement(Base):
    """A field on which the rules and the model disagreed for a posting (``field``: "level", "role_family", ...,
    or "skill:<name>"), both values and the one the hybrid tag kept: the list to review."""

    __tablename__ = "tag_disagreements"
    __table_args__ = (
        CheckConstraint("chosen in ('rules', 'llm')", name="chosen"),
        Index("ix_tag_disagreements_field", "field"),
    )

    posting_id: Mapped[str] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    field: Mapped[str] = mapped_column(String(200), primary_key=True)
    rules_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    llm_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    chosen: Mapped[str] = mapped_column(String(10))
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


def _cube_dimensions() -> list[sa.Column[Any]]:
    """The dimension columns of the market cubes (migration 0008); NULL where a grain rolls one up."""
    return [
        sa.Column("day", Date, nullable=True),
        sa.Column("source_id", String(200), nullable=True),
        sa.Column("company", Text, nullable=True),
        sa.Column("remote", String(10), nullable=True),
        sa.Column("role_family", String(20), nullable=True),
        sa.Column("level", String(10), nullable=True),
        sa.Column("specializations", ARRAY(Text), nullable=True),
    ]


_CUBE_DIMENSIONS = ("day", "source_id", "company", "remote", "role_family", "level", "specializations")

posting_cube = sa.Table(
    "posting_cube",
    Base.metadata,
    sa.Column("grain", Integer, nullable=False),
    *_cube_dimensions(),
    sa.Column("years_min", Integer, nullable=True),
    sa.Column("salary_currency", String(3), nullable=True),
    sa.Column("pay", Float(precision=53), nullable=True),
    sa.Column("postings", Integer, nullable=False),
    sa.Column("with_years", Integer, nullable=False),
    sa.Column("with_salary", Integer, nullable=False),
    Index(
        "ux_posting_cube_key",
        "grain",
        *_CUBE_DIMENSIONS,
        "years_min",
        "salary_currency",
        "pay",
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
    Index("ix_posting_cube_company", "grain", "company"),
)
"""Unique postings counted per grain (``pipeline.store.cube``): ``grain`` is the bitmask of the rolled-up
dimensions; ``with_years`` / ``with_salary`` count those stating years of experience / pay."""

skill_cube = sa.Table(
    "skill_cube",
    Base.metadata,
    sa.Column("grain", Integer, nullable=False),
    sa.Column("skill_id", Integer, nullable=False),
    *_cube_dimensions(),
    sa.Column("postings", Integer, nullable=False),
    sa.Column("required", Integer, nullable=False),
    Index("ux_skill_cube_key", "grain", "skill_id", *_CUBE_DIMENSIONS, unique=True, postgresql_nulls_not_distinct=True),
    Index("ix_skill_cube_day", "grain", "day"),
    Index("ix_skill_cube_company", "grain", "company"),
)
"""Unique postings asking each skill (and requiring it) counted per grain (``pipeline.store.cube``)."""


skill_pair_cube = sa.Table(
    "skill_pair_cube",
    Base.metadata,
    sa.Column("grain", Integer, nullable=False),
    sa.Column("skill_id", Integer, nullable=False),
    sa.Column("other_id", Integer, nullable=False),
    sa.Column("week_start", Date, nullable=True),
    *_cube_dimensions(),
    sa.Column("postings", Integer, nullable=False),
    Index(
        "ux_skill_pair_cube_key",
        "grain",
        "skill_id",
        "other_id",
        "week_start",
        *_CUBE_DIMENSIONS,
        unique=True,
        postgresql_nulls_not_distinct=True,
    ),
    Index("ix_skill_pair_cube_other", "grain", "other_id"),
)
"""Unique postings asking two skills together (``skill_id < other_id``) counted per grain."""


class CubePosting(Base):
    """What the market cubes count for one posting: its facts, its skills and the required ones (sorted ids)."""

    __tablename__ = "cube_postings"
    __table_args__ = (Index("ix_cube_postings_day", "day"), Index("ix_cube_postings_company", "company"))

    posting_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    source_id: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(Text)
    remote: Mapped[str] = mapped_column(String(10))
    role_family: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(10))
    specializations: Mapped[list[str]] = mapped_column()
    years_min: Mapped[int | None] = mapped_column(Integer)
    has_salary: Mapped[bool] = mapped_column()
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    pay: Mapped[float | None] = mapped_column(Float(precision=53))
    skills: Mapped[list[int]] = mapped_column(ARRAY(Integer))
    required: Mapped[list[int]] = mapped_column(ARRAY(Integer))


class CubeDirty(Base):
    """A posting whose facts or skills changed since the market cubes were last brought up to date."""

    __tablename__ = "cube_dirty"

    posting_id: Mapped[str] = mapped_column(String(300), primary_key=True)


source_company_counts = sa.Table(
    "source_company_counts",
    Base.metadata,
    sa.Column("source_id", String(200), nullable=False),
    sa.Column("company", Text, nullable=True),
    sa.Column("postings", Integer, nullable=False),
    sa.Column("open_postings", Integer, nullable=False),
    sa.Column("duplicates", Integer, nullable=False),
    sa.Column("last_seen_on", Date, nullable=True),
    Index("ux_source_company_counts_key", "source_id", "company", unique=True, postgresql_nulls_not_distinct=True),
)
"""Every posting (duplicates included) per source and company, kept exact by triggers on ``postings``."""
