"""Exact output of the role-family mismatch check."""

from __future__ import annotations

import pytest
from audit_samples import document, extractor, snapshot

from pipeline.audit.checks.role_family import CONTENT_SKILLS, DATA_SCIENCE_SKILLS, check_role_family, content_family
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span
from pipeline.domain import RoleFamily

TRAINING = "Requirements\n- Train models with PyTorch and JAX\n- Write CUDA kernels\n- Tune XGBoost baselines"


def test_an_ai_engineer_title_over_model_training_content_is_a_mismatch() -> None:
    doc = document(f"AI Engineer\n{TRAINING}")
    market = snapshot(postings=35, skills={"PyTorch": (7, 6)})
    [finding] = check_role_family(doc, market)
    assert finding == Finding(
        id="role-family.mismatch",
        check="role-family",
        severity=Severity.MEDIUM,
        title="Titled AI engineer, reads as ML engineer",
        message=(
            "The title names building applications on foundation models (AI engineering), but the requirements are "
            "mostly training and serving custom models (ML engineering): CUDA, JAX, PyTorch, XGBoost. Candidates "
            "search by title, so the people who fit the content may not find the role, and those who find it may "
            "not fit (jobatlas files it as ML engineer)."
        ),
        advice="Retitle the role to match the work, or rewrite the requirements for the titled role.",
        evidence=(
            Span(text="PyTorch", start=33, end=40, line=2),
            Span(text="JAX", start=45, end=48, line=2),
            Span(text="CUDA kernels", start=57, end=69, line=3),
            Span(text="XGBoost", start=77, end=84, line=4),
        ),
        market=tuple(
            MarketFigure(
                label=f"ask {skill}",
                value=share,
                unit="share",
                sample_size=35,
                segment="AI engineer · Senior",
            )
            for skill, share in (("CUDA", 0.0), ("JAX", 0.0), ("PyTorch", 0.2), ("XGBoost", 0.0))
        ),
    )


def test_the_reverse_an_ml_title_over_llm_application_content() -> None:
    doc = document(
        "Machine Learning Engineer\nRequirements\n- Build RAG with LangChain and LlamaIndex\n"
        "- Prompt engineering and LLM evaluation\n- Vector databases"
    )
    [finding] = check_role_family(doc)
    assert finding.title == "Titled ML engineer, reads as AI engineer"


def test_titles_naming_both_or_matching_content_are_not_mismatches() -> None:
    assert check_role_family(document(f"AI/ML Engineer\n{TRAINING}")) == []
    assert check_role_family(document(f"ML Engineer\n{TRAINING}")) == []
    assert check_role_family(document(f"Backend Engineer\n{TRAINING}")) == []  # the title names no family


def test_a_data_scientist_training_models_is_not_flagged() -> None:
    assert check_role_family(document(f"Data Scientist\n{TRAINING}")) == []


@pytest.mark.parametrize(
    ("skills", "expected"),
    [
        ({"PyTorch", "JAX", "CUDA"}, RoleFamily.ML_ENGINEER),
        ({"PyTorch", "JAX", "CUDA", "LLMs", "RAG"}, None),  # 3 vs 2: too close
        ({"LLMs", "RAG", "Agents", "PyTorch"}, RoleFamily.AI_ENGINEER),  # 3 vs 1: a margin of 2
        ({"LLMs", "RAG", "Agents", "Embeddings"}, RoleFamily.AI_ENGINEER),
        ({"Statistics", "A/B testing", "Tableau"}, RoleFamily.DATA_SCIENTIST),
        ({"Python", "SQL"}, None),
    ],
)
def test_content_family(skills: set[str], expected: RoleFamily | None) -> None:
    found = content_family(frozenset(skills))
    assert (found[0] if found else None) == expected


def test_the_content_skill_names_are_taxonomy_names() -> None:
    names = set(extractor().taxonomy.by_name())
    for skills in (*CONTENT_SKILLS.values(), DATA_SCIENCE_SKILLS):
        assert skills <= names
