"""Exact output of the requirement-overload and unicorn checks."""

from __future__ import annotations

import pytest
from audit_samples import document, extractor, snapshot

from pipeline.audit.checks.overload import AREAS, areas_asked, check_overload, check_unicorn, overload_severity
from pipeline.audit.findings import MarketFigure, Severity

SKILLS = ["Python", "SQL", "Docker", "Kubernetes", "AWS", "Terraform", "Kafka", "Redis", "PostgreSQL", "FastAPI"]


def jd(required: list[str], preferred: tuple[str, ...] | list[str] = ()) -> str:
    text = "Senior Backend Engineer\nRequirements\n" + "\n".join(f"- {s}" for s in required)
    if preferred:
        text += "\nNice to have\n" + "\n".join(f"- {s}" for s in preferred)
    return text


@pytest.mark.parametrize(
    ("required", "p90", "expected"),
    [
        (25, 14.0, Severity.HIGH),
        (20, 14.0, Severity.HIGH),
        (19, 14.0, Severity.MEDIUM),
        (10, 9.0, Severity.MEDIUM),
        (9, 8.0, None),  # above p90, but nine skills is not an overload
        (14, 14.0, None),  # at p90
        (25, 30.0, None),  # a market where that many is usual
        (20, None, Severity.HIGH),
        (15, None, Severity.MEDIUM),
        (14, None, None),
    ],
)
def test_overload_severity(required: int, p90: float | None, expected: Severity | None) -> None:
    assert overload_severity(required, p90) is expected


def test_above_the_markets_90th_percentile_names_it_with_the_sample() -> None:
    doc = document(jd(SKILLS))
    [finding] = check_overload(doc, snapshot(postings=25, p90=8.0, median=5.0))
    assert (finding.id, finding.severity, finding.title) == (
        "overload.required-skills",
        Severity.MEDIUM,
        "10 must-have skills",
    )
    assert finding.message.startswith(
        "The description requires 10 skills, more than 90% of comparable postings (at most 8)."
    )
    assert [span.text for span in finding.evidence] == SKILLS
    warning = "only 25 postings (fewer than 30): read as indicative"
    assert finding.market == (
        MarketFigure(
            label="90th percentile of required skills per posting",
            value=8.0,
            unit="skills",
            sample_size=25,
            segment="AI engineer · Senior",
            warning=warning,
        ),
        MarketFigure(
            label="median required skills per posting",
            value=5.0,
            unit="skills",
            sample_size=25,
            segment="AI engineer · Senior",
            warning=warning,
        ),
    )


def test_preferred_skills_do_not_count_and_no_market_uses_fixed_thresholds() -> None:
    assert check_overload(document(jd(SKILLS, ["Go", "Rust", "Java", "Scala", "Ruby", "Elixir"]))) == []
    [finding] = check_overload(document(jd([*SKILLS, "Java", "Scala", "Ruby", "Elixir", "GraphQL"])))
    assert finding.severity is Severity.MEDIUM
    assert "jobatlas flags 15+ without market figures" in finding.message
    assert finding.market == ()


def test_a_unicorn_spans_four_areas_of_work() -> None:
    doc = document(
        jd(["LangChain", "RAG", "PyTorch", "JAX", "Spark", "Airflow", "React", "TypeScript", "Kubernetes", "Terraform"])
    )
    [finding] = check_unicorn(doc)
    assert (finding.id, finding.severity) == ("overload.unicorn", Severity.MEDIUM)
    assert finding.message == (
        "The description asks for 5 areas of work (LLM applications: LangChain, RAG; model training: JAX, PyTorch; "
        "data engineering: Airflow, Spark; frontend and mobile: React, TypeScript; platform and infrastructure: "
        "Kubernetes, Terraform): several jobs in one, which few people hold."
    )
    assert {span.text for span in finding.evidence} == {
        "LangChain",
        "RAG",
        "PyTorch",
        "JAX",
        "Spark",
        "Airflow",
        "React",
        "TypeScript",
        "Kubernetes",
        "Terraform",
    }


def test_three_specializations_are_a_unicorn_with_the_markets_share() -> None:
    doc = document(
        "Senior AI Engineer, Agents, Retrieval and Multimodal\nRequirements\n- Build RAG pipelines with rerankers\n"
        "- Build autonomous agents with tool use and LLMs\n- Vision-language models and image understanding"
    )
    assert len(doc.extraction.specializations) >= 3
    [finding] = check_unicorn(doc, snapshot(postings=40, specialization_histogram={0: 10, 1: 20, 2: 8, 3: 2}))
    assert finding.message.startswith(
        f"The description asks for {len(doc.extraction.specializations)} specializations ("
    )
    assert finding.market[0].label == f"ask {len(doc.extraction.specializations)}+ specializations"


def test_one_or_two_areas_are_not_a_unicorn() -> None:
    assert check_unicorn(document(jd(["LangChain", "RAG", "Kubernetes", "Terraform", "Python"]))) == []
    assert areas_asked(frozenset({"React", "TypeScript", "PyTorch", "LLMs"})) == {
        "frontend and mobile": ["React", "TypeScript"]
    }


def test_the_area_skill_names_are_taxonomy_names() -> None:
    names = set(extractor().taxonomy.by_name())
    for skills in AREAS.values():
        assert skills <= names
