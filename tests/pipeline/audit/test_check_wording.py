"""Exact output of the exclusionary-wording checks: masculine-coded words, coded labels, age-coded phrases, and
too few required-vs-preferred distinctions."""

from __future__ import annotations

from audit_samples import document, snapshot, wordlists

from pipeline.audit.checks.wording import (
    check_exclusionary_phrases,
    check_gendered_wording,
    check_requirement_distinctions,
    coded_words,
)
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span

AGGRESSIVE = (
    "Senior Backend Engineer\nWho you are\n"
    "You are ambitious, assertive and competitive: a decisive, fearless self-reliant driver who dominates.\n"
    "You are confident and determined, and you persist."
)


def test_masculine_coded_words_outnumbering_feminine_ones_are_flagged_with_each_word() -> None:
    doc = document(AGGRESSIVE)
    found = coded_words(doc, wordlists().gendered)
    assert [span.text for span in found["masculine"]] == [
        "ambitious",
        "assertive",
        "competitive",
        "decisive",
        "self-reliant",
        "confident",
        "determined",
        "persist",
    ]
    assert found["feminine"] == []
    [finding] = check_gendered_wording(doc, wordlists().gendered)
    assert finding.id == "wording.masculine-coded"
    assert finding.severity is Severity.MEDIUM  # 8 more masculine than feminine words
    assert finding.message.startswith(
        "8 masculine-coded words (ambitious, assertive, competitive, confident, decisive, determined, persist, "
        "self-reliant) against 0 feminine-coded ones."
    )
    assert finding.evidence[0] == Span(text="ambitious", start=20, end=29, line=2)


def test_balanced_wording_and_technical_uses_are_not_flagged() -> None:
    balanced = (
        AGGRESSIVE + "\nWe support each other, share what we understand, trust and connect across teams, kind and warm."
    )
    assert check_gendered_wording(document(balanced), wordlists().gendered) == []
    technical = (
        "Senior Data Engineer\nRequirements\n- Lead engineers on the analytics platform as an individual contributor"
        "\n- Data analysis with Python\n- Manage dependencies and leading indicators"
    )
    assert coded_words(document(technical), wordlists().gendered)["masculine"] == []


def test_headings_are_not_counted() -> None:
    found = coded_words(document("ML Engineer\nLeadership\nResponsibilities\n- Build models"), wordlists().gendered)
    assert [s.text for s in found["feminine"]] == []  # "Responsibilities" is a heading


def test_coded_labels() -> None:
    doc = document("Senior Engineer\nWe want a Python rockstar and a ninja on call.\nRequirements\n- Python")
    assert check_exclusionary_phrases(doc, wordlists().phrases) == [
        Finding(
            id="wording.coded-labels",
            check="wording",
            severity=Severity.MEDIUM,
            title="Coded labels for people",
            message=(
                "The description calls the candidate or team 'rockstar', 'ninja'. Such labels read as a narrow, "
                "'bro' culture and put off many qualified people; they also say nothing about the work."
            ),
            advice="Describe the skills and the work instead (e.g. 'an experienced Python engineer').",
            evidence=(Span(text="rockstar", start=17, end=25, line=1), Span(text="ninja", start=32, end=37, line=1)),
        )
    ]


def test_age_coded_phrases_only_for_roles_that_are_not_entry_level() -> None:
    text = "Join our young and dynamic team of digital natives.\nRequirements\n- No more than 5 years of experience"
    [finding] = check_exclusionary_phrases(document(f"Senior Engineer\n{text}"), wordlists().phrases)
    assert finding.id == "wording.age-coded"
    assert [s.text for s in finding.evidence] == [
        "young and dynamic team",
        "digital natives",
        "No more than 5 years of experience",
    ]
    graduate = "Junior Engineer\nOur graduate programme is for recent graduates.\nRequirements\n- Python"
    assert check_exclusionary_phrases(document(graduate), wordlists().phrases) == []
    assert (
        check_exclusionary_phrases(
            document("Engineer\nIdeal for recent graduates.", employment_type="internship"), wordlists().phrases
        )
        == []
    )


def test_everything_required_is_flagged_with_the_markets_share() -> None:
    skills = ["Python", "SQL", "Docker", "Kubernetes", "AWS", "Terraform", "Kafka", "Redis"]
    doc = document("Senior Engineer\nRequirements\n" + "\n".join(f"- {s}" for s in skills))
    [finding] = check_requirement_distinctions(doc, snapshot(postings=40, with_preferred_skills=30))
    assert finding == Finding(
        id="wording.no-preferred",
        check="wording",
        severity=Severity.LOW,
        title="Everything is a must-have",
        message=(
            "All 8 skills the description asks for read as required; none is marked nice to have. Candidates who "
            "meet most of the list cannot tell what really matters, and many do not apply."
        ),
        advice="Split the list into 'must have' and 'nice to have' (a heading or 'a plus' on the line).",
        market=(
            MarketFigure(
                label="mark some skills as preferred",
                value=0.75,
                unit="share",
                sample_size=40,
                segment="AI engineer · Senior",
            ),
        ),
    )
    with_plus = doc.text + "\n- Go is a plus"
    assert check_requirement_distinctions(document("Senior Engineer\n" + with_plus)) == []
    assert check_requirement_distinctions(document("Senior Engineer\nRequirements\n- Python\n- SQL")) == []
