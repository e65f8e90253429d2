"""Specialization queries on the hand-counted store of tests/scope_samples.py: p5 counts by its final tag
(infrastructure), the duplicate p7 never counts, and the filters change the figures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from scope_samples import scope_database
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.specialization_market import (
    specialization_by_level,
    specialization_overlap,
    specialization_share,
    specialization_top_skills,
    specialization_trend,
)
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres

ALL = PostingFilters()
NOTHING = PostingFilters(sources=("nowhere",))
ONE_WEEK, TWO_WEEKS, THREE_WEEKS = date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)


@pytest.fixture(scope="module")
def session(postgres: TestPostgres) -> Iterator[Session]:
    engine = create_store_engine(scope_database(postgres.url))
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_share_of_the_filtered_postings(session: Session) -> None:
    share = specialization_share(ALL, session=session)  # 7 unique postings
    assert share["specialization"].to_list() == ["agents", "infrastructure", "rag"]
    assert share["postings"].to_list() == [3, 3, 2]
    assert share["share_pct"].to_list() == pytest.approx([300 / 7, 300 / 7, 200 / 7])
    rag = specialization_share(PostingFilters(specializations=("rag",)), session=session)
    assert rag.rows() == [("rag", 2, 100.0), ("agents", 1, 50.0)]  # p1 and p2; p2 also focuses on agents
    assert specialization_share(NOTHING, session=session).is_empty()


def test_share_per_level(session: Session) -> None:
    assert specialization_by_level(ALL, session=session).rows() == [
        ("agents", "ii", 1, 100.0),
        ("agents", "senior", 1, 100.0),
        ("agents", "staff", 1, pytest.approx(100 / 3)),  # of p4, p5, p8
        ("infrastructure", "staff", 3, 100.0),
        ("rag", "i", 1, 100.0),
        ("rag", "ii", 1, 100.0),
    ]
    assert specialization_by_level(PostingFilters(sources=("b",)), session=session).rows() == [
        ("agents", "senior", 1, 100.0),
        ("agents", "staff", 1, 50.0),
        ("infrastructure", "staff", 2, 100.0),
    ]


def test_trend_fills_weeks_without_a_posting(session: Session) -> None:
    trend = specialization_trend(ALL, session=session)  # weeks of 2, 3 and 2 postings
    assert trend.rows() == [
        (ONE_WEEK, "agents", 1, 50.0),
        (ONE_WEEK, "infrastructure", 0, 0.0),
        (ONE_WEEK, "rag", 2, 100.0),
        (TWO_WEEKS, "agents", 2, pytest.approx(200 / 3)),
        (TWO_WEEKS, "infrastructure", 2, pytest.approx(200 / 3)),
        (TWO_WEEKS, "rag", 0, 0.0),
        (THREE_WEEKS, "agents", 0, 0.0),
        (THREE_WEEKS, "infrastructure", 1, 50.0),  # p8; p6 has no tag
        (THREE_WEEKS, "rag", 0, 0.0),
    ]
    since = specialization_trend(PostingFilters(since=date(2026, 11, 12)), session=session)
    assert since.rows() == [(TWO_WEEKS, "infrastructure", 1, 100.0), (THREE_WEEKS, "infrastructure", 1, 50.0)]
    assert specialization_trend(NOTHING, session=session).is_empty()


def test_top_skills_per_specialization(session: Session) -> None:
    top = specialization_top_skills(ALL, limit=2, session=session)
    assert top.rows() == [
        ("agents", 1, "LangChain", "framework", 3, 100.0),  # ties by name
        ("agents", 2, "Python", "language", 3, 100.0),
        ("infrastructure", 1, "Kubernetes", "infrastructure", 3, 100.0),  # p5 counts by its final tag
        ("infrastructure", 2, "Python", "language", 3, 100.0),
        ("rag", 1, "Python", "language", 2, 100.0),
        ("rag", 2, "LangChain", "framework", 1, 50.0),
    ]
    assert "Rust" not in specialization_top_skills(ALL, limit=10, session=session)["skill"].to_list()
    senior = specialization_top_skills(PostingFilters(levels=("senior",)), limit=5, session=session)
    assert senior.rows() == [
        ("agents", 1, "Kubernetes", "infrastructure", 1, 100.0),
        ("agents", 2, "LangChain", "framework", 1, 100.0),
        ("agents", 3, "Python", "language", 1, 100.0),
    ]


def test_overlap_is_a_full_grid_with_jaccard(session: Session) -> None:
    overlap = {(a, b): (both, jaccard) for a, b, both, jaccard in specialization_overlap(ALL, session=session).rows()}
    assert len(overlap) == 9
    assert overlap["agents", "infrastructure"] == overlap["infrastructure", "agents"] == (1, 0.2)  # p4 of 3 + 3 - 1
    assert overlap["agents", "rag"] == (1, 0.25)  # p2 of 3 + 2 - 1
    assert overlap["infrastructure", "rag"] == (0, 0.0)
    assert overlap["rag", "rag"] == (2, 1.0)
    only_a = specialization_overlap(PostingFilters(sources=("a",)), session=session)
    assert only_a.filter(only_a["specialization_a"] != only_a["specialization_b"]).rows() == [
        ("agents", "infrastructure", 0, 0.0),
        ("agents", "rag", 1, 0.5),
        ("infrastructure", "agents", 0, 0.0),
        ("infrastructure", "rag", 0, 0.0),
        ("rag", "agents", 1, 0.5),
        ("rag", "infrastructure", 0, 0.0),
    ]
    assert specialization_overlap(NOTHING, session=session).is_empty()
