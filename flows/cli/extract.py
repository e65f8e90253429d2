"""``jobatlas extract``: tag a postings JSONL file into a tags JSONL file, without the store or Prefect."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from flows.cli.common import EXIT_PARTIAL, console, err_console, fail, load_settings

PROGRESS_FROM_LINES = 200  # shorter inputs finish before a progress bar would be worth drawing


def extract(
    input_path: Annotated[
        Path, typer.Option("--input", "-i", help="Postings JSONL (id, title, description_text or description_html).")
    ],
    output_path: Annotated[Path, typer.Option("--output", "-o", help="Tags JSONL to write, one line per input line.")],
    workers: Annotated[int, typer.Option(min=1, help="Processes to extract with (1: in this process).")] = 1,
    strict: Annotated[bool, typer.Option(help="Exit with code 3 when any line could not be tagged.")] = False,
) -> None:
    """Tag each posting of a JSONL file: skills, level, track, role family, specializations, years, education,
    publications, salary and remote policy, with evidence. Bad lines become error lines and the run goes on."""
    from pipeline.extraction.batch import count_lines, extract_file

    if not input_path.is_file():
        raise fail(f"input file {input_path} not found")
    settings = load_settings()
    total = count_lines(input_path)
    try:
        if total >= PROGRESS_FROM_LINES:
            with Progress(
                TextColumn("extracting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err_console,
                transient=True,
                auto_refresh=False,  # no refresh thread: worker processes are forked from this one
            ) as bar:
                task = bar.add_task("extract", total=total)
                summary = extract_file(
                    input_path,
                    output_path,
                    taxonomy_dir=settings.taxonomy_dir,
                    workers=workers,
                    progress=lambda done, _total: bar.update(task, completed=done, refresh=True),
                )
        else:
            summary = extract_file(input_path, output_path, taxonomy_dir=settings.taxonomy_dir, workers=workers)
    except (OSError, ValueError) as exc:  # unreadable input, unwritable output, a broken taxonomy
        raise fail(str(exc)) from None
    except BrokenProcessPool as exc:
        raise fail(f"a worker process died: {exc}") from None
    for error in summary.first_errors:
        err_console.print(f"[yellow]{error}[/]", highlight=False)
    if summary.errors > len(summary.first_errors):
        err_console.print(f"... and {summary.errors - len(summary.first_errors)} more error lines in {output_path}")
    console.print(f"{summary.describe()} -> {output_path}", highlight=False)
    if strict and summary.errors:
        raise typer.Exit(code=EXIT_PARTIAL)
