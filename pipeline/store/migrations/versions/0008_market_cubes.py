"""market cubes: pre-aggregated posting and skill counts kept by the flow, and store-wide counts kept by triggers

Measured on 1,000,000 seeded postings (12.8 M posting skills) with ``jobatlas bench dashboard``: every filter-aware
query grouped ``posting_facts`` (1 M rows) or joined it with ``posting_skills`` (12.8 M rows) for each call,
0.3-25 s. The tables added here let most calls read a few thousand pre-aggregated rows instead
(``pipeline.store.cube`` maintains them, ``pipeline.analysis.cube_scope`` reads them):

``posting_cube`` and ``skill_cube``: unique postings (and, per skill, the unique postings asking it and requiring
it) counted by a set of dimensions, ``grain`` saying which (the ``grouping()`` bitmask of the dimensions rolled
up; a rolled-up dimension is NULL). The grains kept are listed in ``pipeline.store.cube`` (code, not schema:
changing them rebuilds the rows). A unique index over every dimension with NULLS NOT DISTINCT makes each grain's
row unique and lets deltas be upserted.

``skill_pair_cube``: the unique postings asking two skills together (``skill_id < other_id``), for the
co-occurrence views, by the same grains mechanism, with one more dimension: ``week_start``.

``cube_postings``: what the cubes currently count for each posting (its facts, its skills and the required ones
as arrays): the "before" of an incremental update, so a changed posting is subtracted exactly as it was added.
``cube_dirty``: the postings whose facts, tags or skills changed since the cubes (and the weekly aggregates) were
last brought up to date, filled by statement-level triggers on ``posting_facts``, ``posting_tags`` and
``posting_skills`` (transition tables, one INSERT per statement). The refresh recomputes the weekly aggregates of
the weeks these postings were and are in only. The refresh applies their deltas; readers use the cubes only
while ``cube_dirty`` is empty, so a figure never comes from stale counts.

Truncating ``postings`` truncates all of these too (a statement trigger: TRUNCATE fires no row deletes).

``source_company_counts``: every posting (duplicates included) counted per source and company, with the open and
duplicate ones and the last day one was seen, kept exact by statement-level triggers on ``postings`` (deltas from
the transition tables; the last-seen day of a group is read again from ``ix_postings_source_company`` only when
its latest posting left or moved). The overview counts and the sources table read it instead of scanning every
posting.

Upgrading fills ``source_company_counts`` and marks every unique posting dirty: the next refresh (or
``pipeline.store.cube.rebuild_cubes``) fills the cubes; until then readers use the posting tables, as before.
Downgrading drops it all.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DIMENSIONS = (
    ("day", sa.Date()),
    ("source_id", sa.String(length=200)),
    ("company", sa.Text()),
    ("remote", sa.String(length=10)),
    ("role_family", sa.String(length=20)),
    ("level", sa.String(length=10)),
    ("specializations", postgresql.ARRAY(sa.Text())),
)
_MARK_DIRTY = """
create function cube_mark_dirty() returns trigger language plpgsql as $$ begin
    insert into cube_dirty (posting_id) select distinct posting_id from changed_rows on conflict do nothing;
    return null;
end $$
"""
_COUNT_ROWS = """
    select source_id, company, count(*) as postings, count(*) filter (where closed_on is null) as open_postings,
           count(*) filter (where duplicate_of is not null) as duplicates, max(last_seen_on) as last_seen_on
    from {rows} group by source_id, company
"""
_ADD = (
    "insert into source_company_counts as c (source_id, company, postings, open_postings, duplicates, last_seen_on) "
    + _COUNT_ROWS
    + """ on conflict (source_id, company) do update set postings = c.postings + excluded.postings,
        open_postings = c.open_postings + excluded.open_postings, duplicates = c.duplicates + excluded.duplicates,
        last_seen_on = greatest(c.last_seen_on, excluded.last_seen_on);"""
)
_SUBTRACT = (
    "with gone as ("
    + _COUNT_ROWS
    + """)
    update source_company_counts c set postings = c.postings - g.postings,
        open_postings = c.open_postings - g.open_postings, duplicates = c.duplicates - g.duplicates,
        last_seen_on = case when g.last_seen_on >= c.last_seen_on then (
            select max(p.last_seen_on) from postings p
            where p.source_id = c.source_id and (p.company = c.company or (c.company is null and p.company is null))
        ) else c.last_seen_on end
    from gone g where g.source_id = c.source_id and coalesce(g.company, '') = coalesce(c.company, '')
      and (g.company is null) = (c.company is null);
    delete from source_company_counts where postings = 0;"""
)
_TRUNCATE = "truncate source_company_counts, cube_dirty, cube_postings, posting_cube, skill_cube, skill_pair_cube;"
_COUNT_FUNCTIONS = {
    "market_counts_truncate": _TRUNCATE,
    "source_company_counts_insert": _ADD.format(rows="new_rows"),
    "source_company_counts_delete": _SUBTRACT.format(rows="old_rows"),
    "source_company_counts_update": _SUBTRACT.format(rows="old_rows") + _ADD.format(rows="new_rows"),
}
# (trigger, table, event, transition tables, function)
_TRIGGERS = (
    ("cube_dirty_facts_insert", "posting_facts", "insert", "new table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_facts_update", "posting_facts", "update", "new table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_facts_delete", "posting_facts", "delete", "old table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_skills_insert", "posting_skills", "insert", "new table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_skills_update", "posting_skills", "update", "new table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_skills_delete", "posting_skills", "delete", "old table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_tags_insert", "posting_tags", "insert", "new table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_tags_update", "posting_tags", "update", "new table as changed_rows", "cube_mark_dirty"),
    ("cube_dirty_tags_delete", "posting_tags", "delete", "old table as changed_rows", "cube_mark_dirty"),
    ("source_company_counts_insert", "postings", "insert", "new table as new_rows", "source_company_counts_insert"),
    ("source_company_counts_delete", "postings", "delete", "old table as old_rows", "source_company_counts_delete"),
    ("market_counts_truncate", "postings", "truncate", "", "market_counts_truncate"),
    (
        "source_company_counts_update",
        "postings",
        "update",
        "old table as old_rows new table as new_rows",
        "source_company_counts_update",
    ),
)


def _dimensions() -> list[sa.Column[object]]:
    return [sa.Column(name, kind, nullable=True) for name, kind in _DIMENSIONS]


def _pay() -> list[sa.Column[object]]:
    return [
        sa.Column("salary_currency", sa.String(length=3), nullable=True),
        sa.Column("pay", sa.Float(precision=53), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "posting_cube",
        sa.Column("grain", sa.Integer(), nullable=False),
        *_dimensions(),
        sa.Column("years_min", sa.Integer(), nullable=True),
        *_pay(),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("with_years", sa.Integer(), nullable=False),
        sa.Column("with_salary", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ux_posting_cube_key",
        "posting_cube",
        ["grain", *(name for name, _ in _DIMENSIONS), "years_min", "salary_currency", "pay"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_index("ix_posting_cube_company", "posting_cube", ["grain", "company"])
    op.create_table(
        "skill_cube",
        sa.Column("grain", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        *_dimensions(),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("required", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ux_skill_cube_key",
        "skill_cube",
        ["grain", "skill_id", *(name for name, _ in _DIMENSIONS)],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_index("ix_skill_cube_day", "skill_cube", ["grain", "day"])
    op.create_index("ix_skill_cube_company", "skill_cube", ["grain", "company"])
    op.create_table(
        "skill_pair_cube",
        sa.Column("grain", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=True),
        *_dimensions(),
        sa.Column("postings", sa.Integer(), nullable=False),
    )
    op.create_index(
        "ux_skill_pair_cube_key",
        "skill_pair_cube",
        ["grain", "skill_id", "other_id", "week_start", *(name for name, _ in _DIMENSIONS)],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.create_index("ix_skill_pair_cube_other", "skill_pair_cube", ["grain", "other_id"])
    op.create_table(
        "cube_postings",
        sa.Column("posting_id", sa.String(length=300), nullable=False),
        *(sa.Column(name, kind, nullable=name in ("company",)) for name, kind in _DIMENSIONS),
        sa.Column("years_min", sa.Integer(), nullable=True),
        sa.Column("has_salary", sa.Boolean(), nullable=False),
        *_pay(),
        sa.Column("skills", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column("required", postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.PrimaryKeyConstraint("posting_id", name=op.f("pk_cube_postings")),
    )
    op.create_index("ix_cube_postings_day", "cube_postings", ["day"])
    op.create_index("ix_cube_postings_company", "cube_postings", ["company"])
    op.create_table(
        "cube_dirty",
        sa.Column("posting_id", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("posting_id", name=op.f("pk_cube_dirty")),
    )
    op.create_table(
        "source_company_counts",
        sa.Column("source_id", sa.String(length=200), nullable=False),
        sa.Column("company", sa.Text(), nullable=True),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("open_postings", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("last_seen_on", sa.Date(), nullable=True),
    )
    op.create_index(
        "ux_source_company_counts_key",
        "source_company_counts",
        ["source_id", "company"],
        unique=True,
        postgresql_nulls_not_distinct=True,
    )
    op.execute(_MARK_DIRTY)
    for name, body in _COUNT_FUNCTIONS.items():
        op.execute(f"create function {name}() returns trigger language plpgsql as $$ begin {body} return null; end $$")
    for trigger, table, event, transition, function in _TRIGGERS:
        op.execute(
            f"create trigger {trigger} after {event} on {table} {'referencing ' if transition else ''}{transition} "
            f"for each statement execute function {function}()"
        )
    op.execute(_ADD.format(rows="postings"))
    op.execute("insert into cube_dirty (posting_id) select posting_id from posting_facts")


def downgrade() -> None:
    for trigger, table, *_ in _TRIGGERS:
        op.execute(f"drop trigger {trigger} on {table}")
    for name in _COUNT_FUNCTIONS:
        op.execute(f"drop function {name}()")
    op.execute("drop function cube_mark_dirty()")
    op.drop_table("source_company_counts")
    op.drop_table("cube_dirty")
    op.drop_table("cube_postings")
    op.drop_table("skill_pair_cube")
    op.drop_table("skill_cube")
    op.drop_table("posting_cube")
