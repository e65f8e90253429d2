"""Career-ladder queries on the hand-counted store of tests/scope_samples.py: the effective (final) tag is used, the
duplicate p7 never counts, and the filters change the figures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from scope_samples import scope_database
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.ladder import level_distribution, rising_skills, salary_bands, years_by_level
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres

ALL = PostingFilters()
NOTHING = PostingFilters(sources=("nowhere",))


@pytest.fixture(scope="module")
def session(postgres: TestPostgres) -> Iterator[Session]:
    engine = create_store_engine(scope_database(postgres.url))
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_level_distribution(session: Session) -> None:
    assert level_distribution(ALL, session=session).rows() == [
        ("ai_engineer", "i", 1),
        ("ai_engineer", "ii", 1),
        ("ai_engineer", "senior", 1),
        ("ai_engineer", "staff", 1),
        ("ml_engineer", "staff", 2),  # p4 and p5 (final tag); the duplicate p7 left out
        ("other", "unknown", 1),  # p6 has no tag
    ]
    assert level_distribution(PostingFilters(sources=("a",)), session=session).rows() == [
        ("ai_engineer", "i", 1),
        ("ai_engineer", "ii", 1),
        ("ml_engineer", "staff", 1),
    ]
    assert level_distribution(NOTHING, session=session).is_empty()


def test_years_by_level_are_box_plot_statistics(session: Session) -> None:
    years = years_by_level(ALL, session=session)
    assert years.columns == ["level", "n", "min", "q1", "median", "q3", "max"]
    assert years.rows() == [
        ("i", 1, 1.0, 1.0, 1.0, 1.0, 1.0),  # p5's rules tag (i, 0 years) is not the effective one
        ("ii", 1, 3.0, 3.0, 3.0, 3.0, 3.0),
        ("senior", 1, 5.0, 5.0, 5.0, 5.0, 5.0),
        ("staff", 3, 8.0, 9.0, 10.0, 11.0, 12.0),  # 8, 10, 12; never the duplicate's 20
    ]
    assert years_by_level(PostingFilters(role_families=("ml_engineer",)), session=session).rows() == [
        ("staff", 2, 8.0, 8.5, 9.0, 9.5, 10.0)
    ]


def test_salary_bands_use_the_most_common_currency(session: Session) -> None:
    bands = salary_bands(ALL, session=session)
    assert bands.rows() == [
        ("i", "USD", 1, 90000.0, 90000.0, 90000.0),  # the middle of 80-100k
        ("ii", "USD", 1, 120000.0, 120000.0, 120000.0),  # only a minimum stated
        ("senior", "USD", 1, 160000.0, 160000.0, 160000.0),
        ("staff", "USD", 2, 197500.0, 205000.0, 212500.0),  # 190k and 220k; p5 pays in EUR, p7 is a duplicate
    ]
    assert salary_bands(PostingFilters(companies=("Gamma",)), session=session).rows() == [
        ("staff", "EUR", 1, 90000.0, 90000.0, 90000.0)
    ]
    assert salary_bands(PostingFilters(companies=("Delta",)), session=session).is_empty()  # no pay stated


def test_rising_skills(session: Session) -> None:
    rising = rising_skills(ALL, limit=10, min_postings=3, session=session)
    assert rising.columns == [
        "skill",
        "category",
        "postings",
        "share_i",
        "share_ii",
        "share_senior",
        "share_staff",
        "change",
    ]
    # one posting each at I, II and senior, three at staff (p4, p5 by its final tag, p8)
    assert [r[:3] for r in rising.rows()] == [("Kubernetes", "infrastructure", 4), ("LangChain", "framework", 3)]
    kubernetes, langchain = rising.row(0, named=True), rising.row(1, named=True)
    assert (kubernetes["share_i"], kubernetes["share_ii"], kubernetes["share_senior"]) == (0.0, 0.0, 100.0)
    assert (kubernetes["share_staff"], kubernetes["change"]) == (100.0, 100.0)
    assert langchain["share_staff"] == pytest.approx(100 / 3) and langchain["change"] == pytest.approx(100 / 3)
    # Python is asked at every level (no rise), SQL falls, Rust is asked only by the duplicate
    assert rising_skills(ALL, limit=10, min_postings=4, session=session)["skill"].to_list() == ["Kubernetes"]
    assert rising_skills(ALL, limit=1, min_postings=1, session=session)["skill"].to_list() == ["Kubernetes"]


def test_rising_skills_need_postings_at_level_i_and_staff(session: Session) -> None:
    assert rising_skills(PostingFilters(role_families=("ml_engineer",)), session=session).is_empty()
    only_a = rising_skills(PostingFilters(sources=("a",)), min_postings=1, session=session)
    # source a: p1 (i: Python, SQL), p2 (ii: Python, LangChain), p5 (staff: Kubernetes, Python)
    assert only_a.rows() == [("Kubernetes", "infrastructure", 1, 0.0, 0.0, None, 100.0, 100.0)]
    assert rising_skills(NOTHING, session=session).is_empty()
