"""The market cubes answer every dashboard query exactly as the posting tables do: on the hand-counted store of
tests/scope_samples.py, every filter-aware query is run on the posting tables (changes not yet counted: the cubes
are bypassed), then the cubes are brought up to date and the same queries read them; the results must be equal.
Again after each kind of change: a final tag relabelling a posting, a posting deleted, one marked duplicate, skills
replaced, a posting moved to another week. After all of them, the incrementally kept cubes equal a rebuild."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl
import pytest
import sqlalchemy as sa
from polars.testing import assert_frame_equal
from scope_samples import scope_session
from sqlalchemy.orm import Session

from pipeline.analysis import filters as filter_queries
from pipeline.analysis import queries
from pipeline.analysis.cube_scope import grain_for
from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.registry import QUERIES
from pipeline.refresh import aggregate
from pipeline.store.cube import POSTING_CUBE, SKILL_CUBE, cubes_current, rebuild_cubes, refresh_cubes
from pipeline.store.models import PostingRow, PostingSkill, PostingTag, Skill
from pipeline.store.weekly import refresh_weekly

if TYPE_CHECKING:
    from pg_server import TestPostgres

FILTERED = (
    "filtered_totals",
    "postings_per_week",
    "level_distribution",
    "years_by_level",
    "salary_bands",
    "rising_skills",
    "specialization_share",
    "specialization_by_level",
    "specialization_trend",
    "specialization_top_skills",
    "specialization_overlap",
    "skill_postings",
    "top_skills",
    "skill_movers",
    "emerging_skills",
    "skill_cooccurrence",
    "count_postings",
    "matching_per_week",
)
ARGUMENTS: dict[str, dict[str, Any]] = {
    "rising_skills": {"min_postings": 1},
    "skill_movers": {"min_postings": 1},
    "emerging_skills": {"min_postings": 1, "recent_weeks": 1},
    "skill_cooccurrence": {"top_n": 3},
}
FILTERS = {
    "none": PostingFilters(),
    "staff": PostingFilters(levels=("staff",)),
    "unknown level": PostingFilters(levels=("unknown",)),
    "source a": PostingFilters(sources=("a",)),
    "mid-week window": PostingFilters(since=date(2026, 11, 3), until=date(2026, 11, 16)),
    "weeks to the end": PostingFilters(since=date(2026, 11, 9), until=date(2026, 12, 31)),
    "company": PostingFilters(companies=("Beta",)),
    "remote unknown": PostingFilters(remote=("unknown",)),
    "family": PostingFilters(role_families=("ml_engineer",)),
    "agents": PostingFilters(specializations=("agents",)),
    "staff at source b": PostingFilters(levels=("staff",), sources=("b",)),
    "window and company": PostingFilters(since=date(2026, 11, 10), companies=("Beta", "Echo")),
}
STORE_WIDE: dict[str, Callable[..., Any]] = {
    "overview": queries.overview,
    "sources": queries.sources,
    "filter_options": filter_queries.filter_options,
}


def results(session: Session) -> dict[str, Any]:
    """Every filter-aware query under every filter, the store-wide ones, and a skill's detail and examples."""
    out: dict[str, Any] = {name: query(session=session) for name, query in STORE_WIDE.items()}
    for label, filters in FILTERS.items():
        for name in FILTERED:
            out[f"{name} / {label}"] = QUERIES[name](filters, session=session, **ARGUMENTS.get(name, {}))
        for skill in ("Python", "Kubernetes"):
            out[f"skill_detail {skill} / {label}"] = QUERIES["skill_detail"](skill, filters, session=session)
            out[f"skill_examples {skill} / {label}"] = QUERIES["skill_examples"](skill, filters, session=session)
    return out


def same_frame(got: pl.DataFrame, expected: pl.DataFrame, what: str) -> None:
    try:
        assert_frame_equal(got, expected, check_exact=True)
    except AssertionError as error:
        raise AssertionError(f"{what}: {error}\n{got}\n{expected}") from error


def assert_same(raw: dict[str, Any], cube: dict[str, Any]) -> None:
    assert raw.keys() == cube.keys()
    for key, expected in raw.items():
        got = cube[key]
        if isinstance(expected, pl.DataFrame):
            same_frame(got, expected, key)
        elif isinstance(expected, dict):
            assert got.keys() == expected.keys(), key
            for field, value in expected.items():
                if isinstance(value, pl.DataFrame):
                    same_frame(got[field], value, f"{key}: {field}")
                else:
                    assert got[field] == value, f"{key}: {field}"
        else:
            assert got == expected, key


@pytest.fixture
def session(postgres: TestPostgres) -> Iterator[Session]:
    with scope_session(postgres.url) as s:
        yield s


def check(session: Session) -> None:
    """Results with the changes not counted (the posting tables; the overview's skill mentions from the weekly
    aggregates), then counted (the cubes): equal."""
    refresh_weekly(session=session)  # the weekly aggregates as the raw side reads them: up to date
    assert not cubes_current(session=session)
    raw = results(session)
    aggregate(session=session)  # the flow's step: the cubes, and the weekly aggregates of the weeks changed
    session.commit()
    assert cubes_current(session=session)
    assert_same(raw, results(session))


def cube_rows(session: Session) -> dict[str, set[tuple[Any, ...]]]:
    tables = ("posting_cube", "skill_cube", "skill_pair_cube", "cube_postings")
    return {t: {tuple(str(v) for v in row) for row in session.execute(sa.text(f"select * from {t}"))} for t in tables}


def test_the_bench_filters_are_answered_by_the_cubes() -> None:
    for label in ("none", "staff", "source a", "mid-week window"):
        assert grain_for(POSTING_CUBE, FILTERS[label], ("level",)) is not None, label
        assert grain_for(SKILL_CUBE, FILTERS[label], ("level",)) is not None, label
    # a company is selective: its postings' skills come from the snapshot (or the posting tables)
    assert grain_for(SKILL_CUBE, FILTERS["company"], ()) is None
    assert grain_for(POSTING_CUBE, PostingFilters(location="Berlin"), ()) is None  # a substring: the tables


def test_cubes_equal_the_posting_tables_through_every_kind_of_change(session: Session) -> None:
    check(session)
    # an LLM final tag relabels p1 (level, family, specializations, years)
    session.add(
        PostingTag(
            posting_id="p1",
            method="final",
            role_family="ml_engineer",
            level="senior",
            specializations=["agents", "safety"],
            years_min=6,
            extractor_version="v",
            content_hash="p1",
        )
    )
    session.commit()
    check(session)
    # a posting deleted (its facts and skills go with it), another marked a duplicate
    session.execute(sa.delete(PostingRow).where(PostingRow.id == "p3"))
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p2").values(duplicate_of="p1"))
    session.commit()
    check(session)
    # skills replaced, a requirement changed, a posting moved to another week and company
    python, sql = (session.scalar(sa.select(Skill.id).where(Skill.name == n)) for n in ("Python", "SQL"))
    session.execute(sa.delete(PostingSkill).where(PostingSkill.posting_id == "p8", PostingSkill.skill_id == python))
    session.add(
        PostingSkill(
            posting_id="p8",
            skill_id=sql,
            requirement="preferred",
            evidence="SQL",
            start_char=0,
            end_char=3,
            extractor_version="v",
        )
    )
    session.execute(
        sa.update(PostingSkill)
        .where(PostingSkill.posting_id == "p5", PostingSkill.skill_id == python)
        .values(requirement="preferred")
    )
    session.execute(
        sa.update(PostingRow).where(PostingRow.id == "p6").values(posted_on=date(2026, 11, 4), company="Acme")
    )
    session.commit()
    check(session)
    # the final tag withdrawn: p1 is counted by its rules tag again; the duplicate link removed
    session.execute(sa.delete(PostingTag).where(PostingTag.posting_id == "p1", PostingTag.method == "final"))
    session.execute(sa.update(PostingRow).where(PostingRow.id == "p2").values(duplicate_of=None))
    session.commit()
    check(session)
    kept = cube_rows(session)
    rebuild_cubes(session=session)
    session.commit()
    assert cube_rows(session) == kept


def test_an_unchanged_refresh_reads_nothing_and_a_rewrite_changes_nothing(session: Session) -> None:
    first = refresh_cubes(session=session)
    weeks = (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16))
    assert (first.dirty, first.changed, first.weeks) == (8, 7, weeks)  # p7, a duplicate, is marked but not counted
    assert refresh_cubes(session=session).dirty == 0
    # p4's tag rewritten as it was: marked, nothing to count, its week's weekly aggregates recomputed
    session.execute(sa.update(PostingTag).where(PostingTag.posting_id == "p4").values(years_min=8))
    session.commit()
    again = refresh_cubes(session=session)
    assert (again.dirty, again.changed, again.weeks) == (1, 0, (date(2026, 11, 9),))
