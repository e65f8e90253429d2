"""The ``jobatlas_skills`` spaCy component: taxonomy skills into ``doc.spans["skills"]`` (label = canonical name).

Surface forms (PhraseMatchers, longest match wins) that pass their skill's ambiguity rule, and the token
``patterns`` of concept skills (spaCy ``Matcher`` s; these spans may overlap other skills' spans). Matches stay
``(label key, start, end)`` tuples until the spans kept are written: a Span object, its ``label_`` and the
sorts of ``spacy.util.filter_spans`` over Span properties cost more than the PhraseMatchers themselves.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.extraction.components import Match, PhraseLabeler, doc_text, longest_matches, set_matches
from pipeline.extraction.disambiguation import rejection
from pipeline.extraction.taxonomy import AmbiguityRule, Taxonomy, token_pattern

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


def char_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """``(start_char, end_char)`` of ``doc[start:end]``, as the Span would give them, without making the Span.

    >>> from pipeline.extraction.components import blank_pipeline
    >>> doc = blank_pipeline().make_doc("Go,  Rust  now")
    >>> char_bounds(doc, 3, 6), (doc[3:6].start_char, doc[3:6].end_char)
    ((5, 14), (5, 14))
    """
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last)


class SkillMatcher(PhraseLabeler):
    """Phrase matches filtered by the skills' ambiguity rules, plus the concept skills' token patterns.

    A ``Matcher`` with word sets and gaps over every token of a long posting would cost more than the rest of
    the pipeline (it makes a Token object per token, in Python), so each pattern runs alone on the few tokens
    it can reach from each position that holds one of its first words and, within that reach, one of its last
    words (both found by a PhraseMatcher); the disambiguation tests read a window of text around the guarded
    mentions, not the whole posting."""

    def __init__(self, nlp: Language, span_key: str) -> None:
        super().__init__(nlp, span_key)
        # label (the skill's hash in the vocab's strings) -> the forms its ambiguity rule guards, and the rule
        self.rules: dict[int, tuple[frozenset[str], AmbiguityRule]] = {}
        # the first and last words of each pattern are phrases of ``lower`` too (one pass over the doc finds both),
        # under their own keys
        self.end_keys: set[int] = set()
        # each pattern's first-word key, last-word key, the most tokens it can match and a Matcher holding only it
        self.patterns: list[tuple[int, int, int, Matcher]] = []

    def add_taxonomy(self, taxonomy: Taxonomy) -> None:
        for skill in taxonomy.skills:
            self.add(skill.name, skill.case_insensitive_forms(), skill.exact)
            if skill.ambiguous is not None:
                self.rules[self.nlp.vocab.strings.add(skill.name)] = (skill.guarded_forms(), skill.ambiguous)
            for text in skill.patterns:
                pattern = token_pattern(text)
                number = len(self.patterns)
                keys = []
                for role, words in (("first", _words(pattern[0])), ("last", _words(pattern[-1]))):
                    self.lower.add(f"{role} {number}", [self.nlp.make_doc(word) for word in words])
                    keys.append(self.nlp.vocab.strings[f"{role} {number}"])
                self.end_keys.update(keys)
                # one pattern per first word: a plain LOWER test is checked in C, a word set in Python
                matcher = Matcher(self.nlp.vocab)
                matcher.add(skill.name, [[{"LOWER": word}, *pattern[1:]] for word in _words(pattern[0])])
                self.patterns.append((keys[0], keys[1], pattern_reach(pattern), matcher))

    def accepted(self, doc: Doc, matches: list[Match]) -> list[Match]:
        """The matches that no ambiguity rule rejects, in their order."""
        whole = doc_text(doc)  # slicing the kept text is far cheaper than Span.text, which joins tokens
        rules = self.rules
        guarded: list[tuple[Match, int, int]] = []  # a guarded match, its start_char and end_char
        for match in matches:
            if match[0] in rules:
                start_char, end_char = char_bounds(doc, match[1], match[2])
                if whole[start_char:end_char].lower() in rules[match[0]][0]:
                    guarded.append((match, start_char, end_char))
        if not guarded:
            return matches
        guarded.sort(key=lambda item: item[0][1])
        windows = _merge([(match[1] - CONTEXT_TOKENS, match[2] + CONTEXT_TOKENS) for match, _, _ in guarded], len(doc))
        window_starts = [first for first, _ in windows]
        # The other mentions a rule reads (for ``listed``) are those inside the guarded mention's window, so the
        # same for every mention of a window: the distinct ones, sorted, in the window text's offsets. A mention
        # inside a window is inside the one its start is in (they are disjoint); offsets grow with token indices,
        # so sorting token bounds sorts character bounds.
        inside: list[set[tuple[int, int]]] = [set() for _ in windows]
        for _, start, end in matches:
            index = bisect.bisect_right(window_starts, start) - 1
            if index >= 0 and end <= windows[index][1]:
                inside[index].add((start, end))
        texts: list[tuple[int, str, list[tuple[int, int]]]] = []  # each window's start_char, text and mentions
        for (first, last), bounds in zip(windows, inside, strict=True):
            base, end_char = char_bounds(doc, first, last)
            local = [char_bounds(doc, start, end) for start, end in sorted(bounds)]
            texts.append((base, whole[base:end_char], [(start - base, end - base) for start, end in local]))
        refused: set[Match] = set()
        for match, start_char, end_char in guarded:
            base, text, local = texts[bisect.bisect_right(window_starts, match[1]) - 1]
            rule = rules[match[0]][1]
            if rejection(rule, text, start_char - base, end_char - base, local) is not None:
                refused.add(match)
        return [match for match in matches if match not in refused]

    def _matches(self, doc: Doc) -> tuple[list[Match], dict[int, list[int]]]:
        """The surface forms found, and where the patterns' first and last words are (match key -> starts)."""
        phrases: list[Match] = []
        ends: dict[int, list[int]] = {}
        end_keys = self.end_keys
        for match in self.lower(doc):
            key = match[0]
            if key in end_keys:
                starts = ends.get(key)
                if starts is None:
                    ends[key] = [match[1]]
                else:
                    starts.append(match[1])
            else:
                phrases.append(match)
        if len(self.exact):
            phrases.extend(self.exact(doc))
        return phrases, ends

    def candidates(self, doc: Doc) -> list[Span]:
        """Every surface form found, overlapping ones included."""
        return [Span(doc, start, end, label=key) for key, start, end in self._matches(doc)[0]]

    def inferred(self, doc: Doc, end_words: dict[int, list[int]] | None = None) -> list[Match]:
        """Pattern matches, the longest of each overlapping run per skill (``end_words``: the patterns' first and
        last words found, when the caller has them).

        A pattern can only match from a position that holds one of its first words and, within its reach, one of
        its last words (the PhraseMatcher finds every token equal to such a word; a word the tokenizer splits, such
        as "llm's", no single token equals): running it alone on those positions' reach finds all its matches, as
        running every pattern over the merged windows of all of them did, on far fewer tokens. A test checks this
        against one Matcher of every pattern over the whole doc."""
        found = self._matches(doc)[1] if end_words is None else end_words
        by_label: dict[int, list[Match]] = {}
        for first_key, last_key, reach, matcher in self.patterns:
            positions = found.get(first_key)
            if positions is None or last_key not in found:
                continue
            ends = sorted(found[last_key])
            for start in positions:
                later = bisect.bisect_left(ends, start + (reach > 1))  # the last word comes after the first
                if later < len(ends) and ends[later] < start + reach:
                    for label, first, end in matcher(doc[start : start + reach]):
                        if first == 0:  # a later start of the pattern is tried in its own reach
                            by_label.setdefault(label, []).append((label, start, start + end))
        return [match for matches in by_label.values() for match in longest_matches(matches)]

    def __call__(self, doc: Doc) -> Doc:
        found, end_words = self._matches(doc)
        names = self.names
        matches = [*longest_matches(self.accepted(doc, found)), *self.inferred(doc, end_words)]
        set_matches(doc, self.span_key, sorted(matches, key=lambda match: (match[1], match[2], names[match[0]])), names)
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


@Language.factory("jobatlas_skills")
def make_skill_matcher(nlp: Language, name: str) -> SkillMatcher:
    """The skill component (on the tokenizer of ``blank_pipeline``, which its surface forms are made with)."""
    return SkillMatcher(nlp, span_key="skills")
