"""Market statistics of a segment of stored postings, for the JD audit and the skill-gap report.

A segment is any combination of role family, level and specialization (each optional: None means "all").
Every query takes the session as a keyword argument, only reads, and counts unique postings: duplicates of
another posting (``duplicate_of`` not null) are left out as in the weekly aggregates; closed postings count (the
market is what was asked over the window, not only what is open today). Labels come from each posting's effective
tag, as in the weekly aggregates: its ``final`` tag (rules reconciled with the LLM tagger) when it has one, else its
``rules`` tag; ``method`` picks the tags of one method instead. A posting without a level is in level ``unknown``.

Every figure carries the number of postings behind it; a segment of fewer than ``MIN_SAMPLE`` postings is small
(``sample_warning`` says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

MIN_SAMPLE = 30  # fewer postings than this: figures are shown with a warning
UNKNOWN_LEVEL = "unknown"


# The tag a posting is counted by: of ``:method`` when given, else its effective tag ("final" before "rules").
def _rules_only(alias: str) -> str:
    """SQL: a ``posting_skills`` row counts; the skills the LLM added (``source = 'llm'``) are left out when the
    caller asks for the rule tags alone (``:method = 'rules'``)."""
    return f"(cast(:method as text) is distinct from 'rules' or {alias}.source = 'rules')"


_RULES_ONLY_PS, _RULES_ONLY_A, _RULES_ONLY_B = _rules_only("ps"), _rules_only("a"), _rules_only("b")
_TAG = """(
    t.method = cast(:method as text)
    or (cast(:method as text) is null and (t.method = 'final' or (t.method = 'rules' and not exists (
        select 1 from posting_tags f where f.posting_id = t.posting_id and f.method = 'final'))))
)"""

FAMILY_NAMES = {
    "ai_engineer": "AI engineer",
    "ml_engineer": "ML engineer",
    "data_scientist": "data scientist",
    "ai_researcher": "AI researcher",
    "data_engineer": "data engineer",
    "other": "other roles",
}
LEVEL_NAMES = {"i": "I", "ii": "II", "senior": "Senior", "staff": "Staff", UNKNOWN_LEVEL: "no level"}


@dataclass(frozen=True)
class Segment:
    """Which postings to count: None for a field means every value."""

    role_family: str | None = None
    level: str | None = None
    specialization: str | None = None

    @property
    def label(self) -> str:
        """A short human name, e.g. "AI engineer · Senior · rag" or "all postings".

        >>> Segment("ai_engineer", "senior").label, Segment(level="i").label, Segment().label
        ('AI engineer · Senior', 'all roles · I', 'all postings')
        """
        if self == Segment():
            return "all postings"
        parts = [FAMILY_NAMES.get(self.role_family, self.role_family) if self.role_family else "all roles"]
        parts.append(LEVEL_NAMES.get(self.level, self.level) if self.level else "all levels")
        if self.specialization:
            parts.append(self.specialization)
        if parts[1] == "all levels" and not self.specialization:
            parts.pop()
        return " · ".join(parts)


def sample_warning(postings: int) -> str | None:
    """The warning a figure from ``postings`` postings carries, or None when the sample is large enough.

    >>> sample_warning(12), sample_warning(30)
    ('only 12 postings (fewer than 30): read as indicative', None)
    """
    if postings >= MIN_SAMPLE:
        return None
    return f"only {postings} posting{'s' if postings != 1 else ''} (fewer than {MIN_SAMPLE}): read as indicative"


@dataclass(frozen=True)
class SkillDemand:
    """How many postings of a segment ask for a skill, and how many of them require it."""

    skill: str
    category: str
    asked: int
    required: int
    postings: int  # the segment's size: the denominator of the shares

    @property
    def share_asked(self) -> float:
        return self.asked / self.postings if self.postings else 0.0

    @property
    def share_required(self) -> float:
        return self.required / self.postings if self.postings else 0.0


@dataclass(frozen=True)
class CountDistribution:
    """The distribution of a per-posting count (e.g. required skills) over a segment's postings."""

    postings: int
    median: float | None
    p90: float | None
    maximum: int | None


@dataclass(frozen=True)
class SegmentProfile:
    """What the postings of a segment state: how many give a salary, a location, a remote policy, ask a PhD or
    publications, distinguish preferred skills; the years asked (histogram) and the window they cover."""

    postings: int
    with_salary: int = 0
    with_location: int = 0
    with_remote_policy: int = 0
    phd_required: int = 0
    publications_asked: int = 0
    with_preferred_skills: int = 0
    years_histogram: dict[int, int] = field(default_factory=dict)  # minimum years asked -> postings
    specialization_histogram: dict[int, int] = field(default_factory=dict)  # number of specializations -> postings
    first_day: date | None = None
    last_day: date | None = None

    @property
    def with_years(self) -> int:
        return sum(self.years_histogram.values())

    def asking_at_least(self, years: int) -> int:
        """Postings asking at least ``years`` years of experience."""
        return sum(count for asked, count in self.years_histogram.items() if asked >= years)

    def median_years(self) -> float | None:
        """The median minimum years among the postings that state years (None when none does).

        >>> SegmentProfile(postings=4, years_histogram={1: 1, 3: 2, 8: 1}).median_years()
        3.0
        """
        values = sorted(y for y, n in self.years_histogram.items() for _ in range(n))
        if not values:
            return None
        middle = len(values) // 2
        return float(values[middle]) if len(values) % 2 else (values[middle - 1] + values[middle]) / 2

    def with_specializations_at_least(self, count: int) -> int:
        return sum(n for specs, n in self.specialization_histogram.items() if specs >= count)


@dataclass(frozen=True)
class MarketSnapshot:
    """Everything the audit (and the gap report) reads about one segment, read in one go."""

    segment: Segment
    profile: SegmentProfile
    skills: tuple[SkillDemand, ...]  # most asked first
    required_counts: CountDistribution
    since: date | None = None

    @property
    def postings(self) -> int:
        return self.profile.postings

    @property
    def warning(self) -> str | None:
        return sample_warning(self.postings)

    def demand(self, skill: str) -> SkillDemand:
        """The demand for ``skill`` (zero when no posting of the segment asks it)."""
        for item in self.skills:
            if item.skill == skill:
                return item
        return SkillDemand(skill=skill, category="", asked=0, required=0, postings=self.postings)


_SEGMENT_CTE = f"""
with seg as (
    select p.id, p.salary_min, p.salary_max, p.salary_text, p.location, p.remote,
           coalesce(p.posted_on, p.first_seen_on) as day,
           t.years_min, t.education_min, t.education_requirement, t.publications_required,
           coalesce(cardinality(t.specializations), 0) as n_specs
    from postings p
    join posting_tags t on t.posting_id = p.id and {_TAG}
    where p.duplicate_of is null
      and (cast(:family as text) is null or t.role_family = cast(:family as text))
      and (cast(:level as text) is null or coalesce(t.level, 'unknown') = cast(:level as text))
      and (cast(:spec as text) is null or cast(:spec as text) = any(t.specializations))
      and (cast(:since as date) is null or coalesce(p.posted_on, p.first_seen_on) >= cast(:since as date))
)
"""


def _params(segment: Segment, since: date | None, method: str | None) -> dict[str, Any]:
    return {
        "family": segment.role_family,
        "level": segment.level,
        "spec": segment.specialization,
        "since": since,
        "method": method,
    }


def tagged_postings(*, session: Session, since: date | None = None, method: str | None = None) -> int:
    """How many unique tagged postings the store holds (in the window)."""
    sql = _SEGMENT_CTE + "select count(*) from seg"
    return int(session.execute(sa.text(sql), _params(Segment(), since, method)).scalar() or 0)


def segment_counts(
    *, session: Session, since: date | None = None, method: str | None = None
) -> dict[tuple[str, str], int]:
    """Unique postings per (role family, level); level ``unknown`` for postings without one."""
    sql = f"""
        select coalesce(t.role_family, 'other') as family, coalesce(t.level, 'unknown') as level, count(*) as n
        from postings p join posting_tags t on t.posting_id = p.id and {_TAG}
        where p.duplicate_of is null
          and (cast(:since as date) is null or coalesce(p.posted_on, p.first_seen_on) >= cast(:since as date))
        group by 1, 2
    """
    rows = session.execute(sa.text(sql), {"since": since, "method": method})
    return {(family, level): int(n) for family, level, n in rows}


def segment_profile(
    segment: Segment, *, session: Session, since: date | None = None, method: str | None = None
) -> SegmentProfile:
    """What the segment's postings state (salary, location, remote policy, PhD, publications, preferred skills),
    the years they ask and the days they cover."""
    params = _params(segment, since, method)
    row = (
        session.execute(
            sa.text(
                _SEGMENT_CTE
                + f"""
        select count(*) as postings,
               count(*) filter (where salary_min is not null or salary_max is not null) as with_salary,
               count(*) filter (where nullif(trim(location), '') is not null) as with_location,
               count(*) filter (where remote is not null) as with_remote_policy,
               count(*) filter (where education_min = 'phd' and education_requirement = 'required') as phd_required,
               count(*) filter (where publications_required is not null) as publications_asked,
               count(*) filter (where exists (
                   select 1 from posting_skills ps
                   where ps.posting_id = seg.id and ps.requirement = 'preferred' and {_RULES_ONLY_PS}
               )) as with_preferred_skills,
               min(day) as first_day, max(day) as last_day
        from seg
    """
            ),
            params,
        )
        .mappings()
        .one()
    )
    years = session.execute(
        sa.text(_SEGMENT_CTE + "select years_min, count(*) from seg where years_min is not null group by 1"), params
    )
    specs = session.execute(sa.text(_SEGMENT_CTE + "select n_specs, count(*) from seg group by 1"), params)
    return SegmentProfile(
        postings=int(row["postings"]),
        with_salary=int(row["with_salary"]),
        with_location=int(row["with_location"]),
        with_remote_policy=int(row["with_remote_policy"]),
        phd_required=int(row["phd_required"]),
        publications_asked=int(row["publications_asked"]),
        with_preferred_skills=int(row["with_preferred_skills"]),
        years_histogram={int(y): int(n) for y, n in years},
        specialization_histogram={int(s): int(n) for s, n in specs},
        first_day=row["first_day"],
        last_day=row["last_day"],
    )


def skill_demand(
    segment: Segment, *, session: Session, since: date | None = None, method: str | None = None
) -> tuple[SkillDemand, ...]:
    """Every skill the segment's postings ask for: postings asking it and requiring it, most asked first (ties by
    name). Each item carries the segment's size, the denominator of its shares."""
    params = _params(segment, since, method)
    total = int(session.execute(sa.text(_SEGMENT_CTE + "select count(*) from seg"), params).scalar() or 0)
    rows = session.execute(
        sa.text(
            _SEGMENT_CTE
            + f"""
        select k.name, k.category, count(*) as asked, count(*) filter (where ps.requirement = 'required') as required
        from seg join posting_skills ps on ps.posting_id = seg.id and {_RULES_ONLY_PS}
        join skills k on k.id = ps.skill_id
        group by k.name, k.category order by asked desc, k.name
    """
        ),
        params,
    )
    return tuple(
        SkillDemand(skill=name, category=category, asked=int(asked), required=int(required), postings=total)
        for name, category, asked, required in rows
    )


def required_skill_counts(
    segment: Segment, *, session: Session, since: date | None = None, method: str | None = None
) -> CountDistribution:
    """The distribution of the number of required skills per posting of the segment (postings asking none count
    as 0): median, 90th percentile (the smallest count at or above 90% of the postings) and maximum."""
    row = (
        session.execute(
            sa.text(
                _SEGMENT_CTE
                + f"""
        , counts as (
            select seg.id, count(ps.skill_id) filter (where ps.requirement = 'required') as n
            from seg left join posting_skills ps on ps.posting_id = seg.id and {_RULES_ONLY_PS} group by seg.id
        )
        select count(*) as postings,
               percentile_cont(0.5) within group (order by n) as median,
               percentile_disc(0.9) within group (order by n) as p90,
               max(n) as maximum
        from counts
    """
            ),
            _params(segment, since, method),
        )
        .mappings()
        .one()
    )
    postings = int(row["postings"])
    if not postings:
        return CountDistribution(postings=0, median=None, p90=None, maximum=None)
    return CountDistribution(
        postings=postings, median=float(row["median"]), p90=float(row["p90"]), maximum=int(row["maximum"])
    )


def market_snapshot(
    segment: Segment, *, session: Session, since: date | None = None, method: str | None = None
) -> MarketSnapshot:
    """The profile, skill demand and required-skill distribution of one segment."""
    return MarketSnapshot(
        segment=segment,
        profile=segment_profile(segment, session=session, since=since, method=method),
        skills=skill_demand(segment, session=session, since=since, method=method),
        required_counts=required_skill_counts(segment, session=session, since=since, method=method),
        since=since,
    )


@dataclass(frozen=True)
class SkillPair:
    """Two skills asked together: how many postings of the segment ask both (``first`` sorts before ``second``)."""

    first: str
    second: str
    together: int
    postings: int  # the segment's size

    @property
    def share(self) -> float:
        return self.together / self.postings if self.postings else 0.0


def skill_pairs(
    segment: Segment,
    *,
    session: Session,
    since: date | None = None,
    method: str | None = None,
    involving: Sequence[str] | None = None,
    min_together: int = 1,
    limit: int | None = None,
) -> tuple[SkillPair, ...]:
    """The pairs of skills that the segment's postings ask together (a self-join on ``posting_skills``), most
    frequent first (ties by names); ``involving`` keeps the pairs with at least one of those skills."""
    params = {
        **_params(segment, since, method),
        "names": list(involving) if involving is not None else None,
        "min_together": min_together,
        "limit": limit,
    }
    total = int(session.execute(sa.text(_SEGMENT_CTE + "select count(*) from seg"), params).scalar() or 0)
    rows = session.execute(
        sa.text(
            _SEGMENT_CTE
            + f"""
        select ka.name, kb.name, count(*) as together
        from seg
        join posting_skills a on a.posting_id = seg.id and {_RULES_ONLY_A}
        join posting_skills b on b.posting_id = seg.id and {_RULES_ONLY_B}
        join skills ka on ka.id = a.skill_id
        join skills kb on kb.id = b.skill_id
        where ka.name < kb.name
          and (cast(:names as text[]) is null or ka.name = any(cast(:names as text[]))
               or kb.name = any(cast(:names as text[])))
        group by ka.name, kb.name
        having count(*) >= :min_together
        order by together desc, ka.name, kb.name
        limit cast(:limit as integer)
    """
        ),
        params,
    )
    return tuple(SkillPair(first=a, second=b, together=int(n), postings=total) for a, b, n in rows)


@dataclass(frozen=True)
class WeekCounts:
    """One week of a segment: its postings, and how many of them ask each skill."""

    start: date
    end: date  # inclusive
    postings: int
    asked: dict[str, int] = field(default_factory=dict)

    def share(self, skill: str) -> float | None:
        """The share of the week's postings asking ``skill`` (None in a week without postings)."""
        return self.asked.get(skill, 0) / self.postings if self.postings else None


def weekly_skill_counts(
    segment: Segment,
    *,
    session: Session,
    until: date,
    weeks: int = 4,
    since: date | None = None,
    method: str | None = None,
) -> tuple[WeekCounts, ...]:
    """The last ``weeks`` seven-day weeks ending on ``until`` (oldest first), by the day each posting was posted or
    first seen: the segment's postings in each, and the postings asking each skill."""
    first = until - timedelta(days=7 * weeks - 1)
    params = {**_params(segment, since, method), "first": first, "until": until}
    windowed = (
        _SEGMENT_CTE
        + """
        , wk as (
            select id, (day - cast(:first as date)) / 7 as week from seg
            where day between cast(:first as date) and cast(:until as date)
        )
    """
    )
    weekly = session.execute(sa.text(windowed + "select week, count(*) from wk group by week"), params)
    totals = {int(week): int(n) for week, n in weekly}
    asked: dict[int, dict[str, int]] = {}
    rows = session.execute(
        sa.text(
            windowed
            + f"""
        select wk.week, k.name, count(*) from wk
        join posting_skills ps on ps.posting_id = wk.id and {_RULES_ONLY_PS} join skills k on k.id = ps.skill_id
        group by wk.week, k.name
    """
        ),
        params,
    )
    for week, name, n in rows:
        asked.setdefault(int(week), {})[name] = int(n)
    return tuple(
        WeekCounts(
            start=first + timedelta(days=7 * i),
            end=first + timedelta(days=7 * i + 6),
            postings=int(totals.get(i, 0)),
            asked=asked.get(i, {}),
        )
        for i in range(weeks)
    )
