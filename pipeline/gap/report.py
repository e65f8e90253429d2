"""The skill-gap report: the segment and its data window, the user's skills, one row per skill (demand, have or
missing, trend, place in the learning order), the coverage score, what transfers, the skills asked together.
``GapReport.model_dump_json()`` is the JSON export; ``GapReport.model_json_schema()`` its schema (kept in
``data/gap/report.schema.json``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION: Literal["1"] = "1"

Trend = Literal["rising", "falling", "steady"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SegmentInfo(_Frozen):
    role_family: str | None
    level: str | None
    specialization: str | None
    label: str = Field(description="e.g. 'AI engineer · Senior · rag'")
    postings: int = Field(description="Unique postings of the segment in the window: the denominator of the shares")
    since: date | None = Field(default=None, description="Postings posted (or first seen) on or after this day")
    first_day: date | None = Field(default=None, description="The oldest posting of the segment")
    last_day: date | None = Field(default=None, description="The newest posting of the segment")
    warning: str | None = Field(default=None, description="Set when the segment has fewer than 30 postings")
    status: Literal["compared", "skipped"] = "compared"
    reason: str | None = Field(default=None, description="Why there is no market data, when skipped")


class UnknownName(_Frozen):
    name: str
    closest: tuple[str, ...] = Field(description="The closest taxonomy names, best first")


class UserInfo(_Frozen):
    source: str = Field(description="'--skills' or the resume file")
    skills: tuple[str, ...] = Field(description="Canonical taxonomy names")
    unknown: tuple[UnknownName, ...] = ()
    evidence: dict[str, str] = Field(default_factory=dict, description="Resume: skill -> the text naming it")


class WeekInfo(_Frozen):
    start: date
    end: date
    postings: int


class SkillRow(_Frozen):
    skill: str
    category: str
    asked: int = Field(description="Postings of the segment asking it")
    required: int = Field(description="Postings of the segment requiring it")
    preferred: int = Field(description="Postings of the segment asking it as a nice-to-have")
    postings: int = Field(description="The segment's postings (denominator)")
    share_asked: float
    share_required: float
    rank: int | None = Field(default=None, description="1 = most demanded; None when the segment does not ask it")
    status: Literal["have", "missing", "prerequisite"] = Field(
        description="have; missing (asked, the user lacks it); prerequisite (not asked, needed by a missing skill)"
    )
    weekly_share: tuple[float | None, ...] = Field(
        default=(), description="Share of each week's postings asking it, oldest week first (None: no postings)"
    )
    trend: Trend | None = None
    order: int | None = Field(default=None, description="Place in the learning order (1 = first)")
    prerequisites: tuple[str, ...] = ()


class CoverageInfo(_Frozen):
    score: float | None = Field(description="Demand-weighted coverage, 0-1 (None: the segment asks no skill)")
    met: int = Field(description="Postings-asks of the skills the user has")
    total: int = Field(description="Postings-asks of every skill of the segment")
    have: int = Field(description="Skills of the segment the user has")
    asked: int = Field(description="Skills the segment asks")


class TransferInfo(_Frozen):
    skill: str
    asked: int = Field(description="Postings of the segment asking it (0: adjacent only)")
    towards: tuple[str, ...] = Field(description="Missing skills it is adjacent to (same category, asked together)")


class PairInfo(_Frozen):
    first: str
    second: str
    together: int = Field(description="Postings of the segment asking both")
    share: float


class StepInfo(_Frozen):
    step: int
    skill: str
    asked: int
    needs: tuple[str, ...] = Field(description="Its prerequisites in the plan, learned earlier")
    unlocks: tuple[str, ...] = Field(description="Skills of the plan that need it")


class GapReport(_Frozen):
    """The skill gap of one user against one segment of the market."""

    schema_version: Literal["1"] = SCHEMA_VERSION
    generated_on: date
    taxonomy_version: str
    segment: SegmentInfo
    user: UserInfo
    coverage: CoverageInfo
    weeks: tuple[WeekInfo, ...] = Field(description="The weeks of the trend, oldest first")
    skills: tuple[SkillRow, ...] = Field(description="Every skill asked, the user's skills and needed prerequisites")
    transfers: tuple[TransferInfo, ...]
    pairs: tuple[PairInfo, ...] = Field(description="Skills most often asked together in the segment")
    store_pairs_postings: int = Field(default=0, description="Postings the adjacency of transfers was counted on")
    learning_order: tuple[StepInfo, ...]
    notes: tuple[str, ...] = ()

    def row(self, skill: str) -> SkillRow | None:
        return next((r for r in self.skills if r.skill == skill), None)

    @property
    def have(self) -> tuple[SkillRow, ...]:
        """The segment's skills the user has, by demand."""
        return tuple(r for r in self.skills if r.status == "have" and r.rank is not None)

    @property
    def missing(self) -> tuple[SkillRow, ...]:
        """The segment's skills the user lacks, by demand."""
        return tuple(r for r in self.skills if r.status == "missing")


def json_schema() -> str:
    """The JSON schema of the report, as shipped in ``data/gap/report.schema.json`` (regenerate it with
    ``python -c "from pipeline.gap.report import json_schema; print(json_schema(), end='')" >
    data/gap/report.schema.json`` after changing the models)."""
    return json.dumps(GapReport.model_json_schema(), indent=2, ensure_ascii=False) + "\n"
