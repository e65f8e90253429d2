"""How many postings a search of the explorer matches, and how many per week, read so that a common text (e.g.
"kubernetes", 12% of postings) is as quick as a rare one on a large store, and no figure claims more than was read.

Counting every one of 121,510 "kubernetes" matches took 5-9 s at 1 M postings (each match rechecked with an
``ILIKE``). With a search text the count reads at most ``bound + 1`` matches (``select count(*) from (... limit
bound + 1)``): up to the bound it is exact, above it the answer is "more than ``bound``" (:class:`MatchCount`). The
bound is ``COUNT_CAP``, or ``QUICK_CAP`` when the planner expects more than ``SURELY`` times ``COUNT_CAP`` matches
(:func:`bound_for`: reading 10,001 "kubernetes" matches took 0.36-0.68 s, 1,001 of them 0.09-0.25 s). The first
matches a capped read finds come in storage order, which is no sample of anything, so the weekly counts of a text
with more matches than the bound are estimated from a documented sample instead (:func:`sampled_per_week`): the
matches among about ``SAMPLE_ROWS`` postings drawn as whole table pages (``TABLESAMPLE SYSTEM``, the same pages each
time), scaled up, and labelled as estimates (:class:`MatchesPerWeek`). Under the bound both are exact and read by
the same statement. Without a search text both answer exactly from the posting cube.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.explorer import EVERYTHING, count_postings, postings_per_week
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.scope import fact_conditions
from pipeline.analysis.text_search import (
    counted,
    estimated_matches,
    holds,
    matching,
    search_text,
    text_first,
    trigram_search,
    without_jit,
)
from pipeline.store.models import PostingFact, PostingRow

COUNT_CAP = 10_000  # a search's count and weekly counts are exact up to this many matches
QUICK_CAP = 1_000  # ... or up to this many when the planner expects more than SURELY * COUNT_CAP
SURELY = 3  # the planner's trigram estimates were up to 3 times too high (16,518 for 6,323 "vllm" matches)
SAMPLE_ROWS = 10_000  # weekly counts above the bound: estimated from the matches among about this many postings
SAMPLE_SEED = 0  # TABLESAMPLE ... REPEATABLE: the same pages every time, so an estimate does not change on reload
WEEK_SCHEMA: dict[str, Any] = {"week_start": pl.Date, "postings": pl.Int64}


@dataclass(frozen=True)
class MatchCount:
    """How many unique postings match: exactly ``postings``, or, when ``capped``, more than ``postings`` (the count
    stopped reading there)."""

    postings: int
    capped: bool = False


@dataclass(frozen=True, eq=False)
class MatchesPerWeek:
    """Matching unique postings per week (``weeks``: ``week_start``, a Monday, and ``postings``). ``sample_percent``
    is None when the counts are exact; else they are estimates: the matches among the postings of that percent of
    the postings table's pages, each week's number multiplied by ``100 / sample_percent`` and rounded."""

    weeks: pl.DataFrame
    sample_percent: float | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MatchesPerWeek):
            return NotImplemented
        return self.sample_percent == other.sample_percent and self.weeks.equals(other.weeks)

    __hash__ = None  # type: ignore[assignment]  # holds a frame: not hashable


@dataclass(frozen=True)
class Expected:
    """What a search is expected to read: unique postings in all and those the filters select (the posting cube's
    exact counts), and the text's matches among all (the planner's estimate)."""

    postings: int
    filtered: int
    text_matches: float

    @property
    def matches(self) -> float:
        """Estimated matches of the text among the filtered postings, text and filters taken as independent."""
        return self.text_matches * self.filtered / max(self.postings, 1)

    def text_first_reads(self, bound: int) -> float:
        """Matches of the text read, text first, until ``bound + 1`` pass the filters (or every one)."""
        return min(self.text_matches, (bound + 1) * self.postings / max(self.filtered, 1))

    def facts_first_reads(self, bound: int) -> float:
        """Filtered postings read, facts first, until ``bound + 1`` hold the text (or every one)."""
        return min(float(self.filtered), (bound + 1) * self.postings / max(self.text_matches, 1.0))


def expected(filters: PostingFilters, text: str, session: Session) -> Expected | None:
    """:class:`Expected` for ``filters`` and ``text`` (two counts of the cube and one ``EXPLAIN``); None when the
    trigram indexes do not serve the text (no estimate: the planner's plan reads the table)."""
    if not trigram_search(text, session=session):
        return None
    return Expected(
        count_postings(session=session),
        count_postings(filters, session=session),
        estimated_matches(text, session),
    )


def bound_for(guess: Expected | None, cap: int) -> int:
    """How many matches a count reads before it answers "more than": ``cap``, or ``QUICK_CAP`` when the planner
    expects more than ``SURELY`` times ``cap`` matches (reading ``cap`` of them would only confirm it, slowly)."""
    return min(cap, QUICK_CAP) if guess is not None and guess.matches > SURELY * cap else cap


@contextmanager
def text_first_plan(session: Session, trigrams: bool) -> Iterator[None]:
    """Run the block's statements without JIT and, with ``trigrams`` (the trigram indexes serve the text), without
    sequential scans: under a ``LIMIT`` the planner expects a common text's matches early in a scan of the table
    and reads it in storage order, checking the text on every posting (0.6-1.0 s for 10,001 "kubernetes" matches at
    1 M postings, against 0.27-0.50 s through the trigram bitmap). Both settings are transaction-local, restored."""
    with without_jit(session):
        if not trigrams:
            yield
            return
        previous = session.scalar(
            sa.select(sa.func.current_setting("enable_seqscan"), sa.func.set_config("enable_seqscan", "off", True))
        )
        try:
            yield
        finally:
            session.execute(sa.select(sa.func.set_config("enable_seqscan", previous, True)))


def capped_matches(
    filters: PostingFilters, text: str, bound: int, guess: Expected | None, session: Session
) -> sa.Subquery:
    """The matches a capped read takes its first ``bound + 1`` from. Without filters or an estimate, as
    :func:`pipeline.analysis.text_search.counted` reads every match. With filters, text first
    (:func:`pipeline.analysis.text_search.text_first`) when that reads fewer rows than the planner's join of the
    filtered facts (which reads them in key order, checking the text on each): senior + "kubernetes" reads about
    2,600 matches text first against 9,000 senior postings; a company's 6,400 postings are fewer than the
    "kubernetes" matches text first would look up."""
    if filters.is_empty or guess is None:
        return counted(filters, text, session)
    if guess.text_first_reads(bound) <= guess.facts_first_reads(bound):
        return text_first(filters, text)
    return matching(filters, text).subquery("counted")


def read_weeks(
    filters: PostingFilters, text: str, bound: int, guess: Expected | None, session: Session
) -> list[tuple[date, int]]:
    """The weeks (Monday) and counts of at most ``bound + 1`` of the unique postings matching ``filters`` and
    ``text`` (:func:`capped_matches`): every match when they sum to at most ``bound``."""
    matched = capped_matches(filters, text, bound, guess, session)
    read = sa.select(matched.c.day).limit(bound + 1).subquery("read")
    week = sa.cast(sa.func.date_trunc("week", read.c.day), sa.Date).label("week_start")
    stmt = sa.select(week, sa.func.count().label("postings")).group_by(week).order_by(week)
    with text_first_plan(session, guess is not None):
        return [(row.week_start, int(row.postings)) for row in session.execute(stmt)]


def count_matches(
    filters: PostingFilters = EVERYTHING, text: str | None = None, *, cap: int | None = None, session: Session
) -> MatchCount:
    """How many unique postings match ``filters`` and ``text``: exact up to ``cap`` (default ``COUNT_CAP``); above
    it "more than ``cap``", or "more than ``QUICK_CAP``" when the planner expects many times ``cap``
    (:func:`bound_for`); without a text, exact (the posting cube)."""
    query = search_text(text)
    if query is None:
        return MatchCount(count_postings(filters, session=session))
    guess = expected(filters, query, session)
    bound = bound_for(guess, COUNT_CAP if cap is None else cap)
    found = sum(n for _, n in read_weeks(filters, query, bound, guess, session))
    return MatchCount(bound, capped=True) if found > bound else MatchCount(found)


def sample_percent(sample_rows: int, session: Session) -> float | None:
    """The percent of the postings table's pages that holds about ``sample_rows`` postings (by the planner's row
    count, ``pg_class.reltuples``); None when the table holds no more than that (or was never analysed)."""
    rows = session.scalar(sa.text("select reltuples from pg_class where oid = to_regclass('postings')"))
    if rows is None or rows <= sample_rows:
        return None
    return 100.0 * sample_rows / float(rows)


def sampled_per_week(filters: PostingFilters, text: str, percent: float, session: Session) -> pl.DataFrame:
    """Estimated matching unique postings per week: the matches among the postings of ``percent`` of the table's
    pages (``TABLESAMPLE SYSTEM``, seed ``SAMPLE_SEED``), each week's number multiplied by ``100 / percent`` and
    rounded. Each sampled match's facts (its day, the filters) are looked up by key."""
    seed: sa.ColumnElement[Any] = sa.literal_column(str(SAMPLE_SEED))
    sampled = sa.tablesample(PostingRow.__table__, sa.func.system(percent), name="sampled", seed=seed)
    fact = (
        sa.select(PostingFact.day)
        .where(PostingFact.posting_id == sampled.c.id, *fact_conditions(filters))
        .offset(0)  # not pulled up: looked up per sampled match
        .lateral("fact")
    )
    week = sa.cast(sa.func.date_trunc("week", fact.c.day), sa.Date).label("week_start")
    stmt = (
        sa.select(week, sa.func.count().label("postings"))
        .select_from(sampled)
        .join(fact, sa.true())
        .where(holds(text, sampled), sampled.c.duplicate_of.is_(None))
        .group_by(week)
        .order_by(week)
    )
    with without_jit(session):
        rows = [(row.week_start, round(row.postings * 100 / percent)) for row in session.execute(stmt)]
    return weeks_frame(rows)


def weeks_frame(rows: list[tuple[date, int]]) -> pl.DataFrame:
    """A frame of weeks and counts (``WEEK_SCHEMA``), empty when there is none."""
    return pl.DataFrame(rows, schema=WEEK_SCHEMA, orient="row") if rows else pl.DataFrame(schema=WEEK_SCHEMA)


def matches_per_week(
    filters: PostingFilters = EVERYTHING,
    text: str | None = None,
    *,
    cap: int | None = None,
    sample_rows: int | None = None,
    session: Session,
) -> MatchesPerWeek:
    """Matching unique postings per week, for the explorer's chart: exact without a text, and with one when at most
    the bound of :func:`count_matches` (same ``cap``) match; else estimated from a sample of about ``sample_rows``
    postings (default ``SAMPLE_ROWS``; :func:`sampled_per_week`), or exact from every match when the table holds no
    more postings than that. A text the planner expects to be common (bound ``QUICK_CAP``) goes straight to the
    sample: its first matches would only be read to be put aside."""
    query = search_text(text)
    if query is None:
        return MatchesPerWeek(postings_per_week(filters, session=session))
    guess = expected(filters, query, session)
    cap = COUNT_CAP if cap is None else cap
    bound = bound_for(guess, cap)
    percent = sample_percent(SAMPLE_ROWS if sample_rows is None else sample_rows, session)
    if bound == cap or percent is None:  # else a common text on a large table: straight to the sample
        weeks = read_weeks(filters, query, bound, guess, session)
        if sum(n for _, n in weeks) <= bound:
            return MatchesPerWeek(weeks_frame(weeks))
    if percent is None:
        return MatchesPerWeek(postings_per_week(filters, query, session=session))
    return MatchesPerWeek(sampled_per_week(filters, query, percent, session), percent)
