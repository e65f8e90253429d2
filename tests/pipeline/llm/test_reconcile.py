"""The hybrid policy: which rule labels send a posting to the model, which field wins, what is recorded."""

from __future__ import annotations

from typing import Any

from llm_samples import POSTING, answer

from pipeline.domain import Extraction, Label, Requirement, SkillMention
from pipeline.llm.reconcile import (
    LLM_CONFIDENCE,
    Disagreement,
    from_answer,
    reconcile,
    review_reasons,
    select_for_llm,
)
from pipeline.llm.schema import Answer

TEXT = POSTING.description
TRUSTED_FAMILY = "title names AI; asks 4 LLM-application skills vs 0 model-training"


def mention(skill: str, quote: str, requirement: Requirement = Requirement.REQUIRED) -> SkillMention:
    start = TEXT.index(quote)
    return SkillMention(skill=skill, requirement=requirement, evidence=quote, start=start, end=start + len(quote))


def rules(**overrides: Any) -> Extraction:
    """A rule extraction of POSTING that needs no review, with ``overrides``."""
    fields: dict[str, Any] = {
        "posting_id": POSTING.id,
        "extractor_version": "rules-0.3.0+taxonomy-t",
        "skills": (
            mention("Python", "Strong Python skills"),
            mention("Kubernetes", "Kubernetes experience is a plus", Requirement.PREFERRED),
        ),
        "level": Label(value="senior", confidence=0.9, evidence="title: Senior"),
        "track": Label(value="ic", confidence=0.8, evidence=POSTING.title),
        "role_family": Label(value="ai_engineer", confidence=0.6, evidence=TRUSTED_FAMILY),
        "specializations": {"rag": 4.0},
        "years_min": 5,
        "education": Label(value=None, confidence=0.0),
        "publications": Label(value=None, confidence=0.0),
    }
    fields.update(overrides)
    return Extraction(**fields)


def llm(**overrides: Any) -> Answer:
    return Answer.model_validate(answer(**overrides))


def test_confident_consistent_rule_labels_are_trusted() -> None:
    assert review_reasons(rules()) == []


def test_weak_or_conflicting_rule_labels_are_sent_with_their_reasons() -> None:
    assert review_reasons(rules(level=Label(value=None, confidence=0.0))) == ["level: none found"]
    scope = Label(value="senior", confidence=0.5, evidence="scope: mentor")
    assert review_reasons(rules(level=scope)) == ["level: low confidence (0.50)"]
    junior = Label(value="i", confidence=0.9, evidence="title: Junior")
    assert review_reasons(rules(level=junior, years_min=7)) == ["level: title says i, 7 years say staff"]
    assert review_reasons(rules(level=junior, years_min=2)) == []  # one rung apart is no conflict
    close = Label(
        value="ml_engineer",
        confidence=0.6,
        evidence="title names AI; asks 2 LLM-application skills vs 3 model-training",
    )
    assert review_reasons(rules(role_family=close)) == [
        "role family: a close count of skills (2 LLM-application skills vs 3 model-training)"
    ]
    other = Label(value="other", confidence=0.6, evidence="no AI, ML or data role in the title or the skills")
    assert review_reasons(rules(role_family=other)) == []
    with_ai = rules(role_family=other, skills=(mention("RAG", "retrieval-augmented generation"),))
    assert review_reasons(with_ai) == ["role family: other by default, yet asks RAG"]
    assert review_reasons(rules(role_family=Label(value="ai_engineer", confidence=0.3))) == [
        "role family: low confidence (0.30)"
    ]
    assert review_reasons(rules(specializations={"rag": 2.5, "agents": 5.0})) == ["specializations: borderline rag"]


def test_postings_the_rules_did_not_label_are_never_sent() -> None:
    null = Label(value=None, confidence=0.0, evidence="not labelled: description is empty")
    skipped = rules(level=null, track=null, role_family=null, evidence={"skipped": "description is empty"})
    assert review_reasons(skipped) == []


def test_hybrid_sends_the_most_doubtful_postings_first_up_to_the_cap() -> None:
    none = Label(value=None, confidence=0.0)
    extractions = [
        rules(posting_id="a"),
        rules(posting_id="b", level=none),
        rules(posting_id="c", level=none, specializations={"rag": 2.0}),
        rules(posting_id="d", specializations={"agents": 2.0}),
    ]
    assert [pid for pid, _ in select_for_llm(extractions, limit=10)] == ["c", "b", "d"]
    assert select_for_llm(extractions, limit=2) == [
        ("c", ["level: none found", "specializations: borderline rag"]),
        ("b", ["level: none found"]),
    ]
    assert select_for_llm(extractions, limit=0) == []


def test_the_model_decides_weak_fields_and_the_rules_keep_strong_ones() -> None:
    weak = rules(level=Label(value="ii", confidence=0.5, evidence="scope: guidance"), years_min=None)
    result = reconcile(weak, llm(level="senior", track="manager", years_min=5), POSTING, model="m")
    final = result.extraction
    assert final.method == "hybrid" and final.extractor_version == weak.extractor_version
    assert final.level.value == "senior" and final.level.confidence == LLM_CONFIDENCE
    assert final.level.evidence == "llm: Senior in the title; builds RAG on hosted LLMs."
    assert final.track.value == "ic"  # the rules keep the track
    assert final.years_min == 5  # the rules found none: the model's fills in
    assert result.provenance == {
        "level": "llm",
        "role_family": "rules",
        "track": "rules",
        "years_min": "llm",
        "education": "rules",
        "publications": "rules",
        "specializations": "llm",
        "skills": {"Python": "rules", "Kubernetes": "rules"},
    }
    assert result.disagreements == (
        Disagreement("level", "ii", "senior", "llm"),
        Disagreement("track", "ic", "manager", "rules"),
    )
    assert final.evidence["llm"] == {"model": "m", "rationale": "Senior in the title; builds RAG on hosted LLMs."}


def test_a_trusted_level_is_kept_and_the_disagreement_recorded() -> None:
    result = reconcile(rules(), llm(level="staff"), POSTING, model="m")
    assert result.extraction.level == rules().level and result.provenance["level"] == "rules"
    assert Disagreement("level", "senior", "staff", "rules") in result.disagreements


def test_specializations_come_from_the_model_for_ai_roles_only() -> None:
    result = reconcile(rules(), llm(specializations=["rag", "agents"]), POSTING, model="m")
    assert result.extraction.specializations == {"rag": 1.0, "agents": 1.0}
    assert Disagreement("specializations", ["rag"], ["agents", "rag"], "llm") in result.disagreements
    close = Label(
        value="ai_engineer",
        confidence=0.6,
        evidence="title names AI; asks 1 LLM-application skills vs 1 model-training",
    )
    to_other = reconcile(rules(role_family=close), llm(role_family="other"), POSTING, model="m")
    assert to_other.extraction.role_family.value == "other" and to_other.extraction.specializations == {}


def test_skills_the_rules_missed_are_added_when_quoted_from_the_asks() -> None:
    skills = [
        {"name": "Python", "requirement": "preferred", "evidence": "Strong Python skills"},
        {"name": "pgvector", "requirement": "required", "evidence": "vector databases such as pgvector"},
        {"name": "Search", "requirement": "required", "evidence": "builds a search engine for legal documents"},
    ]
    result = reconcile(rules(), llm(skills=skills), POSTING, model="m")
    final = {m.skill: (m.requirement.value, m.start) for m in result.extraction.skills}
    assert final == {
        "Python": ("required", TEXT.index("Strong Python skills")),
        "Kubernetes": ("preferred", TEXT.index("Kubernetes experience")),
        "pgvector": ("required", TEXT.index("vector databases such as pgvector")),
    }  # "Search" is quoted from the company blurb: the company's product, not an ask
    assert result.provenance["skills"] == {"Python": "rules", "Kubernetes": "rules", "pgvector": "llm"}
    assert [d for d in result.disagreements if d.field.startswith("skill:")] == [
        Disagreement("skill:Python", "required", "preferred", "rules"),
        Disagreement("skill:pgvector", None, "required", "llm"),
        Disagreement("skill:Kubernetes", "preferred", None, "rules"),
    ]


def test_llm_mode_takes_every_field_from_the_answer() -> None:
    tag = from_answer(
        llm(education_min="master", publications="preferred"), POSTING, extractor_version="llm+v", model="m"
    )
    assert (tag.method, tag.extractor_version) == ("llm", "llm+v")
    assert (tag.level.value, tag.track.value, tag.role_family.value, tag.years_min) == (
        "senior",
        "ic",
        "ai_engineer",
        5,
    )
    assert (tag.education.value, tag.publications.value) == ("master", "preferred")
    assert tag.specializations == {"rag": 1.0}
    assert [(m.skill, m.start, m.end) for m in tag.skills] == [
        ("Python", TEXT.index("Strong Python"), TEXT.index("Strong Python") + len("Strong Python skills")),
        ("Kubernetes", TEXT.index("Kubernetes"), TEXT.index("Kubernetes") + len("Kubernetes experience is a plus")),
    ]
    assert from_answer(llm(level=None), POSTING, extractor_version="v", model="m").level.confidence == 0.0
