import pytest
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
    "llm_answers",
    "llm_usage",
    "tag_provenance",
    "tag_disagreements",
    "posting_facts",
    "dedup_state",
    "posting_cube",
    "skill_cube",
    "skill_pair_cube",
    "cube_postings",
    "cube_dirty",
    "source_company_counts",
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


TAG_COLUMNS_0003 = {
    "education_min",
    "education_requirement",
    "publications_required",
    "publication_venues",
    "taxonomy_version",
}


def tag_columns(engine: sa.Engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("posting_tags")}


def test_0003_adds_the_tag_columns_to_a_store_with_rows_and_removes_them_again(engine: sa.Engine) -> None:
    migrate.upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        conn.execute(
            sa.text(
                "insert into postings (id, source_id, content_hash, title, description, first_seen_on, last_seen_on)"
                " values ('p', 's', 'h', 'Research Engineer', 'PhD required', '2026-11-02', '2026-11-02')"
            )
        )
        conn.execute(
            sa.text(
                "insert into posting_tags (posting_id, method, level, specializations, specialization_scores,"
                " confidence, evidence, extractor_version, content_hash)"
                " values ('p', 'rules', 'senior', '{}', '{}', '{}', '{}', 'rules-0.2.0+taxonomy-2026.11.1', 'h')"
            )
        )
    assert not TAG_COLUMNS_0003 & tag_columns(engine)
    migrate.upgrade(engine, "0003")
    assert migrate.current_revision(engine) == "0003"
    assert tag_columns(engine) >= TAG_COLUMNS_0003
    select = (
        "select level, education_min, education_requirement, publications_required, publication_venues,"
        " taxonomy_version, extractor_version from posting_tags"
    )
    with engine.connect() as conn:
        row = tuple(conn.execute(sa.text(select)).one())
    # the row is kept; its new columns are empty, the missing taxonomy version marking the tag stale
    assert row == ("senior", None, None, None, [], None, "rules-0.2.0+taxonomy-2026.11.1")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "update posting_tags set education_min = 'phd', education_requirement = 'required',"
                " publications_required = 'preferred', publication_venues = '{NeurIPS}', taxonomy_version = 't'"
            )
        )
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.text("update posting_tags set publications_required = 'sometimes'"))
    migrate.downgrade(engine, "0002")
    assert not TAG_COLUMNS_0003 & tag_columns(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select level from posting_tags")).scalar_one() == "senior"
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine) and tag_columns(engine) >= TAG_COLUMNS_0003
