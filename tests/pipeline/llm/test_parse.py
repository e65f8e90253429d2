"""Parsing the model's reply: JSON extraction, the schema, evidence checks (hallucinations), skill names, and the
strict JSON schema sent with the request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llm_samples import POSTING, SKILL_NAMES, answer, answer_text

from pipeline.llm.parse import locate, normalize, parse_answer, parse_response, reply_error
from pipeline.llm.schema import Answer, response_json_schema


def test_a_valid_reply_becomes_an_answer() -> None:
    parsed = parse_response(answer_text(), POSTING, skill_names=SKILL_NAMES)
    assert parsed is not None
    assert parsed.answer == Answer.model_validate(answer())
    assert (parsed.hallucinated, parsed.unknown) == ((), ())


@pytest.mark.parametrize(
    "text",
    [
        "```json\n" + answer_text() + "\n```",
        "Here is the JSON:\n" + answer_text() + "\nHope this helps.",
        answer_text()[:-1] + ', "confidence": "high"}',  # extra keys are ignored
    ],
    ids=["fenced", "surrounded", "extra-key"],
)
def test_json_is_found_in_fences_and_chatter(text: str) -> None:
    assert parse_answer(text) == Answer.model_validate(answer())


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty reply"),
        ('{"level": "senior", ', "not JSON: Expecting property name enclosed in double quotes (line 1, column 20)"),
        ("[1, 2]", "expected a JSON object, got list"),
        (answer_text(level="expert"), "schema: level: Input should be 'i', 'ii', 'senior' or 'staff'"),
        (answer_text(years_min=99), "schema: years_min: Input should be less than or equal to 50"),
        (answer_text(role_family="ai engineer"), "schema: role_family: Input should be 'ai_engineer', "),
        (json.dumps({k: v for k, v in answer().items() if k != "track"}), "schema: track: Field required"),
        (answer_text(skills=[{"name": "Python", "requirement": "must"}]), "schema: skills.0.requirement: "),
    ],
    ids=["empty", "truncated", "array", "bad-level", "years-range", "bad-family", "missing", "bad-skill"],
)
def test_malformed_or_schema_violating_replies_are_rejected_with_a_reason(text: str, reason: str) -> None:
    assert parse_response(text, POSTING) is None
    error = reply_error(text)
    assert error is not None and error.startswith(reason)


def test_a_skill_whose_quote_is_not_in_the_posting_is_dropped_as_a_hallucination() -> None:
    skills: list[dict[str, Any]] = [
        {"name": "Python", "requirement": "required", "evidence": "Strong\u00a0python   SKILLS."},
        {"name": "pgvector", "requirement": "required", "evidence": "“vector databases such as pgvector”"},
        {"name": "RAG", "requirement": "required", "evidence": "Build retrieval-augmented ... hosted LLMs"},
        {"name": "LLMs", "requirement": "required", "evidence": "Deep experience fine-tuning LLMs"},
        {"name": "Kubernetes", "requirement": "required", "evidence": ""},
    ]
    parsed = parse_response(answer_text(skills=skills), POSTING, skill_names=SKILL_NAMES)
    assert parsed is not None
    assert [s.name for s in parsed.answer.skills] == ["Python", "pgvector", "RAG"]
    assert [s.name for s in parsed.hallucinated] == ["LLMs", "Kubernetes"]


def test_skill_names_are_made_canonical_unknown_ones_dropped_and_repeats_merged() -> None:
    skills = [
        {"name": "python", "requirement": "preferred", "evidence": "Strong Python skills"},
        {"name": "Python ", "requirement": "required", "evidence": "Strong Python skills"},
        {"name": "Rust", "requirement": "required", "evidence": "Strong Python skills"},
    ]
    parsed = parse_response(answer_text(skills=skills), POSTING, skill_names=SKILL_NAMES)
    assert parsed is not None
    assert [(s.name, s.requirement.value) for s in parsed.answer.skills] == [("Python", "required")]
    assert parsed.unknown == ("Rust",)
    free = parse_response(answer_text(skills=skills), POSTING)  # no vocabulary: names are kept as given
    assert free is not None and [s.name for s in free.answer.skills] == ["python", "Python", "Rust"]


def test_evidence_may_quote_the_title() -> None:
    skills = [{"name": "RAG", "requirement": "required", "evidence": "Senior AI Engineer, Retrieval"}]
    parsed = parse_response(answer_text(skills=skills), POSTING)
    assert parsed is not None and len(parsed.answer.skills) == 1


def test_specializations_are_kept_only_for_ai_and_ml_roles_and_once_each() -> None:
    assert Answer.model_validate(answer(specializations=["rag", "rag", "agents"])).specializations == ("rag", "agents")
    assert Answer.model_validate(answer(role_family="data_engineer")).specializations == ()


def test_normalisation_and_location() -> None:
    assert normalize("Ｐｙｔｈｏｎ\u2014 “fast”\t\n code") == 'python- "fast" code'
    text = "Title\n- 3+ years\u2019 experience"
    assert locate("3+ YEARS' EXPERIENCE", text) == (8, 28)
    assert locate("years experience", text) is None


def strict_objects(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        own = [node] if "properties" in node else []
        return own + [o for value in node.values() for o in strict_objects(value)]
    if isinstance(node, list):
        return [o for item in node for o in strict_objects(item)]
    return []


def test_the_response_schema_is_strict_mode_compatible() -> None:
    schema = response_json_schema()
    objects = strict_objects(schema["schema"])
    assert len(objects) == 2  # the answer and a skill
    for obj in objects:
        assert obj["additionalProperties"] is False and obj["required"] == list(obj["properties"])
    text = json.dumps(schema)
    for unsupported in ("maxLength", "minLength", "maximum", "minimum", "default", "title"):
        assert f'"{unsupported}"' not in text
