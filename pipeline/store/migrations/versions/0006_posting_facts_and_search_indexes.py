"""speed at scale: posting facts kept by triggers, trigram search indexes, a partial index of final tags

Measured on 1,000,000 seeded postings (``jobatlas bench seed``; 12.8 M posting skills) with ``jobatlas bench
dashboard`` (figures in the README, "Speed at scale": page renders 3-6x faster, single queries up to 20x, most still
above the 300 ms target). What changes, and the plans it changes:

``posting_facts`` (new table, one narrow row per unique posting: day, week, source, company, location, remote,
effective role family and level, specializations, years, annual pay). Every filter-aware market query builds on
``pipeline.analysis.scope``, which joined the wide ``postings`` rows (about 700 bytes each with the description:
a 1 GB heap) with the effective tags (a scan of ``posting_tags`` plus an anti-join that looks for a ``final`` row
beside every ``rules`` row), then filtered and grouped: a hash join of two million-row inputs before any filter
could cut them, 2-60 s per query. It now reads ``posting_facts`` alone: a parallel sequential scan of about 100 MB
with the filters applied during the scan, or an index scan for a selective filter (``ix_posting_facts_company``,
``ix_posting_facts_source_id``, ``ix_posting_facts_day``, the latter also giving the explorer its newest-first
order without sorting). Triggers keep the table exact in the transaction that changes ``postings`` or
``posting_tags`` (statement-level with transition tables, so a bulk upsert recomputes its postings in one set-based
statement); a posting deleted takes its facts with it (foreign key, ON DELETE CASCADE). The flow also rebuilds it
where it refreshes the weekly aggregates (``pipeline.store.facts.refresh_facts``, writing only what differs).

Trigram GIN indexes on ``postings.title``, ``company`` and ``description`` (``pg_trgm``): the explorer's
``ILIKE '%text%'`` on three columns was a sequential scan of the whole postings heap for every search; it becomes a
BitmapOr of three bitmap index scans followed by a recheck of the matching rows only. They are built only when the
server offers the ``pg_trgm`` extension (Debian's and most packaged PostgreSQL do; the embedded server's wheel does
not, and there the search stays a sequential scan).

``ix_postings_source_company`` (``source_id, company`` INCLUDE ``closed_on, duplicate_of, last_seen_on``) replaces
``ix_postings_source_id``: the overview's counts (postings, open, duplicates, distinct companies and sources) and
the sources table were sequential scans of the wide heap with a sort for each ``count(distinct)``; they become one
index-only scan grouped in index order (and it still serves every lookup by source).

``ix_posting_tags_final`` (partial: ``posting_id where method = 'final'``): the effective-tags anti-join ("no
final tag beside this rules tag") probes a tiny index instead of hashing every tag row.

Downgrading drops the triggers, functions, table and indexes and brings ``ix_postings_source_id`` back (the
extension stays: other objects may use it).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRGM_COLUMNS = ("title", "company", "description")
# The facts of the postings whose ids are in ``ids`` (the effective tag: final, else rules). Frozen here: a later
# change of the definition is a new migration (pipeline.store.facts.FACTS_SELECT is the same SELECT for all ids).
_REFRESH_FUNCTION = """
create function posting_facts_refresh(ids text[]) returns void language sql as $$
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
_TRIGGER_FUNCTIONS = {
    "posting_facts_from_postings": "perform posting_facts_refresh(array(select id from changed_rows));",
    "posting_facts_from_tags": ("perform posting_facts_refresh(array(select distinct posting_id from changed_rows));"),
}
# (trigger, table, event, transition table, function)
_TRIGGERS = (
    ("posting_facts_postings_insert", "postings", "insert", "new", "posting_facts_from_postings"),
    ("posting_facts_postings_update", "postings", "update", "new", "posting_facts_from_postings"),
    ("posting_facts_tags_insert", "posting_tags", "insert", "new", "posting_facts_from_tags"),
    ("posting_facts_tags_update", "posting_tags", "update", "new", "posting_facts_from_tags"),
    ("posting_facts_tags_delete", "posting_tags", "delete", "old", "posting_facts_from_tags"),
)


def _has_trgm() -> bool:
    bind = op.get_bind()
    return bool(
        bind.execute(sa.text("select exists (select 1 from pg_available_extensions where name = 'pg_trgm')")).scalar()
    )


def upgrade() -> None:
    op.create_table(
        "posting_facts",
        sa.Column("posting_id", sa.String(length=300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("remote", sa.String(length=10), nullable=False),
        sa.Column("role_family", sa.String(length=20), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("specializations", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("years_min", sa.Integer(), nullable=True),
        sa.Column("salary_annual_min", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("salary_annual_max", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("salary_currency", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["postings.id"], name=op.f("fk_posting_facts_posting_id_postings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("posting_id", name=op.f("pk_posting_facts")),
    )
    op.execute(_REFRESH_FUNCTION)
    for name, body in _TRIGGER_FUNCTIONS.items():
        op.execute(f"create function {name}() returns trigger language plpgsql as $$ begin {body} return null; end $$")
    for trigger, table, event, transition, function in _TRIGGERS:
        op.execute(
            f"create trigger {trigger} after {event} on {table} referencing {transition} table as changed_rows "
            f"for each statement execute function {function}()"
        )
    op.execute("select posting_facts_refresh(array(select id from postings))")
    op.create_index("ix_posting_facts_day", "posting_facts", ["day", "posting_id"])
    op.create_index("ix_posting_facts_company", "posting_facts", ["company"])
    op.create_index("ix_posting_facts_source_id", "posting_facts", ["source_id"])
    op.create_index(
        "ix_posting_tags_final", "posting_tags", ["posting_id"], postgresql_where=sa.text("method = 'final'")
    )
    op.create_index(
        "ix_postings_source_company",
        "postings",
        ["source_id", "company"],
        postgresql_include=["closed_on", "duplicate_of", "last_seen_on"],
    )
    op.drop_index("ix_postings_source_id", table_name="postings")
    if _has_trgm():
        op.execute("create extension if not exists pg_trgm")
        for column in TRGM_COLUMNS:
            op.create_index(
                f"ix_postings_{column}_trgm",
                "postings",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade() -> None:
    for column in TRGM_COLUMNS:
        op.execute(f"drop index if exists ix_postings_{column}_trgm")
    op.create_index("ix_postings_source_id", "postings", ["source_id"])
    op.drop_index("ix_postings_source_company", table_name="postings")
    op.drop_index("ix_posting_tags_final", table_name="posting_tags")
    for trigger, table, *_ in _TRIGGERS:
        op.execute(f"drop trigger {trigger} on {table}")
    for name in _TRIGGER_FUNCTIONS:
        op.execute(f"drop function {name}()")
    op.execute("drop function posting_facts_refresh(text[])")
    op.drop_table("posting_facts")
