"""Market statistics of a segment, against a real PostgreSQL holding a tiny fixture market (tests/audit_samples.py):
duplicates left out, shares with their sample sizes, the 90th percentile of required skills, the profile."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from audit_samples import seed_market
from sqlalchemy.orm import Session

from pipeline.analysis.market import (
    CountDistribution,
    Segment,
    SkillDemand,
    market_snapshot,
    required_skill_counts,
    segment_counts,
    segment_profile,
    skill_demand,
    tagged_postings,
)

SENIOR_AI = Segment("ai_engineer", "senior")


@pytest.fixture
def session(migrated_engine: sa.Engine) -> Session:
    with Session(migrated_engine) as s, s.begin():
        seed_market(s)
    return Session(migrated_engine)


def test_segment_counts_leave_duplicates_out(session: Session) -> None:
    assert segment_counts(session=session) == {
        ("ai_engineer", "senior"): 4,  # m:a5 repeats m:a1
        ("ai_engineer", "i"): 1,
        ("ml_engineer", "unknown"): 1,
    }
    assert tagged_postings(session=session) == 6
    assert tagged_postings(session=session, since=date(2026, 11, 1)) == 5


def test_skill_demand_shares_carry_the_segment_size(session: Session) -> None:
    demand = skill_demand(SENIOR_AI, session=session)
    assert demand[:2] == (
        SkillDemand(skill="Python", category="language", asked=4, required=4, postings=4),
        SkillDemand(skill="LLMs", category="concept", asked=3, required=2, postings=4),
    )
    assert {d.skill for d in demand} == {"Python", "LLMs", "RAG", "Docker", "LangChain", "Kubernetes", "AWS", "SQL"}
    assert "Rust" not in {d.skill for d in demand}  # only the duplicate asks it
    llms = demand[1]
    assert (llms.share_asked, llms.share_required) == (0.75, 0.5)


def test_required_skill_counts_percentiles(session: Session) -> None:
    # required skills per posting: a1 3, a2 3, a3 4, a4 1
    assert required_skill_counts(SENIOR_AI, session=session) == CountDistribution(
        postings=4, median=3.0, p90=4.0, maximum=4
    )
    assert required_skill_counts(Segment("data_engineer"), session=session) == CountDistribution(
        postings=0, median=None, p90=None, maximum=None
    )


def test_segment_profile(session: Session) -> None:
    profile = segment_profile(SENIOR_AI, session=session)
    assert (profile.postings, profile.with_salary, profile.with_location, profile.with_remote_policy) == (4, 2, 2, 1)
    assert (profile.phd_required, profile.publications_asked, profile.with_preferred_skills) == (1, 1, 2)
    assert profile.years_histogram == {4: 1, 5: 1, 6: 1}
    assert (profile.asking_at_least(5), profile.median_years(), profile.with_years) == (2, 5.0, 3)
    assert profile.specialization_histogram == {0: 2, 1: 1, 3: 1}
    assert (profile.first_day, profile.last_day) == (date(2026, 11, 2), date(2026, 11, 5))


def test_filters_by_level_specialization_window_and_method(session: Session) -> None:
    assert segment_profile(Segment(level="unknown"), session=session).postings == 1
    assert segment_profile(Segment(specialization="rag"), session=session).postings == 2
    assert segment_profile(Segment(specialization="agents", level="senior"), session=session).postings == 1
    assert segment_profile(Segment(), session=session, since=date(2026, 11, 4)).postings == 2
    assert segment_profile(Segment(), session=session, method="llm").postings == 0


def test_a_final_tag_counts_instead_of_the_rules_tag(session: Session) -> None:
    """As in the weekly aggregates: the LLM-reconciled ``final`` tag, where a posting has one."""
    for sql in (
        "create temp table reviewed as select * from posting_tags where posting_id = 'm:a4' and method = 'rules'",
        "update reviewed set method = 'final', role_family = 'ml_engineer'",
        "insert into posting_tags select * from reviewed",
    ):
        session.execute(sa.text(sql))
    counts = segment_counts(session=session)
    assert (counts[("ai_engineer", "senior")], counts[("ml_engineer", "senior")]) == (3, 1)
    assert tagged_postings(session=session) == 6  # one tag per posting
    assert segment_counts(session=session, method="rules")[("ai_engineer", "senior")] == 4
    assert segment_profile(Segment(), session=session, method="final").postings == 1


def test_skills_the_model_added_count_except_for_the_rule_tags_alone(session: Session) -> None:
    for sql in (
        "create temp table added as select * from posting_skills where posting_id = 'm:a4' limit 1",
        "update added set skill_id = (select id from skills where name = 'Rust'), source = 'llm'",
        "insert into posting_skills select * from added",
    ):
        session.execute(sa.text(sql))
    assert "Rust" in {d.skill for d in skill_demand(SENIOR_AI, session=session)}
    assert "Rust" not in {d.skill for d in skill_demand(SENIOR_AI, session=session, method="rules")}


def test_snapshot_combines_the_queries(session: Session) -> None:
    snapshot = market_snapshot(SENIOR_AI, session=session)
    assert (snapshot.postings, snapshot.warning) == (4, "only 4 postings (fewer than 30): read as indicative")
    assert snapshot.demand("Python").asked == 4
    assert snapshot.demand("COBOL") == SkillDemand(skill="COBOL", category="", asked=0, required=0, postings=4)
    assert snapshot.required_counts.p90 == 4.0


def test_queries_only_read(session: Session) -> None:
    before = session.execute(sa.text("select count(*), max(updated_at) from postings")).one()
    market_snapshot(Segment(), session=session)
    segment_counts(session=session)
    assert session.execute(sa.text("select count(*), max(updated_at) from postings")).one() == before
    assert not session.dirty and not session.new
