"""The audit report: what was audited, how jobatlas read it, how it was compared with the market, and the findings.
``AuditReport.model_dump_json()`` is the JSON export; ``AuditReport.model_json_schema()`` its schema (kept in
``data/audit/report.schema.json``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.audit.findings import Finding, Severity

SCHEMA_VERSION: Literal["1"] = "1"


class AuditedInput(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str = Field(description="The file, URL or '-' (standard input) audited")
    title: str
    company: str | None = None
    location: str | None = None
    remote: str | None = None
    salary: str | None = Field(default=None, description="The salary as stated, when the input gave one")
    description: str = Field(description="The description text audited: evidence offsets point into it")


class JobProfile(BaseModel):
    """How jobatlas's extractor read the description."""

    model_config = ConfigDict(frozen=True)

    extractor_version: str
    role_family: str | None
    role_family_evidence: str | None = None
    level: str | None
    level_evidence: str | None = None
    years_min: int | None = None
    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    specializations: tuple[str, ...] = ()
    education: str | None = None
    education_requirement: str | None = None
    publications: str | None = None
    publication_venues: tuple[str, ...] = ()


class MarketComparison(BaseModel):
    """Whether the description was compared with stored postings, and with which."""

    model_config = ConfigDict(frozen=True)

    status: Literal["compared", "skipped"]
    reason: str | None = Field(default=None, description="Why the comparison was skipped")
    segment: str | None = Field(default=None, description="The postings compared with, e.g. 'AI engineer · Senior'")
    postings: int = Field(default=0, description="Postings in that segment")
    store_postings: int = Field(default=0, description="Unique tagged postings in the store (in the window)")
    widened_from: str | None = Field(
        default=None, description="The segment of the description itself, when it had too few postings"
    )
    first_day: date | None = None
    last_day: date | None = None
    warning: str | None = None

    @classmethod
    def skipped(cls, reason: str) -> MarketComparison:
        return cls(status="skipped", reason=reason)


class SeverityCounts(BaseModel):
    model_config = ConfigDict(frozen=True)

    high: int = 0
    medium: int = 0
    low: int = 0
    info: int = 0


class AuditReport(BaseModel):
    """The JD audit of one job description."""

    model_config = ConfigDict(frozen=True)

    schema_version: Literal["1"] = SCHEMA_VERSION
    generated_on: date
    input: AuditedInput
    profile: JobProfile
    market: MarketComparison
    findings: tuple[Finding, ...]
    counts: SeverityCounts
    notes: tuple[str, ...] = ()

    @property
    def highest(self) -> Severity | None:
        """The highest severity found (None without findings)."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)

    def fails(self, threshold: Severity) -> bool:
        """True when a finding has ``threshold`` severity or higher."""
        return any(f.severity.rank >= threshold.rank for f in self.findings)

    def summary(self) -> str:
        """e.g. "2 high, 1 medium, 0 low, 3 info"."""
        c = self.counts
        return f"{c.high} high, {c.medium} medium, {c.low} low, {c.info} info"


def count(findings: tuple[Finding, ...]) -> SeverityCounts:
    return SeverityCounts(**{s.value: sum(f.severity is s for f in findings) for s in Severity})


def json_schema() -> str:
    """The JSON schema of the report, as shipped in ``data/audit/report.schema.json`` (regenerate it with
    ``python -c "from pipeline.audit.report import json_schema; print(json_schema(), end='')" >
    data/audit/report.schema.json`` after changing the models)."""
    return json.dumps(AuditReport.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
