"""The market cubes (migration 0008): unique postings, and unique postings asking each skill, counted by sets of
dimensions ("grains") so that a dashboard query reads a few thousand pre-aggregated rows instead of grouping a
million postings or joining twelve million posting skills.

A grain is a set of dimensions of ``posting_facts`` (``day``, ``source_id``, ``company``, ``remote``,
``role_family``, ``level``, ``specializations``; the posting cube also ``years_min``); its rows count the postings
of each combination of their values, the other dimensions rolled up (NULL). ``grain`` holds PostgreSQL's
``grouping()`` bitmask of the rolled-up dimensions. :data:`POSTING_GRAINS` and :data:`SKILL_GRAINS` are the grains
kept, smallest first: ``pipeline.analysis.cube_scope`` reads the first one holding every dimension a query filters
or groups by, and the posting tables when none does.

Maintenance is incremental and exact. Triggers put every posting whose facts or skills change in ``cube_dirty``;
:func:`refresh_cubes` takes them out, subtracts what the cubes counted for them (their row of ``cube_postings``, the
snapshot of what was added) and adds what they hold now, as deltas upserted into each grain, then drops the rows
that reach zero. Its cost follows the postings changed, not the store: an unchanged rerun reads an empty
``cube_dirty`` and writes nothing. When most of the store changed (the first refresh after migration 0008 finds
every posting marked), it rebuilds instead. :func:`rebuild_cubes` recomputes everything (after a bulk load made with the
triggers disabled, ``jobatlas bench seed``, or as a repair).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

WEEK_START = "week_start"  # the Monday of ``day``: a dimension of the pair cube only
DAY, SOURCE, COMPANY, REMOTE, FAMILY, LEVEL, SPECS, YEARS = (
    "day",
    "source_id",
    "company",
    "remote",
    "role_family",
    "level",
    "specializations",
    "years_min",
)
CURRENCY, PAY = "salary_currency", "pay"  # the posting cube's pay: currency and annual pay (middle of the range)
_TYPES = {  # SQL types of the dimensions (a grain that rolls one up selects a NULL of its type)
    WEEK_START: "date",
    DAY: "date",
    SOURCE: "varchar",
    COMPANY: "text",
    REMOTE: "varchar",
    FAMILY: "varchar",
    LEVEL: "varchar",
    SPECS: "text[]",
    YEARS: "integer",
    CURRENCY: "varchar",
    PAY: "float8",
}
MARKET = (SOURCE, REMOTE, FAMILY, LEVEL, SPECS)  # the low-cardinality dimensions
SNAPSHOT_COLUMNS = (
    DAY,
    SOURCE,
    COMPANY,
    REMOTE,
    FAMILY,
    LEVEL,
    SPECS,
    YEARS,
    "has_salary",
    CURRENCY,
    PAY,
    "skills",
    "required",
)
_SMALL_PAIRS = tuple((a, b) for i, a in enumerate(MARKET) for b in MARKET[i + 1 :])


def _grains(*sets: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(dims) for dims in sets)


POSTING_GRAINS = _grains(
    (),
    *((d,) for d in MARKET),
    *_SMALL_PAIRS,
    (LEVEL, YEARS),
    (*MARKET, YEARS),
    (DAY,),
    *((DAY, d) for d in MARKET),
    (DAY, LEVEL, YEARS),
    (DAY, *MARKET),
    # distinct companies under the other filters (a company filter itself is selective: the posting tables)
    (COMPANY,),
    *((COMPANY, d) for d in MARKET),
    (DAY, COMPANY),
    # pay bands: the pay stated, per level and currency (under one filter at most)
    (LEVEL, CURRENCY, PAY),
    *((LEVEL, CURRENCY, PAY, d) for d in (DAY, SOURCE, REMOTE, FAMILY, SPECS)),
)
SKILL_GRAINS = _grains(
    (),
    *((d,) for d in MARKET),
    *_SMALL_PAIRS,
    (DAY,),
    (DAY, LEVEL),
    (DAY, FAMILY),
    (DAY, SPECS),
    (DAY, SOURCE),
)
# pairs of skills asked together (the smaller id first): the market dimensions one at a time, and per week (a date
# window reads its whole weeks here and its partial weeks from the snapshot); other filters read the snapshot
# (``cube_postings``) or the posting tables
PAIR_GRAINS = _grains((), *((d,) for d in MARKET), (WEEK_START,))


@dataclass(frozen=True)
class Cube:
    """One cube table: its dimensions (in ``grouping()`` order), the grains kept, its measures (name -> SQL summed
    over the change rows ``c``, signed) and the FROM clause over the change rows."""

    table: str
    dimensions: tuple[str, ...]
    grains: tuple[frozenset[str], ...]
    keys: dict[str, str]  # key columns besides grain and the dimensions: name -> SQL over the change rows
    measures: dict[str, str]
    rows: str  # FROM clause over the change rows {changes} (alias c)

    def grain_id(self, dims: frozenset[str]) -> int:
        """The ``grouping()`` bitmask of ``dims``: bit set for each dimension rolled up, the last one lowest."""
        width = len(self.dimensions)
        return sum(1 << (width - 1 - i) for i, d in enumerate(self.dimensions) if d not in dims)

    def grain_for(self, needed: set[str]) -> frozenset[str] | None:
        """The first (smallest) grain holding every dimension of ``needed``, or None."""
        return next((g for g in self.grains if needed <= g), None)


POSTING_CUBE = Cube(
    table="posting_cube",
    dimensions=(DAY, SOURCE, COMPANY, REMOTE, FAMILY, LEVEL, SPECS, YEARS, CURRENCY, PAY),
    grains=POSTING_GRAINS,
    keys={},
    measures={
        "postings": "c.sign",
        "with_years": "c.sign * (c.years_min is not null)::int",
        "with_salary": "c.sign * c.has_salary::int",
    },
    rows="{changes} c",
)
SKILL_CUBE = Cube(
    table="skill_cube",
    dimensions=(DAY, SOURCE, COMPANY, REMOTE, FAMILY, LEVEL, SPECS),
    grains=SKILL_GRAINS,
    keys={"skill_id": "k.skill_id"},
    measures={"postings": "c.sign", "required": "c.sign * (k.skill_id = any(c.required))::int"},
    rows="{changes} c cross join unnest(c.skills) as k(skill_id)",
)
PAIR_CUBE = Cube(
    table="skill_pair_cube",
    dimensions=(WEEK_START, DAY, SOURCE, COMPANY, REMOTE, FAMILY, LEVEL, SPECS),
    grains=PAIR_GRAINS,
    keys={"skill_id": "k.skill_id", "other_id": "o.other_id"},
    measures={"postings": "c.sign"},
    rows="(select *, cast(date_trunc('week', day) as date) as week_start from {changes} x) c "
    "cross join unnest(c.skills) as k(skill_id) join unnest(c.skills) as o(other_id) on k.skill_id < o.other_id",
)
CUBES = (POSTING_CUBE, SKILL_CUBE, PAIR_CUBE)

_SNAPSHOT_SELECT = """
select f.posting_id, f.day, f.source_id, f.company, f.remote, f.role_family, f.level, f.specializations, f.years_min,
       (f.salary_annual_min is not null or f.salary_annual_max is not null) as has_salary, f.salary_currency,
       coalesce((cast(f.salary_annual_min as float8) + cast(f.salary_annual_max as float8)) / 2,
                cast(f.salary_annual_min as float8), cast(f.salary_annual_max as float8)) as pay,
       coalesce(array_agg(ps.skill_id order by ps.skill_id) filter (where ps.skill_id is not null), '{{}}') as skills,
       coalesce(array_agg(ps.skill_id order by ps.skill_id) filter (where ps.requirement = 'required'), '{{}}')
           as required
from posting_facts f {restrict} left join posting_skills ps on ps.posting_id = f.posting_id
group by f.posting_id
"""


# more changed postings than this, and than this share of the postings counted: rebuild instead of deltas (one
# INSERT per grain reads the store once per grain; deltas for most of the store would upsert every grain at once)
REBUILD_ABOVE = 20_000
REBUILD_SHARE = 0.2
_SNAPSHOT_SIZE = sa.text("select count(*) from cube_postings")


def _rowcount(result: Any) -> int:
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def _grain_sql(cube: Cube, grains: tuple[frozenset[str], ...]) -> str:
    """SQL of the grain id of a row of GROUPING SETS over ``grains``: ``grouping()`` of each dimension some grain
    holds (PostgreSQL refuses the others), a constant bit for the rest."""
    width, used = len(cube.dimensions), frozenset().union(*grains)
    bits = [
        f"(grouping(c.{d}) << {width - 1 - i})" if d in used else str(1 << (width - 1 - i))
        for i, d in enumerate(cube.dimensions)
    ]
    return " + ".join(bits)


def _select(cube: Cube, changes: str, grains: tuple[frozenset[str], ...], sign: str = "c.sign") -> str:
    """SELECT of the signed counts of the change rows for ``grains`` (GROUPING SETS when several)."""
    used = frozenset().union(*grains)
    dims = ", ".join(f"c.{d}" if d in used else f"cast(null as {_TYPES[d]}) as {d}" for d in cube.dimensions)
    keys = "".join(f"{sql} as {name}, " for name, sql in cube.keys.items())
    measures = ", ".join(f"sum({sql.replace('c.sign', sign)})::int as {name}" for name, sql in cube.measures.items())
    sets = ", ".join(
        "(" + ", ".join([*cube.keys.values(), *(f"c.{d}" for d in cube.dimensions if d in g)]) + ")" for g in grains
    )
    return (
        f"select {_grain_sql(cube, grains)} as grain, {keys}{dims}, {measures} "
        f"from {cube.rows.format(changes=changes)} group by grouping sets ({sets})"
    )


def _columns(cube: Cube) -> str:
    return ", ".join(("grain", *cube.keys, *cube.dimensions, *cube.measures))


def _apply_deltas(cube: Cube, *, session: Session) -> None:
    """Upsert the deltas of ``cube_changes`` into ``cube``; drop the rows they bring to zero."""
    conflict = ", ".join(("grain", *cube.keys, *cube.dimensions))
    updates = ", ".join(f"{m} = {cube.table}.{m} + excluded.{m}" for m in cube.measures)
    changed = " or ".join(f"d.{m} <> 0" for m in cube.measures)
    session.execute(sa.text("drop table if exists cube_zero"))
    session.execute(sa.text("create temporary table cube_zero (row_id tid)"))
    session.execute(
        sa.text(
            f"with up as (insert into {cube.table} ({_columns(cube)}) "
            f"select * from ({_select(cube, 'cube_changes', cube.grains)}) d where {changed} "
            f"on conflict ({conflict}) do update set {updates} returning ctid as row_id, postings) "
            "insert into cube_zero select row_id from up where postings = 0"
        )
    )
    session.execute(sa.text(f"delete from {cube.table} where ctid in (select row_id from cube_zero)"))
    session.execute(sa.text("drop table cube_zero"))


def _same(left: str, right: str) -> str:
    return " and ".join(f"{left}.{c} is not distinct from {right}.{c}" for c in SNAPSHOT_COLUMNS)


@dataclass(frozen=True)
class CubeRefresh:
    """What :func:`refresh_cubes` did: the postings taken from ``cube_dirty``, those whose counted values changed,
    and the weeks (Mondays) the taken postings were or are in (the weeks whose weekly aggregates may change; None:
    every week, after a rebuild)."""

    dirty: int
    changed: int
    weeks: tuple[date, ...] | None


def refresh_cubes(*, session: Session) -> CubeRefresh:
    """Bring the cubes up to date with the postings changed since the last call (``cube_dirty``)."""
    session.execute(sa.text("drop table if exists cube_ids, cube_new, cube_changes"))
    session.execute(sa.text("create temporary table cube_ids (posting_id text primary key)"))
    taken = _rowcount(
        session.execute(
            sa.text(
                "with d as (delete from cube_dirty returning posting_id) insert into cube_ids select posting_id from d"
            )
        )
    )
    if not taken:
        session.execute(sa.text("drop table cube_ids"))
        return CubeRefresh(0, 0, ())
    if taken > REBUILD_ABOVE and taken > REBUILD_SHARE * session.execute(_SNAPSHOT_SIZE).scalar_one():
        session.execute(sa.text("drop table cube_ids"))  # most of the store changed (or the cubes are new)
        return CubeRefresh(taken, rebuild_cubes(session=session)["cube_postings"], None)
    session.execute(sa.text("analyze cube_ids"))
    restrict = "join cube_ids i on i.posting_id = f.posting_id"
    session.execute(sa.text(f"create temporary table cube_new as {_SNAPSHOT_SELECT.format(restrict=restrict)}"))
    weeks = tuple(
        session.scalars(
            sa.text("""
            select distinct cast(date_trunc('week', day) as date) from (
                select day from cube_new
                union all select o.day from cube_postings o join cube_ids i on i.posting_id = o.posting_id
                union all select coalesce(p.posted_on, p.first_seen_on) from postings p
                    join cube_ids i on i.posting_id = p.id
            ) d order by 1
        """)
        )
    )
    columns = ", ".join(SNAPSHOT_COLUMNS)
    session.execute(
        sa.text(f"""
        create temporary table cube_changes as
        select -1 as sign, o.posting_id, {", ".join(f"o.{c}" for c in SNAPSHOT_COLUMNS)}
        from cube_postings o join cube_ids i on i.posting_id = o.posting_id
        where not exists (select 1 from cube_new n where n.posting_id = o.posting_id and {_same("o", "n")})
        union all
        select 1, n.posting_id, {", ".join(f"n.{c}" for c in SNAPSHOT_COLUMNS)} from cube_new n
        where not exists (select 1 from cube_postings o where o.posting_id = n.posting_id and {_same("o", "n")})
    """)
    )
    changed = int(session.execute(sa.text("select count(distinct posting_id) from cube_changes")).scalar_one())
    if changed:
        session.execute(sa.text("analyze cube_changes"))
        for cube in CUBES:
            _apply_deltas(cube, session=session)
        session.execute(sa.text("delete from cube_postings o using cube_ids i where i.posting_id = o.posting_id"))
        session.execute(
            sa.text(f"insert into cube_postings (posting_id, {columns}) select posting_id, {columns} from cube_new")
        )
    session.execute(sa.text("drop table cube_ids, cube_new, cube_changes"))
    return CubeRefresh(taken, changed, weeks)


def rebuild_cubes(*, session: Session) -> dict[str, int]:
    """Recompute the snapshot and every grain of both cubes from ``posting_facts`` and ``posting_skills``; returns
    the rows of each table. One INSERT per grain: the store is read once per grain, never held in memory whole."""
    session.execute(sa.text("set local work_mem = '256MB'"))
    session.execute(sa.text(f"truncate cube_dirty, cube_postings, {', '.join(c.table for c in CUBES)}"))
    columns = ", ".join(SNAPSHOT_COLUMNS)
    snapshot = _SNAPSHOT_SELECT.format(restrict="")
    session.execute(sa.text(f"insert into cube_postings (posting_id, {columns}) select * from ({snapshot}) s"))
    session.execute(sa.text("analyze cube_postings"))
    changes = "(select 1 as sign, * from cube_postings)"
    counts = {"cube_postings": int(session.execute(sa.text("select count(*) from cube_postings")).scalar_one())}
    for cube in CUBES:
        for grain in cube.grains:
            session.execute(sa.text(f"insert into {cube.table} ({_columns(cube)}) {_select(cube, changes, (grain,))}"))
        counts[cube.table] = int(session.execute(sa.text(f"select count(*) from {cube.table}")).scalar_one())
    session.execute(sa.text("truncate cube_dirty"))
    return counts


def rebuild_source_counts(*, session: Session) -> int:
    """Recompute ``source_company_counts`` from ``postings`` (after a load made with its triggers disabled);
    returns its rows."""
    session.execute(sa.text("truncate source_company_counts"))
    session.execute(
        sa.text("""
        insert into source_company_counts (source_id, company, postings, open_postings, duplicates, last_seen_on)
        select source_id, company, count(*), count(*) filter (where closed_on is null),
               count(*) filter (where duplicate_of is not null), max(last_seen_on)
        from postings group by source_id, company
    """)
    )
    return int(session.execute(sa.text("select count(*) from source_company_counts")).scalar_one())


def cubes_current(*, session: Session) -> bool:
    """True when no change waits in ``cube_dirty``: the cubes count exactly what the posting tables hold."""
    return not session.execute(sa.text("select exists (select 1 from cube_dirty)")).scalar_one()
