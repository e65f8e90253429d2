"""the postings UPDATE trigger finds the changed postings with a set difference, not a nested-loop join

Migration 0009's ``posting_facts_from_postings_update`` found the postings whose fact columns changed by joining
the two transition tables (``new_rows n left join old_rows o on o.id = n.id``). PL/pgSQL keeps the plan of that
statement for the session, made when the trigger first fired in it, and the planner estimates a transition table
at one row: the plan is a nested loop, which compares every new row with every old one. On 5,000 postings in one
UPDATE that is 25 million comparisons, 10.1 s (measured with ``auto_explain`` on the test server, after a first
UPDATE that changed no row); on 20,000, 120 s for the whole statement: ``pipeline.store.duplicates.set_duplicates``
clears links first (often no row) and then writes all links in one UPDATE, and a later-day ``mark_seen`` updates
5,000 postings per statement. Whether a session got the slow plan depended on what it had updated first.

Now the trigger takes the set difference ``new_rows EXCEPT old_rows`` over the id and the fact columns: the rows of
``new_rows`` that have no row in ``old_rows`` with the same id and fact values, which is what the join's condition
selected (``EXCEPT`` takes two nulls as equal, as ``is distinct from`` does). It is executed by hashing or by
sorting, whichever the planner picks; both are linear or n log n in the rows, whatever the estimate. The same
5,000 links after a first empty UPDATE: the trigger's statement under 0.2 s (``auto_explain`` logged it no more),
``set_duplicates`` 0.76 s in all instead of 11.1 s; 70,000 links 13 s.

Downgrading restores 0009's function.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 21:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns of ``postings`` the facts are made of (0009's FACT_COLUMNS, frozen here).
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
_COLUMNS = ", ".join(("id", *FACT_COLUMNS))
_UPDATE_FUNCTION = f"""
create or replace function posting_facts_from_postings_update() returns trigger language plpgsql as $$
declare
    ids text[];
begin
    ids := array(select id from (select {_COLUMNS} from new_rows except select {_COLUMNS} from old_rows) changed);
    if cardinality(ids) > 0 then
        perform posting_facts_refresh(ids);
    end if;
    return null;
end $$
"""
_CHANGED_0009 = " or ".join(f"n.{c} is distinct from o.{c}" for c in FACT_COLUMNS)
_UPDATE_FUNCTION_0009 = f"""
create or replace function posting_facts_from_postings_update() returns trigger language plpgsql as $$
declare
    ids text[];
begin
    ids := array(select n.id from new_rows n left join old_rows o on o.id = n.id where o.id is null or {_CHANGED_0009});
    if cardinality(ids) > 0 then
        perform posting_facts_refresh(ids);
    end if;
    return null;
end $$
"""


def upgrade() -> None:
    op.execute(_UPDATE_FUNCTION)


def downgrade() -> None:
    op.execute(_UPDATE_FUNCTION_0009)
