"""Small SQL helpers shared by the loads: the table of a model, batching, and "did anything change"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

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
