"""spaCy components of the jobatlas pipeline, registered with ``@Language.factory``.

- ``jobatlas_sections``: marks the section each line belongs to (responsibilities, requirements, preferred,
  benefits, about) in ``doc._.sections`` as ``(start_char, end_char, kind)`` triples.
- ``jobatlas_skills``: in :mod:`pipeline.extraction.skill_matcher`, on the phrase matching here.
- ``jobatlas_cues``: finds specialization cue phrases into ``doc.spans["cues"]`` (label = specialization).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.attrs import LOWER, NORM
from spacy.lang.en import English, EnglishDefaults
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.extraction.rules import classify_heading
from pipeline.extraction.taxonomy import SpecializationCues

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
    parts: list[str] = []  # the text up to ``copied``, kept lines copied in runs, not line by line
    copied = 0
    for start, end, kind, heading in lines:
        if kind in skipped and not heading and end > start:
            parts += (text[copied:start], " " * (end - start))
            copied = end
    blanked = SectionedText("".join((*parts, text[copied:])) if parts else text)
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


Match = tuple[int, int, int]  # (label key, start token, end token): a matcher's match, before any Span is made


class PhraseLabeler:
    """Two PhraseMatchers (case-insensitive and exact-case) writing the longest matches into a span group."""

    def __init__(self, nlp: Language, span_key: str) -> None:
        self.nlp = nlp
        self.span_key = span_key
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.names: dict[int, str] = {}  # label key (its hash in the vocab's strings) -> label

    def add(self, label: str, lower_forms: Iterable[str], exact_forms: Iterable[str] = ()) -> None:
        self.names[self.nlp.vocab.strings.add(label)] = label
        lower = [self.nlp.make_doc(form) for form in lower_forms]
        exact = [self.nlp.make_doc(form) for form in exact_forms]
        if lower:
            self.lower.add(label, lower)
        if exact:
            self.exact.add(label, exact)

    def matches(self, doc: Doc) -> list[Match]:
        """Every phrase match, overlapping ones included: the case-insensitive ones, then the exact-case ones."""
        return [match for matcher in (self.lower, self.exact) if len(matcher) for match in matcher(doc)]

    def __call__(self, doc: Doc) -> Doc:
        set_matches(doc, self.span_key, sorted(longest_matches(self.matches(doc)), key=_start), self.names)
        return doc


def _start(match: Match) -> int:
    return match[1]


def _length_then_start(match: Match) -> tuple[int, int]:
    return match[2] - match[1], -match[1]


def longest_matches(matches: Iterable[Match]) -> list[Match]:
    """The matches ``spacy.util.filter_spans`` would keep of the same spans, longest first (not sorted by start):
    the longest of overlapping ones, of equally long ones the first (by start, then input order), tested on the
    two ends only, as it does. Working on tuples spares a Span object for every match dropped, and the reading of
    its ``start``/``end`` properties for the sorts.

    >>> longest_matches([(1, 0, 1), (2, 0, 2), (3, 1, 3), (4, 3, 4), (5, 3, 4)])
    [(2, 0, 2), (4, 3, 4)]
    """
    kept: list[Match] = []
    seen: set[int] = set()
    for match in sorted(matches, key=_length_then_start, reverse=True):
        _, start, end = match
        if start not in seen and end - 1 not in seen:
            kept.append(match)
            seen.update(range(start, end))
    return kept


SpanOffsets = tuple[str, int, int]  # (label, start_char, end_char)


def set_matches(doc: Doc, key: str, matches: list[Match], names: dict[int, str]) -> None:
    """Put ``matches`` (in their order; ``names``: label key -> label) in the span group ``key`` and their
    :func:`span_offsets` in the doc's user data (reading a span group back builds a Span object per span, which
    the rules need not pay for)."""
    spans = [Span(doc, start, end, label=label) for label, start, end in matches]
    doc.spans[key] = spans
    doc.user_data[f"jobatlas.{key}"] = [
        (names[label], span.start_char, span.end_char) for (label, _, _), span in zip(matches, spans, strict=True)
    ]


def span_offsets(doc: Doc, key: str) -> list[SpanOffsets]:
    """``(label, start_char, end_char)`` of each span of the group ``key``, in the group's order."""
    kept = doc.user_data.get(f"jobatlas.{key}")
    if isinstance(kept, list):
        return kept
    return [(span.label_, span.start_char, span.end_char) for span in doc.spans.get(key, [])]


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


@Language.factory("jobatlas_cues")
def make_cue_matcher(nlp: Language, name: str) -> CueMatcher:
    return CueMatcher(nlp, span_key="cues")
