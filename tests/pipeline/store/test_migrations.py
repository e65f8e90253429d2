import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from pipeline.store import migrate
from pipeline.store.models import Base

TABLES = {
    "sources",
    "ingest_runs",
    "raw_postings",
    "quarantine",
    "postings",
    "skills",
    "posting_skills",
    "source_fetches",
    "http_validators",
    "posting_tags",
    "weekly_segment_counts",
    "weekly_specialization_counts",
    "weekly_skill_counts",
}


def table_names(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_every_table_and_downgrade_removes_them(engine: sa.Engine) -> None:
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
    assert table_names(engine) == TABLES
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert table_names(engine) == set()
    migrate.upgrade(engine)  # and back up again: downgrade left nothing behind that blocks it
    assert table_names(engine) == TABLES


def test_migrations_match_the_models(migrated_engine: sa.Engine) -> None:
    with migrated_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
