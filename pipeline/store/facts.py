"""``posting_facts``: one narrow row per unique posting with what the market views group and filter by, its labels
taken from the effective tag (``pipeline.store.effective``). ``pipeline.analysis.scope`` reads it instead of joining
the wide ``postings`` rows with the effective tags.

Triggers of migration 0006 keep it exact in the same transaction as every change of ``postings`` or
``posting_tags`` (statement-level, with transition tables: a bulk upsert recomputes its postings once). Since
migration 0009 they write a facts row only when it differs, and an update of ``postings`` recomputes only the
postings whose fact columns changed: a weekly rerun, which moves every ``last_seen_on``, writes no facts and so
marks nothing for the cubes.
:func:`refresh_facts` rebuilds it from scratch, writing only the rows that differ: after a bulk load made with the
triggers disabled (``jobatlas bench seed``), or as a repair. The flow's aggregate step no longer calls it (a full
scan on every run, and the triggers already keep the table exact); its incremental work starts from the postings
the triggers marked (``pipeline.store.cube``).
"""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pipeline.store.effective import EFFECTIVE_TAGS_SQL

FACT_KEYS = ("posting_id",)
FACT_VALUES = (
    "day",
    "week_start",
    "source_id",
    "company",
    "location",
    "remote",
    "role_family",
    "level",
    "specializations",
    "years_min",
    "salary_annual_min",
    "salary_annual_max",
    "salary_currency",
)
FACTS_SELECT = f"""
select p.id as posting_id, coalesce(p.posted_on, p.first_seen_on) as day,
       cast(date_trunc('week', coalesce(p.posted_on, p.first_seen_on)) as date) as week_start,
       p.source_id, p.company, p.location, coalesce(p.remote, 'unknown') as remote,
       coalesce(t.role_family, 'other') as role_family, coalesce(t.level, 'unknown') as level,
       coalesce(t.specializations, '{{}}'::text[]) as specializations, t.years_min,
       p.salary_annual_min, p.salary_annual_max, p.salary_currency
from postings p left join ({EFFECTIVE_TAGS_SQL}) t on t.posting_id = p.id
where p.duplicate_of is null
"""
"""The rows ``posting_facts`` must hold (the same SELECT as the function of migrations 0006 and 0009)."""


def _rowcount(result: Any) -> int:
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def refresh_facts(*, session: Session) -> int:
    """Make ``posting_facts`` hold exactly :data:`FACTS_SELECT`'s rows; returns rows written or deleted."""
    session.execute(sa.text("drop table if exists posting_facts_wanted"))
    session.execute(sa.text(f"create temporary table posting_facts_wanted as {FACTS_SELECT}"))
    deleted = session.execute(
        sa.text(
            "delete from posting_facts f where not exists "
            "(select 1 from posting_facts_wanted w where w.posting_id = f.posting_id)"
        )
    )
    columns = ", ".join((*FACT_KEYS, *FACT_VALUES))
    updates = ", ".join(f"{v} = excluded.{v}" for v in FACT_VALUES)
    differs = " or ".join(f"posting_facts.{v} is distinct from excluded.{v}" for v in FACT_VALUES)
    written = session.execute(
        sa.text(
            f"insert into posting_facts ({columns}) select {columns} from posting_facts_wanted "
            f"on conflict (posting_id) do update set {updates} where {differs}"
        )
    )
    session.execute(sa.text("drop table posting_facts_wanted"))
    return _rowcount(deleted) + _rowcount(written)
