"""``pipeline.export``: the store's tables streamed to Parquet and CSV, checked against the store they came from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import sqlalchemy as sa

from pipeline.export import (
    CSV_LIST_SEPARATOR,
    FORMATS,
    TABLES,
    ExportError,
    ExportFormat,
    TableName,
    export_query,
    export_table,
    output_path,
)
from pipeline.store.database import create_store_engine

UNIQUE = "from postings p where p.duplicate_of is null"
DAY = "coalesce(p.posted_on, p.first_seen_on)"


@pytest.fixture(scope="module")
def populated_engine(populated_url: str) -> Iterator[sa.Engine]:
    engine = create_store_engine(populated_url)
    yield engine
    engine.dispose()


def scalar(engine: sa.Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def read(path: Path, fmt: ExportFormat, table: TableName) -> pl.DataFrame:
    """An exported file read back with the export's schema (lists as joined strings in CSV)."""
    if fmt == "parquet":
        return pl.read_parquet(path)
    schema = export_query(table).schema
    as_text = {name: pl.String if isinstance(dtype, pl.List) else dtype for name, dtype in schema.items()}
    return pl.read_csv(path, schema=as_text)


def test_postings_hold_every_unique_posting_once_with_the_exact_schema(
    populated_engine: sa.Engine, tmp_path: Path
) -> None:
    result = export_table(populated_engine, "postings", "parquet", tmp_path / "p.parquet")
    frame = pl.read_parquet(result.path)
    unique = scalar(populated_engine, f"select count(*) {UNIQUE}")
    assert result.rows == frame.height == unique > 0
    # counted independently: the weekly segments count each unique posting once
    assert frame.height == scalar(populated_engine, "select sum(postings) from weekly_segment_counts")
    assert frame.schema == export_query("postings").schema
    assert frame["posting_id"].is_unique().all()
    duplicates = scalar(populated_engine, "select count(*) from postings where duplicate_of is not null")
    assert frame["duplicates"].sum() == duplicates
    levels = dict(
        frame.group_by("level").len().iter_rows()  # same labels as the weekly aggregates
    )
    with populated_engine.connect() as conn:
        weekly = conn.execute(sa.text("select level, sum(postings) from weekly_segment_counts group by level"))
        assert levels == {level: int(n) for level, n in weekly}
    assert not list(tmp_path.glob(".*.partial"))


def test_skills_and_weekly_match_the_store_row_for_row(populated_engine: sa.Engine, tmp_path: Path) -> None:
    skills = export_table(populated_engine, "skills", "parquet", tmp_path / "s.parquet")
    frame = pl.read_parquet(skills.path)
    expected = scalar(
        populated_engine,
        "select count(*) from posting_skills k join postings p on p.id = k.posting_id where p.duplicate_of is null",
    )
    assert skills.rows == frame.height == expected > 0
    assert frame.schema == export_query("skills").schema
    assert set(frame["source"]) <= {"rules", "llm"} and set(frame["requirement"]) <= {"required", "preferred"}
    assert frame["category"].null_count() == 0 and frame["skill"].null_count() == 0
    assert frame.select("posting_id", "skill_id").is_unique().all()

    weekly = pl.read_parquet(export_table(populated_engine, "weekly", "parquet", tmp_path / "w.parquet").path)
    assert weekly.schema == export_query("weekly").schema
    per_aggregate = dict(weekly.group_by("aggregate").len().iter_rows())
    assert per_aggregate == {
        "segment": scalar(populated_engine, "select count(*) from weekly_segment_counts"),
        "specialization": scalar(populated_engine, "select count(*) from weekly_specialization_counts"),
        "skill": scalar(populated_engine, "select count(*) from weekly_skill_counts"),
    }
    # the weekly skill counts add up to the exported posting x skill rows
    assert weekly.filter(aggregate="skill")["postings"].sum() == frame.height
    assert weekly.filter(aggregate="segment")["skill"].null_count() == per_aggregate["segment"]


@pytest.mark.parametrize("table", TABLES)
def test_csv_round_trips_to_the_parquet_rows(populated_engine: sa.Engine, tmp_path: Path, table: TableName) -> None:
    parquet = export_table(populated_engine, table, "parquet", tmp_path / f"{table}.parquet")
    csv = export_table(populated_engine, table, "csv", tmp_path / f"{table}.csv")
    assert csv.rows == parquet.rows > 0
    lists = [name for name, dtype in export_query(table).schema.items() if isinstance(dtype, pl.List)]
    from_parquet = read(parquet.path, "parquet", table).with_columns(
        pl.col(name).list.join(CSV_LIST_SEPARATOR) for name in lists
    )
    assert read(csv.path, "csv", table).equals(from_parquet)


def test_since_keeps_the_postings_from_that_day_and_the_weeks_from_its_week(
    populated_engine: sa.Engine, tmp_path: Path
) -> None:
    days = pl.read_parquet(export_table(populated_engine, "postings", "parquet", tmp_path / "all.parquet").path)["day"]
    since = days.sort()[days.len() // 2]
    assert isinstance(since, date)
    postings = pl.read_parquet(
        export_table(populated_engine, "postings", "parquet", tmp_path / "p.parquet", since=since).path
    )
    assert postings.height == scalar(populated_engine, f"select count(*) {UNIQUE} and {DAY} >= :d", d=since)
    assert 0 < postings.height < days.len() and postings["day"].min() == since
    skills = read(
        export_table(populated_engine, "skills", "csv", tmp_path / "s.csv", since=since).path, "csv", "skills"
    )
    in_store = (
        "select count(*) from posting_skills k join postings p on p.id = k.posting_id where p.duplicate_of is null"
    )
    assert skills.height == scalar(populated_engine, f"{in_store} and {DAY} >= :d", d=since) > 0
    assert set(skills["posting_id"]) <= set(postings["posting_id"])
    weekly = pl.read_parquet(
        export_table(populated_engine, "weekly", "parquet", tmp_path / "w.parquet", since=since).path
    )
    monday = since - timedelta(days=since.weekday())
    assert weekly["week_start"].min() == monday
    assert weekly.filter(aggregate="segment")["postings"].sum() == scalar(
        populated_engine, f"select count(*) {UNIQUE} and {DAY} >= :d", d=monday
    )


def test_labels_come_from_the_final_tag_where_there_is_one(migrated_engine: sa.Engine, tmp_path: Path) -> None:
    post = (
        "insert into postings (id, source_id, content_hash, title, description, posted_on, first_seen_on,"
        " last_seen_on, duplicate_of) values (:id, 's', 'h', 'ML Engineer', 'PyTorch', '2026-11-10', '2026-11-04',"
        " '2026-11-04', :dup)"
    )
    tag = (
        "insert into posting_tags (posting_id, method, level, role_family, specializations, specialization_scores,"
        " confidence, evidence, extractor_version, taxonomy_version, content_hash)"
        " values (:id, :method, :level, 'ml_engineer', :specs, '{}', '{}', '{}', 'v', 't', 'h')"
    )
    with migrated_engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        for pid, dup in (("a", None), ("b", None), ("c", None), ("a2", "a")):
            conn.execute(sa.text(post), {"id": pid, "dup": dup})
        conn.execute(sa.text(tag), {"id": "a", "method": "rules", "level": "ii", "specs": ["rag"]})
        conn.execute(sa.text(tag), {"id": "a", "method": "final", "level": "senior", "specs": ["rag", "agents"]})
        conn.execute(sa.text(tag), {"id": "b", "method": "rules", "level": "staff", "specs": []})
    result = export_table(migrated_engine, "postings", "parquet", tmp_path / "p.parquet")
    rows = {r["posting_id"]: r for r in pl.read_parquet(result.path).iter_rows(named=True)}
    assert result.rows == 3 and set(rows) == {"a", "b", "c"}  # the duplicate a2 is left out, counted on a
    got = {pid: (r["level"], r["role_family"], r["specializations"], r["tag_method"]) for pid, r in rows.items()}
    assert got == {
        "a": ("senior", "ml_engineer", ["rag", "agents"], "final"),
        "b": ("staff", "ml_engineer", [], "rules"),
        "c": ("unknown", "other", None, None),
    }
    assert (rows["a"]["duplicates"], rows["b"]["duplicates"]) == (1, 0)
    csv = pl.read_csv(export_table(migrated_engine, "postings", "csv", tmp_path / "p.csv").path)
    assert csv.filter(posting_id="a")["specializations"].item() == "rag;agents"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("table", TABLES)
def test_an_empty_store_exports_an_empty_file_with_the_columns(
    migrated_engine: sa.Engine, tmp_path: Path, table: TableName, fmt: ExportFormat
) -> None:
    result = export_table(migrated_engine, table, fmt, tmp_path / "nested" / f"{table}.{fmt}")
    frame = read(result.path, fmt, table)
    assert result.rows == frame.height == 0
    assert frame.columns == export_query(table).schema.names()


def test_an_unwritable_path_fails_naming_it_and_leaves_nothing(populated_engine: sa.Engine, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    target = blocker / "out" / "postings.parquet"
    with pytest.raises(ExportError, match=f"^cannot write {target}: "):
        export_table(populated_engine, "postings", "parquet", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_failed_export_leaves_no_partial_file(populated_engine: sa.Engine, tmp_path: Path) -> None:
    def broken(*_: object, **__: object) -> Any:
        raise RuntimeError("the store went away")

    target = tmp_path / "p.csv"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("pipeline.export.writer.read_batches", broken)
        with pytest.raises(RuntimeError, match="the store went away"):
            export_table(populated_engine, "postings", "csv", target)
    assert list(tmp_path.iterdir()) == []


def test_batches_are_small_and_add_up(populated_engine: sa.Engine, tmp_path: Path) -> None:
    from pipeline.export import read_batches

    query = export_query("postings")
    sizes = [batch.height for batch in read_batches(populated_engine, query, batch_rows=10)]
    assert max(sizes) == 10 and sum(sizes) == scalar(populated_engine, f"select count(*) {UNIQUE}")
    small = export_table(populated_engine, "postings", "parquet", tmp_path / "p.parquet", batch_rows=7)
    assert pl.read_parquet(small.path).height == sum(sizes)


def test_default_output_paths(tmp_path: Path) -> None:
    day = date(2026, 11, 29)
    out = tmp_path / "gen"
    assert (
        output_path(None, output_dir=out, table="weekly", fmt="csv", day=day) == out / "exports/weekly-2026-11-29.csv"
    )
    assert output_path(tmp_path, output_dir=out, table="skills", fmt="parquet", day=day) == (
        tmp_path / "skills-2026-11-29.parquet"
    )
    assert output_path(tmp_path / "x.csv", output_dir=out, table="skills", fmt="csv", day=day) == tmp_path / "x.csv"
