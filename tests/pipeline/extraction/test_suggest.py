"""Exact outputs of the taxonomy-suggestion logic: candidate phrases, name-like words, ranking."""

from __future__ import annotations

import pytest

from pipeline.extraction.suggest import Candidate, Suggestion, asked_lines, candidate_phrases, suggest


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Experience with feature flags and chaos engineering, e.g. Gremlin",
            [("feature flags", None), ("chaos engineering", None), ("gremlin", True)],
        ),
        ("- Strong Temporal.io and k6 skills", [("temporal.io", True), ("k6", True)]),
        ("Familiarity with gRPC; HTTP/3 a plus", [("grpc", True), ("http/3", True)]),
        ("Gremlin or similar tools", [("gremlin", None)]),  # a capital that starts the line proves nothing
        ("you will use gremlin", [("gremlin", False)]),
        ("Semantic layer tooling and metric stores", [("semantic layer tooling", None), ("metric stores", None)]),
        ("You will work with our customers every day.", []),
        ("5+ years of experience", []),
        ("Location: San Francisco, CA", []),  # a label line
        ("We are an equal opportunity employer regardless of national origin", []),
        ("Tag RMjcuMTA5LjExNS4xNTU when applying", [("tag", None)]),  # a tracking code is no phrase
        ("durable execution workflow engine replay semantics", []),  # more than four words in a row
    ],
)
def test_candidate_phrases(line: str, expected: list[tuple[str, bool | None]]) -> None:
    assert [(c.phrase, c.name_like) for c in candidate_phrases(line)] == expected


def test_a_candidate_keeps_its_surface_text() -> None:
    assert candidate_phrases("Knowledge of Apache Pekko") == [Candidate("apache pekko", "Apache Pekko", None)]


def test_asked_lines_skip_about_and_benefits_sections() -> None:
    text = "About us\nWe sell Widgets\nRequirements\n- Pekko\n\nBenefits\n- Free Gremlin plushies"
    assert asked_lines(text) == ["Requirements", "- Pekko"]


def known(phrase: str) -> bool:
    return phrase.lower() in {"python", "kafka"}


def test_suggest_ranks_by_distinct_lines_then_postings_and_drops_known_phrases() -> None:
    boilerplate = "- Our culture: chaos engineering"
    texts = [
        "Requirements\n- Python, feature flags\n" + boilerplate,
        "Requirements\n- Kafka and feature flags\n" + boilerplate,
        "Requirements\n- feature flags\n" + boilerplate,
        "Requirements\n- it is Pekko\n" + boilerplate,
        "Requirements\n- on Pekko\n- Python",
    ]
    assert suggest(texts, known) == [
        Suggestion("feature flags", 3, "- Python, feature flags"),  # 3 distinct lines
        Suggestion("pekko", 2, "- it is Pekko"),  # 2 distinct lines
        Suggestion("chaos engineering", 4, "- Our culture: chaos engineering"),  # 4 postings but one line
    ]


def test_suggest_applies_min_postings_and_top() -> None:
    texts = ["Requirements\n- feature flags and canary releases", "Requirements\n- feature flags"]
    assert suggest(texts, known) == [Suggestion("feature flags", 2, "- feature flags and canary releases")]
    assert suggest(texts, known, min_postings=1, top=1) == [
        Suggestion("feature flags", 2, "- feature flags and canary releases")
    ]
    assert [s.phrase for s in suggest(texts, known, min_postings=1)] == ["feature flags", "canary releases"]


def test_a_word_mostly_written_in_lower_case_is_not_a_name() -> None:
    lower = ["Requirements\n- it is grit"] * 4
    assert suggest(["Requirements\n- it is Grit", *lower], known, min_postings=1) == []
    assert suggest(["Requirements\n- it is Grit", "Requirements\n- on Grit"], known) == [
        Suggestion("grit", 2, "- it is Grit")
    ]
