"""The spaCy pipeline and rules on postings written for these tests: exact outputs."""

from pathlib import Path

import pytest

from pipeline.domain import Posting
from pipeline.extraction.extractor import Extractor, build_extractor

TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy"

DESCRIPTION = """About us
Vectorly sells a managed Pinecone alternative and runs on Kubernetes.

What you'll do
- Build retrieval-augmented generation features with LangChain
- Tune hybrid search, reranking and embeddings for our semantic search
- Work with our go to market team

Requirements
- 8+ years of software engineering, including 2+ years of ML
- Python and SQL
- Experience with Go is a plus

Nice to have
- Terraform

Benefits
- Free Snowflake credits"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return build_extractor(TAXONOMY)


def posting(title: str, description: str = DESCRIPTION) -> Posting:
    return Posting(id="t:1", source_id="t", raw_hash="h", title=title, description=description)


def test_skills_with_requirement_and_evidence(extractor: Extractor) -> None:
    extraction = extractor.extract(posting("AI Engineer"))
    asked = {m.skill: m.requirement.value for m in extraction.skills}
    assert asked == {
        "RAG": "required",
        "LangChain": "required",
        "Hybrid search": "required",
        "Reranking": "required",
        "Embeddings": "required",
        "Machine learning": "required",
        "Python": "required",
        "SQL": "required",
        "Go": "preferred",
        "Terraform": "preferred",
    }
    terraform = next(m for m in extraction.skills if m.skill == "Terraform")
    assert terraform.evidence == "- Terraform"
    assert DESCRIPTION[terraform.start : terraform.end] == "Terraform"


def test_company_products_and_perks_are_not_asks(extractor: Extractor) -> None:
    skills = {m.skill for m in extractor.extract(posting("AI Engineer")).skills}
    assert {"Vector databases", "Kubernetes", "Snowflake"}.isdisjoint(skills)


def test_labels_from_title_and_years(extractor: Extractor) -> None:
    untitled = extractor.extract(posting("AI Engineer"))
    assert (untitled.level.value, untitled.level.evidence, untitled.years_min) == ("staff", "8+ years", 8)
    assert (untitled.role_family.value, untitled.track.value) == ("ai_engineer", "ic")
    assert set(untitled.specializations) == {"rag"}
    junior = extractor.extract(posting("Junior AI Engineer"))
    assert (junior.level.value, junior.level.evidence, junior.years_min) == ("i", "title: Junior", 8)


def test_non_ai_roles_get_no_specialization(extractor: Extractor) -> None:
    extraction = extractor.extract(posting("Account Executive"))
    assert extraction.role_family.value == "other"
    assert extraction.specializations == {}


def test_extract_many_keeps_order_and_matches_single_extraction(extractor: Extractor) -> None:
    postings = [posting(t) for t in ("AI Engineer", "Senior Data Engineer", "Research Scientist, ML")]
    many = list(extractor.extract_many(postings, batch_size=2))
    assert [e.role_family.value for e in many] == ["ai_engineer", "data_engineer", "ai_researcher"]
    assert many[0] == extractor.extract(postings[0])
