"""``jobatlas run``, ``ingest`` and ``reprocess``: the flows, with their summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.common import EXIT_PARTIAL, console, err_console, fail, load_settings, prefect_defaults, store
from pipeline.summary import RunSummary


def print_summary(summary: RunSummary) -> None:
    table = Table(title=f"run {summary.run_id}: {summary.status}")
    columns = ("source", "fetched", "postings", "new", "updated", "unchanged", "rejected", "closed", "error")
    widest = max((len(s.source_id) for s in summary.sources), default=6)
    for column in columns:
        if column == "source":
            table.add_column(column, no_wrap=True, min_width=widest)
        else:
            table.add_column(column, justify="left" if column == "error" else "right", overflow="fold")
    for s in summary.sources:
        numbers = (s.fetched, s.postings, s.new, s.updated, s.unchanged, s.rejected, s.closed)
        table.add_row(s.source_id, *(str(v) for v in numbers), s.error or "")
    console.print(table)
    console.print(
        f"{summary.total('fetched')} raw records -> {summary.total('postings')} postings; "
        f"{summary.open_postings} open in the store, {summary.unique_postings} unique after deduplication"
    )
    console.print(
        f"extracted {summary.extracted} postings, {summary.skills_found} skill mentions; "
        f"{summary.aggregate_rows_written} aggregate rows written"
    )
    for line in summary.llm_lines:  # llm and hybrid modes: postings, cache, tokens, cost, failures, month
        console.print(line, highlight=False)
    console.print("time per step: " + ", ".join(f"{k} {v:.2f}s" for k, v in summary.step_seconds.items()))
    for reject in summary.rejects:
        err_console.print(f"[yellow]rejected[/] {reject}", highlight=False)
    if summary.status != "succeeded":
        raise typer.Exit(code=EXIT_PARTIAL)


def run(
    sources: Annotated[
        str,
        typer.Option(help="Registry sources to read: offline (the bundled sample), live, all, none, or ids a,b."),
    ] = "offline",
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", "-f", help="Also ingest this postings file or folder (repeatable)."),
    ] = None,
) -> None:
    """Run the weekly_refresh flow now: ingest -> normalize -> extract -> load -> dedup -> aggregate, with an LLM
    step before aggregate in the llm and hybrid modes."""
    settings = load_settings()
    prefect_defaults()
    with store(settings):  # fail fast, in one line, before Prefect starts
        pass
    from flows.weekly_refresh import weekly_refresh
    from pipeline.sources.registry import RegistryError

    try:
        summary = weekly_refresh(settings=settings, sources=sources, files=list(file or []))
    except RegistryError as exc:
        raise fail(str(exc)) from None
    print_summary(summary)


def ingest(
    file: Annotated[
        list[Path],
        typer.Option("--file", "-f", help="A postings file or folder: JSONL, CSV, HTML or text (repeatable)."),
    ],
) -> None:
    """Ingest your own postings files (and nothing else) through the whole pipeline."""
    run(sources="none", file=file)


def reprocess(
    source: Annotated[
        list[str] | None, typer.Option("--source", "-s", help="Only this source id (repeatable).")
    ] = None,
) -> None:
    """Normalize and extract again from the archived payloads, without fetching anything."""
    settings = load_settings()
    prefect_defaults()
    with store(settings):
        pass
    from flows.weekly_refresh import reprocess as reprocess_flow

    try:
        summary = reprocess_flow(settings=settings, source_ids=list(source or []) or None)
    except ValueError as exc:
        raise fail(str(exc)) from None
    print_summary(summary)
