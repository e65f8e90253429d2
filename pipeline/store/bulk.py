"""The write path of large batches: COPY, and COPY into a temporary staging table followed by one merge.

A batch of thousands of rows costs one COPY and one set-based ``INSERT ... SELECT ... ON CONFLICT DO UPDATE``
instead of a statement per thousand rows: the client sends the rows as one stream and the server plans and runs
the merge (and the statement triggers of the target) once. Both run on the session's own connection, inside its
transaction: a rollback takes the rows back and the staging table is dropped at commit.

The merge has the semantics of the row-by-row upserts in :mod:`pipeline.store.loads`: a row whose key is new is
inserted; an existing row is updated only when one of the ``changed`` columns differs (so an unchanged row is not
rewritten: same ``xmin``, same ``updated_at``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql
from psycopg.types.json import Jsonb
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

COPY_MIN_ROWS = 1_000  # below this the batched INSERT ... VALUES path is as fast (no staging table to create)


def driver_connection(session: Session) -> psycopg.Connection[Any]:
    """The psycopg connection under the session, in the session's transaction (begun if none is)."""
    conn = session.connection().connection.driver_connection
    if not isinstance(conn, psycopg.Connection):
        raise TypeError(f"bulk loads need the psycopg driver, got {type(conn).__name__}")
    return conn


def _adapters(table: sa.Table, columns: Sequence[str]) -> list[bool]:
    """Per column: whether values go to a JSONB column (wrapped, and None stored as JSON null like SQLAlchemy)."""
    return [isinstance(table.c[name].type, JSONB) for name in columns]


def copy_rows(
    conn: psycopg.Connection[Any],
    target: str,
    table: sa.Table,
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
) -> int:
    """COPY the ``columns`` of ``rows`` (dicts keyed by the columns of ``table``) into ``target`` (``table`` or a
    staging copy of it); returns the rows sent. A missing key is NULL."""
    is_json = _adapters(table, columns)
    statement = sql.SQL("copy {} ({}) from stdin").format(
        sql.Identifier(target), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    sent = 0
    with conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(
                [Jsonb(row.get(name)) if json else row.get(name) for name, json in zip(columns, is_json, strict=True)]
            )
            sent += 1
    return sent


def copy_into(session: Session, table: sa.Table, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """COPY rows straight into ``table`` (for rows that cannot conflict, e.g. after deleting their keys)."""
    return copy_rows(driver_connection(session), table.name, table, columns, rows)


def merge_rows(
    session: Session,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
    changed: Sequence[str],
    touch: Sequence[str] = (),
) -> int:
    """Upsert ``rows`` into ``table`` through a staging table: insert the new keys, and for existing keys set the
    ``update`` columns (and ``touch`` columns to ``now()``) where one of the ``changed`` columns differs.

    Every row must carry the same keys (the columns written on insert). Returns the rows inserted or updated.
    """
    if not rows:
        return 0
    columns = list(rows[0])
    conn = driver_connection(session)
    stage = f"stage_{table.name}"
    target = sql.Identifier(table.name)
    staged = sql.Identifier(stage)
    with conn.cursor() as cursor:
        cursor.execute(sql.SQL("drop table if exists pg_temp.{}").format(staged))
        cursor.execute(
            sql.SQL("create temp table {} (like {} including defaults) on commit drop").format(staged, target)
        )
    copy_rows(conn, stage, table, columns, rows)
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    assignments = [sql.SQL("{0} = excluded.{0}").format(sql.Identifier(name)) for name in update]
    assignments += [sql.SQL("{} = now()").format(sql.Identifier(name)) for name in touch]
    differs = sql.SQL(" or ").join(
        sql.SQL("{0}.{1} is distinct from excluded.{1}").format(target, sql.Identifier(name)) for name in changed
    )
    merge = sql.SQL(
        "insert into {target} ({names}) select {names} from {staged} "
        "on conflict ({keys}) do update set {assignments} where {differs}"
    ).format(
        target=target,
        names=names,
        staged=staged,
        keys=sql.SQL(", ").join(map(sql.Identifier, keys)),
        assignments=sql.SQL(", ").join(assignments),
        differs=differs,
    )
    with conn.cursor() as cursor:
        cursor.execute(merge)
        written = cursor.rowcount
        cursor.execute(sql.SQL("drop table {}").format(staged))
    return max(written, 0)
