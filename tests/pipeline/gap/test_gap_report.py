"""The gap report on the tiny fixture market in a real PostgreSQL (tests/gap_samples.py): every figure exact, an
empty segment still reported with its warning, no store at all."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from gap_samples import AS_OF, SENIOR_RAG, extractor, seed_gap_market
from sqlalchemy.orm import Session

from pipeline.analysis.market import Segment
from pipeline.gap import GapReport, UnknownSkill, UserSkills, gap_report

USER = UserSkills(
    source="--skills",
    skills=("Python", "SQL", "TensorFlow", "Docker"),
    unknown=(UnknownSkill("pyhton3k", ("Python",)),),
)


@pytest.fixture
def session(migrated_engine: sa.Engine) -> Iterator[Session]:
    with Session(migrated_engine) as s, s.begin():
        seed_gap_market(s)
    with Session(migrated_engine) as s:
        yield s


def report(session: Session | None, segment: Segment = SENIOR_RAG, **kw: object) -> GapReport:
    return gap_report(USER, segment, taxonomy=extractor().taxonomy, session=session, as_of=AS_OF, **kw)  # type: ignore[arg-type]


def test_segment_window_and_sample_warning(session: Session) -> None:
    s = report(session).segment
    assert (s.postings, s.first_day, s.last_day, s.label) == (
        5,
        date(2026, 11, 2),
        date(2026, 11, 23),
        "AI engineer · Senior · rag",
    )
    assert s.warning == "only 5 postings (fewer than 30): read as indicative"


def test_coverage_have_and_missing_ranked_by_demand(session: Session) -> None:
    r = report(session)
    # asks: Python 5, RAG 4, LLMs 3, Docker 2, Embeddings, Kubernetes, LangChain, PyTorch 1 each = 18
    assert (r.coverage.met, r.coverage.total, r.coverage.score) == (7, 18, round(7 / 18, 4))
    assert (r.coverage.have, r.coverage.asked) == (2, 8)
    assert [(row.skill, row.rank) for row in r.have] == [("Python", 1), ("Docker", 4)]
    assert [row.skill for row in r.missing] == ["RAG", "LLMs", "Kubernetes", "LangChain", "Embeddings", "PyTorch"]
    llms = r.row("LLMs")
    assert llms is not None
    assert (llms.asked, llms.required, llms.preferred, llms.postings, llms.share_asked) == (3, 2, 1, 5, 0.6)
    sql = r.row("SQL")
    assert sql is not None and (sql.status, sql.rank, sql.asked) == ("have", None, 0)
    assert r.user.unknown[0].closest == ("Python",)


def test_trend_over_the_four_weeks_ending_on_the_day(session: Session) -> None:
    r = report(session)
    assert [(w.start, w.postings) for w in r.weeks] == [
        (date(2026, 11, 1), 2),
        (date(2026, 11, 8), 1),
        (date(2026, 11, 15), 1),
        (date(2026, 11, 22), 1),  # g6 repeats g5: left out
    ]
    rows = {row.skill: row for row in r.skills}
    assert (rows["RAG"].weekly_share, rows["RAG"].trend) == ((1.0, 1.0, 0.0, 1.0), "falling")
    assert (rows["Docker"].weekly_share, rows["Docker"].trend) == ((0.5, 0.0, 1.0, 0.0), "rising")
    assert rows["Python"].trend == "steady"


def test_pairs_transfers_and_learning_order(session: Session) -> None:
    r = report(session)
    assert [(p.first, p.second, p.together) for p in r.pairs] == [
        ("Python", "RAG", 4),
        ("LLMs", "Python", 3),
        ("Docker", "LLMs", 2),
        ("Docker", "Python", 2),
        ("LLMs", "RAG", 2),
    ]
    assert [(t.skill, t.asked, t.towards) for t in r.transfers] == [
        ("Python", 5, ()),
        ("Docker", 2, ()),
        ("TensorFlow", 0, ("PyTorch",)),  # same category, asked together by h1 and h2
    ]
    assert r.store_pairs_postings == 8
    assert [s.skill for s in r.learning_order] == [
        "LLMs", "Embeddings", "RAG", "LangChain", "PyTorch", "Linux", "Kubernetes",
    ]  # fmt: skip
    linux = r.row("Linux")
    assert linux is not None and (linux.status, linux.order, linux.asked) == ("prerequisite", 6, 0)
    kubernetes = r.row("Kubernetes")
    assert kubernetes is not None and (kubernetes.order, kubernetes.prerequisites) == (7, ("Docker", "Linux"))


def test_an_empty_segment_still_reports_with_its_warning(session: Session) -> None:
    r = report(session, Segment("data_engineer", "staff", "multimodal"))
    assert (r.segment.postings, r.segment.status, r.coverage.score) == (0, "compared", None)
    assert r.segment.warning == "only 0 postings (fewer than 30): read as indicative"
    assert (r.have, r.missing, r.pairs, r.learning_order) == ((), (), (), ())
    assert {row.skill for row in r.skills} == set(USER.skills)


def test_a_window_and_no_store(session: Session) -> None:
    assert report(session, since=date(2026, 11, 9)).segment.postings == 3
    r = report(None, skip_reason="--no-market was given")
    assert (r.segment.status, r.segment.reason, r.segment.warning) == ("skipped", "--no-market was given", None)
    assert [w.postings for w in r.weeks] == [0, 0, 0, 0]
