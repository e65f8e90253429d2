"""End-to-end refresh speed (``jobatlas bench refresh``): N postings through the real flow, four times.

The postings are the corpus (``../shared/corpus/postings*.jsonl``, else the bundled sample) repeated with
perturbations, so that every copy is a distinct posting: a new id, other title, company and location words and
a sentence of its own at the start of the description. They are written to one JSONL file and refreshed (a) into
an empty store, (b) again unchanged on the same day, (c) again unchanged a week later, (d) again with 1% of them
changed. The flow is passed in as a callable (this package does not import Prefect); a warm-up run on an empty file
first starts Prefect's API and migrates the store, so the runs measure the refresh alone.

The flow's day is a parameter (``weekly_refresh(seen_on=...)``): (a) and (b) run on today (UTC), (c) and (d) on
the day a week later, so run (c) finds every posting unchanged but last seen on another day and marks each one
seen on the new day, the work of a weekly rerun in production. Each run also reports how many rows of
``postings`` it updated and how many of those updates were HOT (heap-only: no new index entries, migration 0010).
"""

from __future__ import annotations

import json
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from pipeline.store.database import create_store_engine
from pipeline.summary import RunSummary

RefreshRunner = Callable[[Path, date], RunSummary]  # refresh the postings of a file on a day
Progress = Callable[[str], None]

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "postings.jsonl"
TITLE_WORDS = ("", " - Platform", " - Applied", " - Search", " - Agents", " - Infrastructure", " - Growth", " II")
COMPANY_WORDS = ("Labs", "AI", "Systems", "Group", "Analytics", "Cloud", "Digital", "Works", "Health", "Robotics")
LOCATIONS = (
    "New York, NY",
    "San Francisco, CA",
    "Austin, TX",
    "Seattle, WA",
    "London, UK",
    "Berlin, Germany",
    "Toronto, Canada",
    "Remote",
    "Paris, France",
    "Amsterdam, Netherlands",
    "Boston, MA",
    "Chicago, IL",
)
OPENERS = (
    "Join a small team shipping {word} features to customers every week.",
    "We are hiring for our {word} group after a strong year.",
    "This opening is part of the {word} expansion announced this quarter.",
    "You will work closely with the {word} leads from day one.",
    "Our {word} team is growing and this role is new.",
)
CHANGED_NOTE = "Update: the hiring team changed and interviews now include a take-home exercise."
CHANGED_EVERY = 100  # 1% of the postings change before the last run
LATER_DAYS = 7  # how much later the later-day rerun is


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The corpus's ``postings*.jsonl`` files, or the bundled sample when the corpus is absent."""
    files = sorted(corpus_dir.glob("postings*.jsonl")) if corpus_dir.is_dir() else []
    return files or [SAMPLE]


def base_postings(files: Sequence[Path]) -> list[dict[str, Any]]:
    """Each distinct posting of the files once (first occurrence of an id), without its HTML description."""
    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                item = json.loads(line)
                if item.get("id") in seen or not item.get("description_text"):
                    continue
                seen.add(item["id"])
                item.pop("description_html", None)
                out.append(item)
    if not out:
        raise ValueError(f"no postings with a text description in {', '.join(str(p) for p in files)}")
    return out


def perturbed(item: dict[str, Any], copy: int, index: int, *, changed: bool) -> dict[str, Any]:
    """Copy ``copy`` of a corpus posting: its own id, title, company and location words and opening sentence."""
    word = COMPANY_WORDS[(copy + index) % len(COMPANY_WORDS)]
    opener = OPENERS[(copy * 7 + index) % len(OPENERS)].format(word=word.lower())
    out = dict(item)
    out["id"] = f"bench:{copy}:{item['id']}"
    out["title"] = f"{item.get('title') or 'Engineer'}{TITLE_WORDS[copy % len(TITLE_WORDS)]}"
    out["company"] = f"{item.get('company') or 'Company'} {word} {copy}"
    out["location"] = LOCATIONS[(copy * 5 + index) % len(LOCATIONS)]
    description = f"{opener} (Opening {copy}-{index}.)\n\n{item['description_text']}"
    out["description_text"] = f"{description}\n\n{CHANGED_NOTE}" if changed else description
    return out


def generate(base: Sequence[dict[str, Any]], count: int, *, change_some: bool = False) -> Iterator[dict[str, Any]]:
    """``count`` distinct postings cycling over ``base``; with ``change_some`` every 100th one is edited."""
    for n in range(count):
        copy, index = divmod(n, len(base))
        yield perturbed(base[index], copy, index, changed=change_some and n % CHANGED_EVERY == 0)


def write_postings(path: Path, base: Sequence[dict[str, Any]], count: int, *, change_some: bool = False) -> int:
    """Write the postings as JSONL (streamed, never all in memory as dicts); returns the file's size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for item in generate(base, count, change_some=change_some):
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path.stat().st_size


@dataclass(frozen=True)
class TableWrites:
    """What PostgreSQL's statistics count for a table so far: rows inserted, updated or deleted; rows updated; rows
    updated HOT (heap-only: the new version on the same page and no index entry written)."""

    rows: int
    updated: int
    hot_updated: int

    def __sub__(self, other: TableWrites) -> TableWrites:
        return TableWrites(self.rows - other.rows, self.updated - other.updated, self.hot_updated - other.hot_updated)


NO_WRITES = TableWrites(0, 0, 0)


def table_writes(url: str) -> dict[str, TableWrites]:
    """Rows written so far per table of the database (PostgreSQL's statistics)."""
    engine = create_store_engine(url)
    others = "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
    try:
        with engine.connect() as conn:
            for _ in range(100):  # a closed session's counts are flushed as its backend exits: wait for them
                if not conn.execute(sa.text(others)).scalar_one():
                    break
                conn.execute(sa.text("select pg_stat_clear_snapshot()"))
                time.sleep(0.05)
            conn.execute(sa.text("select pg_stat_clear_snapshot()"))
            rows = conn.execute(
                sa.text(
                    "select relname, n_tup_ins + n_tup_upd + n_tup_del, n_tup_upd, n_tup_hot_upd "
                    "from pg_stat_user_tables"
                )
            ).all()
    finally:
        engine.dispose()
    return {str(name): TableWrites(int(n), int(upd), int(hot)) for name, n, upd, hot in rows}


def vacuum_store(url: str) -> None:
    """VACUUM ANALYZE the database at ``url``, as autovacuum would have in the week between two refreshes: the
    planner's statistics of the tables the first run filled, the pending entries of the trigram GIN indexes
    flushed, the dead rows of earlier updates cleared."""
    engine = create_store_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("vacuum (analyze)"))
    finally:
        engine.dispose()


@dataclass(frozen=True)
class RunFigures:
    name: str
    seconds: float
    step_seconds: dict[str, float]
    counts: dict[str, int]
    rows_written: dict[str, int]
    postings_writes: TableWrites = NO_WRITES  # this run's updates of ``postings`` and how many were HOT

    @property
    def total_rows_written(self) -> int:
        return sum(self.rows_written.values())


@dataclass(frozen=True)
class RefreshBenchResult:
    postings: int
    file_mb: float
    warmup_seconds: float
    runs: list[RunFigures]
    peak_rss_mb: float
    peak_children_rss_mb: float

    def ratio(self, run: RunFigures) -> float:
        """The run's time as a fraction of the first run's."""
        return run.seconds / self.runs[0].seconds if self.runs[0].seconds else 0.0


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def measure_run(name: str, run: RefreshRunner, path: Path, day: date, url: str) -> RunFigures:
    """One refresh of ``path`` on ``day``: wall seconds, the summary's step seconds and counts, rows written per
    table, the updates of ``postings``."""
    before = table_writes(url)
    started = time.perf_counter()
    summary = run(path, day)
    seconds = time.perf_counter() - started
    if summary.status != "succeeded":
        raise RuntimeError(f"the {name} refresh ended {summary.status}: {summary.counts()}")
    delta = {table: writes - before.get(table, NO_WRITES) for table, writes in table_writes(url).items()}
    written = {table: writes.rows for table, writes in delta.items() if writes.rows}
    return RunFigures(
        name, seconds, dict(summary.step_seconds), summary.counts(), written, delta.get("postings", NO_WRITES)
    )


def run_refresh_bench(
    url: str,
    run: RefreshRunner,
    *,
    postings: int,
    corpus_dir: Path,
    workdir: Path,
    progress: Progress | None = None,
    first_day: date | None = None,
) -> RefreshBenchResult:
    """Measure (a)-(d) of the module docstring with ``run`` refreshing the (empty) store at ``url``; (a) and (b) on
    ``first_day`` (default today in UTC), (c) and (d) ``LATER_DAYS`` later."""
    say = progress or (lambda _: None)
    day = first_day or datetime.now(UTC).date()
    later = day + timedelta(days=LATER_DAYS)
    base = base_postings(corpus_files(corpus_dir))
    warmup = workdir / "warmup" / "warmup.jsonl"
    warmup.parent.mkdir(parents=True, exist_ok=True)
    warmup.write_text("", encoding="utf-8")
    path = workdir / "bench-postings.jsonl"
    size = write_postings(path, base, postings)
    say(f"{postings:,} postings from {len(base):,} corpus postings: {size / 2**20:,.0f} MB of JSONL")
    started = time.perf_counter()
    run(warmup, day)
    warmup_seconds = time.perf_counter() - started
    say(f"warm-up (Prefect API start, schema migration): {warmup_seconds:.1f} s")
    runs = [measure_run("first (empty store)", run, path, day, url)]
    say(f"first run ({day}): {runs[0].seconds:.1f} s")
    runs.append(measure_run("second (unchanged, same day)", run, path, day, url))
    say(f"second run ({day}): {runs[1].seconds:.1f} s")
    vacuum_store(url)
    say(f"store vacuumed and analyzed, as autovacuum would have in the {LATER_DAYS} days until the next run")
    runs.append(measure_run(f"third (unchanged, {LATER_DAYS} days later)", run, path, later, url))
    say(f"third run ({later}): {runs[2].seconds:.1f} s")
    write_postings(path, base, postings, change_some=True)
    runs.append(measure_run("fourth (1% changed)", run, path, later, url))
    say(f"fourth run ({later}): {runs[3].seconds:.1f} s")
    return RefreshBenchResult(
        postings=postings,
        file_mb=size / 2**20,
        warmup_seconds=warmup_seconds,
        runs=runs,
        peak_rss_mb=peak_rss_mb(),
        peak_children_rss_mb=peak_rss_mb(resource.RUSAGE_CHILDREN),
    )
