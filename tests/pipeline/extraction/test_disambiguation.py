"""Exact outputs of every disambiguation test, alone and combined under an AmbiguityRule."""

from __future__ import annotations

import pytest

from pipeline.extraction.disambiguation import (
    before_name,
    context_word,
    followed_by,
    in_degree_field,
    joined,
    listed_with,
    preceded_by,
    rejection,
)
from pipeline.extraction.taxonomy import AmbiguityRule


def at(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``word`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


@pytest.mark.parametrize(
    ("text", "word", "phrases", "expected"),
    [
        ("the Go-to-Market team", "Go", ["to market"], "to market"),
        ("Go to market fast", "Go", ["to market"], "to market"),
        ("Go  live next week", "Go", ["live"], "live"),
        ("Go, Rust and C", "Go", ["rust"], None),  # a comma is not skipped
        ("Go lively", "Go", ["live"], None),  # whole words only
        ("Spark Capital led the round", "Spark", ["capital", "curiosity"], "capital"),
        ("excel at writing", "excel", ["at"], "at"),
        ("Excel", "Excel", ["at"], None),  # end of text
    ],
)
def test_followed_by(text: str, word: str, phrases: list[str], expected: str | None) -> None:
    assert followed_by(text, at(text, word)[1], phrases) == expected


@pytest.mark.parametrize(
    ("text", "word", "phrases", "expected"),
    [
        ("We closed our Series C", "C", ["series"], "series"),
        ("real estate agents", "agents", ["real estate"], "real estate"),
        ("real-estate agents", "agents", ["real estate"], "real estate"),
        ("customer service agents", "agents", ["service", "support"], "service"),
        ("microservice agents", "agents", ["service"], None),  # whole words only
        ("AI agents", "agents", ["real estate"], None),
        ("agents", "agents", ["ai"], None),  # start of text
    ],
)
def test_preceded_by(text: str, word: str, phrases: list[str], expected: str | None) -> None:
    assert preceded_by(text, at(text, word)[0], phrases) == expected


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("engage the C-suite", "C", "C-suite"),
        ("C-level stakeholders", "C", "C-level"),
        ("Faster R-CNN models", "R", "R-CNN"),
        ("an X-Ray image", "Ray", "X-Ray"),
        ("R&D budget", "R", "R&D"),
        ("C# and Java", "C", "C#"),
        ("C++ code", "C", "C++"),
        ("Go-based services", "Go", None),  # an allowed suffix
        ("Kubernetes-native tools", "Kubernetes", None),
        ("Python/R, SQL", "R", None),  # a slash joins list items, not words
        ("(R)", "R", None),
        ("- R and Python", "R", None),  # a bullet is not a joiner
        ("C.", "C", None),
    ],
)
def test_joined(text: str, word: str, expected: str | None) -> None:
    assert joined(text, *at(text, word)) == expected


def test_context_word_looks_both_ways_within_the_window_on_the_same_line() -> None:
    text = "Strong programming skills in Go and gRPC"
    start, end = at(text, "Go")
    assert context_word(text, start, end, ["programming", "language"]) == "programming"
    assert context_word(text, start, end, ["grpc"]) == "grpc"
    assert context_word(text, start, end, ["programming"], window=2) is None  # "skills in" only
    assert context_word(text, start, end, []) is None


def test_context_word_stops_at_the_line_and_matches_phrases_with_hyphens_as_spaces() -> None:
    text = "Go big\nprogramming languages"
    assert context_word(text, 0, 2, ["programming"]) is None
    text = "Swift for multi-agent iOS apps"
    assert context_word(text, 0, 5, ["multi agent"]) == "multi agent"
    assert context_word(text, 0, 5, ["ios"]) == "ios"


@pytest.mark.parametrize(
    ("text", "word", "others", "expected"),
    [
        ("Stack: Go, Kubernetes and Postgres.", "Go", ["Kubernetes", "Postgres"], True),
        ("Python/R/SQL", "R", ["Python", "SQL"], True),
        ("(Spark, e.g. PySpark)", "Spark", ["PySpark"], True),
        ("Kafka or Spark", "Spark", ["Kafka"], True),
        ("Tools:\n- Kafka\n- Spark", "Spark", ["Kafka"], True),  # a bulleted list on its own lines
        ("Kafka. Spark our curiosity", "Spark", ["Kafka"], False),  # a sentence break is not a list
        ("Kafka is a plus and Spark helps", "Spark", ["Kafka"], False),
        ("Spark", "Spark", [], False),
    ],
)
def test_listed_with(text: str, word: str, others: list[str], expected: bool) -> None:
    offsets = [at(text, other) for other in others]
    assert listed_with(text, *at(text, word), offsets) is expected


@pytest.mark.parametrize(
    ("text", "word", "ok", "expected"),
    [
        ("Founder Ray Fitzgerald", "Ray", (), "Fitzgerald"),
        ("Ray Serve and Ray Tune", "Ray", ("Serve", "Tune"), None),
        ("Experience With Ray And Dask", "Ray", (), None),  # a title-cased function word
        ("Ray AIR", "Ray", (), None),  # an acronym
        ("using Ray. Kubernetes too", "Ray", (), None),  # punctuation in between
        ("Ray clusters", "Ray", (), None),
    ],
)
def test_before_name(text: str, word: str, ok: tuple[str, ...], expected: str | None) -> None:
    assert before_name(text, at(text, word)[1], ok) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BS or MS in Computer Science, Statistics, or a related field", True),
        ("M.S., or PhD. in Statistics, Computer Science, Economics", True),
        ("Bachelor's degree in a quantitative field such as computer science, statistics or math", True),
        ("A Master’s or PhD degree in CS or related fields such as Statistics, Data Science", True),
        ("A Statistics degree is preferred", True),
        ("A degree in CS and strong knowledge of statistics", False),
        ("PhD in CS. Deep knowledge of statistics and probability", False),  # another sentence
        ("Solid grasp of statistics", False),
        ("Degree in Physics\nstatistics and experimentation", False),  # another line
    ],
)
def test_in_degree_field(text: str, expected: bool) -> None:
    start = text.lower().index("statistics")
    assert in_degree_field(text, start, start + len("statistics")) is expected


def test_rejection_reports_the_first_failing_test_in_a_fixed_order() -> None:
    rule = AmbiguityRule(
        not_followed_by=("to market",),
        not_preceded_by=("series",),
        not_joined=True,
        not_before_name=True,
        not_in_degree_field=True,
    )
    assert rejection(rule, "our Go-to-market plan", *at("our Go-to-market plan", "Go"), []) == 'followed by "to market"'
    assert rejection(rule, "a Series C round", *at("a Series C round", "C"), []) == 'preceded by "series"'
    assert rejection(rule, "the C-suite", *at("the C-suite", "C"), []) == 'part of "C-suite"'
    assert rejection(rule, "Founder Ray Smith", *at("Founder Ray Smith", "Ray"), []) == 'a name: "Ray Smith"'
    text = "BS in Mathematics, Statistics or a related field"
    assert rejection(rule, text, *at(text, "Statistics"), []) == "a degree's field of study"
    assert rejection(rule, "Go and Rust", 0, 2, []) is None  # no positive requirement: accepted


def test_rejection_needs_a_context_word_or_a_list_when_the_rule_asks_for_support() -> None:
    both = AmbiguityRule(context=("language",), listed=True)
    assert rejection(both, "Go and Rust", 0, 2, [(7, 11)]) is None  # listed
    assert rejection(both, "Go is our language", 0, 2, []) is None  # context
    assert rejection(both, "Go big or go home", 0, 2, []) == "no context word and not listed with another skill"
    context_only = AmbiguityRule(context=("language",))
    assert rejection(context_only, "Go and Rust", 0, 2, [(7, 11)]) == "no context word"
    assert not AmbiguityRule().needs_support and both.needs_support


def test_an_ambiguity_rule_refuses_upper_case_phrases() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        AmbiguityRule(not_followed_by=("To Market",))
