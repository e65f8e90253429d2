"""The ``jobatlas`` command line. Reads the settings once and passes them on."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from pipeline.settings import Settings
from pipeline.store.database import StoreUnavailableError

app = typer.Typer(
    help="jobatlas: a career and job-market atlas for AI-engineering jobs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Manage the store's schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

EXIT_PARTIAL = 3  # the run finished but a source could not be read
DASHBOARD_APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"

PREFECT_DEFAULTS = {
    # Offline machines: no telemetry, and room for the ephemeral API server to start under load.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=1)


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise _fail(f"invalid settings: {exc}") from None


@app.command()
def run(
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", "-f", help="Also ingest this postings JSONL file (repeatable)."),
    ] = None,
    sample: Annotated[bool, typer.Option(help="Ingest the bundled sample postings.")] = True,
) -> None:
    """Run the weekly_refresh flow now: ingest -> normalize -> extract -> load -> aggregate."""
    settings = _settings()
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    with _store(settings):  # fail fast, in one line, before Prefect starts
        pass
    from flows.weekly_refresh import weekly_refresh

    summary = weekly_refresh(settings=settings, files=list(file or []), include_sample=sample)
    table = Table(title=f"run {summary.run_id}: {summary.status}")
    for column in ("source", "fetched", "new", "updated", "unchanged", "rejected", "closed", "error"):
        table.add_column(column, justify="left" if column in ("source", "error") else "right")
    for s in summary.sources:
        table.add_row(
            s.source_id,
            *(str(v) for v in (s.fetched, s.new, s.updated, s.unchanged, s.rejected, s.closed)),
            s.error or "",
        )
    console.print(table)
    console.print(
        f"extracted {summary.extracted} postings, {summary.skills_found} skill mentions; "
        f"{summary.aggregate_rows_written} aggregate rows written"
    )
    console.print("time per step: " + ", ".join(f"{k} {v:.2f}s" for k, v in summary.step_seconds.items()))
    for reject in summary.rejects:
        err_console.print(f"[yellow]rejected[/] {reject}", highlight=False)
    if summary.status != "succeeded":
        raise typer.Exit(code=EXIT_PARTIAL)


@contextmanager
def _store(settings: Settings) -> Iterator[Engine]:
    """An engine on the configured store; an unreachable store ends the command with one line."""
    from pipeline.store.database import open_engine

    try:
        with open_engine(settings) as engine:
            yield engine
    except StoreUnavailableError as exc:
        raise _fail(str(exc)) from None


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from pipeline.store import migrate

    with _store(_settings()) as engine:
        migrate.upgrade(engine, revision)
        console.print(f"store schema at {migrate.current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")]) -> None:
    """Revert migrations down to REVISION."""
    from pipeline.store import migrate

    with _store(_settings()) as engine:
        migrate.downgrade(engine, revision)
        console.print(f"store schema at {migrate.current_revision(engine) or 'base (empty)'}")


@db_app.command("current")
def db_current() -> None:
    """Show the store's schema revision and whether it is the latest."""
    from pipeline.store import migrate

    with _store(_settings()) as engine:
        current, head = migrate.current_revision(engine), migrate.head_revision(engine)
    state = "up to date" if current == head else f"behind {head}: run `jobatlas db upgrade`"
    console.print(f"store schema at {current or 'base (empty)'} ({state})")


@app.command()
def dashboard(
    port: Annotated[int | None, typer.Option(help="Port (default: JOBATLAS_DASHBOARD_PORT or 8501).")] = None,
    address: Annotated[str | None, typer.Option(help="Listen address (default 127.0.0.1).")] = None,
) -> None:
    """Start the Streamlit dashboard over the store and keep it running (Ctrl+C stops it)."""
    settings = _settings()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(DASHBOARD_APP),
        "--server.headless",
        "true",
        "--server.port",
        str(port or settings.dashboard_port),
        "--server.address",
        address or settings.dashboard_address,
        "--browser.gatherUsageStats",
        "false",
    ]
    console.print(f"dashboard on http://{address or settings.dashboard_address}:{port or settings.dashboard_port}")
    try:
        raise typer.Exit(code=subprocess.call(command))
    except KeyboardInterrupt:
        raise typer.Exit(code=0) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()
