"""The reextract flow on a real PostgreSQL server: only stale tags are made again, and nothing is fetched."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import sqlalchemy as sa
from sqlalchemy.orm import Session

from flows.reextract import reextract
from flows.weekly_refresh import weekly_refresh
from pipeline.extraction.extractor import build_extractor
from pipeline.http.client import HttpClient
from pipeline.settings import Settings
from pipeline.store import migrate, tags
from pipeline.store.database import create_store_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample" / "postings.jsonl"
LINES = sum(1 for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip())
WRITTEN = ("posting_tags", "posting_skills", "skills", "weekly_segment_counts", "weekly_skill_counts")
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture
def network_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every HTTP request (jobatlas' client, requests) and every connection beyond loopback (the test database
    and Prefect's API are on loopback); HTTP requests also fail."""
    calls: list[str] = []

    def refuse(self: object, *args: Any, **kwargs: Any) -> None:
        calls.append(f"{type(self).__name__}: {args[:1]}")
        raise AssertionError("reextract must not make HTTP requests")

    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and address[0] not in LOOPBACK:
            calls.append(f"connect {address}")
        real_connect(self, address)

    monkeypatch.setattr(HttpClient, "get", refuse)
    monkeypatch.setattr(requests.Session, "send", refuse)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return calls


@pytest.fixture
def store(settings: Settings, database_url: str) -> Iterator[sa.Engine]:
    """A database the weekly refresh filled from the bundled sample."""
    assert weekly_refresh(settings=settings).status == "succeeded"
    engine = create_store_engine(database_url)
    yield engine
    engine.dispose()


def versions(engine: sa.Engine, table: str) -> set[tuple[str, str]]:
    """Each row's location and creating transaction: any insert, update or delete changes them."""
    with engine.connect() as conn:
        return {(c, x) for c, x in conn.execute(sa.text(f"select ctid::text, xmin::text from {table}"))}


def tag_xmins(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {pid: xmin for pid, xmin in conn.execute(sa.text("select posting_id, xmin::text from posting_tags"))}


def scalar(engine: sa.Engine, sql: str) -> Any:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar()


def test_only_stale_tags_are_made_again_and_a_second_run_changes_nothing(
    settings: Settings, store: sa.Engine, network_calls: list[str]
) -> None:
    stale = {
        "update posting_tags set extractor_version = 'rules-0.0.1+taxonomy-2020.1' where posting_id = :id": 0,
        "update posting_tags set extractor_version = 'rules-9.0.0+taxonomy-2026.11.1' where posting_id = :id": 1,
        "update posting_tags set content_hash = 'older content' where posting_id = :id": 2,
        "update posting_tags set taxonomy_version = null, education_min = null where posting_id = :id": 3,
        "delete from posting_tags where posting_id = :id": 4,
    }
    with store.begin() as conn:
        ids = list(conn.execute(sa.text("select id from postings order by id limit 5")).scalars())
        for sql, index in stale.items():
            conn.execute(sa.text(sql), {"id": ids[index]})
    before = tag_xmins(store)

    summary = reextract(settings=settings)
    assert (summary.checked, summary.retagged, summary.unchanged) == (LINES, 5, LINES - 5)
    assert summary.skills_found > 0
    assert set(summary.step_seconds) == {"migrate", "build", "select", "retag", "aggregate"}
    after = tag_xmins(store)
    assert len(after) == LINES
    assert {pid for pid, xmin in after.items() if before.get(pid) != xmin} == set(ids)  # no other tag written
    version = summary.extractor_version
    assert scalar(store, f"select count(*) from posting_tags where extractor_version = '{version}'") == LINES
    assert scalar(store, "select count(*) from posting_tags where taxonomy_version is null") == 0
    assert network_calls == []

    rows_before = {table: versions(store, table) for table in WRITTEN}
    second = reextract(settings=settings)
    assert (second.checked, second.retagged, second.unchanged, second.aggregate_rows_written) == (LINES, 0, LINES, 0)
    assert {table: versions(store, table) for table in WRITTEN} == rows_before  # idempotent: no row written
    assert network_calls == []


def test_a_new_taxonomy_version_makes_every_tag_stale(
    settings: Settings, store: sa.Engine, tmp_path: Path, network_calls: list[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(settings.taxonomy_dir, data / "taxonomy")
    skills = data / "taxonomy" / "skills.yaml"
    text, found = re.subn(r"(?m)^version: .*$", 'version: "2099.1.0"', skills.read_text(encoding="utf-8"))
    assert found == 1
    skills.write_text(text, encoding="utf-8")
    edited = settings.model_copy(update={"data_dir": data})

    summary = reextract(settings=edited)
    assert "2099.1.0" in summary.extractor_version
    assert (summary.checked, summary.retagged, summary.unchanged) == (LINES, LINES, 0)
    assert scalar(store, "select count(*) from posting_tags where taxonomy_version = '2099.1.0'") == LINES
    assert scalar(store, "select count(*) from skills where taxonomy_version <> '2099.1.0'") == 0
    assert reextract(settings=edited).retagged == 0
    back = reextract(settings=settings)  # the bundled taxonomy again: every tag is stale once more
    assert (back.retagged, back.unchanged) == (LINES, 0)
    assert network_calls == []


def test_tags_made_before_migration_0003_get_their_education_and_publication_columns(
    settings: Settings, store: sa.Engine, network_calls: list[str]
) -> None:
    migrate.downgrade(store, "0002")  # as a store tagged before this migration existed
    migrate.upgrade(store)
    assert scalar(store, "select count(*) from posting_tags where taxonomy_version is null") == LINES
    assert scalar(store, "select count(*) from posting_tags where education_min is not null") == 0

    summary = reextract(settings=settings)
    assert (summary.retagged, summary.unchanged) == (LINES, 0)
    extractor = build_extractor(settings.taxonomy_dir)
    with Session(store) as session:
        ids = tags.stale_posting_ids(extractor.version, everything=True, session=session)
        postings, _ = tags.stored_postings(ids, session=session)
        stored = {
            pid: (edu, req, pubs, venues)
            for pid, edu, req, pubs, venues in session.execute(
                sa.text(
                    "select posting_id, education_min, education_requirement, publications_required,"
                    " publication_venues from posting_tags"
                )
            )
        }
    expected = {
        e.posting_id: (e.education.value, e.education_requirement, e.publications.value, list(e.publication_venues))
        for e in extractor.extract_many(postings)
    }
    assert stored == expected
    assert any(edu for edu, _, _, _ in stored.values())  # the sample asks for degrees ...
    assert any(venues for _, _, _, venues in stored.values())  # ... and for papers at named venues
    assert network_calls == []
