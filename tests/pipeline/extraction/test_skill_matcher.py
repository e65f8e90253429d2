"""The ``jobatlas_skills`` component: doc.spans["skills"] holds only accepted mentions, plus pattern matches."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.extraction.extractor import build_nlp
from pipeline.extraction.skill_matcher import SkillMatcher
from pipeline.extraction.taxonomy import load_specialization_cues, load_taxonomy, token_pattern

TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy"
CUES = load_specialization_cues(TAXONOMY / "specializations.yaml")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(load_taxonomy(TAXONOMY / "skills.yaml"), CUES)


def skills(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)  # keep the doc alive while its spans are read
    return [(span.text, span.label_) for span in doc.spans["skills"]]


def labels(nlp: Language, text: str) -> set[str]:
    return {label for _, label in skills(nlp, text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Go: the language, not "Go-to-Market" or "Go live"
        ("Stack: Go, Kubernetes", [("Go", "Go"), ("Kubernetes", "Kubernetes")]),
        ("Porting services from Go into Elixir", [("Go", "Go"), ("Elixir", "Elixir")]),
        ("Join our Go-to-Market team", []),
        ("Go to market with us. Go live in weeks.", []),
        # R: the language, also as "R." at the end of a sentence, not R-CNN
        ("Write code in Python, Java and R.", [("Python", "Python"), ("Java", "Java"), ("R.", "R")]),
        ("Faster R-CNN detectors", [("CNN", "Deep learning")]),
        ("Founder R Smith", []),
        # C: listed or in a programming context, never C-suite, Series C or a company called C Space
        ("Experience with C, C++ and Rust", [("C", "C"), ("C++", "C++"), ("Rust", "Rust")]),
        ("Advise C-suite executives", []),
        ("We are a Series C startup", []),
        ("C Space is a customer agency", []),
        # Rust
        ("Born in the rust belt", []),
        # Spark: the engine, not "spark curiosity" or Spark Capital
        ("Hadoop and Spark", [("Hadoop", "Hadoop"), ("Spark", "Spark")]),
        ("Spark curiosity in others", [("curiosity", "Curiosity")]),
        ("Backed by Spark Capital", []),
        # Ray: the framework, not a person or an X-ray
        ("Distributed training with Ray", [("Distributed training", "Distributed training"), ("Ray", "Ray")]),
        ("Founders: Ray Fitzgerald", []),
        ("Reading X-Ray images", []),
        # Chroma (a vector store) and Swift (the language) need a list or a context word
        ("Pinecone or Chroma", [("Pinecone", "Vector databases"), ("Chroma", "Vector databases")]),
        ("Chroma subsampling in video codecs", []),
        ("Swift and SwiftUI", [("Swift", "Swift"), ("SwiftUI", "Swift")]),
        ("Swift action is needed", []),
        # Excel: the spreadsheet, not the verb
        ("Advanced Excel skills", [("Excel", "Excel")]),
        ("Excel at written communication", [("written communication", "Communication")]),
        # agents: AI agents, not people
        ("Improve agent planning and memory", [("agent", "Agents")]),
        ("Train our customer service agents", []),
        ("Work with real estate agents", []),
    ],
)
def test_ambiguous_names(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert skills(nlp, text) == expected


def test_statistics_as_a_field_of_study_is_not_a_skill(nlp: Language) -> None:
    assert "Statistics" not in labels(nlp, "BS in Computer Science, Statistics or a related field")
    assert skills(nlp, "Strong knowledge of statistics") == [("statistics", "Statistics")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Deploy and monitor models in production", [("Deploy and monitor models", "MLOps")]),
        ("Experience with models in production", [("models in production", "MLOps")]),
        ("Build and maintain APIs for our partners", [("Build and maintain APIs", "REST APIs")]),
        ("Evaluate LLM outputs before release", [("Evaluate LLM outputs", "LLM evaluation")]),
        ("Check LLM outputs for accuracy", [("LLM outputs for accuracy", "LLM evaluation")]),
        ("Write high performance code for GPUs", [("code for GPUs", "CUDA")]),
    ],
)
def test_concepts_inferred_from_phrasing(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert [item for item in skills(nlp, text) if item[1] == expected[0][1]] == expected


def test_a_pattern_span_may_overlap_another_skill_and_the_longest_of_overlapping_pattern_spans_stays(
    nlp: Language,
) -> None:
    assert skills(nlp, "deploy PyTorch models to production") == [
        ("deploy PyTorch models", "MLOps"),
        ("PyTorch", "PyTorch"),
    ]


def test_longest_match_and_slash_lists(nlp: Language) -> None:
    assert skills(nlp, "C++/Python and C#/Java") == [
        ("C++", "C++"),
        ("Python", "Python"),
        ("C#", "C#"),
        ("Java", "Java"),
    ]
    assert skills(nlp, "spark sql on hf transformers") == [("spark sql", "Spark"), ("hf transformers", "Hugging Face")]
    assert labels(nlp, "k8s and Amazon Web Services") == {"Kubernetes", "AWS"}
    assert labels(nlp, "retrieval-augmented generation") == {"RAG"}


def small_nlp(tmp_path: Path, body: str) -> Language:
    path = tmp_path / "skills.yaml"
    path.write_text('version: "t"\nskills:\n' + body, encoding="utf-8")
    return build_nlp(load_taxonomy(path), CUES)


def test_rules_and_patterns_come_from_the_yaml(tmp_path: Path) -> None:
    nlp = small_nlp(
        tmp_path,
        "  - name: Mojo\n    category: language\n    exact: [Mojo]\n"
        "    ambiguous: {context: [language], not_followed_by: [dojo]}\n"
        "  - name: Chaos engineering\n    category: concept\n    patterns: ['break|breaking _{0,2} production']\n",
    )
    assert skills(nlp, "Mojo is a language") == [("Mojo", "Mojo")]
    assert skills(nlp, "Mojo dojo house") == []
    assert skills(nlp, "We like Mojo") == []  # no context word
    assert skills(nlp, "Breaking things in production") == [("Breaking things in production", "Chaos engineering")]


def test_a_bad_pattern_is_refused_when_the_taxonomy_loads(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must start and end with a word"):
        small_nlp(tmp_path, "  - name: X\n    category: concept\n    patterns: ['_ x']\n")


@pytest.fixture(scope="module")
def whole_doc_matcher(nlp: Language) -> Matcher:
    """One Matcher of every pattern, as written in the taxonomy."""
    matcher = Matcher(nlp.vocab)
    for skill in load_taxonomy(TAXONOMY / "skills.yaml").skills:
        if skill.patterns:
            matcher.add(skill.name, [token_pattern(pattern) for pattern in skill.patterns])
    return matcher


def whole_doc_pattern_spans(matcher: Matcher, nlp: Language, text: str) -> list[tuple[int, int, str]]:
    """The patterns' spans the plain way: ``matcher`` over every token of the doc, the longest of overlapping
    spans kept per skill."""
    doc = nlp.make_doc(text)
    by_label: dict[int, list[Span]] = {}
    for key, start, end in matcher(doc):
        by_label.setdefault(key, []).append(Span(doc, start, end, label=key))
    return sorted((span.start, span.end, span.label_) for spans in by_label.values() for span in filter_spans(spans))


PATTERN_WORDS = st.sampled_from(
    [
        *("deploy", "deploying", "models", "model", "ml", "in", "into", "to", "production", "build", "and"),
        *("maintain", "apis", "api", "evaluate", "llm", "llms", "outputs", "for", "accuracy", "quality", "code"),
        *("kernels", "gpu", "gpus", "the", "our", "fast,", ".", "monitor", "serving", "llm's"),
    ]
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=200)
@given(st.lists(PATTERN_WORDS, max_size=40))
def test_pattern_matches_are_those_of_one_matcher_over_the_whole_doc(
    nlp: Language, whole_doc_matcher: Matcher, words: list[str]
) -> None:
    """Each pattern run alone on the reach of the positions that hold its first and, within reach, its last word
    finds what a Matcher of all patterns over every token finds."""
    skills = nlp.get_pipe("jobatlas_skills")
    assert isinstance(skills, SkillMatcher)
    text = " ".join(words)
    names = skills.names
    found = sorted((start, end, names[key]) for key, start, end in skills.inferred(nlp.make_doc(text)))
    assert found == whole_doc_pattern_spans(whole_doc_matcher, nlp, text)
