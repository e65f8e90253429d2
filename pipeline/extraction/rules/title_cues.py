"""Specialization cue phrases in a title."""

from __future__ import annotations

import re
from collections.abc import Iterable

_TITLE_WORD = re.compile(r"\w+")


class TitleCues:
    """The specializations whose cue phrases a title holds as whole words (case-insensitive). Each specialization's
    phrases make one regex; an alternation of dozens of phrases is slow even on a title, so an ASCII title only
    tries the specializations one of whose phrases starts with a word of the title (a whole-word match starts with
    a whole word of the title: the phrase's first word).

    >>> cues = TitleCues({"rag": ["rag", "retrieval"], "safety": ["red-teaming"]})
    >>> [sorted(cues.found(title)) for title in ("RAG / Red-Teaming Engineer", "Storage Engineer", "Ragtime")]
    [['rag', 'safety'], [], []]
    """

    def __init__(self, phrases: dict[str, Iterable[str]]) -> None:
        self.patterns: dict[str, re.Pattern[str]] = {}
        self.by_first_word: dict[str, set[str]] = {}  # first word of a phrase -> the specializations it cues
        self.always: set[str] = set()  # specializations with a phrase that cannot be pre-checked so
        for name, every in phrases.items():
            listed = list(every)
            self.patterns[name] = re.compile(r"\b(" + "|".join(re.escape(c) for c in listed) + r")\b", re.I)
            for phrase in listed:
                first = _TITLE_WORD.match(phrase.lower())
                if phrase.isascii() and first is not None:
                    self.by_first_word.setdefault(first.group(0), set()).add(name)
                else:
                    self.always.add(name)

    def found(self, title: str) -> set[str]:
        if title.isascii():
            tried = set(self.always)
            for word in _TITLE_WORD.findall(title.lower()):
                tried.update(self.by_first_word.get(word, ()))
        else:
            tried = set(self.patterns)
        return {name for name in tried if self.patterns[name].search(title)}
