"""Skill demand queries on a small store written row by row, every expected figure counted by hand.

====  ======  =======  ==========  =========================  ====================================================
id    source  company  day         family / level (effective)  skills (R required, P preferred)
====  ======  =======  ==========  =========================  ====================================================
p1    a       Acme     2026-10-06  ai_engineer / senior        Python R, SQL P
p2    b       Beta     2026-10-07  data_engineer / i           SQL R, Python R
p3    a       Acme     2026-10-13  ai_engineer / senior        Python R, PyTorch R
p4    a       Beta     2026-10-14  ml_engineer / ii            PyTorch P, SQL R
p5    a       Acme     2026-10-20  ai_engineer / senior        Python R, LangGraph R
p6    b       Beta     2026-10-21  ai_engineer / staff         LangGraph P
p7    a       Acme     2026-10-28  ai_engineer / i             LangGraph R, Python P, SQL P
p8    b       Gamma    2026-10-27  ml_engineer / senior        PyTorch R, Python R   (rules tag: ai_engineer / ii)
p9    a       Gamma    2026-10-29  ai_engineer / senior        LangGraph R, Kubernetes P
p10   b       Acme     2026-11-03  ai_engineer / senior        Kubernetes R, Python R
====  ======  =======  ==========  =========================  ====================================================

p4dup (2026-10-14, LangGraph R) repeats p4 and never counts. Weeks: 10-05 (p1 p2), 10-12 (p3 p4), 10-19 (p5 p6),
10-26 (p7 p8 p9), 11-02 (p10). The data runs to 2026-11-03, a Tuesday: the week of 11-02 is not complete.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters
from pipeline.analysis.skill_demand import count_scoped, emerging_skills, skill_movers, top_skills
from pipeline.analysis.skill_detail import skill_cooccurrence, skill_detail, skill_examples
from pipeline.store import migrate
from pipeline.store.database import create_store_engine
from pipeline.store.models import PostingRow, PostingSkill, PostingTag, Skill, Source

if TYPE_CHECKING:
    from pg_server import TestPostgres

SKILLS = {
    "Python": "language",
    "SQL": "language",
    "PyTorch": "framework",
    "LangGraph": "framework",
    "Kubernetes": "infrastructure",
}
# id, source, company, day, role family, level, skills (name, requirement), duplicate of
POSTINGS: list[tuple[str, str, str, date, str, str, list[tuple[str, str]], str | None]] = [
    ("p1", "a", "Acme", date(2026, 10, 6), "ai_engineer", "senior", [("Python", "R"), ("SQL", "P")], None),
    ("p2", "b", "Beta", date(2026, 10, 7), "data_engineer", "i", [("SQL", "R"), ("Python", "R")], None),
    ("p3", "a", "Acme", date(2026, 10, 13), "ai_engineer", "senior", [("Python", "R"), ("PyTorch", "R")], None),
    ("p4", "a", "Beta", date(2026, 10, 14), "ml_engineer", "ii", [("PyTorch", "P"), ("SQL", "R")], None),
    ("p4dup", "b", "Beta", date(2026, 10, 14), "ml_engineer", "ii", [("LangGraph", "R")], "p4"),
    ("p5", "a", "Acme", date(2026, 10, 20), "ai_engineer", "senior", [("Python", "R"), ("LangGraph", "R")], None),
    ("p6", "b", "Beta", date(2026, 10, 21), "ai_engineer", "staff", [("LangGraph", "P")], None),
    (
        "p7",
        "a",
        "Acme",
        date(2026, 10, 28),
        "ai_engineer",
        "i",
        [("LangGraph", "R"), ("Python", "P"), ("SQL", "P")],
        None,
    ),
    ("p8", "b", "Gamma", date(2026, 10, 27), "ai_engineer", "ii", [("PyTorch", "R"), ("Python", "R")], None),
    ("p9", "a", "Gamma", date(2026, 10, 29), "ai_engineer", "senior", [("LangGraph", "R"), ("Kubernetes", "P")], None),
    ("p10", "b", "Acme", date(2026, 11, 3), "ai_engineer", "senior", [("Kubernetes", "R"), ("Python", "R")], None),
]
REQUIREMENT = {"R": "required", "P": "preferred"}


def _tag(posting_id: str, method: str, family: str, level: str) -> PostingTag:
    return PostingTag(
        posting_id=posting_id,
        method=method,
        role_family=family,
        level=level,
        extractor_version="test",
        taxonomy_version="test",
        content_hash=posting_id,
    )


def seed(engine: sa.Engine) -> None:
    with Session(engine) as session, session.begin():
        session.add_all([Source(id=s, kind="jsonl_file", name=f"{s}.jsonl") for s in ("a", "b")])
        skills = {name: Skill(name=name, category=cat, taxonomy_version="test") for name, cat in SKILLS.items()}
        session.add_all(skills.values())
        session.flush()
        for pid, source, company, day, family, level, asked, _ in POSTINGS:
            session.add(
                PostingRow(
                    id=pid,
                    source_id=source,
                    content_hash=pid,
                    title=f"Engineer {pid}",
                    company=company,
                    description="...",
                    posted_on=day,
                    first_seen_on=day,
                    last_seen_on=date(2026, 11, 3),
                )
            )
            session.flush()
            session.add(_tag(pid, "rules", family, level))
            for name, req in asked:
                evidence = f"{name} in {pid}"
                session.add(
                    PostingSkill(
                        posting_id=pid,
                        skill_id=skills[name].id,
                        requirement=REQUIREMENT[req],
                        evidence=evidence,
                        start_char=0,
                        end_char=len(evidence),
                        extractor_version="test",
                    )
                )
        session.add(_tag("p8", "final", "ml_engineer", "senior"))  # the effective tag of p8
        session.flush()
        for pid, *_, duplicate_of in POSTINGS:
            if duplicate_of:
                session.execute(sa.update(PostingRow).where(PostingRow.id == pid).values(duplicate_of=duplicate_of))


@pytest.fixture(scope="module")
def session(postgres: TestPostgres) -> Iterator[Session]:
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(postgres.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'create database "{name}"'))
    admin.dispose()
    engine = create_store_engine(postgres.url.rsplit("/", 1)[0] + f"/{name}")
    migrate.upgrade(engine)
    seed(engine)
    with Session(engine) as s:
        yield s
    engine.dispose()


def test_top_skills_count_required_and_preferred_of_unique_postings(session: Session) -> None:
    assert count_scoped(session=session) == 10  # p4dup left out
    assert top_skills(session=session).rows() == [
        ("Python", "language", 7, 6, 1, 70.0),
        ("LangGraph", "framework", 4, 3, 1, 40.0),  # p4dup's LangGraph does not count
        ("SQL", "language", 4, 2, 2, 40.0),
        ("PyTorch", "framework", 3, 2, 1, 30.0),
        ("Kubernetes", "infrastructure", 2, 1, 1, 20.0),
    ]
    assert top_skills(limit=2, session=session)["skill"].to_list() == ["Python", "LangGraph"]


def test_top_skills_follow_the_filters(session: Session) -> None:
    assert top_skills(PostingFilters(sources=("b",)), session=session).rows() == [
        ("Python", "language", 3, 3, 0, 75.0),
        ("Kubernetes", "infrastructure", 1, 1, 0, 25.0),
        ("LangGraph", "framework", 1, 0, 1, 25.0),
        ("PyTorch", "framework", 1, 1, 0, 25.0),
        ("SQL", "language", 1, 1, 0, 25.0),
    ]
    # p8 is an ML engineer by its final tag, not by its rules tag (ai_engineer / ii)
    ml = top_skills(PostingFilters(role_families=("ml_engineer",)), session=session)
    assert ml.rows() == [
        ("PyTorch", "framework", 2, 1, 1, 100.0),
        ("Python", "language", 1, 1, 0, 50.0),
        ("SQL", "language", 1, 1, 0, 50.0),
    ]
    assert top_skills(PostingFilters(levels=("ii",)), session=session)["skill"].to_list() == ["PyTorch", "SQL"]
    assert top_skills(PostingFilters(companies=("Nobody",)), session=session).is_empty()


def test_movers_compare_the_last_two_complete_weeks(session: Session) -> None:
    movers = skill_movers(min_postings=2, session=session)
    # week of 10-26 (3 postings) against 10-19 (2); 11-02 is not complete; PyTorch, SQL, Kubernetes: 1 posting
    assert movers.rows() == [
        ("LangGraph", "framework", date(2026, 10, 19), 2, 2, 100.0, date(2026, 10, 26), 2, 3, 66.7, -33.3),
        ("Python", "language", date(2026, 10, 19), 1, 2, 50.0, date(2026, 10, 26), 2, 3, 66.7, 16.7),
    ]
    everyone = skill_movers(min_postings=1, session=session)  # largest change either way, then by name
    assert everyone.select("skill", "change_pts").rows() == [
        ("Kubernetes", 33.3),
        ("LangGraph", -33.3),
        ("PyTorch", 33.3),
        ("SQL", 33.3),
        ("Python", 16.7),
    ]
    assert skill_movers(min_postings=1, limit=2, session=session)["skill"].to_list() == ["Kubernetes", "LangGraph"]


def test_movers_follow_the_window_and_leave_duplicates_out(session: Session) -> None:
    # until a Sunday: the week of 10-19 is the last complete one; p4dup would give LangGraph 1 of 3 in 10-12
    movers = skill_movers(PostingFilters(until=date(2026, 10, 25)), min_postings=1, session=session)
    assert [(r[0], r[3], r[4], r[7], r[8], r[10]) for r in movers.rows()] == [
        ("LangGraph", 0, 2, 2, 2, 100.0),
        ("PyTorch", 2, 2, 0, 2, -100.0),
        ("SQL", 1, 2, 0, 2, -50.0),
        ("Python", 1, 2, 1, 2, 0.0),
    ]
    assert set(movers["week"]) == {date(2026, 10, 19)} and set(movers["previous_week"]) == {date(2026, 10, 12)}
    assert skill_movers(PostingFilters(until=date(2026, 10, 11)), session=session).is_empty()  # one week only


def test_emerging_skills(session: Session) -> None:
    # recent: weeks of 10-19 and 10-26 (5 postings); earlier: 10-05 and 10-12 (4 postings)
    emerging = emerging_skills(recent_weeks=2, min_postings=2, session=session)
    assert emerging.rows() == [
        ("LangGraph", "framework", 0, 0.0, 4, 80.0, date(2026, 10, 20), date(2026, 10, 19)),
    ]  # Python is asked by 3 recent postings but by 75% of the earlier ones; p4dup (10-14) is left out
    anyone = emerging_skills(recent_weeks=2, min_postings=1, session=session)
    assert [(r[0], r[4], r[5], r[6]) for r in anyone.rows()] == [
        ("LangGraph", 4, 80.0, date(2026, 10, 20)),
        ("Kubernetes", 1, 20.0, date(2026, 10, 29)),  # p10 asks it too, in the week not yet complete
    ]
    # with one more recent week, 10-12 is recent: PyTorch (2 of 7 recent, 0 of 2 earlier) emerges too
    wider = emerging_skills(recent_weeks=3, min_postings=2, session=session)
    assert [(r[0], r[2], r[4], r[5]) for r in wider.rows()] == [("LangGraph", 0, 4, 57.1), ("PyTorch", 0, 3, 42.9)]
    assert emerging_skills(PostingFilters(since=date(2026, 10, 19)), recent_weeks=2, session=session).is_empty()


def test_cooccurrence_among_the_top_skills(session: Session) -> None:
    pairs = skill_cooccurrence(top_n=3, session=session)
    assert pairs.rows() == [
        ("Python", "SQL", 3, 7, 4, 0.375, 1.07),
        ("Python", "LangGraph", 2, 7, 4, 0.222, 0.71),
        ("LangGraph", "SQL", 1, 4, 4, 0.143, 0.62),
    ]
    filtered = skill_cooccurrence(PostingFilters(sources=("a",)), top_n=2, session=session)
    # source a: 6 postings; Python (p1 p3 p5 p7) and LangGraph (p5 p7 p9) together in p5 and p7
    assert filtered.rows() == [("Python", "LangGraph", 2, 4, 3, 0.4, 1.0)]
    assert skill_cooccurrence(PostingFilters(companies=("Nobody",)), session=session).is_empty()


def test_skill_detail(session: Session) -> None:
    detail = skill_detail("Python", session=session)
    assert detail is not None
    head = {k: detail[k] for k in ("skill", "category", "postings", "asking", "required", "share_pct")}
    assert head == {
        "skill": "Python",
        "category": "language",
        "postings": 10,
        "asking": 7,
        "required": 6,
        "share_pct": 70.0,
    }
    assert detail["required_share_pct"] == 85.7
    assert detail["weekly"].rows() == [
        (date(2026, 10, 5), 2, 2, 2, 100.0),
        (date(2026, 10, 12), 2, 1, 1, 50.0),
        (date(2026, 10, 19), 2, 1, 1, 50.0),
        (date(2026, 10, 26), 3, 2, 1, 66.7),
        (date(2026, 11, 2), 1, 1, 1, 100.0),
    ]
    assert detail["by_level"].rows() == [
        ("i", 2, 2, 1, 100.0),
        ("ii", 1, 0, 0, 0.0),
        ("senior", 6, 5, 5, 83.3),
        ("staff", 1, 0, 0, 0.0),
    ]
    assert detail["by_family"].rows() == [
        ("ai_engineer", 7, 5, 4, 71.4),
        ("data_engineer", 1, 1, 1, 100.0),
        ("ml_engineer", 2, 1, 1, 50.0),
    ]
    assert detail["cooccurring"].rows() == [
        ("SQL", "language", 3, 42.9),
        ("LangGraph", "framework", 2, 28.6),
        ("PyTorch", "framework", 2, 28.6),
        ("Kubernetes", "infrastructure", 1, 14.3),
    ]


def test_skill_detail_follows_the_filters(session: Session) -> None:
    detail = skill_detail("Python", PostingFilters(sources=("b",)), session=session)
    assert detail is not None
    assert (detail["postings"], detail["asking"], detail["required"]) == (4, 3, 3)
    assert detail["by_family"]["role_family"].to_list() == ["ai_engineer", "data_engineer", "ml_engineer"]
    none = skill_detail("Python", PostingFilters(companies=("Nobody",)), session=session)
    assert none is not None and none["postings"] == 0 and none["share_pct"] == 0.0 and none["weekly"].is_empty()
    assert skill_detail("Cobol", session=session) is None


def test_skill_examples_newest_first_without_duplicates(session: Session) -> None:
    examples = skill_examples("LangGraph", limit=3, session=session)
    assert examples.rows() == [
        ("p9", "Engineer p9", "Gamma", date(2026, 10, 29), "required", "LangGraph in p9"),
        ("p7", "Engineer p7", "Acme", date(2026, 10, 28), "required", "LangGraph in p7"),
        ("p6", "Engineer p6", "Beta", date(2026, 10, 21), "preferred", "LangGraph in p6"),
    ]
    assert skill_examples("LangGraph", session=session)["id"].to_list() == ["p9", "p7", "p6", "p5"]
    assert skill_examples("LangGraph", PostingFilters(sources=("b",)), session=session)["id"].to_list() == ["p6"]
    assert skill_examples("Cobol", session=session).is_empty()
