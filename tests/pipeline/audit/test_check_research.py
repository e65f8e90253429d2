"""Exact output of the research-role-in-disguise check."""

from __future__ import annotations

import pytest
from audit_samples import document, snapshot

from pipeline.audit.checks.research import check_research_role, is_engineering_title
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span


def test_phd_and_venue_papers_for_an_engineer_title_is_high() -> None:
    doc = document("Senior AI Engineer\nRequirements\n- PhD in Machine Learning\n- Publications at NeurIPS or ICLR")
    market = snapshot(postings=50, phd_required=2, publications_asked=5)
    assert check_research_role(doc, market) == [
        Finding(
            id="research.engineer-title",
            check="research",
            severity=Severity.HIGH,
            title="A research role in disguise",
            message=(
                "The title 'Senior AI Engineer' names an engineering role, but the description asks for a PhD "
                "(required) and publications at NeurIPS, ICLR (required). Engineers who build and ship systems "
                "rarely have these; researchers who do will not look for the role under an engineering title."
            ),
            advice=(
                "If the work is building products on models, ask for shipped systems instead of degrees and papers; "
                "if it is research, title it Research Engineer or Research Scientist."
            ),
            evidence=(
                Span(text="PhD in Machine Learning", start=15, end=38, line=2),
                Span(text="Publications at NeurIPS or ICLR", start=41, end=72, line=3),
            ),
            market=(
                MarketFigure(
                    label="require a PhD", value=0.04, unit="share", sample_size=50, segment="AI engineer · Senior"
                ),
                MarketFigure(
                    label="ask for publications",
                    value=0.1,
                    unit="share",
                    sample_size=50,
                    segment="AI engineer · Senior",
                ),
            ),
        )
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["- PhD in Computer Science"], Severity.MEDIUM),  # a required PhD alone
        (["- Papers at NeurIPS or ICML"], Severity.HIGH),  # required publications at named venues
        (["- A strong publication record"], Severity.MEDIUM),  # required publications, no venue
        (["Nice to have", "- PhD in ML", "- Publications at ICML"], Severity.LOW),  # only preferred
        (["- MS or PhD in Computer Science"], None),  # a master's satisfies it
        (["- Python and SQL"], None),
    ],
)
def test_severity_by_what_is_asked(lines: list[str], expected: Severity | None) -> None:
    found = check_research_role(document("ML Engineer\nRequirements\n" + "\n".join(lines)))
    assert [f.severity for f in found] == ([expected] if expected else [])


def test_research_titles_are_not_in_disguise() -> None:
    assert check_research_role(document("Research Engineer, LLMs\nRequirements\n- PhD\n- Papers at NeurIPS")) == []
    assert check_research_role(document("Applied Scientist\nRequirements\n- PhD\n- Papers at NeurIPS")) == []


@pytest.mark.parametrize(
    ("title", "engineering"),
    [
        ("AI Engineer", True),
        ("Staff Software Developer, ML", True),
        ("Research Engineer", False),
        ("Research Scientist", False),
        ("Data Scientist", False),
        ("Product Manager, AI", False),
    ],
)
def test_engineering_titles(title: str, engineering: bool) -> None:
    assert is_engineering_title(title) is engineering
