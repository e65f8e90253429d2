"""What the JD audit reports: findings with a severity, the evidence spans of the description and the market
figures behind them."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How much a finding matters, highest first: ``high`` (fix before posting), ``medium`` (likely costs
    applicants), ``low`` (worth a look), ``info`` (context, never a problem on its own)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for high down to 0 for info.

        >>> Severity.HIGH.rank > Severity.LOW.rank
        True
        """
        return _RANKS[self]


_RANKS = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1, Severity.INFO: 0}


class Span(BaseModel):
    """A piece of the audited description: ``start``/``end`` are character offsets into the description text (the
    report's ``input.description``), ``line`` its 1-based line number there."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    line: int = Field(ge=1)


class MarketFigure(BaseModel):
    """One market statement: ``value`` of ``unit`` among ``sample_size`` postings of ``segment``."""

    model_config = ConfigDict(frozen=True)

    label: str = Field(description="What the figure is, e.g. 'postings asking 7+ years'")
    value: float
    unit: Literal["share", "count", "years", "skills"] = Field(description="share: a fraction from 0 to 1")
    sample_size: int = Field(ge=0, description="Postings behind the figure")
    segment: str = Field(description="The postings compared with, e.g. 'AI engineer · Senior'")
    warning: str | None = Field(default=None, description="Set when the sample is small (fewer than 30 postings)")

    def describe(self) -> str:
        """The figure in words.

        >>> MarketFigure(label="ask a PhD", value=0.125, unit="share", sample_size=40, segment="AI engineer").describe()
        '12% of 40 postings (AI engineer) ask a PhD'
        >>> MarketFigure(label="90th percentile of required skills", value=14, unit="skills", sample_size=40,
        ...              segment="AI engineer").describe()
        '90th percentile of required skills: 14 skills (40 postings, AI engineer)'
        """
        postings = f"{self.sample_size} posting{'s' if self.sample_size != 1 else ''}"
        if self.unit == "share":
            text = f"{self.value:.0%} of {postings} ({self.segment}) {self.label}"
        else:
            amount = f"{self.value:g}" + {"count": "", "years": " years", "skills": " skills"}[self.unit]
            text = f"{self.label}: {amount} ({postings}, {self.segment})"
        return f"{text} [{self.warning}]" if self.warning else text


class Finding(BaseModel):
    """One thing the audit found in a job description."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="Stable id of the kind of finding, e.g. 'level.years-above-title'")
    check: str = Field(description="The family of checks that made it, e.g. 'level'")
    severity: Severity
    title: str
    message: str
    advice: str | None = None
    evidence: tuple[Span, ...] = ()
    market: tuple[MarketFigure, ...] = ()


def at_or_above(findings: tuple[Finding, ...] | list[Finding], severity: Severity) -> list[Finding]:
    """The findings whose severity is ``severity`` or higher."""
    return [f for f in findings if f.severity.rank >= severity.rank]


def ordered(findings: list[Finding]) -> list[Finding]:
    """Highest severity first; within one severity the order the checks ran in (stable)."""
    return sorted(findings, key=lambda f: -f.severity.rank)
