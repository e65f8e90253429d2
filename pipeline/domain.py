"""Domain records passed between pipeline steps: raw records, normalized postings, rejects, extractions."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def sha256_hex(text: str) -> str:
    """Hex SHA-256 of a string's UTF-8 bytes.

    >>> sha256_hex("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Level(StrEnum):
    """Rungs of the AI-engineering ladder."""

    I = "i"  # noqa: E741  (the ladder's own name: AI Engineer I)
    II = "ii"
    SENIOR = "senior"
    STAFF = "staff"


class Track(StrEnum):
    IC = "ic"
    MANAGER = "manager"


class RoleFamily(StrEnum):
    AI_ENGINEER = "ai_engineer"
    ML_ENGINEER = "ml_engineer"
    DATA_SCIENTIST = "data_scientist"
    AI_RESEARCHER = "ai_researcher"
    DATA_ENGINEER = "data_engineer"
    OTHER = "other"


class Specialization(StrEnum):
    RAG = "rag"
    AGENTS = "agents"
    INFRASTRUCTURE = "infrastructure"
    SAFETY = "safety"
    MULTIMODAL = "multimodal"


class Requirement(StrEnum):
    REQUIRED = "required"
    PREFERRED = "preferred"


class RawRecord(BaseModel):
    """One unit fetched from a source, kept byte for byte: a JSONL line, an API element, a page."""

    model_config = ConfigDict(frozen=True)

    source_id: str
    locator: str = Field(description="Where it came from, e.g. 'postings.jsonl:12' or a URL.")
    payload: str
    url: str | None = Field(default=None, description="The URL fetched, for HTTP sources.")
    http_status: int | None = None
    content_type: str | None = None
    fetched_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def content_hash(self) -> str:
        return sha256_hex(self.payload)


class Reject(BaseModel):
    """A record that could not be turned into a posting, with the reason (quarantined in the store)."""

    model_config = ConfigDict(frozen=True)

    source_id: str
    locator: str
    reason: str
    payload: str

    @property
    def content_hash(self) -> str:
        """Identifies this reject: two bad elements of one page are two rejects, a re-run's same reject is one."""
        return sha256_hex(f"{self.locator}\n{self.reason}\n{self.payload}")

    def describe(self) -> str:
        return f"{self.locator}: {self.reason}"


class Posting(BaseModel):
    """A normalized job posting; ``id`` is stable across runs (``<source>:<native id>``)."""

    model_config = ConfigDict(frozen=True)

    id: str
    source_id: str
    raw_hash: str
    title: str
    company: str | None = None
    location: str | None = None
    remote: str | None = Field(default=None, description="'remote', 'hybrid', 'onsite' or None")
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = Field(default=None, description="'year', 'month', 'day' or 'hour'")
    salary_text: str | None = None
    salary_annual_min: float | None = Field(default=None, description="Annualized, same currency; None if implausible")
    salary_annual_max: float | None = None
    employment_type: str | None = Field(
        default=None, description="'full_time', 'part_time', 'contract', 'internship' or 'temporary'"
    )
    posted_on: date | None = None
    url: str | None = None
    canonical_url: str | None = None
    description: str

    @property
    def content_hash(self) -> str:
        """Hash of the normalized content: an unchanged posting keeps its hash across runs."""
        fields = self.model_dump(mode="json", exclude={"raw_hash"})
        return sha256_hex(json.dumps(fields, sort_keys=True, ensure_ascii=False))


class SkillMention(BaseModel):
    model_config = ConfigDict(frozen=True)

    skill: str
    requirement: Requirement
    evidence: str
    start: int
    end: int


class Label(BaseModel):
    """One extracted label with its confidence and the text that supports it."""

    model_config = ConfigDict(frozen=True)

    value: str | None
    confidence: float
    evidence: str | None = None


class Extraction(BaseModel):
    """What the extractor found in one posting."""

    model_config = ConfigDict(frozen=True)

    posting_id: str
    extractor_version: str
    method: str = "rules"
    skills: tuple[SkillMention, ...]
    level: Label
    track: Label
    role_family: Label
    specializations: dict[str, float] = Field(description="specialization -> score (>= threshold only)")
    years_min: int | None
    evidence: dict[str, Any] = Field(default_factory=dict)
    education: Label = Field(
        default=Label(value=None, confidence=0.0),
        description="Lowest degree that satisfies the requirement: 'bachelor', 'master', 'phd' or None",
    )
    education_requirement: str | None = Field(default=None, description="'required', 'preferred' or None")
    publications: Label = Field(
        default=Label(value=None, confidence=0.0),
        description="Whether publications are asked: 'required', 'preferred' or None; evidence names the venues",
    )
    publication_venues: tuple[str, ...] = Field(default=(), description="Venues named where publications are asked")
