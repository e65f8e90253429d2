"""One refresh at a time: a PostgreSQL advisory lock held by a dedicated session for the whole run.

``pg_try_advisory_lock`` never waits: a second refresh started while one runs fails at once with
:class:`RefreshLockedError` naming the run holding the lock. The lock belongs to the holder's session, so
PostgreSQL releases it when that session ends: at the end of the run, or when its process dies (a crash, a
kill, a lost connection). The holder labels its session (``application_name``) with the run it is, which is
how the refused run can name it. Advisory locks are per database: refreshes of different stores never block
each other.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from pipeline.store.database import create_store_engine

# pg_advisory_lock(key1, key2): key1 names jobatlas's locks, key2 the refresh lock.
LOCK_NAMESPACE = 0x6A6F62  # "job"
REFRESH_LOCK = 1
APP_NAME_PREFIX = "jobatlas "
ABANDONED = "the run ended without finishing (its process died or lost the database)"


class RefreshLockedError(RuntimeError):
    """Another refresh holds the lock; ``holder`` describes it in one line."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        super().__init__(f"another refresh is running ({holder}); try again when it has finished")


@dataclass(frozen=True)
class LockHolder:
    pid: int
    label: str
    since: datetime | None

    def describe(self) -> str:
        since = f", since {self.since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if self.since else ""
        return f"{self.label or 'an unlabelled session'}{since}, PostgreSQL pid {self.pid}"


class RefreshLock:
    """The held lock: :meth:`label` says which run holds it (shown to a refused run and by ``holder``)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def label(self, text: str) -> None:
        # application_name keeps 63 bytes; a label names the run in far fewer
        self._conn.execute(sa.text("select set_config('application_name', :name, false)"), {"name": label_of(text)})


def label_of(text: str) -> str:
    return (APP_NAME_PREFIX + text)[:63]


@contextlib.contextmanager
def refresh_lock(engine: Engine, *, label: str) -> Iterator[RefreshLock]:
    """Hold the refresh lock for the ``with`` block, or raise :class:`RefreshLockedError` at once.

    The lock lives on a connection of its own (not pooled, closed on exit), so it is released however the
    block ends, and a connection the store's pool reuses never carries it.
    """
    lock_engine = create_store_engine(engine.url.render_as_string(hide_password=False), poolclass=NullPool)
    try:
        with lock_engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("select set_config('application_name', :name, false)"), {"name": label_of(label)})
            if not conn.execute(
                sa.text("select pg_try_advisory_lock(:ns, :key)"), {"ns": LOCK_NAMESPACE, "key": REFRESH_LOCK}
            ).scalar_one():
                found = holder(conn)
                raise RefreshLockedError(found.describe() if found else "it finished a moment ago")
            try:
                yield RefreshLock(conn)
            finally:
                with contextlib.suppress(sa.exc.DBAPIError):  # a lost connection has released it already
                    conn.execute(
                        sa.text("select pg_advisory_unlock(:ns, :key)"), {"ns": LOCK_NAMESPACE, "key": REFRESH_LOCK}
                    )
    finally:
        lock_engine.dispose()


def holder(conn: Connection) -> LockHolder | None:
    """Who holds the refresh lock of this database, if anyone."""
    row = conn.execute(
        sa.text("""
        select a.pid, coalesce(a.application_name, '') as app, a.backend_start
        from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.objsubid = 2
          and l.database = (select oid from pg_database where datname = current_database())
          and l.classid = cast(:ns as oid) and l.objid = cast(:key as oid)
        """),
        {"ns": LOCK_NAMESPACE, "key": REFRESH_LOCK},
    ).first()
    if row is None:
        return None
    label = row.app.removeprefix(APP_NAME_PREFIX) if row.app.startswith(APP_NAME_PREFIX) else row.app
    return LockHolder(pid=row.pid, label=label, since=row.backend_start)


def current_holder(engine: Engine) -> LockHolder | None:
    with engine.connect() as conn:
        return holder(conn)


def close_abandoned_runs(*, session: Session) -> int:
    """Mark runs still ``running`` as failed: called by the lock's holder, so none of them is really running."""
    result = session.execute(
        sa.text("""
        update ingest_runs set status = 'failed', finished_at = now(),
               errors = errors || jsonb_build_object('run', cast(:reason as text))
        where status = 'running'
        """),
        {"reason": ABANDONED},
    )
    return cast(CursorResult[Any], result).rowcount
