"""What ``jobatlas export`` can write: one SQL query and one fixed Polars schema per table.

- ``postings``: one row per unique posting with its labels from the effective tag (``pipeline.store.effective``:
  the ``final`` tag where the model answered, else the rules'); duplicates of another posting are left out, as in
  the weekly aggregates, and each kept posting says how many duplicates it has (``duplicates``). A posting without a
  tag counts as level ``unknown`` and role family ``other`` (``tag_method`` null), as in ``pipeline.store.weekly``.
  Descriptions are left out (the store has them; the export is for analysis).
- ``skills``: one row per unique posting and skill, with the requirement, the taxonomy category and who found it
  (``source``: ``rules`` or ``llm``).
- ``weekly``: the three weekly aggregate tables in one long table; ``aggregate`` (``segment``, ``specialization``,
  ``skill``) says which, and the columns another aggregate has are null.

``since`` keeps the postings whose day (posted, else first seen) is on or after it, and for ``weekly`` the weeks that
contain it or come later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import polars as pl

from pipeline.store.effective import EFFECTIVE_TAGS_SQL

TableName = Literal["postings", "skills", "weekly"]
TABLES: tuple[TableName, ...] = ("postings", "skills", "weekly")

_DAY = "coalesce(p.posted_on, p.first_seen_on)"

_POSTINGS_SQL = f"""
select p.id as posting_id, p.source_id, p.title, p.company, p.location, p.remote, p.employment_type,
       {_DAY} as day, cast(date_trunc('week', {_DAY}) as date) as week_start,
       p.posted_on, p.first_seen_on, p.last_seen_on, p.closed_on,
       cast(p.salary_annual_min as float8) as salary_annual_min,
       cast(p.salary_annual_max as float8) as salary_annual_max, p.salary_currency,
       coalesce(t.role_family, 'other') as role_family, coalesce(t.level, 'unknown') as level, t.track,
       t.specializations, t.years_min, t.education_min, t.education_requirement, t.publications_required,
       t.method as tag_method, cast(coalesce(d.duplicates, 0) as int) as duplicates, p.url
from postings p
left join ({EFFECTIVE_TAGS_SQL}) t on t.posting_id = p.id
left join (select duplicate_of, count(*) as duplicates from postings where duplicate_of is not null
           group by duplicate_of) d on d.duplicate_of = p.id
where p.duplicate_of is null {{since}}
order by p.id
"""
_POSTINGS_SCHEMA: dict[str, Any] = {
    "posting_id": pl.String,
    "source_id": pl.String,
    "title": pl.String,
    "company": pl.String,
    "location": pl.String,
    "remote": pl.String,
    "employment_type": pl.String,
    "day": pl.Date,
    "week_start": pl.Date,
    "posted_on": pl.Date,
    "first_seen_on": pl.Date,
    "last_seen_on": pl.Date,
    "closed_on": pl.Date,
    "salary_annual_min": pl.Float64,
    "salary_annual_max": pl.Float64,
    "salary_currency": pl.String,
    "role_family": pl.String,
    "level": pl.String,
    "track": pl.String,
    "specializations": pl.List(pl.String),
    "years_min": pl.Int32,
    "education_min": pl.String,
    "education_requirement": pl.String,
    "publications_required": pl.String,
    "tag_method": pl.String,
    "duplicates": pl.Int32,
    "url": pl.String,
}

_SKILLS_SQL = """
select k.posting_id, k.skill_id, s.name as skill, s.category, k.requirement, k.source,
       k.evidence, k.start_char, k.end_char, k.extractor_version
from posting_skills k
join postings p on p.id = k.posting_id
join skills s on s.id = k.skill_id
where p.duplicate_of is null {since}
order by k.posting_id, k.skill_id
"""
_SKILLS_SCHEMA: dict[str, Any] = {
    "posting_id": pl.String,
    "skill_id": pl.Int32,
    "skill": pl.String,
    "category": pl.String,
    "requirement": pl.String,
    "source": pl.String,
    "evidence": pl.String,
    "start_char": pl.Int32,
    "end_char": pl.Int32,
    "extractor_version": pl.String,
}

_WEEKLY_SQL = """
select * from (
    select 'segment' as aggregate, week_start, role_family, level, cast(null as text) as specialization,
           cast(null as int) as skill_id, cast(null as text) as skill, cast(null as text) as category,
           postings, cast(null as int) as required, cast(null as float8) as mean_score
    from weekly_segment_counts
    union all
    select 'specialization', week_start, null, level, specialization, null, null, null, postings, null, mean_score
    from weekly_specialization_counts
    union all
    select 'skill', w.week_start, w.role_family, w.level, null, w.skill_id, s.name, s.category, w.postings,
           w.required, null
    from weekly_skill_counts w join skills s on s.id = w.skill_id
) u
where true {since}
order by aggregate, week_start, role_family, level, specialization, skill
"""
_WEEKLY_SCHEMA: dict[str, Any] = {
    "aggregate": pl.String,
    "week_start": pl.Date,
    "role_family": pl.String,
    "level": pl.String,
    "specialization": pl.String,
    "skill_id": pl.Int32,
    "skill": pl.String,
    "category": pl.String,
    "postings": pl.Int32,
    "required": pl.Int32,
    "mean_score": pl.Float64,
}

_SINCE = {
    "postings": f"and {_DAY} >= :since",
    "skills": f"and {_DAY} >= :since",
    "weekly": "and week_start >= cast(date_trunc('week', cast(:since as date)) as date)",
}
_QUERIES = {"postings": _POSTINGS_SQL, "skills": _SKILLS_SQL, "weekly": _WEEKLY_SQL}
_SCHEMAS = {"postings": _POSTINGS_SCHEMA, "skills": _SKILLS_SCHEMA, "weekly": _WEEKLY_SCHEMA}


@dataclass(frozen=True)
class ExportQuery:
    """The SQL of one export, its bound parameters and the schema every batch is cast to."""

    sql: str
    parameters: dict[str, Any]
    schema: pl.Schema


def export_query(table: TableName, *, since: date | None = None) -> ExportQuery:
    """The query exporting ``table``, restricted to days on or after ``since`` when given.

    >>> q = export_query("weekly", since=date(2026, 1, 7))
    >>> q.parameters, q.schema.names()[:2]
    ({'since': datetime.date(2026, 1, 7)}, ['aggregate', 'week_start'])
    """
    if table not in _QUERIES:
        raise ValueError(f"unknown table {table!r}; one of {', '.join(TABLES)}")
    sql = _QUERIES[table].replace("{since}", _SINCE[table] if since is not None else "")
    parameters = {"since": since} if since is not None else {}
    return ExportQuery(sql=sql, parameters=parameters, schema=pl.Schema(_SCHEMAS[table]))
