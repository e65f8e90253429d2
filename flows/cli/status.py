"""``jobatlas status``: the last refresh runs, the sources failing lately, and the run holding the lock."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from flows.cli.common import console, load_settings, store


def status(
    runs: Annotated[int, typer.Option(min=1, help="How many of the latest runs to show.")] = 10,
    fetches: Annotated[
        int, typer.Option(min=1, help="A source is failing when one of its last this many fetches failed.")
    ] = 3,
) -> None:
    """Show the last refresh runs (status, start, duration, counts, errors), the sources that failed in their
    last fetches, and the refresh running now, if any."""
    from pipeline.analysis.fetch_failures import failing_sources
    from pipeline.analysis.operations import runs as latest_runs
    from pipeline.store import migrate
    from pipeline.store.run_lock import current_holder

    settings = load_settings()
    with store(settings) as engine:
        holder = current_holder(engine)
        if migrate.current_revision(engine) is None:
            console.print("no runs yet: the store is empty (`jobatlas run` creates it)")
            return
        with Session(engine) as session:
            frame = latest_runs(session=session, limit=runs)
            failing = failing_sources(session=session, last=fetches)
    if holder:
        console.print(f"running now: {holder.describe()}", highlight=False)
    table = Table(title="runs, newest first")
    for column in ("run", "status", "started (UTC)", "seconds", "new", "updated", "unchanged", "rejected"):
        table.add_column(column, justify="left" if column in ("status", "started (UTC)") else "right", no_wrap=True)
    table.add_column("errors", overflow="fold")
    for row in frame.iter_rows(named=True):
        numbers = (row["new"], row["updated"], row["unchanged"], row["rejected"])
        seconds = f"{row['seconds']:.1f}" if row["seconds"] is not None else "-"
        started = f"{row['started_at']:%Y-%m-%d %H:%M:%S}"
        cells = (str(row["run"]), row["status"], started, seconds, *("-" if n is None else str(n) for n in numbers))
        table.add_row(*cells, row["errors"] or "")
    console.print(table if frame.height else "no runs yet")
    if not failing:
        console.print(f"no source failed in its last {fetches} fetches")
        return
    sources = Table(title=f"sources failing in their last {fetches} fetches")
    for column in ("source", "failures", "last status", "last fetch (UTC)", "last error"):
        sources.add_column(column, overflow="fold", no_wrap=column == "source")
    for s in failing:
        last = f"{s.last_fetch:%Y-%m-%d %H:%M:%S}"
        sources.add_row(s.source, f"{s.failures}/{s.fetches}", s.last_status, last, s.last_error or "")
    console.print(sources)
