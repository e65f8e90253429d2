"""``jobatlas db``: the store's schema."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.common import console, load_settings, store

db_app = typer.Typer(help="Manage the store's schema (Alembic migrations).", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    from pipeline.store import migrate

    with store(load_settings()) as engine:
        migrate.upgrade(engine, revision)
        console.print(f"store schema at {migrate.current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")]) -> None:
    """Revert migrations down to REVISION."""
    from pipeline.store import migrate

    with store(load_settings()) as engine:
        migrate.downgrade(engine, revision)
        console.print(f"store schema at {migrate.current_revision(engine) or 'base (empty)'}")


@db_app.command("current")
def db_current() -> None:
    """Show the store's schema revision and whether it is the latest."""
    from pipeline.store import migrate

    with store(load_settings()) as engine:
        current, head = migrate.current_revision(engine), migrate.head_revision(engine)
    state = "up to date" if current == head else f"behind {head}: run `jobatlas db upgrade`"
    console.print(f"store schema at {current or 'base (empty)'} ({state})")
