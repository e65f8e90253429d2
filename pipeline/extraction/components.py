"""spaCy components of the jobatlas pipeline, registered with ``@Language.factory``.

- ``jobatlas_sections``: marks the section each line belongs to (responsibilities, requirements, preferred,
  benefits, about) in ``doc._.sections`` as ``(start_char, end_char, kind)`` triples.
- ``jobatlas_skills``: finds taxonomy skills into ``doc.spans["skills"]`` (label = canonical name).
- ``jobatlas_cues``: finds specialization cue phrases into ``doc.spans["cues"]`` (label = specialization).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.extraction.rules import classify_heading
from pipeline.extraction.taxonomy import SpecializationCues, Taxonomy

if not Doc.has_extension("sections"):
    Doc.set_extension("sections", default=())


def line_sections(text: str) -> list[tuple[int, int, str | None]]:
    """Split text into lines, each with the section opened by the last heading above it (None before any).

    >>> line_sections("Intro\\nRequirements\\n- Python")
    [(0, 5, None), (6, 18, 'requirements'), (19, 27, 'requirements')]
    """
    out: list[tuple[int, int, str | None]] = []
    current: str | None = None
    offset = 0
    for line in text.split("\n"):
        kind = classify_heading(line)
        if kind is not None:
            current = kind
        out.append((offset, offset + len(line), current))
        offset += len(line) + 1
    return out


class SectionMarker:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sections = tuple(line_sections(doc.text))
        return doc


@Language.factory("jobatlas_sections")
def make_section_marker(nlp: Language, name: str) -> SectionMarker:
    return SectionMarker()


class PhraseLabeler:
    """Two PhraseMatchers (case-insensitive and exact-case) writing the longest matches into a span group."""

    def __init__(self, nlp: Language, span_key: str) -> None:
        self.nlp = nlp
        self.span_key = span_key
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")

    def add(self, label: str, lower_forms: Iterable[str], exact_forms: Iterable[str] = ()) -> None:
        lower = [self.nlp.make_doc(form) for form in lower_forms]
        exact = [self.nlp.make_doc(form) for form in exact_forms]
        if lower:
            self.lower.add(label, lower)
        if exact:
            self.exact.add(label, exact)

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label=match_id)
            for matcher in (self.lower, self.exact)
            for match_id, start, end in matcher(doc)
        ]
        doc.spans[self.span_key] = filter_spans(spans)
        return doc


class SkillMatcher(PhraseLabeler):
    def add_taxonomy(self, taxonomy: Taxonomy) -> None:
        for skill in taxonomy.skills:
            self.add(skill.name, skill.case_insensitive_forms(), skill.exact)


class CueMatcher(PhraseLabeler):
    def add_cues(self, cues: SpecializationCues) -> None:
        for name, entry in cues.specializations.items():
            self.add(name.value, entry.cues)


@Language.factory("jobatlas_skills")
def make_skill_matcher(nlp: Language, name: str) -> SkillMatcher:
    return SkillMatcher(nlp, span_key="skills")


@Language.factory("jobatlas_cues")
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp, span_key="cues")
