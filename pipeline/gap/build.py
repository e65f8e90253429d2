"""Read a segment's market from the store and assemble the skill-gap report: the library entry point (the CLI and,
later, the dashboard call ``gap_report``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pipeline.analysis.market import (
    Segment,
    SegmentProfile,
    SkillDemand,
    SkillPair,
    WeekCounts,
    sample_warning,
    segment_profile,
    skill_demand,
    skill_pairs,
    tagged_postings,
    weekly_skill_counts,
)
from pipeline.analysis.queries import has_schema
from pipeline.extraction.taxonomy import Taxonomy
from pipeline.gap import arithmetic
from pipeline.gap.inputs import UserSkills
from pipeline.gap.report import (
    CoverageInfo,
    GapReport,
    PairInfo,
    SegmentInfo,
    SkillRow,
    StepInfo,
    TransferInfo,
    UnknownName,
    UserInfo,
    WeekInfo,
)

TREND_WEEKS = 4
TOP_PAIRS = 10
MIN_PAIR = 2  # postings asking two skills together before the pair is listed


def _row(
    d: SkillDemand,
    *,
    rank: int | None,
    status: str,
    weeks: Sequence[WeekCounts],
    order: dict[str, int],
    prerequisites: dict[str, tuple[str, ...]],
) -> SkillRow:
    counts = [(w.asked.get(d.skill, 0), w.postings) for w in weeks]
    return SkillRow(
        skill=d.skill,
        category=d.category,
        asked=d.asked,
        required=d.required,
        preferred=d.asked - d.required,
        postings=d.postings,
        share_asked=round(d.share_asked, 4),
        share_required=round(d.share_required, 4),
        rank=rank,
        status=status,
        weekly_share=tuple(None if n == 0 else round(a / n, 4) for a, n in counts),
        trend=arithmetic.trend(counts),
        order=order.get(d.skill),
        prerequisites=prerequisites.get(d.skill, ()),
    )


def assemble(
    user: UserSkills,
    segment: Segment,
    *,
    taxonomy: Taxonomy,
    as_of: date,
    profile: SegmentProfile,
    demand: Sequence[SkillDemand],
    weeks: Sequence[WeekCounts],
    pairs: Sequence[SkillPair],
    store_pairs: Sequence[SkillPair],
    store_postings: int,
    since: date | None = None,
    skip_reason: str | None = None,
    notes: Sequence[str] = (),
) -> GapReport:
    """The report from market figures already read (pure: no store access)."""
    by_name = taxonomy.by_name()
    categories = {name: entry.category for name, entry in by_name.items()}
    prerequisites = taxonomy.prerequisites()
    have = set(user.skills)
    owned, missing = arithmetic.split_by_user(have, demand)
    steps = arithmetic.learning_order(missing, prerequisites, have)
    order = {step.skill: i for i, step in enumerate(steps, start=1)}
    ranked = arithmetic.by_demand(demand)
    rank = {d.skill: i for i, d in enumerate(ranked, start=1)}
    postings = profile.postings
    rows = [
        _row(
            d,
            rank=rank[d.skill],
            status="have" if d.skill in have else "missing",
            weeks=weeks,
            order=order,
            prerequisites=prerequisites,
        )
        for d in ranked
    ]
    asked_names = set(rank)
    for skill in user.skills:
        if skill not in asked_names:
            zero = SkillDemand(skill, categories.get(skill, ""), 0, 0, postings)
            rows.append(_row(zero, rank=None, status="have", weeks=weeks, order=order, prerequisites=prerequisites))
    for step in steps:
        if step.skill not in asked_names:
            zero = SkillDemand(step.skill, categories.get(step.skill, ""), 0, 0, postings)
            rows.append(
                _row(zero, rank=None, status="prerequisite", weeks=weeks, order=order, prerequisites=prerequisites)
            )
    cover = arithmetic.coverage(have, demand)
    return GapReport(
        generated_on=as_of,
        taxonomy_version=taxonomy.version,
        segment=SegmentInfo(
            role_family=segment.role_family,
            level=segment.level,
            specialization=segment.specialization,
            label=segment.label,
            postings=postings,
            since=since,
            first_day=profile.first_day,
            last_day=profile.last_day,
            warning=None if skip_reason else sample_warning(postings),
            status="skipped" if skip_reason else "compared",
            reason=skip_reason,
        ),
        user=UserInfo(
            source=user.source,
            skills=user.skills,
            unknown=tuple(UnknownName(name=u.name, closest=u.closest) for u in user.unknown),
            evidence=user.evidence or {},
        ),
        coverage=CoverageInfo(
            score=None if cover.score is None else round(cover.score, 4),
            met=cover.met,
            total=cover.total,
            have=len(owned),
            asked=len(demand),
        ),
        weeks=tuple(WeekInfo(start=w.start, end=w.end, postings=w.postings) for w in weeks),
        skills=tuple(rows),
        transfers=tuple(
            TransferInfo(skill=t.skill, asked=t.asked, towards=t.towards)
            for t in arithmetic.transfers(have, demand, categories, store_pairs)
        ),
        pairs=tuple(
            PairInfo(first=p.first, second=p.second, together=p.together, share=round(p.share, 4)) for p in pairs
        ),
        store_pairs_postings=store_postings,
        learning_order=tuple(
            StepInfo(step=i, skill=s.skill, asked=s.asked, needs=s.needs, unlocks=s.unlocks)
            for i, s in enumerate(steps, start=1)
        ),
        notes=tuple(notes),
    )


def gap_report(
    user: UserSkills,
    segment: Segment,
    *,
    taxonomy: Taxonomy,
    session: Session | None,
    as_of: date,
    since: date | None = None,
    skip_reason: str | None = None,
    notes: Sequence[str] = (),
) -> GapReport:
    """The skill gap of ``user`` against ``segment``: with a ``session`` from the stored postings (posted or first
    seen on or after ``since`` when given; the trend covers the four weeks ending on ``as_of``); without one, or
    with a store that has no schema or cannot be read, an empty market, and the report says why."""
    if session is not None:
        try:
            if not has_schema(session=session):
                skip_reason = (
                    "the store has no schema yet (run `jobatlas db upgrade`, or `jobatlas run` to load postings)"
                )
            else:
                return _from_store(
                    user, segment, taxonomy=taxonomy, session=session, as_of=as_of, since=since, notes=notes
                )
        except SQLAlchemyError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            skip_reason = f"cannot read the store: {first}"
    return assemble(
        user,
        segment,
        taxonomy=taxonomy,
        as_of=as_of,
        profile=SegmentProfile(postings=0),
        demand=(),
        weeks=_empty_weeks(as_of),
        pairs=(),
        store_pairs=(),
        store_postings=0,
        since=since,
        skip_reason=skip_reason or "no store to compare with",
        notes=notes,
    )


def _from_store(
    user: UserSkills,
    segment: Segment,
    *,
    taxonomy: Taxonomy,
    session: Session,
    as_of: date,
    since: date | None,
    notes: Sequence[str],
) -> GapReport:
    store_postings = tagged_postings(session=session, since=since)
    if not store_postings:
        window = f" since {since.isoformat()}" if since else ""
        notes = [*notes, f"the store holds no tagged postings{window} (run `jobatlas run` to load some)"]
    return assemble(
        user,
        segment,
        taxonomy=taxonomy,
        as_of=as_of,
        profile=segment_profile(segment, session=session, since=since),
        demand=skill_demand(segment, session=session, since=since),
        weeks=weekly_skill_counts(segment, session=session, until=as_of, weeks=TREND_WEEKS, since=since),
        pairs=skill_pairs(segment, session=session, since=since, min_together=MIN_PAIR, limit=TOP_PAIRS),
        store_pairs=skill_pairs(
            Segment(), session=session, since=since, involving=user.skills, min_together=arithmetic.MIN_TOGETHER
        ),
        store_postings=store_postings,
        since=since,
        notes=notes,
    )


def _empty_weeks(as_of: date) -> list[WeekCounts]:
    first = as_of - timedelta(days=7 * TREND_WEEKS - 1)
    return [
        WeekCounts(start=first + timedelta(days=7 * i), end=first + timedelta(days=7 * i + 6), postings=0)
        for i in range(TREND_WEEKS)
    ]
