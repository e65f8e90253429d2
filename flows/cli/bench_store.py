"""``jobatlas bench seed`` and ``jobatlas bench dashboard``: a store at scale and the dashboard's latency on it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from flows.cli.common import console, fail, load_settings, store
from pipeline.settings import Settings

DEFAULT_SHARED_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="PostgreSQL URL (default: the configured store).")
]


def _settings(database_url: str | None) -> Settings:
    settings = load_settings()
    if database_url is None:
        return settings
    return settings.model_copy(update={"database_url": SecretStr(database_url)})


def bench_seed(
    postings: Annotated[int, typer.Option(min=1, help="How many synthetic postings to write.")] = 1_000_000,
    database_url: DatabaseUrl = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same market.")] = 0,
    force: Annotated[bool, typer.Option(help="Seed even though the store holds real postings.")] = False,
    corpus: Annotated[Path, typer.Option(help="Folder with the postings.jsonl the distributions are learned from.")] = (
        DEFAULT_SHARED_CORPUS
    ),
) -> None:
    """Fill the store with a synthetic market drawn from the corpus distributions (COPY in batches), then the
    weekly aggregates, the posting facts and planner statistics."""
    from pipeline.bench.seed import StoreNotEmptyError, sample_file, seed_store
    from pipeline.store import migrate

    settings = _settings(database_url)
    source = sample_file(corpus, settings.data_dir)
    console.print(f"learning the market from {source} with the real extractor ...")
    with store(settings) as engine:
        migrate.upgrade(engine)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("postings", total=postings)
            try:
                result = seed_store(
                    engine,
                    postings=postings,
                    seed=seed,
                    taxonomy_dir=settings.taxonomy_dir,
                    source_file=source,
                    force=force,
                    progress=lambda done, total: bar.update(task, completed=done),
                )
            except StoreNotEmptyError as exc:
                raise fail(f"refusing to seed: {exc}") from None
    table = Table(
        title=f"bench seed: {postings:,} postings, seed {seed} (distributions of {result.sample_size} "
        f"postings of {result.sample_origin})"
    )
    for column in ("step", "rows", "seconds", "rows/s"):
        table.add_column(column, justify="left" if column == "step" else "right")
    table.add_row("learn the distributions (extractor)", "", f"{result.model_seconds:.1f}", "")
    for name, rows in (("postings", result.postings), ("posting_tags", result.tags), ("posting_skills", result.skills)):
        table.add_row(f"COPY {name}", f"{rows:,}", "", "")
    table.add_row(
        "COPY all (drawn while written)",
        f"{result.rows:,}",
        f"{result.load_seconds:.1f}",
        f"{result.rows / result.load_seconds:,.0f}" if result.load_seconds else "-",
    )
    table.add_row("indexes and foreign keys", "", f"{result.index_seconds:.1f}", "")
    aggregate_rows = sum(result.aggregates.values())
    table.add_row("weekly aggregates + posting facts", f"{aggregate_rows:,}", f"{result.aggregate_seconds:.1f}", "")
    table.add_row("VACUUM ANALYZE", "", f"{result.analyze_seconds:.1f}", "")
    table.add_row(
        "total",
        f"{result.rows + aggregate_rows:,}",
        f"{result.seconds:.1f}",
        f"{(result.rows + aggregate_rows) / result.seconds:,.0f}" if result.seconds else "-",
    )
    console.print(table)


def bench_dashboard(
    repeat: Annotated[int, typer.Option(min=1, help="Runs of each query per filter.")] = 20,
    database_url: DatabaseUrl = None,
) -> None:
    """Run every dashboard page's queries against the store (fresh sessions, no cache) under a mix of filters and
    print p50/p95/max per query and per page; flags what exceeds 300 ms."""
    from pipeline.analysis.registry import QUERIES
    from pipeline.bench.dashboard import LIMIT_MS, run_dashboard_bench

    settings = _settings(database_url)
    with store(settings) as engine:
        result = run_dashboard_bench(
            engine, QUERIES, repeat=repeat, on_page=lambda page: console.print(f"measuring {page} ...")
        )
    for title, timings in (
        ("per query", result.queries),
        ("per page (one render: every query of the page)", result.pages),
    ):
        table = Table(title=f"bench dashboard, {title}, {repeat} runs per filter")
        for column in ("page", "query", "runs", "p50 ms", "p95 ms", "max ms", "slowest filter", f"> {LIMIT_MS:.0f} ms"):
            table.add_column(column, justify="right" if column.endswith(("ms", "runs")) else "left")
        for t in timings:
            flag = "[bold red]yes[/]" if t.too_slow else ""
            table.add_row(
                t.page, t.name, str(t.runs), f"{t.p50_ms:.1f}", f"{t.p95_ms:.1f}", f"{t.max_ms:.1f}", t.slowest, flag
            )
        console.print(table)
    slow = [f"{t.page}: {t.name}" for t in result.queries if t.too_slow]
    console.print(f"queries over {LIMIT_MS:.0f} ms at p95: {', '.join(slow) if slow else 'none'}")
    if result.missing:
        console.print(f"[yellow]queries the pages call that the registry lacks:[/] {', '.join(result.missing)}")
