"""The ``jobatlas`` command line. Each command reads the settings once and passes them on."""

from __future__ import annotations

import typer

from flows.cli.audit import audit
from flows.cli.bench import bench_app
from flows.cli.dashboard import dashboard
from flows.cli.db import db_app
from flows.cli.evaluate import evaluate
from flows.cli.export import export
from flows.cli.extract import extract
from flows.cli.gap import gap
from flows.cli.llm import llm_app
from flows.cli.reextract import reextract
from flows.cli.refresh import ingest, reprocess, run
from flows.cli.schedule import schedule
from flows.cli.sources import sources_app
from flows.cli.status import status
from flows.cli.taxonomy import taxonomy_app

app = typer.Typer(
    help="jobatlas: a career and job-market atlas for AI-engineering jobs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command()(run)
app.command()(ingest)
app.command()(reprocess)
app.command()(schedule)
app.command()(status)
app.command()(reextract)
app.command()(dashboard)
app.command()(extract)
app.command("eval")(evaluate)
app.command()(export)
app.command()(audit)
app.command()(gap)
app.add_typer(db_app, name="db")
app.add_typer(sources_app, name="sources")
app.add_typer(bench_app, name="bench")
app.add_typer(llm_app, name="llm")
app.add_typer(taxonomy_app, name="taxonomy")


def main() -> None:
    app()
