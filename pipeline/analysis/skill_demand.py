"""Skill demand over the postings a set of filters selects: the most asked skills (required vs preferred), the week's
movers and emerging skills. ``pipeline.analysis.skill_detail`` has the skills asked together and one skill in
detail.

Every query takes the session as a keyword argument, only reads, and counts the unique postings of
``pipeline.analysis.cube_scope`` (its ``posting_counts`` / ``skill_counts``, read from the market cubes when they
answer, else from ``posting_facts`` and ``posting_skills``, are the only source of filtered postings here): duplicates
are left out and labels are each posting's effective tag. A skill's *share* is the percentage of the filtered postings
(of one week, or one period) that ask for it, required or preferred.

Weeks start on Monday. A week is *complete* when its Sunday is on or before the day the data runs to: the latest
posting day in the store, or the ``until`` filter when that is earlier. The week holding that day is usually still
filling up, so the movers and the emerging skills read complete weeks only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.cube_scope import WEEK, posting_counts, skill_counts, sum_of
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.frames import rows_frame
from pipeline.store.models import PostingFact, Skill

EVERYTHING = PostingFilters()
REQUIRED = "required"
EMERGING_MAX_EARLIER_SHARE = 5.0  # percent of the earlier postings: "rare" at most
EMERGING_MIN_RISE = 3.0  # the recent share is at least this many times the earlier one

TOP_SCHEMA: dict[str, Any] = {
    "skill": pl.String,
    "category": pl.String,
    "postings": pl.Int64,
    "required": pl.Int64,
    "preferred": pl.Int64,
    "share_pct": pl.Float64,
}
MOVERS_SCHEMA: dict[str, Any] = {
    "skill": pl.String,
    "category": pl.String,
    "previous_week": pl.Date,
    "previous_postings": pl.Int64,
    "previous_total": pl.Int64,
    "previous_share_pct": pl.Float64,
    "week": pl.Date,
    "postings": pl.Int64,
    "total": pl.Int64,
    "share_pct": pl.Float64,
    "change_pts": pl.Float64,
}
EMERGING_SCHEMA: dict[str, Any] = {
    "skill": pl.String,
    "category": pl.String,
    "earlier_postings": pl.Int64,
    "earlier_share_pct": pl.Float64,
    "recent_postings": pl.Int64,
    "recent_share_pct": pl.Float64,
    "first_asked": pl.Date,
    "recent_since": pl.Date,
}


def percent(part: float, whole: float) -> float:
    """``part`` of ``whole`` in percent, to one decimal (0 when ``whole`` is 0).

    >>> percent(1, 3), percent(2, 0)
    (33.3, 0.0)
    """
    return round(100.0 * part / whole, 1) if whole else 0.0


def count_scoped(filters: PostingFilters = EVERYTHING, *, session: Session) -> int:
    """How many unique postings ``filters`` selects."""
    counts = posting_counts(filters, (), session=session)
    return int(session.scalar(sa.select(counts.c.postings)) or 0)


def top_rows(filters: PostingFilters, limit: int, session: Session) -> list[dict[str, Any]]:
    """The ``limit`` most asked skills: ``skill_id, skill, category, postings, required``."""
    asks = skill_counts(filters, (), session=session)
    stmt = (
        sa.select(
            Skill.id.label("skill_id"),
            Skill.name.label("skill"),
            Skill.category,
            asks.c.postings,
            asks.c.required,
        )
        .select_from(asks)
        .join(Skill, Skill.id == asks.c.skill_id)
        .order_by(asks.c.postings.desc(), Skill.name)
        .limit(limit)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def top_skills(filters: PostingFilters = EVERYTHING, *, limit: int = 20, session: Session) -> pl.DataFrame:
    """The ``limit`` skills most postings ask for: postings asking, how many require it and how many only prefer it,
    and the share of the filtered postings asking (most asked first, then by name)."""
    total = count_scoped(filters, session=session)
    rows = [
        {
            "skill": row["skill"],
            "category": row["category"],
            "postings": row["postings"],
            "required": row["required"],
            "preferred": row["postings"] - row["required"],
            "share_pct": percent(row["postings"], total),
        }
        for row in top_rows(filters, limit, session)
    ]
    return rows_frame(rows, TOP_SCHEMA)


def data_end(filters: PostingFilters, session: Session) -> date | None:
    """The day the data runs to: the latest posting day in the store, or ``filters.until`` when earlier."""
    last: date | None = session.scalar(sa.select(sa.func.max(PostingFact.day)))
    if last is not None and filters.until is not None:
        last = min(last, filters.until)
    return last


def complete_weeks(filters: PostingFilters, session: Session) -> dict[date, int]:
    """The complete weeks in which ``filters`` selects postings (Monday -> postings), oldest first."""
    end = data_end(filters, session)
    if end is None:
        return {}
    per_week = posting_counts(filters, (WEEK,), session=session)
    week = per_week.c.week_start
    stmt = sa.select(week, per_week.c.postings).where(week <= end - timedelta(days=6)).order_by(week)
    return {row[0]: int(row[1]) for row in session.execute(stmt)}


def skill_movers(
    filters: PostingFilters = EVERYTHING, *, limit: int = 10, min_postings: int = 3, session: Session
) -> pl.DataFrame:
    """Week-over-week movers: each skill's share of the postings of the last complete week with data (``week``)
    against its share of the week with data before it (``previous_week``, usually the calendar week before), the
    change in percentage points and the counts behind both shares (``postings`` asking of ``total``). Skills asked by
    fewer than ``min_postings`` postings in both weeks are left out; the ``limit`` largest changes either way come
    first (then by name). Empty when fewer than two complete weeks have postings."""
    weeks = complete_weeks(filters, session)
    if len(weeks) < 2:
        return rows_frame([], MOVERS_SCHEMA)
    previous, last = list(weeks)[-2:]
    window = replace(filters, since=max(filters.since or previous, previous), until=last + timedelta(days=6))
    if filters.until is not None:
        window = replace(window, until=min(filters.until, last + timedelta(days=6)))
    asks = skill_counts(window, (WEEK,), session=session)
    week = asks.c.week_start
    in_week = {
        name: sum_of(asks.c.postings, week == monday).label(name)
        for name, monday in (("previous", previous), ("last", last))
    }
    stmt = (
        sa.select(Skill.name, Skill.category, *in_week.values())
        .select_from(asks)
        .join(Skill, Skill.id == asks.c.skill_id)
        .where(week.in_([previous, last]))
        .group_by(Skill.id)
    )
    rows = []
    for row in session.execute(stmt).mappings():
        if max(row["previous"], row["last"]) < min_postings:
            continue
        before = 100.0 * row["previous"] / weeks[previous]
        after = 100.0 * row["last"] / weeks[last]
        rows.append(
            {
                "skill": row["name"],
                "category": row["category"],
                "previous_week": previous,
                "previous_postings": row["previous"],
                "previous_total": weeks[previous],
                "previous_share_pct": round(before, 1),
                "week": last,
                "postings": row["last"],
                "total": weeks[last],
                "share_pct": round(after, 1),
                "change_pts": round(after - before, 1),
            }
        )
    rows.sort(key=lambda r: (-abs(r["change_pts"]), r["skill"]))
    return rows_frame(rows[:limit], MOVERS_SCHEMA)


def emerging_skills(
    filters: PostingFilters = EVERYTHING,
    *,
    recent_weeks: int = 4,
    limit: int = 20,
    min_postings: int = 3,
    session: Session,
) -> pl.DataFrame:
    """Skills rare or absent earlier in the window and asked by several postings recently.

    The *recent* period is the ``recent_weeks`` calendar weeks ending with the last complete week with data
    (``recent_since`` is its first Monday); the *earlier* period is every complete week of the window before it.
    A skill is emerging when

    - at least ``min_postings`` postings of the recent period ask for it, and
    - its share of the earlier postings is at most ``EMERGING_MAX_EARLIER_SHARE`` percent (absent counts), and
    - its recent share is at least ``EMERGING_MIN_RISE`` times its earlier share.

    Highest recent share first (then by name), with ``first_asked`` the first day a filtered posting asked for it.
    Empty when either period has no postings.
    """
    weeks = complete_weeks(filters, session)
    if not weeks:
        return rows_frame([], EMERGING_SCHEMA)
    last = list(weeks)[-1]
    since = last - timedelta(weeks=max(recent_weeks, 1) - 1)
    recent_total = sum(n for week, n in weeks.items() if week >= since)
    earlier_total = sum(n for week, n in weeks.items() if week < since)
    if not recent_total or not earlier_total:
        return rows_frame([], EMERGING_SCHEMA)
    end = last + timedelta(days=6)
    window = replace(filters, until=min(filters.until or end, end))
    asks = skill_counts(window, (WEEK,), session=session)
    week = asks.c.week_start
    stmt = (
        sa.select(
            Skill.id,
            Skill.name,
            Skill.category,
            sum_of(asks.c.postings, week.between(since, last)).label("recent"),
            sum_of(asks.c.postings, week < since).label("earlier"),
        )
        .select_from(asks)
        .join(Skill, Skill.id == asks.c.skill_id)
        .group_by(Skill.id)
    )
    rows = []
    for row in session.execute(stmt).mappings():
        recent = 100.0 * row["recent"] / recent_total
        earlier = 100.0 * row["earlier"] / earlier_total
        if row["recent"] < min_postings or earlier > EMERGING_MAX_EARLIER_SHARE or recent < EMERGING_MIN_RISE * earlier:
            continue
        rows.append(
            {
                "skill": row["name"],
                "category": row["category"],
                "earlier_postings": row["earlier"],
                "earlier_share_pct": round(earlier, 1),
                "recent_postings": row["recent"],
                "recent_share_pct": round(recent, 1),
                "skill_id": row["id"],
                "recent_since": since,
            }
        )
    rows.sort(key=lambda r: (-r["recent_share_pct"], r["skill"]))
    chosen = rows[:limit]
    first = _first_asked(window, [row.pop("skill_id") for row in chosen], session)
    return rows_frame([{**row, "first_asked": first.get(row["skill"])} for row in chosen], EMERGING_SCHEMA)


def _first_asked(filters: PostingFilters, skill_ids: list[int], session: Session) -> dict[str, date]:
    """The first day a posting of ``filters`` asked for each of ``skill_ids``, by skill name."""
    if not skill_ids:
        return {}
    asks = skill_counts(filters, ("day",), session=session, skill_ids=skill_ids)
    stmt = (
        sa.select(Skill.name, sa.func.min(asks.c.day))
        .select_from(asks)
        .join(Skill, Skill.id == asks.c.skill_id)
        .group_by(Skill.name)
    )
    return {name: day for name, day in session.execute(stmt)}
