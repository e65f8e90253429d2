"""Finding the few lines a rule needs to read, with one regex scan over the whole text instead of one call per line
(a long posting has hundreds of lines, and the per-call cost of a Python regex call dominates short lines)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import overload


class ScannedLines(Sequence[str]):
    """Lines joined once (and lower-cased once, when asked) for any number of :func:`lines_with` scans: pass one
    of these instead of a list when several rules read the same lines.

    >>> lines = ScannedLines(["Python", "5+ Years"])
    >>> lines[1], len(lines), lines.lower
    ('5+ Years', 2, 'python\\n5+ years')
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = list(lines)
        self.joined = "\n".join(self._lines)
        self._lower: str | None = None

    @property
    def lower(self) -> str:
        if self._lower is None:
            self._lower = self.joined.lower()
        return self._lower

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


def hinted_lines(lines: Sequence[str], lower_hint: re.Pattern[str], exact_hint: re.Pattern[str]) -> list[int]:
    """Indices of the lines holding ``lower_hint`` (matched on the lowercased lines) or ``exact_hint`` (as
    written): the only lines a rule whose every pattern contains one of the hints needs to read.

    >>> hinted_lines(["BS in CS", "a degree", "Python"], re.compile("degree"), re.compile("BS"))
    [0, 1]
    """
    scanned = lines if isinstance(lines, ScannedLines) else ScannedLines(lines)
    return sorted(set(lines_with(lower_hint, scanned, lower=True)) | set(lines_with(exact_hint, scanned)))
