"""Recompute the weekly aggregate tables from the store with the Polars transforms, writing only changes.

Labels come from each posting's effective tag (``pipeline.store.effective``: the ``final`` tag where the model
answered, else the rules'); skills from ``posting_skills`` (the rule skills plus those the model added)."""

from __future__ import annotations

from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from pipeline.analysis.aggregates import weekly_segments, weekly_skills, weekly_specializations
from pipeline.store.effective import EFFECTIVE_TAGS_SQL
from pipeline.store.models import Base, WeeklySegmentCount, WeeklySkillCount, WeeklySpecializationCount
from pipeline.store.upserts import batches, changed, table_of

_POSTINGS_SQL = f"""
select p.id as posting_id, p.posted_on, p.first_seen_on, t.level, t.role_family
from postings p left join ({EFFECTIVE_TAGS_SQL}) t on t.posting_id = p.id
where p.duplicate_of is null
"""
_POSTINGS_SCHEMA = {
    "posting_id": pl.String,
    "posted_on": pl.Date,
    "first_seen_on": pl.Date,
    "level": pl.String,
    "role_family": pl.String,
}
_SPECS_SQL = f"""
select t.posting_id, s.key as specialization, s.value::float8 as score
from ({EFFECTIVE_TAGS_SQL}) t, jsonb_each_text(t.specialization_scores) s
"""
_SPECS_SCHEMA = {"posting_id": pl.String, "specialization": pl.String, "score": pl.Float64}
_SKILLS_SQL = "select posting_id, skill_id, requirement from posting_skills"
_SKILLS_SCHEMA = {"posting_id": pl.String, "skill_id": pl.Int64, "requirement": pl.String}


def _read(session: Session, sql: str, schema: dict[str, Any]) -> pl.LazyFrame:
    rows = session.execute(sa.text(sql)).mappings().all()
    return pl.DataFrame([dict(r) for r in rows], schema=schema, orient="row").lazy()


def _replace(model: type[Base], frame: pl.DataFrame, *, session: Session) -> int:
    """Make ``model``'s table hold exactly ``frame``'s rows; untouched rows stay untouched. Returns rows written."""
    table = table_of(model)
    keys = [c.name for c in table.primary_key.columns]
    values = [c.name for c in table.columns if c.name not in keys]
    rows = frame.select(*keys, *values).to_dicts()
    wanted = {tuple(row[k] for k in keys) for row in rows}
    stored = {tuple(r) for r in session.execute(sa.select(*(table.c[k] for k in keys)))}
    for stale in stored - wanted:
        session.execute(sa.delete(table).where(*(table.c[k] == v for k, v in zip(keys, stale, strict=True))))
    written = 0
    stmt = insert(table)
    upsert = stmt.on_conflict_do_update(
        index_elements=keys, set_={v: stmt.excluded[v] for v in values}, where=changed(table, values)
    ).returning(table.c[keys[0]])
    for batch in batches(rows):
        written += len(session.execute(upsert, list(batch)).all())
    return written + len(stored - wanted)


def refresh_weekly(*, session: Session) -> dict[str, int]:
    """Recompute every weekly table; returns how many rows each table had written or deleted."""
    postings = _read(session, _POSTINGS_SQL, _POSTINGS_SCHEMA)
    specs = _read(session, _SPECS_SQL, _SPECS_SCHEMA)
    skills = _read(session, _SKILLS_SQL, _SKILLS_SCHEMA)
    frames = pl.collect_all(
        [weekly_segments(postings), weekly_specializations(postings, specs), weekly_skills(postings, skills)]
    )
    return {
        "weekly_segment_counts": _replace(WeeklySegmentCount, frames[0], session=session),
        "weekly_specialization_counts": _replace(WeeklySpecializationCount, frames[1], session=session),
        "weekly_skill_counts": _replace(WeeklySkillCount, frames[2], session=session),
    }
