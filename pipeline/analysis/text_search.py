"""Text search over the postings for the explorer: which postings hold a text (ILIKE on title, company and
description), read so that a rare text and a common one are both fast on a large store.

With the trigram indexes (``pg_trgm``, migration 0006) a page of a search walks the newest filtered postings a
bounded number of steps and, when that leaves the page short, lists the text's matches first
(:func:`walk_then_text_first`); the counts read text first when the planner expects few matches (:func:`counted`).
Without them (the embedded server has no ``pg_trgm``) every query keeps the planner's plan. Every plan gives the
same rows in the same order, duplicates left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters, like_pattern, posting_day
from pipeline.analysis.scope import fact_conditions
from pipeline.store.models import PostingFact, PostingRow

# (:func:`walk_then_text_first`)
WALK_LIMIT = 2_500
# A filtered count reads the text's matches first when the planner expects at most this many (:func:`counted`)
TEXT_FIRST_COUNT_MAX = 50_000
TRIGRAM_INDEXES = tuple(f"ix_postings_{column}_trgm" for column in ("title", "company", "description"))
_TRIGRAM_WORD = re.compile(r"[^\W_]{3}")  # pg_trgm takes trigrams from runs of letters and digits


def search_text(text: str | None) -> str | None:
    """The search text without surrounding blanks; None when there is none."""
    return text.strip() if text and text.strip() else None


def holds(text: str, postings: sa.FromClause | None = None) -> sa.ColumnElement[bool]:
    """SQL: the posting's title, company or description holds ``text`` (ILIKE, case-insensitive); the columns of
    ``postings`` (an alias of the table, e.g. a sample) when given, else of ``PostingRow``."""
    pattern = like_pattern(text)
    columns = PostingRow if postings is None else postings.c
    return sa.or_(
        columns.title.ilike(pattern, escape="\\"),
        columns.company.ilike(pattern, escape="\\"),
        columns.description.ilike(pattern, escape="\\"),
    )


def trigram_search(text: str, *, session: Session) -> bool:
    """True when the trigram indexes can list the postings holding ``text``: the server has ``pg_trgm`` (the
    three indexes exist) and the text has a run of three letters or digits to take a trigram from (else the index
    would be read whole)."""
    if not _TRIGRAM_WORD.search(text):
        return False
    exist = [sa.func.to_regclass(sa.cast(name, sa.Text)).is_not(None) for name in TRIGRAM_INDEXES]
    return bool(session.scalar(sa.select(sa.and_(*exist))))


@contextmanager
def without_jit(session: Session) -> Iterator[None]:
    """Run the statements of the block without JIT compilation, then restore the setting (transaction-local). The
    text searches' cost estimates count every estimated match, often several times too many, and cross
    ``jit_above_cost``: compiling took 40-90 ms, more than some of the plans take to run."""
    previous = session.scalar(sa.select(sa.func.current_setting("jit"), sa.func.set_config("jit", "off", True)))
    try:
        yield
    finally:
        session.execute(sa.select(sa.func.set_config("jit", previous, True)))


def matching(filters: PostingFilters, text: str | None) -> sa.Select[Any]:
    """The ids and days of the unique postings matching ``filters`` and ``text`` (see :func:`holds`), read from
    ``posting_facts`` (``pipeline.analysis.scope``); the search joins ``postings``, the plan is the planner's."""
    stmt = cast("sa.Select[Any]", sa.select(PostingFact.posting_id, PostingFact.day).where(*fact_conditions(filters)))
    if text is None:
        return stmt
    return stmt.join(PostingRow, PostingRow.id == PostingFact.posting_id).where(holds(text))


def unique_holding(text: str) -> sa.Select[Any]:
    """The ids and days of the unique postings holding ``text``, from ``postings`` alone: what
    :func:`matching` gives without filters (the facts hold every unique posting, on the day :func:`posting_day`
    gives), without a join with the facts."""
    stmt = sa.select(PostingRow.id.label("posting_id"), posting_day().label("day"))
    return cast("sa.Select[Any]", stmt.where(holds(text), PostingRow.duplicate_of.is_(None)))


def estimated_matches(text: str, session: Session) -> float:
    """The planner's estimate of the unique postings holding ``text`` (``EXPLAIN``, no execution: about 2 ms)."""
    stmt = sa.select(PostingRow.id).where(holds(text), PostingRow.duplicate_of.is_(None))
    compiled = stmt.compile(dialect=session.get_bind().dialect)
    explain = session.connection().exec_driver_sql(f"explain (format json) {compiled}", compiled.params)
    return float(explain.scalar_one()[0]["Plan"]["Plan Rows"])


def counted(filters: PostingFilters, text: str, session: Session) -> sa.Subquery:
    """The matches the counts read. Without filters, the postings alone (the trigram matches, instead of a hash
    join with every fact). With filters, read text first (:func:`text_first`) when the trigram indexes serve the
    text and the planner expects at most ``TEXT_FIRST_COUNT_MAX`` matches; else :func:`matching` as the planner
    plans it, a parallel hash join with the filtered facts, which for a common text takes about two thirds of the
    time of looking each match up in one process (and twice the time for a rare one)."""
    if filters.is_empty:
        stmt = unique_holding(text)
    elif trigram_search(text, session=session) and estimated_matches(text, session) <= TEXT_FIRST_COUNT_MAX:
        return text_first(filters, text)
    else:
        stmt = matching(filters, text)
    return stmt.subquery("counted")


def text_first(filters: PostingFilters, text: str) -> sa.Subquery:
    """:func:`matching` read text first: the unique postings holding the text (through the trigram bitmap, each
    match rechecked once), then each one's facts looked up by key and filtered. The lookup is a LATERAL subquery
    that is not pulled up into a join, so that the planner's estimate of the matches (often several times too high)
    cannot turn it into a scan of all facts. Without filters no lookup is needed (:func:`unique_holding`)."""
    if filters.is_empty:
        return unique_holding(text).subquery("text_first")
    fact = (
        sa.select(PostingFact.day)
        .where(PostingFact.posting_id == PostingRow.id, *fact_conditions(filters))
        .offset(0)  # not pulled up: looked up per match
        .lateral("fact")
    )
    return (
        sa.select(PostingRow.id.label("posting_id"), fact.c.day)
        .join(fact, sa.true())
        .where(holds(text), PostingRow.duplicate_of.is_(None))
        .subquery("text_first")
    )


def walk_then_text_first(filters: PostingFilters, text: str, depth: int) -> sa.CompoundSelect[Any]:
    """The first ``depth`` postings matching ``filters`` and ``text``, newest first, in one statement of two
    branches of which only one runs (each gated on ``answered``, evaluated once):

    - ``walked``: the newest ``WALK_LIMIT`` filtered postings (``ix_posting_facts_day``) are read in order, the text
      checked on each, until ``depth`` match; the ``WALK_LIMIT``-th posting comes along matching or not, to tell
      that the walk stopped short of the end. It answers when it found ``depth`` matches or read every filtered
      posting: a common text fills the page within a few hundred postings;
    - else the text is rare among them: its matches are read text first (:func:`text_first`), then sorted.

    Reading text first for a common text would recheck every match (``ILIKE`` lowercases each description, about
    20 us), walking newest first for a rare one would recheck tens of thousands of postings; the bounded walk costs
    at most ``WALK_LIMIT`` rechecks more than the better of the two."""
    conditions = fact_conditions(filters)
    order = (PostingFact.day.desc(), PostingFact.posting_id)
    position = sa.func.row_number().over(order_by=order).label("position")
    recent = (
        sa.select(PostingFact.posting_id, PostingFact.day, position)
        .where(*conditions)
        .order_by(*order)
        .limit(WALK_LIMIT)
        .subquery("recent")
    )
    holds_text = holds(text)
    walked = (
        sa.select(recent.c.posting_id, recent.c.day, recent.c.position, holds_text.label("hit"))
        .join(PostingRow, PostingRow.id == recent.c.posting_id)
        .where(sa.or_(holds_text, recent.c.position == WALK_LIMIT))
        .order_by(recent.c.day.desc(), recent.c.posting_id)
        .limit(depth + 1)
        .cte("walked")
        .prefix_with("MATERIALIZED")
    )
    found = sa.func.count().filter(walked.c.hit) >= depth
    read_all = sa.func.count().filter(walked.c.position == WALK_LIMIT) == 0
    answered = sa.select(sa.or_(found, read_all)).select_from(walked).correlate(None).scalar_subquery()
    matches = text_first(filters, text)
    rare = (
        sa.select(matches.c.posting_id, matches.c.day)
        .where(sa.not_(answered))
        .order_by(matches.c.day.desc(), matches.c.posting_id)
        .limit(depth)
    )
    return sa.union_all(sa.select(walked.c.posting_id, walked.c.day).where(walked.c.hit, answered), rare)


def page_of_matches(filters: PostingFilters, text: str | None, offset: int, size: int, session: Session) -> sa.Subquery:
    """The ids and days of one page of matching postings, newest first: with a text the trigram indexes can list,
    :func:`walk_then_text_first`; otherwise the planner's plan (newest first with ``ix_posting_facts_day``)."""
    query = search_text(text)
    if query is not None and trigram_search(query, session=session):
        both = walk_then_text_first(filters, query, offset + size).subquery("matched")
        stmt = sa.select(both.c.posting_id, both.c.day).order_by(both.c.day.desc(), both.c.posting_id)
    else:
        stmt = matching(filters, query).order_by(PostingFact.day.desc(), PostingFact.posting_id)
    return stmt.offset(offset).limit(size).subquery("page")
