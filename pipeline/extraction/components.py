"""spaCy components of the jobatlas pipeline, registered with ``@Language.factory``.

- ``jobatlas_sections``: marks the section each line belongs to (responsibilities, requirements, preferred,
  benefits, about) in ``doc._.sections`` as ``(start_char, end_char, kind)`` triples.
- ``jobatlas_skills``: finds taxonomy skills into ``doc.spans["skills"]`` (label = canonical name): surface forms
  (PhraseMatchers, longest match wins) that pass their skill's ambiguity rule, and the token ``patterns`` of
  concept skills (a spaCy ``Matcher``; these spans may overlap other skills' spans).
- ``jobatlas_cues``: finds specialization cue phrases into ``doc.spans["cues"]`` (label = specialization).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.attrs import LOWER, NORM
from spacy.lang.en import English, EnglishDefaults
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.extraction.disambiguation import rejection
from pipeline.extraction.rules import classify_heading
from pipeline.extraction.taxonomy import AmbiguityRule, SpecializationCues, Taxonomy, token_pattern

if not Doc.has_extension("sections"):
    Doc.set_extension("sections", default=())


Sections = tuple[tuple[int, int, str | None], ...]  # (start_char, end_char, kind) of each line


def _classified_lines(text: str) -> Iterator[tuple[int, int, str | None, bool]]:
    """``(start, end, section, is a heading)`` of each line."""
    current: str | None = None
    offset = 0
    for line in text.split("\n"):
        kind = classify_heading(line)
        if kind is not None:
            current = kind
        yield offset, offset + len(line), current, kind is not None
        offset += len(line) + 1


def line_sections(text: str) -> list[tuple[int, int, str | None]]:
    """Split text into lines, each with the section opened by the last heading above it (None before any).

    >>> line_sections("Intro\\nRequirements\\n- Python")
    [(0, 5, None), (6, 18, 'requirements'), (19, 27, 'requirements')]
    """
    return [(start, end, kind) for start, end, kind, _ in _classified_lines(text)]


class SectionedText(str):
    """A text that carries the section of each of its lines (as :func:`line_sections` gives them), so that the
    section component need not split it again."""

    sections: Sections


def blank_sections(text: str, skipped: frozenset[str]) -> SectionedText:
    """``text`` with the lines of the ``skipped`` sections blanked to spaces (their headings stay): spaCy tokenizes
    and matches nothing there, and every other character keeps its offset. It carries the sections of ``text``
    (which blanking leaves as they are: a blank line is no heading).

    >>> blanked = blank_sections("SQL\\nBenefits\\n- Free lunch\\nRequirements\\n- Go", frozenset({"benefits"}))
    >>> blanked, blanked.sections[2]
    ('SQL\\nBenefits\\n            \\nRequirements\\n- Go', (13, 25, 'benefits'))
    """
    lines = list(_classified_lines(text))
    blanked = SectionedText(
        "\n".join(
            " " * (end - start) if kind in skipped and not heading else text[start:end]
            for start, end, kind, heading in lines
        )
    )
    blanked.sections = tuple((start, end, kind) for start, end, kind, _ in lines)
    return blanked


TEXT_KEY = "jobatlas.text"


class TextKeepingTokenizer:
    """The pipeline's tokenizer, keeping the text each doc was made from in ``doc.user_data``: components read
    it with :func:`doc_text` instead of ``doc.text``, which spaCy rebuilds token by token (on long postings that
    rebuild cost as much as the rest of the pipeline). spaCy's tokenization is non-destructive, so the kept text
    is exactly ``doc.text``. A :class:`SectionedText` is kept as it is (spaCy's tokenizer is given a plain copy:
    it takes no subclass of ``str``)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        doc: Doc = self.inner(text if type(text) is str else str(text))
        doc.user_data[TEXT_KEY] = text
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)


def doc_text(doc: Doc) -> str:
    """The doc's text: the kept one when the doc came from a :class:`TextKeepingTokenizer`, else ``doc.text``."""
    kept = doc.user_data.get(TEXT_KEY)
    return kept if isinstance(kept, str) else doc.text


class SectionMarker:
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        doc._.sections = text.sections if isinstance(text, SectionedText) else tuple(line_sections(text))
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

    def candidates(self, doc: Doc) -> list[Span]:
        """Every phrase match, overlapping ones included."""
        return [
            Span(doc, start, end, label=match_id)
            for matcher in (self.lower, self.exact)
            if len(matcher)
            for match_id, start, end in matcher(doc)
        ]

    def __call__(self, doc: Doc) -> Doc:
        set_spans(doc, self.span_key, filter_spans(self.candidates(doc)))
        return doc


SpanOffsets = tuple[str, int, int]  # (label, start_char, end_char)


def set_spans(doc: Doc, key: str, spans: list[Span]) -> None:
    """Put ``spans`` in the span group ``key`` and their :func:`span_offsets` in the doc's user data (reading a span
    group back builds a Span object per span, which the rules need not pay for)."""
    doc.spans[key] = spans
    doc.user_data[f"jobatlas.{key}"] = [(span.label_, span.start_char, span.end_char) for span in spans]


def span_offsets(doc: Doc, key: str) -> list[SpanOffsets]:
    """``(label, start_char, end_char)`` of each span of the group ``key``, in the group's order."""
    kept = doc.user_data.get(f"jobatlas.{key}")
    if isinstance(kept, list):
        return kept
    return [(span.label_, span.start_char, span.end_char) for span in doc.spans.get(key, [])]


CONTEXT_TOKENS = 40  # the disambiguation tests read this many tokens either side of a guarded mention


def pattern_reach(pattern: list[dict[str, Any]]) -> int:
    """The most tokens a ``token_pattern`` can match.

    >>> pattern_reach(token_pattern("deploy _{0,4} models? production"))
    7
    """
    reach = 0
    for token in pattern:
        gap = re.fullmatch(r"\{(\d+),(\d+)\}", str(token.get("OP", "")))
        reach += int(gap[2]) if gap else 1
    return reach


def _words(token: dict[str, Any]) -> list[str]:
    value = token["LOWER"]
    return list(value["IN"]) if isinstance(value, dict) else [value]


class SkillMatcher(PhraseLabeler):
    """Phrase matches filtered by the skills' ambiguity rules, plus the concept skills' token patterns.

    A ``Matcher`` with word sets and gaps over every token of a long posting would cost more than the rest of
    the pipeline, so each pattern runs only on the windows that start with one of its first words and hold
    one of its last words within its reach (both found by a PhraseMatcher); the disambiguation tests read a
    window of text around the guarded mentions, not the whole posting."""

    def __init__(self, nlp: Language, span_key: str) -> None:
        super().__init__(nlp, span_key)
        # label (the skill's hash in the vocab's strings) -> the forms its ambiguity rule guards, and the rule
        self.rules: dict[int, tuple[frozenset[str], AmbiguityRule]] = {}
        self.patterns = Matcher(nlp.vocab)
        self.reach: dict[int, int] = {}  # pattern number -> the most tokens it can match
        # the first and last words of each pattern are phrases of ``lower`` too (one pass over the doc finds both),
        # under their own keys: match key -> (is a first word, pattern number)
        self.end_keys: dict[int, tuple[bool, int]] = {}

    def add_taxonomy(self, taxonomy: Taxonomy) -> None:
        for skill in taxonomy.skills:
            self.add(skill.name, skill.case_insensitive_forms(), skill.exact)
            if skill.ambiguous is not None:
                self.rules[self.nlp.vocab.strings.add(skill.name)] = (skill.guarded_forms(), skill.ambiguous)
            for text in skill.patterns:
                pattern = token_pattern(text)
                number = len(self.reach)
                self.reach[number] = pattern_reach(pattern)
                for first, role, words in ((True, "first", _words(pattern[0])), (False, "last", _words(pattern[-1]))):
                    self.lower.add(f"{role} {number}", [self.nlp.make_doc(word) for word in words])
                    self.end_keys[self.nlp.vocab.strings[f"{role} {number}"]] = (first, number)
                # one pattern per first word: a plain LOWER test is checked in C, a word set in Python
                self.patterns.add(skill.name, [[{"LOWER": word}, *pattern[1:]] for word in _words(pattern[0])])

    def accepted(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """The spans that no ambiguity rule rejects."""
        whole = doc_text(doc)  # slicing the kept text is far cheaper than Span.text, which joins tokens
        guarded = sorted(
            (
                span
                for span in spans
                if span.label in self.rules
                and whole[span.start_char : span.end_char].lower() in self.rules[span.label][0]
            ),
            key=lambda span: span.start,
        )
        if not guarded:
            return spans
        windows = _merge([(span.start - CONTEXT_TOKENS, span.end + CONTEXT_TOKENS) for span in guarded], len(doc))
        texts = [
            (doc[first].idx, whole[doc[first].idx : doc[last - 1].idx + len(doc[last - 1])]) for first, last in windows
        ]
        window_starts = [first for first, _ in windows]
        offsets = sorted({(span.start_char, span.end_char) for span in spans})  # a list neighbour never overlaps
        offset_starts = [start for start, _ in offsets]
        refused: set[tuple[int, int, str]] = set()
        for span in guarded:
            base, text = texts[bisect.bisect_right(window_starts, span.start) - 1]
            near = offsets[
                bisect.bisect_left(offset_starts, base) : bisect.bisect_right(offset_starts, base + len(text))
            ]
            local = [(start - base, end - base) for start, end in near if end <= base + len(text)]
            rule = self.rules[span.label][1]
            if rejection(rule, text, span.start_char - base, span.end_char - base, local) is not None:
                refused.add((span.start, span.end, span.label_))
        return [span for span in spans if (span.start, span.end, span.label_) not in refused]

    def _matches(self, doc: Doc) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
        """``(key, start, end)`` of the surface forms found, and of the patterns' first and last words."""
        phrases: list[tuple[int, int, int]] = []
        ends: list[tuple[int, int, int]] = []
        for match in self.lower(doc):
            (ends if match[0] in self.end_keys else phrases).append(match)
        if len(self.exact):
            phrases.extend(self.exact(doc))
        return phrases, ends

    def candidates(self, doc: Doc) -> list[Span]:
        """Every surface form found, overlapping ones included."""
        return [Span(doc, start, end, label=key) for key, start, end in self._matches(doc)[0]]

    def inferred(self, doc: Doc, end_words: list[tuple[int, int, int]] | None = None) -> list[Span]:
        """Pattern matches, the longest of each overlapping run per skill (``end_words``: the patterns' first and
        last words found, when the caller has them)."""
        if not self.reach:
            return []
        firsts: dict[int, list[int]] = {}
        lasts: dict[int, list[int]] = {}
        for key, start, _ in self._matches(doc)[1] if end_words is None else end_words:
            is_first, number = self.end_keys[key]
            (firsts if is_first else lasts).setdefault(number, []).append(start)
        starts: list[tuple[int, int]] = []
        for number, positions in firsts.items():
            reach = self.reach[number]
            ends = sorted(lasts.get(number, []))
            for start in positions:
                later = bisect.bisect_left(ends, start + (reach > 1))  # the last word comes after the first
                if later < len(ends) and ends[later] < start + reach:
                    starts.append((start, start + reach))
        by_label: dict[int, list[Span]] = {}
        for first, last in _merge(sorted(starts), len(doc)):
            for key, start, end in self.patterns(doc[first:last]):
                by_label.setdefault(key, []).append(Span(doc, first + start, first + end, label=key))
        return [span for spans in by_label.values() for span in filter_spans(spans)]

    def __call__(self, doc: Doc) -> Doc:
        found, end_words = self._matches(doc)
        candidates = [Span(doc, start, end, label=key) for key, start, end in found]
        spans = [*filter_spans(self.accepted(doc, candidates)), *self.inferred(doc, end_words)]
        set_spans(doc, self.span_key, sorted(spans, key=lambda span: (span.start, span.end, span.label_)))
        return doc


def _merge(windows: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """Sorted token windows clipped to ``length``, overlapping ones merged.

    >>> _merge([(-3, 4), (2, 9), (12, 20)], 15)
    [(0, 9), (12, 15)]
    """
    merged: list[tuple[int, int]] = []
    for first, last in windows:
        first, last = max(0, first), min(length, last)
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


class CueMatcher(PhraseLabeler):
    def add_cues(self, cues: SpecializationCues) -> None:
        for name, entry in cues.specializations.items():
            self.add(name.value, entry.cues)


# "C++/Python", "C#/Java": split like "Go/Python" already is (C# is two tokens, as in the taxonomy's forms)
SYMBOL_SLASH_INFIXES = (r"(?<=[+#])/(?=[A-Za-z])", r"(?<=[A-Za-z])#(?=/)")


class JobatlasEnglishDefaults(EnglishDefaults):
    infixes = [*EnglishDefaults.infixes, *SYMBOL_SLASH_INFIXES]  # noqa: RUF012 (spaCy's Defaults are class attributes)
    # A run of whitespace is one token, as it is anyway (no prefix, suffix or infix pattern holds whitespace), but
    # without the affix searches: a suffix search scans a whole run, and the blanked lines of :func:`blank_sections`
    # are long runs of every length (so the tokenizer's cache rarely has them).
    token_match = re.compile(r"\s+").fullmatch
    # No special cases ("don't" -> "do", "n't"; "e.g." whole): the components read only a token's text and lower
    # case, and the taxonomy's surface forms are tokenized by the same rules, so the tags of the corpus do not
    # change without them. With them, spaCy 3.8 stops caching for the rest of a doc once a special case is hit
    # (explosion/spaCy#13950: the flag is kept per doc; "\n" is one) and re-runs the affix searches on every
    # later word: a tenth of the pipeline's instructions.
    tokenizer_exceptions: dict[str, list[dict[int, str]]] = {}  # noqa: RUF012 (as infixes)


class JobatlasEnglish(English):  # type: ignore[no-untyped-call]  # spaCy's Language.__init_subclass__ is untyped
    """English whose tokenizer splits ``C++/Python`` in two, takes a run of whitespace as a token without
    searching it for affixes and has no special cases, built once so (changing the infixes of a blank pipeline
    afterwards rebuilds the tokenizer's special cases: a third of the start-up).

    >>> [token.text for token in JobatlasEnglish().make_doc("C++/Python and C#/Java")]
    ['C++', '/', 'Python', 'and', 'C', '#', '/', 'Java']
    """

    Defaults = JobatlasEnglishDefaults


def blank_pipeline() -> Language:
    """The empty pipeline jobatlas builds on, before any phrase is added: :class:`JobatlasEnglish`, computing
    only the lexeme attributes the pipeline reads, keeping the text of each doc for the components (see
    :class:`TextKeepingTokenizer`)."""
    nlp = JobatlasEnglish()
    keep_lexeme_attributes(nlp, USED_LEXEME_ATTRIBUTES)
    tokenizer: Any = nlp.tokenizer  # max_cache_size is not in spaCy's type stubs
    tokenizer.max_cache_size = TOKENIZER_CACHE_SIZE
    nlp.tokenizer = TextKeepingTokenizer(tokenizer)
    return nlp


# How many distinct whitespace-separated chunks the tokenizer remembers the tokens of. spaCy's default, 10,000, is
# full after a few hundred postings; every chunk first seen after that (a fifth of the corpus's chunks, common words
# among them) is searched for prefixes, suffixes and infixes again each time it comes up: the regular expressions
# were two fifths of the tokenization time. An entry is a few dozen bytes next to the lexeme the vocab keeps anyway.
TOKENIZER_CACHE_SIZE = 1_000_000


# What the components and rules read of a token: its text (ORTH, always there) and LOWER (the matchers); NORM
# is kept for the documented token.norm_. The other lexeme attributes (flags such as IS_PUNCT or LIKE_NUM, SHAPE,
# PREFIX, SUFFIX, ...) are never read, and computing them for every new word costs a sixth of the tokenization.
USED_LEXEME_ATTRIBUTES = frozenset({LOWER, NORM})


def keep_lexeme_attributes(nlp: Language, keep: frozenset[int]) -> None:
    """Compute only the ``keep`` lexeme attributes (``spacy.attrs`` ids) for new words; the others stay unset.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> keep_lexeme_attributes(nlp, frozenset({LOWER}))
    >>> token = nlp.make_doc("Kubernetes 42")[1]
    >>> token.lower_, token.like_num
    ('42', False)
    """
    vocab: Any = nlp.vocab  # its lex_attr_getters are not in spaCy's type stubs
    vocab.lex_attr_getters = {attr: getter for attr, getter in vocab.lex_attr_getters.items() if attr in keep}


@Language.factory("jobatlas_skills")
def make_skill_matcher(nlp: Language, name: str) -> SkillMatcher:
    """The skill component (on the tokenizer of :func:`blank_pipeline`, which its surface forms are made with)."""
    return SkillMatcher(nlp, span_key="skills")


@Language.factory("jobatlas_cues")
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp, span_key="cues")
