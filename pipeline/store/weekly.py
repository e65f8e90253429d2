"""Recompute the weekly aggregate tables from the store, in SQL, writing only changes.

Labels come from each posting's effective tag (``pipeline.store.effective``: the ``final`` tag where the model
answered, else the rules'); skills from ``posting_skills`` (the rule skills plus those the model added). A posting's
week is the Monday of the day it was posted (or first seen); a missing level counts as ``unknown`` and a missing
role family as ``other``; duplicates of another posting are left out (the definitions of
``pipeline.analysis.aggregates``).

The aggregation runs in the database: a million postings with a dozen skills each never travel to Python. Each
table is made to hold exactly the wanted rows with one DELETE of the rows no longer wanted and one INSERT ... ON
CONFLICT that only touches rows whose values changed. The flow recomputes only the weeks its changed postings were
or are in (``pipeline.store.cube.refresh_cubes`` names them): an unchanged rerun recomputes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pipeline.store.effective import EFFECTIVE_TAGS_SQL

_SCRATCH = "weekly_postings"
_POSTING_WEEK = "cast(date_trunc('week', coalesce(p.posted_on, p.first_seen_on)) as date)"
_POSTINGS_SQL = f"""
create temporary table {_SCRATCH} as
select p.id as posting_id,
       cast(date_trunc('week', coalesce(p.posted_on, p.first_seen_on)) as date) as week_start,
       coalesce(t.level, 'unknown') as level, coalesce(t.role_family, 'other') as role_family,
       t.specialization_scores
from postings p left join ({EFFECTIVE_TAGS_SQL}) t on t.posting_id = p.id
where p.duplicate_of is null{{weeks}}
"""
# table -> (key columns, value columns, SELECT of the wanted rows from the scratch table)
_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "weekly_segment_counts": (
        ("week_start", "role_family", "level"),
        ("postings",),
        f"""select week_start, role_family, level, count(*)::int as postings
            from {_SCRATCH} group by week_start, role_family, level""",
    ),
    "weekly_specialization_counts": (
        ("week_start", "specialization", "level"),
        ("postings", "mean_score"),
        f"""select w.week_start, s.key as specialization, w.level, count(*)::int as postings,
                   avg(s.value::float8) as mean_score
            from {_SCRATCH} w, jsonb_each_text(w.specialization_scores) s
            group by w.week_start, s.key, w.level""",
    ),
    "weekly_skill_counts": (
        ("week_start", "skill_id", "level", "role_family"),
        ("postings", "required"),
        f"""select w.week_start, k.skill_id, w.level, w.role_family, count(*)::int as postings,
                   (count(*) filter (where k.requirement = 'required'))::int as required
            from {_SCRATCH} w join posting_skills k on k.posting_id = w.posting_id
            group by w.week_start, k.skill_id, w.level, w.role_family""",
    ),
}


def _week_list(weeks: Sequence[date] | None) -> str:
    """SQL literal of the weeks (ISO days, so nothing to escape)."""
    return "'{" + ",".join(w.isoformat() for w in weeks or ()) + "}'"


def _rowcount(result: Any) -> int:
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def replace_rows(
    table: str,
    keys: tuple[str, ...],
    values: tuple[str, ...],
    wanted_sql: str,
    *,
    session: Session,
    only: str = "",
) -> int:
    """Make ``table`` hold exactly the rows of ``wanted_sql`` (among its rows matching the condition ``only`` on
    ``t``, when given); untouched rows stay untouched. Returns rows written or deleted."""
    wanted = f"{table}_wanted"
    session.execute(sa.text(f"drop table if exists {wanted}"))
    session.execute(sa.text(f"create temporary table {wanted} as {wanted_sql}"))
    matches = " and ".join(f"w.{k} = t.{k}" for k in keys)
    deleted = session.execute(
        sa.text(
            f"delete from {table} t where not exists (select 1 from {wanted} w where {matches})"
            + (f" and {only}" if only else "")
        )
    )
    columns = ", ".join((*keys, *values))
    updates = ", ".join(f"{v} = excluded.{v}" for v in values)
    differs = " or ".join(f"{table}.{v} is distinct from excluded.{v}" for v in values)
    written = session.execute(
        sa.text(
            f"insert into {table} ({columns}) select {columns} from {wanted} "
            f"on conflict ({', '.join(keys)}) do update set {updates} where {differs}"
        )
    )
    session.execute(sa.text(f"drop table {wanted}"))
    return _rowcount(deleted) + _rowcount(written)


def refresh_weekly(*, session: Session, weeks: Sequence[date] | None = None) -> dict[str, int]:
    """Recompute every weekly table (only the rows of ``weeks``, when given: the weeks whose postings changed, see
    ``pipeline.store.cube.refresh_cubes``); returns how many rows each table had written or deleted."""
    if weeks is not None and not weeks:
        return dict.fromkeys(_TABLES, 0)
    chosen = "" if weeks is None else f"any(cast({_week_list(weeks)} as date[]))"
    session.execute(sa.text(f"drop table if exists {_SCRATCH}"))
    restrict = f" and {_POSTING_WEEK} = {chosen}" if chosen else ""
    session.execute(sa.text(_POSTINGS_SQL.replace("{weeks}", restrict)))
    session.execute(sa.text(f"analyze {_SCRATCH}"))
    only = f"t.week_start = {chosen}" if chosen else ""
    counts = {
        table: replace_rows(table, keys, values, sql, session=session, only=only)
        for table, (keys, values, sql) in _TABLES.items()
    }
    session.execute(sa.text(f"drop table {_SCRATCH}"))
    return counts
