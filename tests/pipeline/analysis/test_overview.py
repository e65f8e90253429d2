"""Overview queries on the hand-counted store of tests/scope_samples.py: totals and postings per week of the
filtered postings, the duplicate p7 left out and p5 counted by its final tag."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from scope_samples import scope_database
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.overview import postings_per_week, totals
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres


@pytest.fixture(scope="module")
def session(postgres: TestPostgres) -> Iterator[Session]:
    engine = create_store_engine(scope_database(postgres.url))
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_totals(session: Session) -> None:
    assert totals(PostingFilters(), session=session) == {
        "postings": 7,
        "companies": 5,
        "sources": 2,
        "weeks": 3,
        "with_level": 6,  # all but p6, which has no tag
        "with_years": 6,
        "with_salary": 6,
        "with_remote": 2,
        "with_specialization": 6,
        "with_level_pct": 85.7,
        "with_years_pct": 85.7,
        "with_salary_pct": 85.7,
        "with_remote_pct": 28.6,
        "with_specialization_pct": 85.7,
    }
    later = totals(PostingFilters(since=date(2026, 11, 10)), session=session)
    assert (later["postings"], later["companies"], later["with_level"], later["with_remote"]) == (5, 4, 4, 1)
    staff = totals(PostingFilters(levels=("staff",)), session=session)
    assert (staff["postings"], staff["companies"], staff["sources"]) == (3, 3, 2)  # p4, p5 (final tag), p8
    nothing = totals(PostingFilters(companies=("Nobody",)), session=session)
    assert nothing["postings"] == 0 and nothing["with_level_pct"] is None


def test_postings_per_week_and_level(session: Session) -> None:
    assert postings_per_week(PostingFilters(), session=session).rows() == [
        (date(2026, 11, 2), "i", 1),
        (date(2026, 11, 2), "ii", 1),
        (date(2026, 11, 9), "senior", 1),
        (date(2026, 11, 9), "staff", 2),
        (date(2026, 11, 16), "staff", 1),
        (date(2026, 11, 16), "unknown", 1),
    ]
    assert postings_per_week(PostingFilters(remote=("remote", "hybrid")), session=session).rows() == [
        (date(2026, 11, 2), "i", 1),
        (date(2026, 11, 9), "senior", 1),
    ]
    assert postings_per_week(PostingFilters(sources=("nowhere",)), session=session).is_empty()
