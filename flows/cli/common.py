"""What every command shares: consoles, settings, one-line failures, the store."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import Engine

from pipeline.settings import Settings
from pipeline.store.database import StoreUnavailableError

# Piped output (logs, CI) is 80 columns by default: give tables room there; terminals keep their own width.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, soft_wrap=True)

ScratchDatabaseUrl = Annotated[  # the --database-url of the benchmarks that work in a scratch database
    str | None,
    typer.Option(
        "--database-url",
        help="PostgreSQL server to measure on (default: the configured store's). A scratch database "
        "jobatlas_bench_<random> is created there and dropped after; no existing database is touched.",
    ),
]

EXIT_PARTIAL = 3  # the command finished, but a source could not be read or is unhealthy

PREFECT_DEFAULTS = {
    # Offline machines: no telemetry, and room for the ephemeral API server to start under load.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def fail(message: str) -> typer.Exit:
    """Print one error line and return the exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=1)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise fail(f"invalid settings: {exc}") from None


def prefect_defaults() -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)


@contextmanager
def store(settings: Settings) -> Iterator[Engine]:
    """An engine on the configured store; an unreachable store ends the command with one line."""
    from pipeline.store.database import open_engine

    try:
        with open_engine(settings) as engine:
            yield engine
    except StoreUnavailableError as exc:
        raise fail(str(exc)) from None
