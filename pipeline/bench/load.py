"""Write throughput of the store (``jobatlas bench load``): the refresh's load path against a plain COPY of the
same rows, measured in the same run on a scratch database that is created for the run and dropped after it.

The figures: (a) a plain COPY of the postings, their rule tags and skills into empty copies of the three tables
(``LIKE ... INCLUDING ALL``: same columns, defaults and indexes, no foreign keys or triggers); (b) the load path
of the flow (stored state, change plan, ``upsert_postings``, ``upsert_skills``, ``save_extractions`` in one
transaction) into the empty store; (c) the same postings again, all unchanged; (d) again with 10% of them changed.
"""

from __future__ import annotations

import resource
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from pipeline.bench.load_data import BENCH_SOURCE, BenchMarket, changed_copy
from pipeline.domain import Extraction, Posting
from pipeline.extraction.taxonomy import Taxonomy
from pipeline.refresh import plan_changes
from pipeline.store import bulk, loads, migrate
from pipeline.store.database import create_store_engine, describe_url
from pipeline.store.models import PostingRow, PostingSkill, PostingTag
from pipeline.store.tags import RULES
from pipeline.store.upserts import table_of

Progress = Callable[[str], None]
SEEN_ON = date(2026, 11, 30)
COPY_TABLES = ("postings", "posting_tags", "posting_skills")


class ScratchDatabaseError(RuntimeError):
    """The server would not create the scratch database; the message is one line meant for people."""


@dataclass(frozen=True)
class LoadTiming:
    """One measured load: postings given, rows handed over (postings, tags, skills) and rows written."""

    name: str
    postings: int
    rows: int
    written: int
    seconds: float

    @property
    def postings_per_second(self) -> float:
        return self.postings / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class LoadBenchResult:
    copy: LoadTiming
    loads: list[LoadTiming]
    description_mb: float
    trigram_indexes: bool
    peak_rss_mb: float

    def ratio(self, timing: LoadTiming) -> float:
        """How many times the plain COPY's time this load took."""
        return timing.seconds / self.copy.seconds if self.copy.seconds else 0.0


@contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new database ``jobatlas_bench_<random>`` on the server of ``server_url`` (its URL), dropped afterwards."""
    name = f"jobatlas_bench_{secrets.token_hex(6)}"
    admin = create_store_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        try:
            with admin.connect() as conn:
                conn.execute(sa.text(f'create database "{name}"'))
        except DBAPIError as exc:
            reason = (str(exc.orig or exc).strip().splitlines() or ["unknown error"])[0]
            raise ScratchDatabaseError(
                f"cannot create the scratch database {name} on {describe_url(server_url)}: {reason}"
            ) from exc
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(sa.text(f'drop database if exists "{name}" with (force)'))
    finally:
        admin.dispose()


def posting_row(posting: Posting, seen_on: date) -> dict[str, Any]:
    """The ``postings`` row ``upsert_postings`` writes for a new posting (without raw payload)."""
    row = posting.model_dump(exclude={"raw_hash"})
    row.update(
        raw_posting_id=None,
        content_hash=posting.content_hash,
        first_seen_on=seen_on,
        last_seen_on=seen_on,
        closed_on=None,
    )
    return row


def skill_rows(extraction: Extraction, skill_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {
            "posting_id": extraction.posting_id,
            "skill_id": skill_ids[m.skill],
            "requirement": m.requirement.value,
            "evidence": m.evidence,
            "start_char": m.start,
            "end_char": m.end,
            "extractor_version": extraction.extractor_version,
            "source": RULES,
        }
        for m in extraction.skills
    ]


def _plain_copy(engine: Engine, market: BenchMarket, taxonomy_version: str, skill_ids: dict[str, int]) -> LoadTiming:
    postings = [posting_row(p, SEEN_ON) for p in market.postings]
    hashes = {row["id"]: row["content_hash"] for row in postings}
    tags = [
        loads.tag_row(e, method=RULES, taxonomy_version=taxonomy_version, content_hash=hashes[e.posting_id])
        for e in market.extractions
    ]
    skills = [row for e in market.extractions for row in skill_rows(e, skill_ids)]
    batches = ((PostingRow, postings), (PostingTag, tags), (PostingSkill, skills))
    with engine.begin() as conn:
        for name in COPY_TABLES:
            conn.execute(sa.text(f"create table copy_{name} (like {name} including all)"))
    started = time.perf_counter()
    with Session(engine) as session, session.begin():
        raw = bulk.driver_connection(session)
        for model, rows in batches:
            table = table_of(model)
            bulk.copy_rows(raw, f"copy_{table.name}", table, list(rows[0]), rows)
    seconds = time.perf_counter() - started
    total = len(postings) + len(tags) + len(skills)
    return LoadTiming("plain COPY (postings, tags, skills)", len(postings), total, total, seconds)


def _load(
    engine: Engine,
    name: str,
    postings: Sequence[Posting],
    extractions: dict[str, Extraction],
    *,
    version: str,
    taxonomy: Taxonomy,
) -> LoadTiming:
    """The flow's load path for one listing of ``postings`` (their extractions precomputed)."""
    started = time.perf_counter()
    with Session(engine) as session:
        state = loads.stored_state([p.id for p in postings], session=session)
    plan = plan_changes(postings, state, version)
    to_save = [extractions[p.id] for p in plan.to_extract]
    with Session(engine) as session, session.begin():
        loads.upsert_postings(postings, raw_ids={}, seen_on=SEEN_ON, session=session)
        skill_ids = loads.upsert_skills(taxonomy, session=session)
        loads.save_extractions(
            to_save,
            content_hashes={p.id: p.content_hash for p in postings},
            skill_ids=skill_ids,
            taxonomy_version=taxonomy.version,
            session=session,
        )
    seconds = time.perf_counter() - started
    given = len(postings) + len(postings) + sum(len(e.skills) for e in extractions.values())
    written = len(plan.new) + len(plan.updated) + len(to_save) + sum(len(e.skills) for e in to_save)
    return LoadTiming(name, len(postings), given, written, seconds)


def _has_trigram_indexes(engine: Engine) -> bool:
    with engine.connect() as conn:
        query = "select count(*) from pg_indexes where tablename = 'postings' and indexname like '%trgm'"
        return bool(conn.execute(sa.text(query)).scalar())


def run_load_bench(
    url: str, market: BenchMarket, *, taxonomy: Taxonomy, progress: Progress | None = None
) -> LoadBenchResult:
    """Measure (a)-(d) of the module docstring on the empty database at ``url`` (migrated here)."""
    say = progress or (lambda _: None)
    engine = create_store_engine(url)
    try:
        say("migrating the scratch database")
        migrate.upgrade(engine)
        with Session(engine) as session, session.begin():
            loads.upsert_sources([(BENCH_SOURCE, "bench", "jobatlas bench load", {})], session=session)
            skill_ids = loads.upsert_skills(taxonomy, session=session)
        count = len(market.postings)
        say(f"(a) plain COPY: {count:,} postings, their tags and skills")
        copy = _plain_copy(engine, market, taxonomy.version, skill_ids)
        extractions = {e.posting_id: e for e in market.extractions}

        def load(name: str, postings: Sequence[Posting]) -> LoadTiming:
            say(f"{name}: {count:,} postings")
            return _load(engine, name, postings, extractions, version=market.extractor_version, taxonomy=taxonomy)

        edited = [
            changed_copy(p, "Updated: relocation offered.") if i % 10 == 0 else p for i, p in enumerate(market.postings)
        ]
        runs = [
            load("(b) load into the empty store", market.postings),
            load("(c) the same postings again, unchanged", market.postings),
            load("(d) again with 10% changed", edited),
        ]
        trigram = _has_trigram_indexes(engine)
    finally:
        engine.dispose()
    return LoadBenchResult(
        copy=copy,
        loads=runs,
        description_mb=sum(len(p.description.encode()) for p in market.postings) / 1e6,
        trigram_indexes=trigram,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
