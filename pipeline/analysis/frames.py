"""Query results as Polars frames of a fixed schema: an empty result is an empty frame with the same columns, so a
page can test ``is_empty()`` and still name its columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session


def rows_frame(rows: Sequence[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    """``rows`` as a frame of ``schema`` (an empty frame of that schema when there are none).

    >>> rows_frame([], {"skill": pl.String}).columns
    ['skill']
    """
    return pl.DataFrame(list(rows), schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)


def query_frame(session: Session, stmt: sa.Select[Any], schema: dict[str, Any]) -> pl.DataFrame:
    """The rows of ``stmt`` as a frame of ``schema``."""
    return rows_frame([dict(row) for row in session.execute(stmt).mappings()], schema)
