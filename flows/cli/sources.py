"""``jobatlas sources``: the curated list of sources, and their health."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.common import EXIT_PARTIAL, console, fail, load_settings
from pipeline.sources.registry import (
    RegistryError,
    SourceEntry,
    SourceKind,
    add_entry,
    default_id,
    load_registry,
    select,
)

sources_app = typer.Typer(
    help="List, add and check the sources jobatlas follows (data/sources.yaml).", no_args_is_help=True
)


@sources_app.command("list")
def sources_list() -> None:
    """Show every source in the registry."""
    settings = load_settings()
    try:
        entries = load_registry(settings.sources_path)
    except RegistryError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"{len(entries)} sources in {settings.sources_path}")
    for column in ("id", "kind", "company", "board / url / path", "network", "enabled"):
        table.add_column(column, no_wrap=column == "id")
    for e in entries:
        where = e.board or e.url or e.path or ""
        table.add_row(
            e.id, e.kind, e.company or "", where, "live" if e.live else "offline", "yes" if e.enabled else "no"
        )
    console.print(table)


@sources_app.command("add")
def sources_add(
    kind: Annotated[SourceKind, typer.Argument(help="greenhouse, lever, ashby, smartrecruiters, career_page, ...")],
    target: Annotated[str, typer.Argument(help="Board token / site / company id, a career-page URL, or a path.")],
    company: Annotated[str | None, typer.Option(help="Company name shown for its postings.")] = None,
    source_id: Annotated[str | None, typer.Option("--id", help="Source id (default: <kind>:<board>).")] = None,
) -> None:
    """Add a source to the registry (comments and order of the file are kept)."""
    settings = load_settings()
    fields: dict[str, str] = {}
    if kind == "career_page" or kind == "remoteok":
        fields["url"] = target
    elif kind in ("jsonl_file", "local_files"):
        fields["path"] = target
    elif kind != "hn_whoishiring":
        fields["board"] = target
    try:
        entry = SourceEntry(
            id=source_id or default_id(kind, board=fields.get("board"), url=fields.get("url") or fields.get("path")),
            kind=kind,
            company=company,
            **fields,
        )
        add_entry(settings.sources_path, entry)
    except (RegistryError, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(f"added {entry.id} to {settings.sources_path}")


@sources_app.command("check")
def sources_check(
    sources: Annotated[str, typer.Argument(help="live, offline, all, or comma-separated ids.")] = "live",
    max_records: Annotated[int, typer.Option(help="Fetch at most this many pages per source.")] = 2,
) -> None:
    """Fetch the first page of each source and report whether it answers postings."""
    from pipeline.http import HttpClient, MemoryValidatorCache
    from pipeline.sources.adapters import build_adapter
    from pipeline.sources.health import check_source
    from pipeline.sources.selection import http_config

    settings = load_settings()
    try:
        entries = select(load_registry(settings.sources_path), sources)
    except RegistryError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"health of {len(entries)} sources")
    for column in ("id", "status", "postings", "rejects", "seconds", "reason"):
        numeric = column in ("postings", "rejects", "seconds")
        table.add_column(column, justify="right" if numeric else "left", no_wrap=column in ("id", "status"))
    unhealthy = 0
    with HttpClient(http_config(settings), validators=MemoryValidatorCache()) as http:
        for entry in entries:
            started = time.perf_counter()
            health = check_source(build_adapter(entry, data_dir=settings.data_dir, http=http), max_records)
            unhealthy += not health.ok
            table.add_row(
                entry.id,
                "[green]ok[/]" if health.ok else "[red]unhealthy[/]",
                str(health.postings),
                str(health.rejects),
                f"{time.perf_counter() - started:.1f}",
                health.reason or "",
            )
    console.print(table)
    if unhealthy:
        raise typer.Exit(code=EXIT_PARTIAL)
