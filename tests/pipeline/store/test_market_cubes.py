"""The counts migration 0008 keeps: ``source_company_counts`` follows every insert, update, delete and truncate of
postings exactly (triggers); the weekly aggregates recomputed for the changed weeks only equal a full recompute;
an unchanged refresh writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa
from scope_samples import scope_session
from sqlalchemy.orm import Session

from pipeline.refresh import aggregate
from pipeline.store.cube import rebuild_source_counts
from pipeline.store.models import PostingRow, PostingTag
from pipeline.store.weekly import refresh_weekly

if TYPE_CHECKING:
    from pg_server import TestPostgres

WEEKLY = ("weekly_segment_counts", "weekly_specialization_counts", "weekly_skill_counts")


@pytest.fixture
def session(postgres: TestPostgres) -> Iterator[Session]:
    with scope_session(postgres.url) as s:
        yield s


def rows(session: Session, table: str) -> set[tuple[Any, ...]]:
    return {
        tuple(tuple(v) if isinstance(v, list) else v for v in row)
        for row in session.execute(sa.text(f"select * from {table}"))
    }


def assert_source_counts_exact(session: Session) -> None:
    kept = rows(session, "source_company_counts")
    rebuild_source_counts(session=session)
    assert rows(session, "source_company_counts") == kept
    session.rollback()


def test_source_company_counts_follow_every_change_of_postings(session: Session) -> None:
    assert_source_counts_exact(session)
    assert len(rows(session, "source_company_counts")) == 6  # (a, Acme) (b, Beta) (a, Gamma) (b, Delta) ...
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p8").values(closed_on=date(2026, 11, 21)))
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p1").values(last_seen_on=date(2026, 12, 1)))
    session.commit()
    assert_source_counts_exact(session)
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p1").values(last_seen_on=date(2026, 11, 5)))
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p6").values(company=None, source_id="a"))
    session.commit()
    assert_source_counts_exact(session)
    session.execute(sa.delete(PostingRow).where(PostingRow.id.in_(["p7", "p5"])))  # the only Gamma posting
    session.commit()
    assert_source_counts_exact(session)
    assert ("a", "Gamma") not in {(r[0], r[1]) for r in rows(session, "source_company_counts")}
    session.execute(sa.text("truncate postings cascade"))
    session.commit()
    assert rows(session, "source_company_counts") == set()
    assert rows(session, "cube_postings") == set()


def test_weekly_aggregates_of_the_changed_weeks_equal_a_full_recompute(session: Session) -> None:
    aggregate(session=session)
    session.commit()
    # p1 relabelled by a final tag, p6 moved to another week, p3 deleted
    session.add(
        PostingTag(
            posting_id="p1",
            method="final",
            role_family="ml_engineer",
            level="senior",
            specializations=["agents"],
            specialization_scores={"agents": 0.5},
            years_min=6,
            extractor_version="v",
            content_hash="p1",
        )
    )
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p6").values(posted_on=date(2026, 11, 4)))
    session.execute(sa.delete(PostingRow).where(PostingRow.id == "p3"))
    session.commit()
    written = aggregate(session=session)
    assert written["market_cubes"] == 3
    kept = {table: rows(session, table) for table in WEEKLY}
    refresh_weekly(session=session)
    assert {table: rows(session, table) for table in WEEKLY} == kept
    session.commit()
    assert set(aggregate(session=session).values()) == {0}  # unchanged: nothing read, nothing written


def test_a_refresh_of_most_of_the_store_rebuilds(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.store import cube

    monkeypatch.setattr(cube, "REBUILD_ABOVE", 0)
    refreshed = cube.refresh_cubes(session=session)  # every posting is new: more than a fifth of the counted ones
    assert (refreshed.dirty, refreshed.changed, refreshed.weeks) == (8, 7, None)
    assert cube.cubes_current(session=session)
    kept = {table: rows(session, table) for table in ("posting_cube", "skill_cube", "skill_pair_cube")}
    monkeypatch.setattr(cube, "REBUILD_ABOVE", 10**9)
    session.execute(sa.text("truncate cube_postings, posting_cube, skill_cube, skill_pair_cube"))
    session.execute(sa.text("insert into cube_dirty select posting_id from posting_facts"))
    assert cube.refresh_cubes(session=session).weeks is not None  # the same counts, as deltas
    assert {table: rows(session, table) for table in kept} == kept
