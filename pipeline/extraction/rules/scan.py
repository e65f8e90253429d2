"""Finding the few lines a rule needs to read, with one regex scan over the whole text instead of one call per line
(a long posting has hundreds of lines, and the per-call cost of a Python regex call dominates short lines)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import overload


class ScannedLines(Sequence[str]):
    """Lines joined once (and lower-cased once, when asked) for any number of :func:`lines_with` scans: pass one
    of these instead of a list when several rules read the same lines.

    >>> lines = ScannedLines(["Python", "5+ Years"])
    >>> lines[1], len(lines), lines.lower, lines.starts
    ('5+ Years', 2, 'python\\n5+ years', [0, 7])
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = list(lines)
        self.joined = "\n".join(self._lines)
        self._lower: str | None = None
        self._starts: list[int] | None = None

    @property
    def lower(self) -> str:
        """The joined lines lower-cased, each character in its place (offsets as in :attr:`joined`)."""
        if self._lower is None:
            lowered = self.joined.lower()
            if len(lowered) != len(self.joined):  # "İ" lower-cases to two characters: keep it, keep the offsets
                lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in self.joined)
            self._lower = lowered
        return self._lower

    def lower_line(self, index: int) -> str:
        """Line ``index`` lower-cased, each character in its place."""
        start = self.starts[index]
        return self.lower[start : start + len(self._lines[index])]

    @property
    def starts(self) -> list[int]:
        """The offset of each line in :attr:`joined`."""
        if self._starts is None:
            self._starts = [0, *accumulate(len(line) + 1 for line in self._lines[:-1])]
        return self._starts

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        return self._lines[index]

    def __len__(self) -> int:
        return len(self._lines)


def lines_with(pattern: re.Pattern[str], lines: Sequence[str], *, lower: bool = False) -> list[int]:
    """Indices (ascending) of the lines holding a match of ``pattern``; ``lower`` matches the lowercased lines.
    A match never spans two lines when ``pattern`` cannot match a newline.

    >>> lines_with(re.compile(r"years?"), ["Python", "5+ years of SQL", "no", "2 Years", "year one"], lower=True)
    [1, 3, 4]
    """
    scanned = lines if isinstance(lines, ScannedLines) else ScannedLines(lines)
    joined = scanned.lower if lower else scanned.joined
    found: list[int] = []
    line = position = 0
    while (match := pattern.search(joined, position)) is not None:
        line += joined.count("\n", position, match.start())  # counted in C, only up to each match
        found.append(line)
        position = joined.find("\n", match.start()) + 1  # the rest of a matching line needs no more scanning
        if position == 0:
            break
        line += 1
    return found


def _lines_with_literal(literal: str, joined: str, starts: list[int], found: set[int]) -> None:
    position = joined.find(literal)
    while position != -1:
        index = bisect_right(starts, position) - 1
        found.add(index)
        if index + 1 == len(starts):
            return
        position = joined.find(literal, starts[index + 1])  # the rest of a holding line needs no more scanning


def _scan_plan(words: Iterable[str], prefix: int) -> tuple[str | re.Pattern[str], ...]:
    """The scans that find the lines holding any of ``words``: one ``str.find`` per word, except that words sharing
    their first ``prefix`` characters are found by one regex, which skips to that literal prefix in C (sharing a
    rare prefix, "B." and "BS", or an uncommon one, "ph." and "phd", one scan costs about what one find does).

    >>> _scan_plan(["BS", "MS", "BA", "degree"], 1)
    (re.compile('BS|BA'), 'MS', 'degree')
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[:prefix], []).append(word)
    return tuple(
        group[0] if len(group) == 1 else re.compile("|".join(map(re.escape, group))) for group in groups.values()
    )


def _shortest(words: Iterable[str]) -> tuple[str, ...]:
    """The words, each once, less those holding another one (a line holding "MSc" holds "MS")."""
    unique = list(dict.fromkeys(words))
    return tuple(w for w in unique if not any(other != w and other in w for other in unique))


@dataclass(frozen=True)
class Hint:
    """Words (``lower``: any case; ``exact``: as written) one of which every pattern of a rule contains: the lines
    without any need no regex at all. Literal search (``str.find``) is many times faster than a regex alternation.

    >>> hint = Hint.of("degree|diploma", exact="BS|B ")
    >>> hint.lines(["BS in CS", "a Degree", "Python", "bs"]), hint.in_line("Python"), hint.in_line("A DEGREE")
    ([0, 1], False, True)
    """

    lower: tuple[str, ...]
    exact: tuple[str, ...] = ()
    # lower-case words sharing two characters, words as written sharing their first (mostly a capital: rare)
    _lower_scans: tuple[str | re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    _exact_scans: tuple[str | re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if any("\n" in word or word != word.lower() for word in self.lower) or any("\n" in w for w in self.exact):
            raise ValueError(f"hint words must be single-line, and lower-case in lower: {self}")
        object.__setattr__(self, "_lower_scans", _scan_plan(self.lower, 2))
        object.__setattr__(self, "_exact_scans", _scan_plan(self.exact, 1))

    @classmethod
    def of(cls, lower: str, exact: str = "") -> Hint:
        """A hint from ``|``-separated words (a space is part of a word)."""
        return cls(tuple(lower.split("|")) if lower else (), tuple(exact.split("|")) if exact else ())

    @classmethod
    def union(cls, hints: Iterable[Hint]) -> Hint:
        """A hint holding every word of ``hints``: the lines any of them needs.

        >>> Hint.union([Hint.of("phd", exact="MSc|MS"), Hint.of("degree|phd")])
        Hint(lower=('phd', 'degree'), exact=('MS',))
        """
        every = list(hints)
        return cls(
            _shortest(w for hint in every for w in hint.lower), _shortest(w for hint in every for w in hint.exact)
        )

    def in_line(self, line: str, lowered: str | None = None) -> bool:
        """Whether one line holds a hint word (``lowered``: the line lower-cased, when the caller has it)."""
        if lowered is None:
            lowered = line.lower()
        for word in self.lower:  # a loop: several times cheaper than any() over a generator
            if word in lowered:
                return True
        for word in self.exact:  # noqa: SIM110 (any() over a generator is the slow form this loop replaces)
            if word in line:
                return True
        return False

    def lines(self, lines: Sequence[str]) -> list[int]:
        """Indices (ascending) of the lines holding a hint word."""
        scanned = lines if isinstance(lines, ScannedLines) else ScannedLines(lines)
        if not len(scanned):
            return []
        found: set[int] = set()
        starts = scanned.starts
        for scans, lower in ((self._lower_scans, True), (self._exact_scans, False)):
            if not scans:
                continue
            text = scanned.lower if lower else scanned.joined
            for scan in scans:
                if isinstance(scan, str):
                    _lines_with_literal(scan, text, starts, found)
                else:
                    found.update(lines_with(scan, scanned, lower=lower))
        return sorted(found)
