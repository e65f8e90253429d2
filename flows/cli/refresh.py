"""``jobatlas run``, ``ingest`` and ``reprocess``: the flows, with their summary and exit code.

Exit codes: 0 the run succeeded; 1 it failed (or could not start: settings, store, registry); 3 partial (it
finished, but a source could not be read or answered garbage); 4 another refresh holds the store's lock.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table

from flows.cli.common import EXIT_PARTIAL, console, err_console, fail, load_settings, prefect_defaults, store
from pipeline.settings import Settings
from pipeline.summary import RunSummary

EXIT_LOCKED = 4


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
    dask_address: Annotated[
        str | None,
        typer.Option(
            help="Run the ingest and extract tasks on this Dask cluster (tcp://HOST:PORT). "
            "Default: JOBATLAS_DASK_ADDRESS, else threads of this process."
        ),
    ] = None,
) -> None:
    """Run the weekly_refresh flow now: ingest -> normalize -> extract -> load -> dedup -> aggregate, with an LLM
    step before aggregate in the llm and hybrid modes."""
    settings = load_settings()
    prefect_defaults()
    preflight(settings)
    from flows.task_runner import on_task_runner
    from flows.weekly_refresh import weekly_refresh

    refresh_flow = on_task_runner(weekly_refresh, settings, dask_address)
    run_refresh(lambda: refresh_flow(settings=settings, sources=sources, files=list(file or [])))


def preflight(settings: Settings) -> None:
    """Fail fast, in one line, before Prefect starts: an unreachable store (1), a refresh already running (4).
    The flow takes the lock itself: this only spares the start-up and the flow's traceback."""
    from pipeline.store.run_lock import RefreshLockedError, current_holder

    with store(settings) as engine:
        holder = current_holder(engine)
    if holder:
        locked(str(RefreshLockedError(holder.describe())))


def locked(message: str) -> NoReturn:
    err_console.print(f"[bold yellow]locked:[/] {message}", highlight=False)
    raise typer.Exit(code=EXIT_LOCKED)


def run_refresh(start: Callable[[], RunSummary]) -> None:
    """Run a refresh flow, print its summary and end with its exit code (see the module's docstring)."""
    from pipeline.store.run_lock import RefreshLockedError

    try:
        summary = start()
    except RefreshLockedError as exc:
        locked(str(exc))
    except ValueError as exc:  # an unknown source, an invalid registry entry
        raise fail(str(exc)) from None
    except Exception as exc:  # Prefect has logged the traceback; the store records the run as failed
        raise fail(f"the refresh failed: {type(exc).__name__}: {exc}") from None
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
    preflight(settings)
    from flows.task_runner import on_task_runner
    from flows.weekly_refresh import reprocess as reprocess_flow

    refresh_flow = on_task_runner(reprocess_flow, settings)  # JOBATLAS_DASK_ADDRESS, if set
    run_refresh(lambda: refresh_flow(settings=settings, source_ids=list(source or []) or None))
