"""``jobatlas bench load`` on a few hundred postings: the figures are printed (never asserted), the rows written
are what the load path should write, and the scratch database is gone afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from pg_server import TestPostgres
from typer.testing import CliRunner

from flows.cli import app
from pipeline.bench.load import ScratchDatabaseError, run_load_bench, scratch_database
from pipeline.bench.load_data import bench_market
from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine


def bench_databases(url: str) -> list[str]:
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            query = "select datname from pg_database where datname like 'jobatlas_bench_%'"
            return list(conn.execute(sa.text(query)).scalars())
    finally:
        engine.dispose()


def test_the_market_is_deterministic_and_realistic() -> None:
    first = bench_market(20, ["Python", "SQL", "PyTorch", "RAG", "Kubernetes", "Go", "dbt", "Spark", "Airflow"], seed=3)
    again = bench_market(20, ["Python", "SQL", "PyTorch", "RAG", "Kubernetes", "Go", "dbt", "Spark", "Airflow"], seed=3)
    assert first == again
    assert all(2_000 <= len(p.description) <= 4_200 for p in first.postings)
    assert len({p.description for p in first.postings}) == 20
    assert all(8 <= len(e.skills) <= 9 for e in first.extractions)  # 8-12 asked, 9 names offered


def test_load_bench_writes_what_the_load_path_should_and_drops_its_database(postgres: TestPostgres) -> None:
    taxonomy = load_taxonomy(Settings(_env_file=None).taxonomy_dir / "skills.yaml")
    market = bench_market(200, [s.name for s in taxonomy.skills], taxonomy_version=taxonomy.version)
    steps: list[str] = []
    with scratch_database(postgres.url) as url:
        assert bench_databases(postgres.url) == [url.rsplit("/", 1)[1]]
        result = run_load_bench(url, market, taxonomy=taxonomy, progress=steps.append)
    assert bench_databases(postgres.url) == []
    given = 200 + 200 + market.skills
    assert (result.copy.rows, result.copy.written) == (given, given)
    first, unchanged, changed = result.loads
    assert first.written == given
    assert unchanged.written == 0  # nothing new, nothing changed, nothing stale
    edited = [e for i, e in enumerate(market.extractions) if i % 10 == 0]
    assert changed.written == 20 + 20 + sum(len(e.skills) for e in edited)
    assert len(steps) == 5 and result.peak_rss_mb > 0


def test_cli_prints_the_figures(postgres: TestPostgres, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("JOBATLAS_GENERATED_DIR", str(tmp_path / "generated"))
    result = CliRunner().invoke(app, ["bench", "load", "--postings", "150", "--database-url", postgres.url])
    assert result.exit_code == 0, result.output
    for expected in ("bench load: 150 postings", "plain COPY", "(d) again with 10% changed", "x COPY", "peak memory"):
        assert expected in result.output
    assert bench_databases(postgres.url) == []


def test_a_server_refusing_the_scratch_database_is_one_clear_error(postgres: TestPostgres) -> None:
    engine = create_store_engine(postgres.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("create role bench_nocreate login"))
    finally:
        engine.dispose()
    limited = postgres.url.replace("postgres@", "bench_nocreate@", 1)
    refused = pytest.raises(ScratchDatabaseError, match="cannot create the scratch database jobatlas_bench_")
    with refused, scratch_database(limited):
        pass
