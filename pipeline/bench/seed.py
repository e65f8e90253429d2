"""Fill a store with a large synthetic market (``jobatlas bench seed``): postings, their rule tags and skills
drawn from the distributions of real postings (:mod:`pipeline.bench.seed_model`), written with COPY in batches,
then the aggregates the flow maintains and fresh planner statistics.

Seeded postings belong to sources whose id starts with ``seed:`` (kind ``seed``). Seeding replaces earlier seeded
postings; it refuses a store holding other postings unless forced (they would be mixed into every figure).
On a store without other postings the secondary indexes of the posting tables are dropped during the load and
built again afterwards (one sorted build is much faster than millions of index inserts).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pipeline.bench.seed_model import SEED_KIND, SEED_PREFIX, MarketModel, learn_model
from pipeline.bench.seed_rows import DEFAULT_END, BatchDrawer, CopyText
from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.store.cube import rebuild_cubes, rebuild_source_counts
from pipeline.store.facts import refresh_facts
from pipeline.store.loads import upsert_skills, upsert_sources
from pipeline.store.weekly import refresh_weekly

BATCH_POSTINGS = 20_000
POSTING_COLUMNS = (
    "id, source_id, content_hash, title, company, location, remote, salary_min, salary_max, salary_currency,"
    " salary_period, salary_text, salary_annual_min, salary_annual_max, employment_type, posted_on, url,"
    " description, first_seen_on, last_seen_on, closed_on"
)
TAG_COLUMNS = (
    "posting_id, method, level, track, role_family, specializations, specialization_scores, years_min,"
    " confidence, evidence, extractor_version, taxonomy_version, content_hash"
)
SKILL_COLUMNS = "posting_id, skill_id, requirement, evidence, start_char, end_char, extractor_version"
LOADED_TABLES = ("postings", "posting_tags", "posting_skills")
AGGREGATE_TABLES = (
    "weekly_segment_counts",
    "weekly_specialization_counts",
    "weekly_skill_counts",
    "posting_facts",
    "source_company_counts",
    "cube_postings",
    "posting_cube",
    "skill_cube",
    "skill_pair_cube",
)
Progress = Callable[[int, int], None]  # (postings written, postings to write)


class StoreNotEmptyError(RuntimeError):
    """The store holds postings that were not seeded; the message says how many and why that matters."""


@dataclass
class SeedResult:
    """What a seeding wrote and how long each part took (seconds)."""

    postings: int
    tags: int
    skills: int
    model_seconds: float
    load_seconds: float
    index_seconds: float
    aggregate_seconds: float
    analyze_seconds: float
    sample_size: int
    sample_origin: str
    aggregates: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.postings + self.tags + self.skills

    @property
    def seconds(self) -> float:
        return (
            self.model_seconds + self.load_seconds + self.index_seconds + self.aggregate_seconds + self.analyze_seconds
        )


def sample_file(shared_corpus: Path, data_dir: Path) -> Path:
    """The corpus postings when ``../shared`` is there, else the bundled sample."""
    corpus = shared_corpus / "postings.jsonl"
    return corpus if corpus.is_file() else data_dir / "sample" / "postings.jsonl"


def other_postings(session: Session) -> int:
    """How many stored postings were not seeded."""
    sql = "select count(*) from postings p join sources s on s.id = p.source_id where s.kind <> :kind"
    return int(session.execute(sa.text(sql), {"kind": SEED_KIND}).scalar_one())


def _clear_seeded(session: Session, *, others: int) -> None:
    if others == 0:
        session.execute(sa.text("truncate postings, weekly_skill_counts cascade"))
        session.execute(sa.text("truncate weekly_segment_counts, weekly_specialization_counts"))
    else:
        session.execute(sa.text("delete from postings where source_id like :p"), {"p": f"{SEED_PREFIX}%"})
    session.execute(sa.text("delete from sources where kind = :kind"), {"kind": SEED_KIND})


def _set_aside(session: Session) -> list[str]:
    """Drop the foreign keys and the indexes backing no constraint of the loaded tables, and the triggers that
    maintain ``posting_facts``; returns the statements that restore them (checks of every foreign key included)."""
    tables = {"tables": list(LOADED_TABLES)}
    keys = session.execute(
        sa.text("""
        select c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) from pg_constraint c
        where c.contype = 'f' and c.conrelid::regclass::text = any(:tables) order by 1, 2
    """),
        tables,
    ).all()
    indexes = session.execute(
        sa.text("""
        select i.indexname, i.indexdef from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = any(:tables)
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
        order by i.indexname
    """),
        tables,
    ).all()
    restore = []
    for table, name, definition in keys:
        session.execute(sa.text(f'alter table {table} drop constraint "{name}"'))
        restore.append(f'alter table {table} add constraint "{name}" {definition}')
    for name, definition in indexes:
        session.execute(sa.text(f'drop index "{name}"'))
        restore.append(str(definition))
    for table in LOADED_TABLES:  # the posting facts, the market cubes' dirty marks, the source counts
        session.execute(sa.text(f"alter table {table} disable trigger user"))
        restore.append(f"alter table {table} enable trigger user")
    return restore


def _copy(engine: Engine, table: str, columns: str, rows: list[str]) -> None:
    raw = engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        with conn.cursor() as cursor, cursor.copy(f"copy {table} ({columns}) from stdin") as copy:
            for start in range(0, len(rows), 50_000):
                copy.write("\n".join(rows[start : start + 50_000]) + "\n")
        conn.commit()
    finally:
        raw.close()


def _write(engine: Engine, rows: CopyText) -> None:
    _copy(engine, "postings", POSTING_COLUMNS, rows.postings)
    _copy(engine, "posting_tags", TAG_COLUMNS, rows.tags)
    _copy(engine, "posting_skills", SKILL_COLUMNS, rows.skills)


def _load(engine: Engine, drawer: BatchDrawer, postings: int, progress: Progress | None) -> tuple[int, int]:
    """Draw and COPY every batch (the server writes one batch while the next is drawn); returns the tag and skill
    rows written."""
    tags = skills = 0
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending: Future[None] | None = None
        for batch, start in enumerate(range(0, postings, BATCH_POSTINGS)):
            rows = drawer.draw(batch, start, min(BATCH_POSTINGS, postings - start))
            if pending is not None:
                pending.result()
                if progress is not None:
                    progress(start, postings)
            pending = writer.submit(_write, engine, rows)
            tags, skills = tags + len(rows.tags), skills + len(rows.skills)
        if pending is not None:
            pending.result()
    if progress is not None:
        progress(postings, postings)
    return tags, skills


def seed_store(
    engine: Engine,
    *,
    postings: int,
    seed: int,
    taxonomy_dir: Path,
    source_file: Path,
    force: bool = False,
    end: date = DEFAULT_END,
    progress: Progress | None = None,
    model: MarketModel | None = None,
) -> SeedResult:
    """Replace the seeded market of the (migrated) store at ``engine`` by ``postings`` new postings.

    Raises :class:`StoreNotEmptyError` when the store holds other postings and ``force`` is false."""
    started = time.perf_counter()
    model = model or learn_model(source_file, taxonomy_dir)
    model_seconds = time.perf_counter() - started
    with Session(engine) as session, session.begin():
        others = other_postings(session)
        if others and not force:
            raise StoreNotEmptyError(
                f"the store holds {others:,} postings that were not seeded: seeded postings would be counted with "
                "them in every figure (use --force to seed anyway, or seed an empty database)"
            )
        _clear_seeded(session, others=others)
        skill_ids = upsert_skills(load_taxonomy(taxonomy_dir / "skills.yaml"), session=session)
        upsert_sources(
            [(f"{SEED_PREFIX}{s}", SEED_KIND, f"synthetic market after {s}", {"seeded": True}) for s in model.sources],
            session=session,
        )
        restore = _set_aside(session) if others == 0 else []
    drawer = BatchDrawer(model, total=postings, seed=seed, end=end, skill_ids=skill_ids)
    load_started = time.perf_counter()
    try:
        tags, skills = _load(engine, drawer, postings, progress)
    finally:  # a failed load still gets its indexes, keys and triggers back
        index_started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(sa.text("set local maintenance_work_mem = '512MB'"))  # index builds sort in memory
            for statement in restore:
                conn.execute(sa.text(statement))
    load_seconds = index_started - load_started
    index_seconds = time.perf_counter() - index_started
    analyze_started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"vacuum (analyze) {', '.join(LOADED_TABLES)}"))
    analyze_seconds = time.perf_counter() - analyze_started
    aggregate_started = time.perf_counter()
    with Session(engine) as session, session.begin():
        aggregates = refresh_weekly(session=session)
        aggregates["posting_facts"] = refresh_facts(session=session)
        aggregates["source_company_counts"] = rebuild_source_counts(session=session)
        aggregates.update(rebuild_cubes(session=session))
    aggregate_seconds = time.perf_counter() - aggregate_started
    analyze_started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"vacuum (analyze) {', '.join(AGGREGATE_TABLES)}"))
    analyze_seconds += time.perf_counter() - analyze_started
    return SeedResult(
        postings=postings,
        tags=tags,
        skills=skills,
        model_seconds=model_seconds,
        load_seconds=load_seconds,
        index_seconds=index_seconds,
        aggregate_seconds=aggregate_seconds,
        analyze_seconds=analyze_seconds,
        sample_size=model.sample_size,
        sample_origin=model.origin,
        aggregates=aggregates,
    )
