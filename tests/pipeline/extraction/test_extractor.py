"""The spaCy pipeline and rules on postings written for these tests: exact outputs."""

from pathlib import Path

import pytest

from pipeline.domain import Label, Posting
from pipeline.extraction.extractor import (
    MAX_DESCRIPTION_CHARS,
    Extractor,
    asked_text,
    build_extractor,
    prepare_description,
)

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


RESEARCH = """About the team
Our researchers publish at NeurIPS and hold PhDs from top schools.

What you'll do
- Train multimodal models with PyTorch

Requirements
- MS or PhD in Computer Science, or a related field
- 3+ years of deep learning research

Preferred qualifications
- First-author publications at ICML, ICLR or CVPR
- PhD in machine learning"""


def test_education_and_publications(extractor: Extractor) -> None:
    extraction = extractor.extract(posting("Research Scientist, Multimodal", RESEARCH))
    assert extraction.education == Label(
        value="master", confidence=0.8, evidence="- MS or PhD in Computer Science, or a related field"
    )
    assert extraction.education_requirement == "required"
    assert extraction.publications == Label(
        value="preferred",
        confidence=0.7,
        evidence="- First-author publications at ICML, ICLR or CVPR [venues: ICML, ICLR, CVPR]",
    )
    assert extraction.publication_venues == ("ICML", "ICLR", "CVPR")
    assert extraction.evidence["education"] == "- MS or PhD in Computer Science, or a related field"


def test_no_degree_and_no_publications_asked(extractor: Extractor) -> None:
    extraction = extractor.extract(posting("AI Engineer"))
    assert (extraction.education, extraction.education_requirement) == (Label(value=None, confidence=0.0), None)
    assert (extraction.publications.value, extraction.publication_venues) == (None, ())


@pytest.mark.parametrize(
    ("description", "reason"),
    [
        ("", "description is empty"),
        ("  \n\t ", "description is empty"),
        (
            "Wir suchen eine erfahrene Person für unser Team in Berlin. Du entwickelst mit uns Modelle und bist "
            "verantwortlich für die Datenpipelines. Du hast Erfahrung mit Python und SQL und arbeitest gerne im Team.",
            "not English: 36% German/French/Spanish/Portuguese/Italian/Dutch function words vs 0% English",
        ),
    ],
)
def test_empty_or_non_english_descriptions_get_null_labels_with_the_reason(
    extractor: Extractor, description: str, reason: str
) -> None:
    extraction = extractor.extract(posting("Senior Machine Learning Engineer", description))
    null = Label(value=None, confidence=0.0, evidence=f"not labelled: {reason}")
    assert (extraction.level, extraction.track, extraction.role_family) == (null, null, null)
    assert (extraction.education, extraction.publications) == (null, null)
    assert (extraction.skills, extraction.specializations, extraction.years_min) == ((), {}, None)
    assert extraction.evidence == {"skipped": reason}
    assert list(extractor.extract_many([posting("Senior Machine Learning Engineer", description)])) == [extraction]


def test_a_very_long_description_is_cut_and_the_cut_recorded(extractor: Extractor) -> None:
    filler = "- Maintain internal dashboards and write documentation for the platform team\n"
    description = "Requirements\n- Python and SQL\n" + filler * 2_000 + "- Kubernetes\n"
    assert len(description) > MAX_DESCRIPTION_CHARS
    extraction = extractor.extract(posting("AI Engineer", description))
    assert extraction.evidence["truncated"] == f"description cut at 100,000 of {len(description):,} characters"
    assert {m.skill for m in extraction.skills} == {"Python", "SQL"}  # Kubernetes sits past the cut
    assert all(m.end <= MAX_DESCRIPTION_CHARS for m in extraction.skills)


SPECIALIZED = """What you'll do
- Build agentic workflows with tool calling on top of LLMs
- Evaluate agents on multi-step tasks
- Keep an eye on latency

Requirements
- Python
- Experience with computer vision or video models is a plus"""


def test_specializations_need_several_lines_or_the_title(extractor: Extractor) -> None:
    extraction = extractor.extract(posting("AI Engineer", SPECIALIZED))
    assert extraction.specializations == {"agents": 2.0}  # two lines; latency and the nice-to-have CV line are single
    assert extraction.evidence["specialization_lines"] == {
        "agents": [
            "- Build agentic workflows with tool calling on top of LLMs",
            "- Evaluate agents on multi-step tasks",
        ]
    }
    titled = extractor.extract(posting("AI Engineer, Computer Vision", SPECIALIZED))
    assert titled.specializations == {"agents": 2.0, "multimodal": 3.5}  # title 3 + a nice-to-have line 0.5


def test_agents_need_an_llm_skill(extractor: Extractor) -> None:
    robotics = "What you'll do\n- Train multi-agent systems with reinforcement learning\n- Simulate agents in Isaac Gym"
    assert "agents" not in extractor.extract(posting("Robotics ML Engineer", robotics)).specializations
    with_llms = robotics + "\n- Plan with LLMs"
    assert "agents" in extractor.extract(posting("Robotics ML Engineer", with_llms)).specializations


def test_an_ai_engineer_role_needs_no_llm_skill_for_agents(extractor: Extractor) -> None:
    text = "What you'll do\n- Build AI agents for enterprise workflows\n- Own agent orchestration and retries"
    assert extractor.extract(posting("Robotics Engineer", text)).specializations == {}  # not an AI/ML role
    extraction = extractor.extract(posting("AI Engineer", text))
    assert extraction.role_family.value == "ai_engineer"
    assert extraction.specializations == {"agents": 2.0}


def test_the_rules_given_only_asked_lines_skip_those_sections_themselves() -> None:
    """from_doc hands education and publications only the asked lines: equal results need the rules to skip at
    least the sections it leaves out."""
    from pipeline.extraction import extractor
    from pipeline.extraction.rules import education, publications

    assert extractor._SKIPPED_SECTIONS <= education._EDUCATION_SKIPPED_SECTIONS
    assert extractor._SKIPPED_SECTIONS <= publications._PUBLICATION_SKIPPED_SECTIONS


@pytest.mark.parametrize(("description", "about"), [(DESCRIPTION, "Pinecone"), (RESEARCH, "NeurIPS")])
def test_blanking_the_sections_nothing_is_asked_in_changes_no_label(
    extractor: Extractor, description: str, about: str
) -> None:
    """extract() tokenizes the posting with its about and benefits sections blanked; the whole text gives the same."""
    item = posting("Machine Learning Engineer", description)
    ready = prepare_description(description)
    assert about in ready.text and about not in asked_text(ready)
    assert extractor.extract(item) == extractor.from_doc(extractor.nlp(ready.text), item, ready)
