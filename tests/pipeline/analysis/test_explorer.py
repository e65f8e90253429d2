"""Explorer queries on a real PostgreSQL holding the sample store of tests/explorer_samples.py: filters, search,
paging, duplicates left out, and one posting read back with its skill offsets and labels (rules or LLM)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
from explorer_samples import COPY, DATA, FINAL, HOSTILE, sample_database
from sqlalchemy.orm import Session

from pipeline.analysis.explorer import count_postings, posting_detail, postings_per_week, search_postings
from pipeline.analysis.filters import PostingFilters, filter_options
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres


@pytest.fixture(scope="module")
def session(postgres: TestPostgres) -> Iterator[Session]:
    engine = create_store_engine(sample_database(postgres.url))
    with Session(engine) as s:
        yield s
    engine.dispose()


def ids(frame_or_filters: PostingFilters, session: Session, text: str | None = None) -> list[str]:
    return search_postings(frame_or_filters, text, session=session)["id"].to_list()


def test_every_unique_posting_newest_first(session: Session) -> None:
    assert ids(PostingFilters(), session) == [FINAL.id, HOSTILE.id, DATA.id]  # COPY repeats DATA
    assert count_postings(session=session) == 3


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (PostingFilters(sources=("y",)), [DATA.id]),
        (PostingFilters(companies=("Evil & Co", "Streamworks")), [HOSTILE.id, DATA.id]),
        (PostingFilters(since=date(2026, 11, 1)), [FINAL.id, HOSTILE.id]),
        (PostingFilters(until=date(2026, 11, 2)), [HOSTILE.id, DATA.id]),
        (PostingFilters(location="berlin"), [HOSTILE.id]),
        (PostingFilters(location="%"), []),  # a wildcard is a literal character
        (PostingFilters(remote=("remote",)), [DATA.id]),
        (PostingFilters(remote=("unknown",)), [FINAL.id, HOSTILE.id]),
        (PostingFilters(role_families=("data_engineer",)), [DATA.id]),
        (PostingFilters(levels=("senior",)), [FINAL.id, DATA.id]),
        (PostingFilters(specializations=("rag",)), [FINAL.id]),
        (PostingFilters(levels=("senior",), sources=("x",)), [FINAL.id]),
    ],
)
def test_filters(filters: PostingFilters, expected: list[str], session: Session) -> None:
    assert ids(filters, session) == expected
    assert count_postings(filters, session=session) == len(expected)


def test_search_reads_title_company_and_description(session: Session) -> None:
    assert ids(PostingFilters(), session, "airflow") == [DATA.id]
    assert ids(PostingFilters(), session, "EVIL") == [HOSTILE.id]
    assert ids(PostingFilters(), session, "data engineer") == [DATA.id]
    assert ids(PostingFilters(), session, "100%") == []


def test_paging_and_weekly_counts(session: Session) -> None:
    assert search_postings(page=1, page_size=2, session=session)["id"].to_list() == [DATA.id]
    weekly = postings_per_week(PostingFilters(sources=("x",)), session=session)
    assert weekly.rows() == [(date(2026, 11, 2), 1), (date(2026, 11, 16), 1)]
    assert postings_per_week(PostingFilters(sources=("nowhere",)), session=session).is_empty()


def test_result_columns_carry_the_effective_labels(session: Session) -> None:
    row = search_postings(PostingFilters(sources=("x",)), "acme", session=session).row(0, named=True)
    assert (row["level"], row["role_family"], row["specializations"], row["day"]) == (
        "senior",
        "ai_engineer",
        "rag",
        date(2026, 11, 16),
    )


def test_detail_has_skill_offsets_into_the_description(session: Session) -> None:
    detail = posting_detail(HOSTILE.id, session=session)
    assert detail is not None and detail.method == "rules"
    found = {s.skill: detail.description[s.start : s.end] for s in detail.skills}
    assert found["Python"] == "Python" and found["PyTorch"] == "PyTorch"
    assert {s.skill: s.requirement for s in detail.skills}["Kubernetes"] == "preferred"
    assert [s.start for s in detail.skills] == sorted(s.start for s in detail.skills)
    labels = {label.label: label for label in detail.labels}
    assert labels["years"].value == "3" and labels["years"].source == "rules"
    assert labels["role family"].value == "ml_engineer" and labels["role family"].evidence


def test_detail_of_a_final_tag_names_what_the_model_gave(session: Session) -> None:
    detail = posting_detail(FINAL.id, session=session)
    assert detail is not None and detail.method == "final"
    labels = {label.label: label for label in detail.labels}
    assert labels["level"].value == "senior" and labels["level"].source == "llm"
    assert labels["level"].evidence is not None and labels["level"].evidence.startswith("llm: ")
    assert labels["specializations"].source == "llm"
    assert {s.source for s in detail.skills} <= {"rules", "llm"}


def test_detail_of_a_duplicate_and_of_nothing(session: Session) -> None:
    copy = posting_detail(COPY.id, session=session)
    assert copy is not None and copy.duplicate_of == DATA.id
    assert posting_detail("no:such", session=session) is None


def test_filter_options(session: Session) -> None:
    options = filter_options(session=session)
    assert options["sources"] == ["x", "y"]
    assert options["companies"] == ["Acme Search", "Evil & Co", "Streamworks"]
    assert (options["first_day"], options["last_day"]) == (date(2026, 10, 5), date(2026, 11, 16))
