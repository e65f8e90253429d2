"""The explorer's two plans for a page of a search (pipeline.analysis.text_search): the newest filtered postings walked
until the page is full, else the text's matches listed first through the trigram indexes. Both must give the same
rows in the same order, duplicates left out, on a real PostgreSQL (the suite's server has pg_trgm, so the sample
store has the trigram indexes); without the indexes the search keeps the planner's plan."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from explorer_samples import DATA, FINAL, HOSTILE, sample_database
from sqlalchemy.orm import Session

from pipeline.analysis import match_counts, text_search
from pipeline.analysis.explorer import PAGE_SIZE, count_postings, postings_per_week, search_postings
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.match_counts import MatchCount, count_matches, matches_per_week
from pipeline.analysis.text_search import trigram_search
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres

TEXTS = ("python", "PyTorch", "engineer", "airflow", "acme", "evil & co", "requirements", "nothing like this")
FILTERS = (
    PostingFilters(),
    PostingFilters(levels=("senior",)),
    PostingFilters(sources=("x",)),
    PostingFilters(since=date(2026, 11, 1)),
    PostingFilters(remote=("unknown",)),
)


@pytest.fixture(scope="module")
def engine(postgres: TestPostgres) -> Iterator[sa.Engine]:
    eng = create_store_engine(sample_database(postgres.url))
    yield eng
    eng.dispose()


def results(engine: sa.Engine, filters: PostingFilters, text: str) -> tuple[Any, ...]:
    """Everything the explorer answers for ``filters`` and ``text``: each page of one and of two postings, the
    first page of 25, the count and the weekly counts (the page's, which are capped, must equal the exact ones: the
    sample store is far below the cap)."""
    with Session(engine) as session:
        pages = [search_postings(filters, text, page=n, page_size=1, session=session).rows() for n in range(4)]
        pairs = [search_postings(filters, text, page=n, page_size=2, session=session).rows() for n in range(2)]
        count = count_postings(filters, text, session=session)
        weekly = postings_per_week(filters, text, session=session).rows()
        assert count_matches(filters, text, session=session) == MatchCount(count)
        assert matches_per_week(filters, text, session=session).weeks.rows() == weekly
        return (pages, pairs, search_postings(filters, text, session=session).rows(), count, weekly)


def test_the_trigram_indexes_serve_texts_with_a_trigram(engine: sa.Engine) -> None:
    with Session(engine) as session:
        assert trigram_search("python", session=session)
        assert trigram_search("evil & co", session=session)
        assert not trigram_search("ml", session=session)  # no trigram to look up: the index would be read whole
        assert not trigram_search("c++", session=session)
        assert 0 < text_search.estimated_matches("python", session=session) <= text_search.TEXT_FIRST_COUNT_MAX


@pytest.mark.parametrize("filters", FILTERS)
def test_both_plans_give_the_same_rows(
    engine: sa.Engine, filters: PostingFilters, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the walk reads every filtered posting; filtered counts read text first (few matches expected)
    walked = {text: results(engine, filters, text) for text in TEXTS}
    monkeypatch.setattr(text_search, "WALK_LIMIT", 1)  # the walk stops after one posting: text first
    monkeypatch.setattr(text_search, "TEXT_FIRST_COUNT_MAX", -1)  # filtered counts: the planner's plan
    monkeypatch.setattr(match_counts.Expected, "text_first_reads", lambda self, bound: float("inf"))  # capped: too
    text_first = {text: results(engine, filters, text) for text in TEXTS}
    assert text_first == walked
    for pages, _, first, count, weekly in walked.values():  # the counts agree with the rows (fewer than a page)
        assert count == len(first) == sum(len(page) for page in pages) == sum(n for _, n in weekly)


def test_both_plans_page_newest_first_without_duplicates(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    for limit in (5_000, 2, 1):
        monkeypatch.setattr(text_search, "WALK_LIMIT", limit)
        pages, pairs, first, count, weekly = results(engine, PostingFilters(), "python")
        assert [row[0] for page in pages for row in page] == [FINAL.id, HOSTILE.id, DATA.id]  # COPY repeats DATA
        assert [[row[0] for row in pair] for pair in pairs] == [[FINAL.id, HOSTILE.id], [DATA.id]]
        assert [row[0] for row in first] == [FINAL.id, HOSTILE.id, DATA.id] and count == 3
        assert weekly == [(date(2026, 10, 5), 1), (date(2026, 11, 2), 1), (date(2026, 11, 16), 1)]
        assert results(engine, PostingFilters(), "airflow")[3] == 1  # DATA, not its duplicate


def plan_of(engine: sa.Engine, filters: PostingFilters, text: str) -> str:
    """Which plan answered the first page of a search: "walk", "text first" (EXPLAIN ANALYZE shows which branch
    ran), or "planner" (the plan without the trigram search)."""
    with Session(engine) as session:
        page = text_search.page_of_matches(filters, text, 0, PAGE_SIZE, session)
        sql = str(sa.select(page).compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        explain = "explain (analyze, costs off, timing off, summary off) " + sql  # the driver reads %% as %
        lines = list(session.connection().exec_driver_sql(explain).scalars())
    answers = [line for line in lines if re.search(r"CTE Scan on walked +\(", line)]  # not the gate's scans
    if not answers:
        return "planner"
    return "text first" if "never executed" in answers[0] else "walk"


def test_a_page_walks_newest_first_then_reads_text_first(engine: sa.Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    assert plan_of(engine, PostingFilters(), "python") == "walk"
    assert plan_of(engine, PostingFilters(), "ml") == "planner"
    monkeypatch.setattr(text_search, "WALK_LIMIT", 3)
    assert plan_of(engine, PostingFilters(levels=("senior",)), "python") == "walk"  # both senior postings read
    assert plan_of(engine, PostingFilters(), "python") == "text first"  # 3 read (maybe more), 3 found, 25 wanted
    assert plan_of(engine, PostingFilters(), "ml") == "planner"


def test_without_trigram_indexes_the_planner_plans(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        outer = conn.begin()
        for name in text_search.TRIGRAM_INDEXES[1:]:  # one index missing is enough to leave the trigram search out
            conn.execute(sa.text(f"drop index {name}"))
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            assert not trigram_search("python", session=session)
            rows = search_postings(PostingFilters(levels=("senior",)), "python", session=session)
            assert rows["id"].to_list() == [FINAL.id, DATA.id]
            assert count_postings(PostingFilters(), "python", session=session) == 3
            assert count_matches(PostingFilters(), "python", cap=2, session=session) == MatchCount(2, capped=True)
        finally:
            session.close()
            outer.rollback()
    with Session(engine) as session:
        assert trigram_search("python", session=session)  # the indexes are back
