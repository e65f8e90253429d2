"""``jobatlas bench``: benchmarks that print figures (never asserted in tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.common import console, fail

bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True)
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
