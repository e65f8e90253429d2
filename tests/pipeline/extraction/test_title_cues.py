"""Specialization cue phrases in a title: exact outputs."""

from pipeline.extraction.rules.title_cues import TitleCues


def test_title_cues_match_whole_phrases_in_any_case_and_script() -> None:
    cues = TitleCues({"rag": ["rag", "vector search"], "safety": ["red-teaming", "ai safety"], "odd": ["-x-"]})
    assert cues.found("Senior RAG Engineer, Vector Search") == {"rag"}
    assert cues.found("AI Safety / RED-TEAMING lead") == {"safety"}
    assert cues.found("Ingénieur RAG (AI safety)") == {"rag", "safety"}  # not ASCII: every pattern is tried
    assert cues.found("Fragile vectors searcher") == set()  # inside other words
    assert cues.found("Lead a-x-b") == {"odd"}  # a phrase that starts with no word is always tried
