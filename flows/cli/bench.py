"""``jobatlas bench``: benchmarks that print figures (never asserted in tests)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.bench_load import bench_load
from flows.cli.bench_refresh import bench_refresh
from flows.cli.bench_store import bench_dashboard, bench_seed
from flows.cli.common import console, fail, load_settings

bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True)
bench_app.command("seed")(bench_seed)
bench_app.command("dashboard")(bench_dashboard)
bench_app.command("load")(bench_load)
bench_app.command("refresh")(bench_refresh)
DEFAULT_CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@bench_app.command("ingest")
def bench_ingest(
    corpus: Annotated[Path, typer.Option(help="Folder of corpus payloads (JSONL postings and API samples).")] = (
        DEFAULT_CORPUS
    ),
    repeat: Annotated[int, typer.Option(min=1, help="Parse everything this many times.")] = 3,
) -> None:
    """Parse and normalize the corpus payloads and print postings per second, per kind of payload."""
    from pipeline.bench.ingest import corpus_records, run_parse_bench

    if not corpus.is_dir():
        raise fail(f"corpus folder {corpus} not found (pass --corpus)")
    batches = corpus_records(corpus)
    table = Table(title=f"parse + normalize, best of {repeat}")
    for column in ("payloads", "records", "bytes", "postings", "rejects", "seconds", "postings/s"):
        if column == "payloads":
            table.add_column(column, no_wrap=True)
        else:
            table.add_column(column, justify="right")
    for result in run_parse_bench(batches, repeat=repeat):
        table.add_row(
            result.name,
            f"{result.records:,}",
            f"{result.bytes:,}",
            f"{result.postings:,}",
            f"{result.rejects:,}",
            f"{result.seconds:.3f}",
            f"{result.postings / result.seconds:,.0f}" if result.seconds else "-",
        )
    console.print(table)


@bench_app.command("extract")
def bench_extract(
    corpus: Annotated[Path, typer.Option(help="Folder with postings*.jsonl files (the shared corpus).")] = (
        DEFAULT_CORPUS
    ),
    postings: Annotated[int, typer.Option(min=1, help="Repeat the corpus up to at least this many postings.")] = 5_000,
    workers: Annotated[list[int] | None, typer.Option("--workers", help="Process counts to measure.")] = None,
    repeat: Annotated[
        int, typer.Option(min=1, help="Measure everything this many times, interleaved; print medians and ranges.")
    ] = 1,
) -> None:
    """Extraction speed: postings/second per process count, peak memory, ratio to bare spaCy tokenization."""
    from pipeline.bench.extract import run_extract_bench

    settings = load_settings()
    files = sorted(corpus.glob("postings*.jsonl")) if corpus.is_dir() else []
    if not files:
        raise fail(f"no postings*.jsonl in {corpus} (pass --corpus)")
    result = run_extract_bench(
        files, taxonomy_dir=settings.taxonomy_dir, min_lines=postings, workers=workers or [1, 2], repeat=repeat
    )
    console.print(f"{result.lines:,} postings, {result.words:,} tokens")
    title = "jobatlas extract and bare tokenization by as many processes (wall times; tagging with start-up" + (
        f"; medians of {repeat})" if repeat > 1 else ")"
    )
    table = Table(title=title)
    columns = [
        "processes",
        "seconds",
        "postings/s",
        "postings/s per process",
        "bare tokenization postings/s per process",
        "x bare tokenization",
    ]
    for column in columns + (["postings/s, all runs"] if repeat > 1 else []):
        table.add_column(column, justify="right")
    for count in result.worker_counts:
        run = result.median_run(count)
        row = [
            str(run.workers),
            f"{run.seconds:.2f}",
            f"{run.per_second:,.0f}",
            f"{run.per_second / run.workers:,.0f}",
            f"{result.tokenize_per_second(count):,.0f}",
            f"{result.ratio_to_tokenization(run):.1f}",
        ]
        table.add_row(*row, *([_range(r.per_second for r in result.runs_with(count))] if repeat > 1 else []))
    console.print(table)
    console.print(
        f"peak memory: {result.peak_rss_mb:,.0f} MB in this process, {result.peak_worker_rss_mb:,.0f} MB per worker"
    )


def _range(values: Iterable[float]) -> str:
    ordered = sorted(values)
    return f"{ordered[0]:,.0f}-{ordered[-1]:,.0f}"
