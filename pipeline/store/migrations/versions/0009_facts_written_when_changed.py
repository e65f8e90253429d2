"""posting facts written only when they change: a weekly rerun no longer marks every posting for the cubes

A refresh on a later day with unchanged input updates every posting still listed, for its ``last_seen_on`` alone
(``pipeline.store.seen.mark_seen``, one UPDATE per batch of 5,000). Through migration 0008 that UPDATE rewrote
the facts of every posting it touched: ``posting_facts_refresh(ids)`` (0006) deleted and inserted them again
whatever had changed, the 0008 triggers on ``posting_facts`` put each one in ``cube_dirty``, and the aggregate step
then rebuilt every cube and recomputed the weekly aggregates of every week, to find nothing changed. Measured on a
copy of a 100,000-posting seeded store (``jobatlas bench seed``; load average about 1 on this shared 2-core
machine): marking every posting seen a week later took 40.3 s, wrote 200,000 ``posting_facts`` rows and marked
100,000 postings dirty, and the aggregate step took 131.4 s (a rebuild of the cubes, the weekly tables of every
week recomputed: 0 rows differed); now 35.3 s, 0 facts rows, 0 dirty, aggregate 0.0 s. At 1 M postings the rebuild
alone is about 29 minutes (README, "Market cubes"). The same UPDATE on 20,000 postings under ``EXPLAIN ANALYZE``:
the facts trigger 1.5-2.6 s before, 0.06-0.09 s now. What remains of a later-day rerun is the UPDATE itself (a new
version of each wide row and an entry in each of the 7 indexes of ``postings``, the three trigram GIN indexes
about three quarters of it, 8-13 s per 20,000) and ``source_company_counts_update`` (0008: subtract and add per
source and company, the group's last-seen day read again from the index; 0.75-1.4 s per 20,000 on a vacuumed
table, up to 8 s with the dead rows of earlier updates). ``jobatlas bench refresh --postings 20000`` (README):
the rerun a week later went from 12.4% to 7.8% of the first run, its aggregate step from 1.03 s to 0.02 s (below
``REBUILD_ABOVE`` dirty postings the cubes are updated incrementally, so the saving is small at that size).

What changes:

- ``posting_facts_refresh(ids)`` computes the facts ``ids`` should have (the same SELECT), deletes the facts of
  those that should have none (a posting that became a duplicate) and upserts the rest with ``ON CONFLICT ... DO
  UPDATE ... WHERE`` the stored row differs: an unchanged row is not written, so the ``posting_facts`` triggers
  see nothing and ``cube_dirty`` stays empty. A change of a fact still writes and marks exactly the postings it
  changed. The ``posting_tags`` triggers call it too: rewriting tags with the same labels writes no facts either
  (the 0008 triggers on ``posting_tags`` and ``posting_skills`` still mark such postings, as before: the weekly
  tables read the tags' specialization scores, which the facts do not hold; an unchanged rerun writes no tags).
- The UPDATE trigger of ``postings`` (``posting_facts_postings_update``) reads both transition tables and passes
  on only the postings whose fact columns (:data:`FACT_COLUMNS`) differ between the old and the new row, or whose
  id is new, and calls nothing when there is none (a trigger with transition tables cannot have a column list,
  hence the comparison). The INSERT trigger of ``postings`` is unchanged.

Downgrading restores the 0006 function and UPDATE trigger.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 17:40:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns of ``postings`` the facts are made of (see the SELECT below): an update that changes none of them
# leaves the posting's facts as they are.
FACT_COLUMNS = (
    "posted_on",
    "first_seen_on",
    "source_id",
    "company",
    "location",
    "remote",
    "salary_annual_min",
    "salary_annual_max",
    "salary_currency",
    "duplicate_of",
)
_VALUES = (
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
# The facts of the postings whose ids are in ``ids`` (the effective tag: final, else rules), written only where
# they differ. Frozen here: a later change of the definition is a new migration (pipeline.store.facts.FACTS_SELECT
# is the same SELECT for all ids).
_REFRESH_FUNCTION = f"""
create or replace function posting_facts_refresh(ids text[]) returns void language sql as $$
    delete from posting_facts f where f.posting_id = any(ids)
        and not exists (select 1 from postings p where p.id = f.posting_id and p.duplicate_of is null);
    insert into posting_facts (posting_id, {", ".join(_VALUES)})
    select p.id, coalesce(p.posted_on, p.first_seen_on),
           cast(date_trunc('week', coalesce(p.posted_on, p.first_seen_on)) as date),
           p.source_id, p.company, p.location, coalesce(p.remote, 'unknown'),
           coalesce(t.role_family, 'other'), coalesce(t.level, 'unknown'),
           coalesce(t.specializations, '{{}}'::text[]), t.years_min,
           p.salary_annual_min, p.salary_annual_max, p.salary_currency
    from postings p
    left join lateral (
        select g.role_family, g.level, g.specializations, g.years_min from posting_tags g
        where g.posting_id = p.id and g.method in ('final', 'rules')
        order by g.method = 'final' desc limit 1
    ) t on true
    where p.id = any(ids) and p.duplicate_of is null
    on conflict (posting_id) do update set {", ".join(f"{v} = excluded.{v}" for v in _VALUES)}
    where ({", ".join(f"posting_facts.{v}" for v in _VALUES)})
        is distinct from ({", ".join(f"excluded.{v}" for v in _VALUES)});
$$
"""
_CHANGED = " or ".join(f"n.{c} is distinct from o.{c}" for c in FACT_COLUMNS)
_UPDATE_FUNCTION = f"""
create function posting_facts_from_postings_update() returns trigger language plpgsql as $$
declare
    ids text[];
begin
    ids := array(select n.id from new_rows n left join old_rows o on o.id = n.id where o.id is null or {_CHANGED});
    if cardinality(ids) > 0 then
        perform posting_facts_refresh(ids);
    end if;
    return null;
end $$
"""
_UPDATE_TRIGGER = (
    "create trigger posting_facts_postings_update after update on postings "
    "referencing old table as old_rows new table as new_rows "
    "for each statement execute function posting_facts_from_postings_update()"
)
# migration 0006's definitions, restored by downgrade()
_REFRESH_FUNCTION_0006 = """
create or replace function posting_facts_refresh(ids text[]) returns void language sql as $$
    delete from posting_facts where posting_id = any(ids);
    insert into posting_facts (posting_id, day, week_start, source_id, company, location, remote, role_family, level,
                               specializations, years_min, salary_annual_min, salary_annual_max, salary_currency)
    select p.id, coalesce(p.posted_on, p.first_seen_on),
           cast(date_trunc('week', coalesce(p.posted_on, p.first_seen_on)) as date),
           p.source_id, p.company, p.location, coalesce(p.remote, 'unknown'),
           coalesce(t.role_family, 'other'), coalesce(t.level, 'unknown'),
           coalesce(t.specializations, '{}'::text[]), t.years_min,
           p.salary_annual_min, p.salary_annual_max, p.salary_currency
    from postings p
    left join lateral (
        select g.role_family, g.level, g.specializations, g.years_min from posting_tags g
        where g.posting_id = p.id and g.method in ('final', 'rules')
        order by g.method = 'final' desc limit 1
    ) t on true
    where p.id = any(ids) and p.duplicate_of is null;
$$
"""
_UPDATE_TRIGGER_0006 = (
    "create trigger posting_facts_postings_update after update on postings referencing new table as changed_rows "
    "for each statement execute function posting_facts_from_postings()"
)


def upgrade() -> None:
    op.execute(_REFRESH_FUNCTION)
    op.execute(_UPDATE_FUNCTION)
    op.execute("drop trigger posting_facts_postings_update on postings")
    op.execute(_UPDATE_TRIGGER)


def downgrade() -> None:
    op.execute("drop trigger posting_facts_postings_update on postings")
    op.execute("drop function posting_facts_from_postings_update()")
    op.execute(_UPDATE_TRIGGER_0006)
    op.execute(_REFRESH_FUNCTION_0006)
