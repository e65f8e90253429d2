"""Stream an export table from PostgreSQL into a Parquet or CSV file with Polars.

Rows travel in batches: a server-side cursor (``stream_results``) feeds ``polars.read_database(iter_batches=True)``,
each batch is cast to the table's fixed schema and handed to a Polars streaming sink through an IO source, so no
more than a batch or two is ever in memory and never as Python dicts. The file is written beside its target under
a hidden ``.partial`` name and renamed when complete: a failed export leaves no half-written file behind.

CSV has no lists: list columns (``specializations``) are joined with ``;`` there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import polars as pl
import sqlalchemy as sa
from polars.io.plugins import register_io_source
from sqlalchemy.engine import Engine

from pipeline.export.tables import ExportQuery, TableName, export_query

ExportFormat = Literal["parquet", "csv"]
FORMATS: tuple[ExportFormat, ...] = ("parquet", "csv")
CSV_LIST_SEPARATOR = ";"
DEFAULT_BATCH_ROWS = 10_000


class ExportError(RuntimeError):
    """The export could not be written; the message is one line naming the path."""


@dataclass(frozen=True)
class ExportResult:
    table: TableName
    format: ExportFormat
    path: Path
    rows: int


def default_file_name(table: TableName, fmt: ExportFormat, day: date) -> str:
    """``<table>-<day>.<format>``.

    >>> default_file_name("skills", "csv", date(2026, 3, 2))
    'skills-2026-03-02.csv'
    """
    return f"{table}-{day.isoformat()}.{fmt}"


def output_path(output: Path | None, *, output_dir: Path, table: TableName, fmt: ExportFormat, day: date) -> Path:
    """Where an export goes: ``output`` itself, a default name inside ``output`` when it is a directory, or
    ``<output_dir>/exports/<table>-<day>.<format>`` when no output is given."""
    name = default_file_name(table, fmt, day)
    if output is None:
        return output_dir / "exports" / name
    return output / name if output.is_dir() else output


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``schema``, in its order and dtypes (an all-null batch included)."""
    return frame.select(pl.col(name).cast(dtype) for name, dtype in schema.items())


def read_batches(engine: Engine, query: ExportQuery, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[pl.DataFrame]:
    """The rows of ``query`` as frames of at most ``batch_rows`` rows, read through a server-side cursor."""
    with engine.connect() as conn:
        streaming = conn.execution_options(stream_results=True, max_row_buffer=batch_rows)
        batches = pl.read_database(
            sa.text(query.sql),
            streaming,
            iter_batches=True,
            batch_size=batch_rows,
            schema_overrides=dict(query.schema),
            execute_options={"parameters": query.parameters} if query.parameters else None,
        )
        for batch in batches:
            yield conform(batch, query.schema)


def _claim(path: Path) -> Path:
    """Create the directory of ``path`` and the partial file beside it, or fail naming ``path``."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.touch()
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return partial


def _for_csv(frame: pl.LazyFrame, schema: pl.Schema) -> pl.LazyFrame:
    lists = [name for name, dtype in schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join(CSV_LIST_SEPARATOR) for name in lists)


def export_table(
    engine: Engine,
    table: TableName,
    fmt: ExportFormat,
    path: Path,
    *,
    since: date | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
) -> ExportResult:
    """Write ``table`` (see :mod:`pipeline.export.tables`) from the store on ``engine`` to ``path`` as ``fmt``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    query = export_query(table, since=since)
    partial = _claim(path)
    rows = 0

    def source(
        with_columns: list[str] | None, predicate: pl.Expr | None, n_rows: int | None, _batch_size: int | None
    ) -> Iterator[pl.DataFrame]:
        nonlocal rows
        for batch in read_batches(engine, query, batch_rows=batch_rows):
            frame = batch if predicate is None else batch.filter(predicate)
            if n_rows is not None:
                frame = frame.head(n_rows - rows)
            rows += frame.height
            yield frame if with_columns is None else frame.select(with_columns)
            if n_rows is not None and rows >= n_rows:
                return

    frame = register_io_source(source, schema=query.schema)
    try:
        if fmt == "csv":
            _for_csv(frame, query.schema).sink_csv(partial)
        else:
            frame.sink_parquet(partial)
        os.replace(partial, path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return ExportResult(table=table, format=fmt, path=path, rows=rows)
