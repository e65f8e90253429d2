"""Shared fixtures: a real PostgreSQL server started by the suite, fresh databases, the Prefect harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

from pg_server import TestPostgres, create_database

from pipeline.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def postgres() -> Iterator[TestPostgres]:
    server = TestPostgres.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def database_url(postgres: TestPostgres) -> str:
    """URL of a new, empty database on the suite's server."""
    return create_database(postgres.url)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    from pipeline.store.database import create_store_engine

    eng = create_store_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def migrated_engine(engine: sa.Engine) -> sa.Engine:
    from pipeline.store import migrate

    migrate.upgrade(engine)
    return engine


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings on a fresh database of the test server, generated data under tmp_path."""
    return Settings(database_url=database_url, generated_dir=tmp_path / "generated", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """A temporary Prefect API for flow tests (about 10 s, once per session)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def populated_url(postgres: TestPostgres, prefect_harness: None, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database filled once by the weekly_refresh flow on the bundled sample (treat as read-only)."""
    from flows.weekly_refresh import weekly_refresh

    url = create_database(postgres.url)
    settings = Settings(database_url=url, generated_dir=tmp_path_factory.mktemp("gen"), _env_file=None)  # type: ignore[call-arg]
    summary = weekly_refresh(settings=settings)
    assert summary.status == "succeeded", summary
    return url


@pytest.fixture
def shared_dir() -> Path:
    """../shared (read-only corpus and gold labels); tests using it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent")
    return SHARED
