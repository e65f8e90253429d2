"""``jobatlas audit``: check a job description against the ladder, good practice and the market in the store."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from flows.cli.common import console, err_console, fail, load_settings

if TYPE_CHECKING:
    from pipeline.audit import AuditInput, AuditReport
    from pipeline.settings import Settings

EXIT_FINDINGS = 2  # a finding at or above --fail-on
TEXT_WIDTH = 100  # columns of the plain-text report (piped or written to a file)


class ReportFormat(StrEnum):
    TEXT = "text"
    MD = "md"
    HTML = "html"
    JSON = "json"


class FailOn(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


def _read_input(source: str, title: str | None, settings: Settings) -> AuditInput:
    from pipeline.audit import read_file, read_text, read_url
    from pipeline.audit.inputs import is_url

    if source == "-":
        try:
            text = typer.get_text_stream("stdin").read()
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"cannot read standard input: {exc}") from None
        return read_text(text, source="standard input", title=title)
    if is_url(source):
        from pipeline.http import HttpClient
        from pipeline.sources.selection import http_config

        with HttpClient(http_config(settings)) as client:
            return read_url(source, client=client, title=title)
    return read_file(Path(source), title=title)


def _audit(read: AuditInput, settings: Settings, *, market: bool, since: date | None, as_of: date) -> AuditReport:
    from sqlalchemy.orm import Session

    from pipeline.audit import load_wordlists, run_audit
    from pipeline.extraction.extractor import build_extractor
    from pipeline.store.database import StoreUnavailableError, open_engine

    try:
        extractor = build_extractor(settings.taxonomy_dir)
        wordlists = load_wordlists(settings.data_dir / "audit")
    except (OSError, ValueError) as exc:  # a taxonomy or word list that is invalid or cannot be read
        raise fail(str(exc)) from None

    def audit(session: Session | None, skip_reason: str | None = None) -> AuditReport:
        return run_audit(
            read.posting,
            extractor=extractor,
            wordlists=wordlists,
            session=session,
            as_of=as_of,
            source=read.source,
            since=since,
            skip_reason=skip_reason,
            notes=read.notes,
        )

    if not market:
        return audit(None, "--no-market was given")
    try:
        with open_engine(settings) as engine, Session(engine) as session:
            return audit(session)
    except StoreUnavailableError as exc:
        unreachable = str(exc)
    err_console.print(f"[yellow]warning:[/] market comparison skipped: {unreachable}", highlight=False)
    return audit(None, f"the store cannot be reached ({unreachable})")


def audit(
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE|URL|-",
            help="A job description: a .txt, .md or .html file, an http(s) URL, or - to read standard input.",
            show_default=False,
        ),
    ],
    title: Annotated[
        str | None,
        typer.Option(
            help="The job title. Default: a text input's first line (the rest is the description), or the page's "
            "title. Given, a text input's whole text is the description."
        ),
    ] = None,
    report_format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of the terminal.")
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Exit with code 2 when a finding of this severity or higher exists (for CI checks)."),
    ] = None,
    market: Annotated[
        bool,
        typer.Option(
            "--market/--no-market", help="Compare with the postings in the store, or run only the other checks."
        ),
    ] = True,
    days: Annotated[
        int | None,
        typer.Option(min=1, help="Compare with postings posted (or first seen) in the past N days. Default: all."),
    ] = None,
) -> None:
    """Audit a job description: level vs years, research roles in disguise, role-family mismatch, requirement
    overload, impossible tool years, missing salary / location / remote policy / level, exclusionary wording, and
    the skills the market asks. Every finding has a severity, the evidence from the description and the market
    figures behind it. Exit codes: 0 done; 1 the input or the output could not be read or written; 2 a finding
    at or above --fail-on."""
    from pipeline.audit import AuditInputError, Severity, UnreadableDescriptionError
    from pipeline.audit.render import render
    from pipeline.audit.render.text import renderables

    settings = load_settings()
    try:
        read = _read_input(source, title, settings)
    except AuditInputError as exc:
        raise fail(str(exc)) from None
    as_of = date.today()
    since = as_of - timedelta(days=days) if days else None
    try:
        report = _audit(read, settings, market=market, since=since, as_of=as_of)
    except UnreadableDescriptionError as exc:
        raise fail(f"{read.source}: {exc}") from None
    if output is not None:
        try:
            output.write_text(render(report, report_format.value, width=TEXT_WIDTH), encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
        console.print(f"{report.summary()} -> {output}", highlight=False)
    elif report_format is ReportFormat.TEXT and console.is_terminal:
        terminal = Console(soft_wrap=False, highlight=False)  # wrapped to the terminal, findings indented
        for part in renderables(report):
            terminal.print(part)
    else:  # piped text is plain, wrapped at TEXT_WIDTH columns
        typer.echo(render(report, report_format.value, width=TEXT_WIDTH), nl=False)
    if fail_on is not None and report.fails(Severity(fail_on.value)):
        raise typer.Exit(code=EXIT_FINDINGS)
