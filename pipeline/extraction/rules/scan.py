"""Finding the few lines a rule needs to read, with one regex scan over the whole text instead of one call per line
(a long posting has hundreds of lines, and the per-call cost of a Python regex call dominates short lines)."""

from __future__ import annotations

import re
from collections.abc import Sequence


def lines_with(pattern: re.Pattern[str], lines: Sequence[str], *, lower: bool = False) -> list[int]:
    """Indices (ascending) of the lines holding a match of ``pattern``; ``lower`` matches the lowercased lines.
    A match never spans two lines when ``pattern`` cannot match a newline.

    >>> lines_with(re.compile(r"years?"), ["Python", "5+ years of SQL", "no", "2 Years", "year one"], lower=True)
    [1, 3, 4]
    """
    joined = "\n".join(lines)
    if lower:
        joined = joined.lower()
    found: list[int] = []
    line = previous = 0
    for match in pattern.finditer(joined):
        line += joined.count("\n", previous, match.start())  # counted in C, only up to each match
        previous = match.start()
        if not found or found[-1] != line:
            found.append(line)
    return found


def hinted_lines(lines: Sequence[str], lower_hint: re.Pattern[str], exact_hint: re.Pattern[str]) -> list[int]:
    """Indices of the lines holding ``lower_hint`` (matched on the lowercased lines) or ``exact_hint`` (as
    written): the only lines a rule whose every pattern contains one of the hints needs to read.

    >>> hinted_lines(["BS in CS", "a degree", "Python"], re.compile("degree"), re.compile("BS"))
    [0, 1]
    """
    return sorted(set(lines_with(lower_hint, lines, lower=True)) | set(lines_with(exact_hint, lines)))
