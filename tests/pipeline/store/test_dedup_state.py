"""A dedup pass over the same open postings as the last one is skipped; any change to what the rules read is not."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline import refresh
from pipeline.store import duplicates
from pipeline.store.models import PostingRow, Source

DAY = date(2026, 11, 2)


def posting(posting_id: str, url: str, title: str) -> PostingRow:
    return PostingRow(
        id=posting_id,
        source_id="s",
        content_hash=f"hash-{posting_id}",
        title=title,
        company="Acme",
        canonical_url=url,
        description="Build retrieval services.",
        first_seen_on=DAY,
        last_seen_on=DAY,
    )


@pytest.fixture
def session(migrated_engine: sa.Engine) -> Session:
    with Session(migrated_engine) as session, session.begin():
        session.add(Source(id="s", kind="jsonl", name="s", config={}))
        session.flush()
        session.add_all(
            [
                posting("s:1", "https://acme.example/jobs/1", "AI Engineer"),
                posting("s:2", "https://acme.example/jobs/1", "AI Engineer"),  # the same job again
                posting("s:3", "https://acme.example/jobs/3", "Data Engineer"),
            ]
        )
    return Session(migrated_engine)


def test_an_unchanged_store_keeps_the_last_links(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    with session.begin():
        first = refresh.mark_duplicates(session=session)
    assert (first.open_postings, first.unique_postings, first.changed, first.skipped) == (3, 2, 1, False)

    def compare(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("the postings were compared again")

    monkeypatch.setattr(refresh, "find_duplicates", compare)
    with session.begin():
        again = refresh.mark_duplicates(session=session)
    assert (again.open_postings, again.unique_postings, again.changed, again.skipped) == (3, 2, 0, True)


@pytest.mark.parametrize(
    "change",
    [
        "update postings set content_hash = 'edited' where id = 's:3'",
        "update postings set closed_on = date '2026-11-09' where id = 's:2'",
        "update postings set first_seen_on = date '2026-10-01' where id = 's:2'",
    ],
)
def test_a_change_to_what_the_rules_read_deduplicates_again(session: Session, change: str) -> None:
    with session.begin():
        refresh.mark_duplicates(session=session)
    with session.begin():
        session.execute(sa.text(change))
    with session.begin():
        again = refresh.mark_duplicates(session=session)
    assert not again.skipped
    with session.begin():
        assert refresh.mark_duplicates(session=session).skipped  # and that input is remembered in turn


def test_new_dedup_rules_deduplicate_again(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    with session.begin():
        refresh.mark_duplicates(session=session)
    monkeypatch.setattr(duplicates, "RULES_VERSION", "2")
    with session.begin():
        assert not refresh.mark_duplicates(session=session).skipped
