"""Section marking, the blanking of the sections nothing is asked in, and the phrase components' span filtering:
exact outputs and properties."""

from typing import Any

import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.tokens import Span
from spacy.util import filter_spans

from pipeline.extraction.components import (
    Match,
    SectionedText,
    blank_pipeline,
    blank_sections,
    doc_text,
    line_sections,
    longest_matches,
    make_section_marker,
)

SKIPPED = frozenset({"about", "benefits"})
POSTING = "About us\nWe sell Pinecone.\n\nRequirements\n- Python\nBenefits\n- Snowflake credits\n  \nNice to have\n- Go"


def test_blank_sections_blanks_the_lines_of_skipped_sections_but_not_their_headings() -> None:
    blanked = blank_sections(POSTING, SKIPPED)
    assert blanked == (
        "About us\n" + " " * 17 + "\n\nRequirements\n- Python\nBenefits\n" + " " * 19 + "\n  \nNice to have\n- Go"
    )
    assert len(blanked) == len(POSTING)
    assert blanked.sections == tuple(line_sections(POSTING)) == tuple(line_sections(blanked))


def test_blank_sections_without_skipped_sections_keeps_the_text() -> None:
    assert blank_sections(POSTING, frozenset()) == POSTING
    assert blank_sections("", SKIPPED) == "" and blank_sections("", SKIPPED).sections == ((0, 0, None),)


LINES = st.sampled_from(
    ["About us", "Benefits", "Requirements", "Nice to have:", "## Perks", "- Python", "", "   ", "Go, Rust", "x" * 70]
)


@given(st.lists(LINES, max_size=12))
def test_blanking_keeps_offsets_and_sections(lines: list[str]) -> None:
    text = "\n".join(lines)
    blanked = blank_sections(text, SKIPPED)
    assert len(blanked) == len(text)
    assert blanked.sections == tuple(line_sections(text)) == tuple(line_sections(blanked))
    for start, end, kind in blanked.sections:
        if kind not in SKIPPED:
            assert blanked[start:end] == text[start:end]


def test_the_section_marker_reads_the_sections_a_text_carries() -> None:
    nlp = blank_pipeline()
    text = SectionedText("Requirements\n- Python")
    text.sections = ((0, 12, "preferred"), (13, 21, "preferred"))  # not what splitting would say: proves the reuse
    doc = make_section_marker(nlp, "sections")(nlp.make_doc(text))
    assert doc._.sections == text.sections
    assert doc.text == doc_text(doc) == "Requirements\n- Python"
    plain = make_section_marker(nlp, "sections")(nlp.make_doc(str(text)))
    assert plain._.sections == ((0, 12, "requirements"), (13, 21, "requirements"))


WHITESPACE_TEXTS = [
    "a" + " " * 30 + "b\n" + " " * 20 + "\nc",
    "Python,\t\t  SQL.\n\n\n- Go\u00a0\u00a0(Rust)\u2003\u2003!",
    "(   )  ...   \n\t\n  'x'  \u3000\u3000 «y» \r\n   $5 ",
    " " * 500,
]


def test_whitespace_runs_tokenize_as_without_the_whitespace_token_match() -> None:
    """The whitespace token_match only saves the affix searches: every text tokenizes as with English's defaults
    plus the slash infixes."""
    nlp = blank_pipeline()
    ours_tokenizer: Any = nlp.tokenizer
    plain_tokenizer: Any = (plain := spacy.blank("en")).tokenizer
    plain_tokenizer.infix_finditer = ours_tokenizer.inner.infix_finditer  # the same infixes, no token_match
    plain_tokenizer.rules = {}  # and no special cases, as ours
    assert plain_tokenizer.token_match is None and ours_tokenizer.inner.token_match is not None
    for text in WHITESPACE_TEXTS:
        ours = [(t.text, t.whitespace_) for t in nlp.make_doc(text)]
        assert ours == [(t.text, t.whitespace_) for t in plain.make_doc(text)], text
    assert [t.text for t in nlp.make_doc(WHITESPACE_TEXTS[0])] == ["a", " " * 29, "b", "\n" + " " * 20 + "\n", "c"]


def test_english_special_cases_are_not_applied() -> None:
    """No tokenizer exceptions: a contraction or an abbreviation splits by the affix rules alone (the components
    read only a token's text and lower case, and the surface forms of the taxonomy are tokenized the same way)."""
    nlp = blank_pipeline()
    text = "We're hiring, e.g. Ph.D. holders; don't skip C++/Python and/or U.S. Inc. roles:)"
    assert [t.text for t in nlp.make_doc(text)] == [
        "We're", "hiring", ",", "e.g", ".", "Ph", ".", "D.", "holders", ";", "don't", "skip", "C++", "/", "Python",
        "and", "/", "or", "U.S.", "Inc", ".", "roles", ":", ")",
    ]  # fmt: skip
    assert nlp.make_doc(text).text == text


def test_tokenizer_remembers_chunks_past_spacys_default_cache_size() -> None:
    """A chunk tokenized once is not searched for affixes again, even after 20,000 other distinct chunks (spaCy's
    default cache stops taking new chunks at 10,000)."""
    kept: Any = blank_pipeline().tokenizer
    tokenizer = kept.inner
    searched: list[str] = []
    suffix_search = tokenizer.suffix_search

    def counting(text: str) -> Any:
        searched.append(text)
        return suffix_search(text)

    tokenizer.suffix_search = counting  # (setting it empties the cache)
    tokenizer(" ".join(f"word{number}" for number in range(20_000)))
    tokenizer("word19999, again")
    searched.clear()
    tokenizer("word19999, again")
    assert searched == []


SPAN_DOC = blank_pipeline().make_doc(" ".join(["w"] * 12))
MATCHES = st.lists(
    st.tuples(st.sampled_from([1, 2, 3]), st.integers(0, 11), st.integers(1, 4)).map(
        lambda item: (SPAN_DOC.vocab.strings.add(f"label {item[0]}"), item[1], min(12, item[1] + item[2]))
    ),
    max_size=14,
)


@given(MATCHES)
def test_longest_matches_keeps_what_filter_spans_keeps(matches: list[Match]) -> None:
    """The same spans, in spaCy's order once sorted by start: duplicates, ties of length and the endpoint-only
    overlap test included."""
    spans = filter_spans([Span(SPAN_DOC, start, end, label=key) for key, start, end in matches])
    kept = sorted(longest_matches(matches), key=lambda match: match[1])
    assert kept == [(span.label, span.start, span.end) for span in spans]
