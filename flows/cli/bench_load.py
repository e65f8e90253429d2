"""``jobatlas bench load``: the store's write path against a plain COPY of the same rows, on a scratch database."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import SecretStr
from rich.table import Table

from flows.cli.common import ScratchDatabaseUrl, console, fail, load_settings, store


def bench_load(
    postings: Annotated[int, typer.Option(min=1, help="How many synthetic postings to load.")] = 100_000,
    database_url: ScratchDatabaseUrl = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed generates the same postings.")] = 0,
) -> None:
    """Load synthetic postings (2-4 KB descriptions, a rule tag and ~10 skills each) through the refresh's load
    path and print rows/s and the ratio to a plain COPY of the same rows: into an empty store, again unchanged,
    and again with 10% changed; then peak memory."""
    from pipeline.bench.load import ScratchDatabaseError, run_load_bench, scratch_database
    from pipeline.bench.load_data import bench_market
    from pipeline.extraction.taxonomy import load_taxonomy

    settings = load_settings()
    if database_url is not None:
        settings = settings.model_copy(update={"database_url": SecretStr(database_url)})
    try:
        taxonomy = load_taxonomy(settings.taxonomy_dir / "skills.yaml")
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    console.print(f"generating {postings:,} postings (seed {seed}) ...")
    market = bench_market(postings, [s.name for s in taxonomy.skills], seed=seed, taxonomy_version=taxonomy.version)
    with store(settings) as engine:
        server_url = engine.url.render_as_string(hide_password=False)
        try:
            with scratch_database(server_url) as url:
                console.print(f"scratch database {url.rsplit('/', 1)[-1].split('?')[0]}")
                result = run_load_bench(url, market, taxonomy=taxonomy, progress=console.print)
        except ScratchDatabaseError as exc:
            raise fail(f"{exc}; the benchmark only runs on a database of its own") from None
    trigram = "with" if result.trigram_indexes else "without"
    table = Table(
        title=f"bench load: {postings:,} postings, {market.skills:,} skills, {result.description_mb:,.0f} MB of "
        f"descriptions ({trigram} trigram search indexes)"
    )
    for column in ("load", "rows given", "rows written", "seconds", "postings/s", "rows/s", "x COPY time"):
        table.add_column(column, justify="left" if column == "load" else "right")
    for timing in (result.copy, *result.loads):
        table.add_row(
            timing.name,
            f"{timing.rows:,}",
            f"{timing.written:,}",
            f"{timing.seconds:.1f}",
            f"{timing.postings_per_second:,.0f}",
            f"{timing.rows_per_second:,.0f}",
            f"{result.ratio(timing):.2f}",
        )
    console.print(table)
    console.print(f"peak memory: {result.peak_rss_mb:,.0f} MB (the generated postings included)")
