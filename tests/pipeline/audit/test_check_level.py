"""Exact output of the level-vs-years check."""

from __future__ import annotations

import pytest
from audit_samples import document, snapshot

from pipeline.analysis.market import Segment
from pipeline.audit.checks.level import check_level, primary_years, stated_level
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span
from pipeline.domain import Level


def test_a_junior_title_asking_five_years_is_high_with_its_evidence_and_market() -> None:
    doc = document("Junior AI Engineer\nRequirements\n- 5+ years of Python\n- Docker")
    market = snapshot(postings=20, segment=Segment("ai_engineer", "i"), years_histogram={1: 10, 2: 6, 5: 2})
    assert check_level(doc, market) == [
        Finding(
            id="level.years-above-title",
            check="level",
            severity=Severity.HIGH,
            title="AI Engineer I ('Junior') title asking 5+ years",
            message=(
                "The title word 'Junior' places the job at AI Engineer I, but it asks for 5+ years (AI Engineer I "
                "is 0-2 years on the ladder; 5 years reads as Senior). Candidates at the titled level will rule "
                "themselves out, and those with the years will read the title as a step down."
            ),
            advice="Ask for 0-2 years, or retitle the role at the level the years describe.",
            evidence=(Span(text="5+ years", start=15, end=23, line=2),),
            market=(
                MarketFigure(
                    label="ask 5+ years",
                    value=0.1,
                    unit="share",
                    sample_size=20,
                    segment="AI engineer · I",
                    warning="only 20 postings (fewer than 30): read as indicative",
                ),
                MarketFigure(
                    label="median minimum years asked",
                    value=1.0,
                    unit="years",
                    sample_size=18,
                    segment="AI engineer · I",
                    warning="only 18 postings (fewer than 30): read as indicative",
                ),
            ),
        )
    ]


@pytest.mark.parametrize(
    ("title", "years", "expected"),
    [
        ("Junior AI Engineer", 2, None),  # I is 0-2 years
        ("Junior AI Engineer", 3, Severity.MEDIUM),  # one rung up
        ("Junior AI Engineer", 7, Severity.HIGH),
        ("AI Engineer II", 4, None),
        ("AI Engineer II", 5, Severity.MEDIUM),
        ("AI Engineer II", 7, Severity.HIGH),  # two rungs up
        ("Senior AI Engineer", 8, Severity.MEDIUM),
        ("Senior AI Engineer", 12, Severity.HIGH),  # five years past Senior's 4-7
        ("Staff AI Engineer", 15, None),  # Staff has no upper bound
    ],
)
def test_years_above_the_titled_rung(title: str, years: int, expected: Severity | None) -> None:
    found = check_level(document(f"{title}\nRequirements\n- {years}+ years of Python"))
    assert [f.severity for f in found] == ([expected] if expected else [])
    assert all(f.id == "level.years-above-title" for f in found)


@pytest.mark.parametrize(
    ("title", "years", "expected"),
    [("Staff ML Engineer", 5, Severity.LOW), ("Staff ML Engineer", 2, Severity.MEDIUM), ("Senior Engineer", 4, None)],
)
def test_years_below_the_titled_rung(title: str, years: int, expected: Severity | None) -> None:
    found = check_level(document(f"{title}\nRequirements\n- {years}+ years of Python"))
    assert [(f.id, f.severity) for f in found] == ([("level.years-below-title", expected)] if expected else [])


def test_a_market_of_another_level_gives_no_years_figures() -> None:
    doc = document("Junior AI Engineer\nRequirements\n- 5+ years of Python")
    [finding] = check_level(doc, snapshot(postings=40, segment=Segment("ai_engineer"), years_histogram={5: 20}))
    assert finding.market == ()


def test_no_finding_without_a_level_or_without_years() -> None:
    assert check_level(document("AI Engineer\nRequirements\n- 9+ years of Python")) == []
    assert check_level(document("Junior AI Engineer\nRequirements\n- Python")) == []


def test_a_role_line_of_the_description_names_the_level_when_the_title_does_not() -> None:
    doc = document("Engineering roles\nJob Title: Junior Backend Engineer\nRequirements\n- 6+ years of Python")
    stated = stated_level(doc)
    assert stated is not None and stated[:2] == (Level.I, "Junior")
    assert stated[2] is not None and stated[2].line == 1 and stated[2].text.endswith("Junior Backend Engineer")
    [finding] = check_level(doc)
    assert finding.severity is Severity.HIGH
    assert [s.text for s in finding.evidence] == [stated[2].text, "6+ years"]
    assert finding.message.startswith(f"The role '{stated[2].text}' named in the description places the job at")


def test_the_primary_years_are_the_largest_first_mention_of_an_asked_line() -> None:
    doc = document(
        "ML Engineer\nAbout us\nFounded 12 years ago... 20 years of history\nRequirements\n"
        "- 3+ years of Python, including 1 year of Go\n- 5 years of ML"
    )
    found = primary_years(doc)
    assert found is not None and (found.years, found.span.text, found.span.line) == (5, "5 years", 5)
