"""``jobatlas export``: postings, skills or the weekly aggregates as a Parquet or CSV file."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import console, fail, load_settings, store


class ExportFormatOption(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"


class ExportTableOption(StrEnum):
    POSTINGS = "postings"
    SKILLS = "skills"
    WEEKLY = "weekly"


def export(
    table: Annotated[
        ExportTableOption,
        typer.Option(
            "--table",
            "-t",
            help="postings: one row per unique posting with its effective labels (duplicates left out, counted in "
            "`duplicates`); skills: posting x skill; weekly: the weekly aggregates in one long table.",
        ),
    ] = ExportTableOption.POSTINGS,
    fmt: Annotated[ExportFormatOption, typer.Option("--format", "-f", help="File format.")] = (
        ExportFormatOption.PARQUET
    ),
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (or a directory for the default name). Default: "
            "<generated dir>/exports/<table>-<today>.<format>.",
        ),
    ] = None,
    since: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            metavar="DAY",
            help="Only postings posted (else first seen) on or after DAY; for weekly, the weeks from DAY's on.",
        ),
    ] = None,
) -> None:
    """Export a table of the store to Parquet or CSV with Polars, streaming it in batches."""
    from pipeline.export import ExportError, export_table, output_path
    from pipeline.store import migrate

    settings = load_settings()
    today = datetime.now(UTC).date()
    path = output_path(output, output_dir=settings.output_dir, table=table.value, fmt=fmt.value, day=today)
    with store(settings) as engine:
        if migrate.current_revision(engine) is None:
            raise fail("the store has no schema yet: run `jobatlas run` or `jobatlas db upgrade` first")
        try:
            result = export_table(
                engine, table.value, fmt.value, path, since=since.date() if since is not None else None
            )
        except ExportError as exc:
            raise fail(str(exc)) from None
    console.print(f"wrote {result.rows} rows of {result.table} to {result.path}", highlight=False, soft_wrap=True)
