"""``jobatlas bench refresh``: the whole weekly_refresh flow on N postings in a scratch database, four times."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr
from rich.table import Table

from flows.cli.common import ScratchDatabaseUrl, console, fail, load_settings, prefect_defaults, store

DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
STEPS = ("migrate", "ingest", "normalize", "extract", "load", "dedup", "aggregate")
COUNTS = ("new", "updated", "unchanged", "closed", "extracted", "unique_postings")


def bench_refresh(
    postings: Annotated[int, typer.Option(min=1, help="How many distinct postings to refresh.")] = 50_000,
    database_url: ScratchDatabaseUrl = None,
    corpus: Annotated[Path, typer.Option(help="Folder with postings*.jsonl (else the bundled sample).")] = (
        DEFAULT_CORPUS
    ),
) -> None:
    """Refresh N postings (the corpus repeated, each copy perturbed into a distinct posting) with the real flow into
    a scratch database: into the empty store today, again unchanged the same day, again unchanged a week later
    (the flow's seen_on a week on, the store vacuumed first as autovacuum would have), again with 1% changed. Prints
    time per run and per step, the ratio to the first run, rows written, updates of postings (HOT or not) and
    peak memory."""
    from pipeline.bench.load import ScratchDatabaseError, scratch_database
    from pipeline.bench.refresh import run_refresh_bench
    from pipeline.summary import RunSummary

    settings = load_settings()
    if database_url is not None:
        settings = settings.model_copy(update={"database_url": SecretStr(database_url)})
    prefect_defaults()
    from flows.weekly_refresh import weekly_refresh

    with store(settings) as engine:
        server_url = engine.url.render_as_string(hide_password=False)
    try:
        with scratch_database(server_url) as url, tempfile.TemporaryDirectory(prefix="jobatlas-bench-") as tmp:
            console.print(f"scratch database {url.rsplit('/', 1)[-1].split('?')[0]}")
            scratch = settings.model_copy(update={"database_url": SecretStr(url)})

            def run(path: Path, day: date) -> RunSummary:
                return weekly_refresh(settings=scratch, sources="none", files=[path], seen_on=day)

            result = run_refresh_bench(
                url, run, postings=postings, corpus_dir=corpus, workdir=Path(tmp), progress=console.print
            )
    except ScratchDatabaseError as exc:
        raise fail(f"{exc}; the benchmark only runs on a database of its own") from None
    table = Table(title=f"bench refresh: {result.postings:,} postings ({result.file_mb:,.0f} MB of JSONL)")
    for column in ("run", "seconds", "x first", *COUNTS, "rows written"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for figures in result.runs:
        table.add_row(
            figures.name,
            f"{figures.seconds:.1f}",
            f"{result.ratio(figures):.1%}",
            *(f"{figures.counts.get(name, 0):,}" for name in COUNTS),
            f"{figures.total_rows_written:,}",
        )
    console.print(table)
    steps = Table(title="seconds per step (the run summary's step_seconds)")
    steps.add_column("step")
    for figures in result.runs:
        steps.add_column(figures.name, justify="right")
    for step in STEPS:
        steps.add_row(step, *(f"{figures.step_seconds.get(step, 0.0):.2f}" for figures in result.runs))
    console.print(steps)
    for figures in result.runs:
        tables = ", ".join(f"{t} {n:,}" for t, n in sorted(figures.rows_written.items(), key=lambda x: -x[1]))
        console.print(f"rows written, {figures.name}: {tables or 'none'}")
    for figures in result.runs:
        updates = figures.postings_writes
        console.print(
            f"postings updated, {figures.name}: {updates.updated:,}, {updates.hot_updated:,} of them HOT "
            "(heap-only, no index entries)"
        )
    console.print(
        f"warm-up run (Prefect API start, migrations) {result.warmup_seconds:.1f} s; peak memory "
        f"{result.peak_rss_mb:,.0f} MB in this process, {result.peak_children_rss_mb:,.0f} MB in a child process"
    )
