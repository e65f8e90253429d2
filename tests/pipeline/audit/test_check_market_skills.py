"""Exact output of the market comparison: common skills omitted, rare must-haves."""

from __future__ import annotations

from audit_samples import document, snapshot

from pipeline.audit.checks.market_skills import check_market_skills
from pipeline.audit.findings import MarketFigure, Severity, Span

JD = "Senior AI Engineer\nRequirements\n- Python and LangChain\n- COBOL\nNice to have\n- Docker"
MARKET = {
    "Python": (38, 37),
    "LLMs": (30, 28),
    "RAG": (24, 20),
    "Artificial intelligence": (35, 35),  # an umbrella term: never named
    "Communication": (33, 30),
    "LangChain": (15, 10),
    "Docker": (16, 9),
    "COBOL": (0, 0),
}


def test_common_skills_omitted_and_rare_must_haves() -> None:
    market = snapshot(postings=40, skills=MARKET)
    common, rare = check_market_skills(document(JD), market)
    assert (common.id, common.severity) == ("market.common-skills-omitted", Severity.INFO)
    assert common.message == (
        "Most AI engineer · Senior postings ask for LLMs (75%), RAG (60%); this description does not mention them. "
        "Fine if the role does not need them; if it does, say so."
    )
    assert common.market[0] == MarketFigure(
        label="ask LLMs", value=0.75, unit="share", sample_size=40, segment="AI engineer · Senior"
    )
    assert (rare.id, rare.severity) == ("market.rare-asks", Severity.INFO)
    assert rare.evidence == (Span(text="COBOL", start=38, end=43, line=3),)
    assert rare.market[0].value == 0.0


def test_soft_skills_are_not_named_as_gaps() -> None:
    market = snapshot(postings=40, skills=MARKET)
    found = check_market_skills(document(JD), market)
    assert "Communication" not in found[0].message


def test_no_comparison_without_a_market_or_with_fewer_than_ten_postings() -> None:
    assert check_market_skills(document(JD), None) == []
    assert check_market_skills(document(JD), snapshot(postings=9, skills={"LLMs": (9, 9)})) == []
