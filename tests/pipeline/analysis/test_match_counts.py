"""The explorer's capped counts (pipeline.analysis.match_counts) on the sample store of tests/explorer_samples.py
(three unique postings hold "python": FINAL, HOSTILE and DATA; COPY repeats DATA): exact up to the cap, "more than
the cap" above it; weekly counts exact when the count is, else estimates from a sample of the table's pages, said so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from explorer_samples import sample_database
from sqlalchemy.orm import Session

from pipeline.analysis import match_counts
from pipeline.analysis.explorer import count_postings, postings_per_week
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.match_counts import (
    Expected,
    MatchCount,
    MatchesPerWeek,
    bound_for,
    count_matches,
    matches_per_week,
    sampled_per_week,
)
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres

PYTHON_WEEKS = [(date(2026, 10, 5), 1), (date(2026, 11, 2), 1), (date(2026, 11, 16), 1)]
SENIOR = PostingFilters(levels=("senior",))  # FINAL and DATA
TEXTS = ("python", "PyTorch", "engineer", "acme", "evil & co", "ml", "py", "nothing like this")
FILTERS = (PostingFilters(), SENIOR, PostingFilters(sources=("x",)), PostingFilters(since=date(2026, 11, 1)))


@pytest.fixture(scope="module")
def engine(postgres: TestPostgres) -> Iterator[sa.Engine]:
    eng = create_store_engine(sample_database(postgres.url))
    with eng.begin() as conn:
        conn.execute(sa.text("analyze postings"))  # pg_class.reltuples = 4: what the sample's size is taken from
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: sa.Engine) -> Iterator[Session]:
    with Session(engine) as s:
        yield s


@pytest.mark.parametrize("filters", FILTERS)
def test_under_the_cap_counts_and_weeks_are_exact(session: Session, filters: PostingFilters) -> None:
    for text in TEXTS:
        exact = count_postings(filters, text, session=session)
        assert count_matches(filters, text, session=session) == MatchCount(exact), text
        assert count_matches(filters, text, cap=exact, session=session) == MatchCount(exact), text  # at the cap
        weekly = matches_per_week(filters, text, session=session)
        assert weekly == MatchesPerWeek(postings_per_week(filters, text, session=session)), text
        assert weekly.sample_percent is None and weekly.weeks["postings"].sum() == exact


def test_above_the_cap_the_count_says_more_than(session: Session) -> None:
    assert count_matches(PostingFilters(), "python", cap=3, session=session) == MatchCount(3)
    assert count_matches(PostingFilters(), "python", cap=2, session=session) == MatchCount(2, capped=True)
    assert count_matches(PostingFilters(), "python", cap=1, session=session) == MatchCount(1, capped=True)
    assert count_matches(SENIOR, "python", cap=2, session=session) == MatchCount(2)
    assert count_matches(SENIOR, "python", cap=1, session=session) == MatchCount(1, capped=True)
    assert count_matches(PostingFilters(), "py", cap=1, session=session) == MatchCount(1, capped=True)  # no trigram
    assert count_matches(SENIOR, None, cap=1, session=session) == MatchCount(2)  # no text: the cube, exact


def test_above_the_cap_a_small_table_gives_every_week(session: Session) -> None:
    # 4 postings, fewer than the sample's 10,000: every match is read, no estimate
    weekly = matches_per_week(PostingFilters(), "python", cap=2, session=session)
    assert weekly.sample_percent is None and weekly.weeks.rows() == PYTHON_WEEKS


def sample_weeks(session: Session, text: str, percent: float, seed: int) -> list[tuple[date, int]]:
    """The weekly matches among the sampled pages, by hand: the day from ``postings``, unscaled."""
    sql = (
        "select date_trunc('week', coalesce(posted_on, first_seen_on))::date, count(*) "
        f"from postings tablesample system ({percent}) repeatable ({seed}) "
        "where (title ilike :p or company ilike :p or description ilike :p) and duplicate_of is null "
        "group by 1 order by 1"
    )
    return [(week, n) for week, n in session.execute(sa.text(sql), {"p": f"%{text}%"})]


def test_above_the_cap_a_large_table_estimates_the_weeks_from_a_sample(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = 0
    for seed in range(10):  # the sample store has a page or two: some seeds draw none, some all
        monkeypatch.setattr(match_counts, "SAMPLE_SEED", seed)
        weekly = matches_per_week(PostingFilters(), "python", cap=2, sample_rows=2, session=session)
        assert weekly.sample_percent == 50.0  # 2 of the 4 postings pg_class counts
        scaled = [(week, n * 2) for week, n in sample_weeks(session, "python", 50.0, seed)]
        assert weekly.weeks.rows() == scaled
        read += len(scaled)
    assert read > 0  # some sample held a match
    # the whole table as the sample: the exact counts, filters and duplicates as everywhere
    assert sampled_per_week(PostingFilters(), "python", 100.0, session).rows() == PYTHON_WEEKS
    assert sampled_per_week(SENIOR, "python", 100.0, session).rows() == [PYTHON_WEEKS[0], PYTHON_WEEKS[2]]


def test_a_common_text_is_counted_to_the_quick_bound(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(match_counts, "SURELY", 0)  # every text with a trigram is "expected to be common"
    monkeypatch.setattr(match_counts, "QUICK_CAP", 1)
    assert count_matches(PostingFilters(), "python", cap=10, session=session) == MatchCount(1, capped=True)
    assert count_matches(PostingFilters(), "airflow", cap=10, session=session) == MatchCount(1)  # 1: exact still
    assert count_matches(PostingFilters(), "py", cap=10, session=session) == MatchCount(3)  # no estimate: the cap
    weekly = matches_per_week(PostingFilters(), "python", cap=10, sample_rows=2, session=session)
    assert weekly.sample_percent == 50.0  # straight to the sample


def test_the_bound_and_the_plan_follow_the_estimates() -> None:
    # 1 M postings, 384,268 senior; the planner's estimate of "kubernetes" (121,510 real) and "vllm" (6,323 real)
    senior_kubernetes = Expected(1_000_000, 384_268, 111_139)
    assert round(senior_kubernetes.matches) == 42_707
    assert bound_for(senior_kubernetes, 10_000) == 1_000  # more than 3 x 10,000 expected
    assert bound_for(Expected(1_000_000, 384_268, 16_518), 10_000) == 10_000
    assert bound_for(None, 10_000) == 10_000
    assert bound_for(senior_kubernetes, 500) == 500
    # text first reads ~2,600 matches to find 1,001 senior ones; facts first ~9,000 senior postings
    assert round(senior_kubernetes.text_first_reads(1_000)) == 2_605
    assert round(senior_kubernetes.facts_first_reads(1_000)) == 9_007
    company = Expected(1_000_000, 6_406, 111_139)  # a company's 6,406 postings: fewer than the text's matches
    assert company.facts_first_reads(1_000) == 6_406 < company.text_first_reads(1_000) == 111_139
