"""Small SQL helpers shared by the loads: the table of a model, batching, "did anything change", and the upsert
that writes only what changed (COPY and a merge for large batches, batched INSERT ... VALUES for small ones)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from pipeline.store import bulk
from pipeline.store.models import Base

BATCH_ROWS = 1_000


def table_of(model: type[Base]) -> sa.Table:
    table = model.__table__
    assert isinstance(table, sa.Table)
    return table


def batches(rows: Sequence[dict[str, Any]], size: int = BATCH_ROWS) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def changed(table: sa.Table, columns: Iterable[str]) -> sa.ColumnElement[bool]:
    """SQL: any of ``columns`` differs between the stored row and the proposed one (``excluded``)."""
    excluded = insert(table).excluded
    return sa.or_(*(table.c[name].is_distinct_from(excluded[name]) for name in columns))


def upsert(
    session: Session,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    keys: Sequence[str],
    update: Sequence[str],
    changed_columns: Sequence[str],
    touch: Sequence[str] = (),
) -> None:
    """Insert ``rows`` (dicts with the same keys), or for an existing key set the ``update`` columns (and the
    ``touch`` columns to ``now()``) when one of ``changed_columns`` differs; an unchanged row is not written.

    From :data:`bulk.COPY_MIN_ROWS` rows on, the rows go through COPY into a staging table and one merge."""
    if len(rows) >= bulk.COPY_MIN_ROWS:
        bulk.merge_rows(session, table, rows, keys=keys, update=update, changed=changed_columns, touch=touch)
        return
    for batch in batches([dict(row) for row in rows]):
        stmt = insert(table)
        set_: dict[str, Any] = {name: stmt.excluded[name] for name in update}
        set_.update({name: sa.func.now() for name in touch})
        session.execute(
            stmt.on_conflict_do_update(index_elements=list(keys), set_=set_, where=changed(table, changed_columns)),
            batch,
        )
