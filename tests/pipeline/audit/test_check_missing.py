"""Exact output of the missing-information check: salary, location, remote policy, level."""

from __future__ import annotations

import pytest
from audit_samples import document, snapshot

from pipeline.audit.checks.missing import (
    PAY_TRANSPARENCY,
    check_missing_information,
    location_in_text,
    remote_in_text,
    salary_in_text,
)
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span

COMPLETE = (
    "Senior AI Engineer\nRequirements\n- 5+ years of Python\nSalary: $150,000 - $180,000 per year\n"
    "Location: Austin, TX (hybrid)"
)


def ids(text: str, **fields: object) -> list[str]:
    return [f.id for f in check_missing_information(document(text, **fields))]


def test_a_complete_description_misses_nothing() -> None:
    assert ids(COMPLETE) == []


def test_a_missing_salary_carries_the_pay_transparency_note_and_the_markets_share() -> None:
    doc = document("Senior AI Engineer\nRequirements\n- Python\nLocation: Austin, TX (hybrid)")
    market = snapshot(postings=40, with_salary=30)
    assert check_missing_information(doc, market) == [
        Finding(
            id="missing.salary",
            check="missing",
            severity=Severity.MEDIUM,
            title="No salary range",
            message=f"The description states no pay range. {PAY_TRANSPARENCY}",
            advice="State the base salary range (currency and period), and equity or bonus if any.",
            market=(
                MarketFigure(
                    label="state a salary", value=0.75, unit="share", sample_size=40, segment="AI engineer · Senior"
                ),
            ),
        )
    ]


def test_a_competitive_salary_is_no_salary_but_a_structured_one_is() -> None:
    text = "Senior AI Engineer\nRequirements\n- Python\nCompetitive salary and benefits\nRemote (EU)"
    assert ids(text) == ["missing.salary"]
    assert ids(text, salary_min=120000.0, salary_max=140000.0) == []


def test_location_and_remote_policy() -> None:
    base = "Senior AI Engineer\nRequirements\n- Python\nSalary: $150k-$180k per year"
    assert ids(base) == ["missing.location", "missing.remote-policy"]
    assert ids(base + "\nWe work from our office in Lisbon, five days a week on-site.") == []
    assert ids(base + "\nThis role is fully remote.") == []  # a remote role needs no city
    assert ids(base, location="Berlin") == ["missing.remote-policy"]
    assert ids(base, location="Berlin", remote="onsite") == []


def test_no_level_at_all_is_medium_a_title_without_one_is_low() -> None:
    end = "\nSalary: $150k-$180k per year\nLocation: Oslo (hybrid)"
    [finding] = check_missing_information(document("AI Engineer\nRequirements\n- Python" + end))
    assert (finding.id, finding.severity) == ("missing.level", Severity.MEDIUM)
    text = "AI Engineer\nRequirements\n- Python\n- 3+ years building LLM applications" + end
    [finding] = check_missing_information(document(text))
    assert (finding.id, finding.severity) == ("missing.level-in-title", Severity.LOW)
    assert finding.message == (
        "The title names no level; the description reads as AI Engineer II from '3+ years'. A level in the title "
        "lets candidates self-select."
    )
    assert finding.evidence == (Span(text="3+ years", start=24, end=32, line=3),)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Base salary range: $140,000-$170,000", True),
        ("The pay for this role is €70k to €85k a year", True),
        ("We raised $40M from great investors", False),
        ("5+ years of experience", False),
    ],
)
def test_salary_in_text(line: str, found: bool) -> None:
    assert (salary_in_text(document(f"AI Engineer\n{line}")) is not None) is found


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Location: Remote, US", True),
        ("- **Location:** Paris", True),
        ("You will be based in Toronto", True),
        ("Hybrid, three days a week in our Toronto office.", True),
        ("We are based in the cloud", False),
        ("Relocation support", False),
    ],
)
def test_location_in_text(line: str, found: bool) -> None:
    assert (location_in_text(document(f"AI Engineer\n{line}")) is not None) is found


def test_remote_in_text_names_the_policy_and_its_line() -> None:
    found = remote_in_text(document("AI Engineer\nAbout\n- Hybrid: two days in the office"))
    assert found == ("hybrid", Span(text="- Hybrid: two days in the office", start=6, end=38, line=2))
