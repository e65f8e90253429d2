"""Properties of the extractor on any input: it never raises or hangs, offsets point at the skill's own words,
labels stay in their ranges."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.domain import Extraction, Level, Posting, RoleFamily
from pipeline.extraction.extractor import MAX_DESCRIPTION_CHARS, build_extractor
from pipeline.extraction.rules import EDUCATION_LEVELS

TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy"
EXTRACTOR = build_extractor(TAXONOMY)  # built once for the module: hypothesis reruns each test many times


def _squash(text: str) -> str:
    return "".join(text.lower().split())


SURFACES = {
    skill.name: {_squash(form) for form in (skill.name, *skill.aliases, *skill.exact)}
    for skill in EXTRACTOR.taxonomy.skills
}

# Pieces of real postings, so that generated texts hit skills, sections, years, degrees and publication cues.
FRAGMENTS = [
    "Requirements", "Nice to have", "About us", "Benefits", "What you'll do", "Preferred qualifications",
    "- ", "\n", "\n\n", " ", ", ", ". ", "; ", "/", " or ", " and ", "(", ")", ":", "*", "•",
    "5+ years", "3-5 years of", "ten years", "40 years", "2 to 4 years", "founded 10 years ago",
    "BS", "MS", "PhD", "Ph.D.", "Master's degree", "bachelor's", "MS Office", "B.Tech", "degree in CS", "preferred",
    "required", "a plus", "no degree required", "publications at NeurIPS", "ICML", "first-author papers", "RSS",
    "ACL", "Python", "python", "PYTHON", "Go", "go", "R", "Spark", "spark", "Kubernetes", "k8s", "LangChain",
    "retrieval-augmented generation", "RAG", "vector databases", "PyTorch", "scikit-learn", "C++", "c#",
    "machine learning", "LLMs", "prompt engineering", "SQL", "AWS", "node.js", "Σ", "\u212a8s", "İ", "ß", "ﬁ",
    "\u00a0", "\u200b", "\t", "\r\n", "🙂", "日本語", "und die der",
]  # fmt: skip
POSTING_TEXT = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=12), max_size=80).map("".join)
TITLES = st.sampled_from(["", "Senior AI Engineer", "Research Scientist, LLM", "Data Engineer", "Staff MLE"]) | st.text(
    max_size=40
)


def posting(description: str, title: str = "AI Engineer") -> Posting:
    return Posting(id="p:1", source_id="p", raw_hash="h", title=title, description=description)


def check(extraction: Extraction, text: str) -> None:
    for mention in extraction.skills:
        assert 0 <= mention.start < mention.end <= len(text)
        assert _squash(text[mention.start : mention.end]) in SURFACES[mention.skill], mention
        assert mention.evidence in text or len(mention.evidence) == 240
    assert extraction.years_min is None or 0 <= extraction.years_min <= 30
    assert extraction.level.value in {None, *(level.value for level in Level)}
    assert extraction.role_family.value in {None, *(family.value for family in RoleFamily)}
    assert extraction.education.value in {None, *EDUCATION_LEVELS}
    assert extraction.education_requirement in {None, "required", "preferred"}
    assert extraction.publications.value in {None, "required", "preferred"}
    assert (extraction.education.value is None) == (extraction.education_requirement is None)


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(text=st.text(), title=st.text(max_size=60))
def test_arbitrary_unicode_never_raises(text: str, title: str) -> None:
    check(EXTRACTOR.extract(posting(text, title)), text)


@FAST
@given(text=POSTING_TEXT, title=TITLES)
def test_posting_like_text_keeps_offsets_on_the_skill_words(text: str, title: str) -> None:
    extraction = EXTRACTOR.extract(posting(text, title))
    check(extraction, text)
    assert list(EXTRACTOR.extract_many([posting(text, title)])) == [extraction]


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\u200b", "\t \r\n", "- * --- !!"])
def test_empty_text_gets_null_labels(text: str) -> None:
    extraction = EXTRACTOR.extract(posting(text, "Senior AI Engineer"))
    check(extraction, text)
    assert (extraction.level.value, extraction.role_family.value, extraction.skills) == (None, None, ())
    assert extraction.evidence == {"skipped": "description is empty"}


def _posting_of_size(size: int) -> str:
    block = (
        "Requirements\n- 5+ years of Python and SQL\n- MS or PhD in Computer Science\n"
        "- Publications at NeurIPS or ICML are a plus\n- Kubernetes, LangChain and RAG\n\n"
    )
    return (block * (size // len(block) + 1))[:size]


@pytest.mark.parametrize(
    "text",
    [
        _posting_of_size(1_000_000),
        "a" * 1_000_000,  # one word, no line breaks: no regex may backtrack over it
        "Python " * 150_000,
        "- BS/MS/PhD " * 90_000,
        ("https://example.com/" + "x" * 50_000 + " ") * 20,
    ],
    ids=["postings", "one-word", "one-skill", "degrees", "urls"],
)
def test_a_1mb_posting_is_cut_and_finishes(text: str) -> None:
    started = time.perf_counter()
    extraction = EXTRACTOR.extract(posting(text, "x" * 100_000))
    elapsed = time.perf_counter() - started
    check(extraction, text)
    assert all(m.end <= MAX_DESCRIPTION_CHARS for m in extraction.skills)
    assert re.fullmatch(r"description cut at 100,000 of [\d,]+ characters", extraction.evidence["truncated"])
    assert elapsed < 60, f"took {elapsed:.1f} s"  # generous: a hang, not a slow machine, fails this
