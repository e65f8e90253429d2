"""Years of experience: every mention, and the primary requirement."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.extraction.rules.scan import Hint, ScannedLines, lines_with

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS_RE = re.compile(
    rf"\b{_NUM}\s*(?:\+|plus|or more)?\s*(?:(?:-|–|to)\s*{_NUM}\s*\+?\s*)?(?:\(\s*\d+\s*\)\s*)?"
    r"(?:years?\b(?!\s+(?:ago|old))|yrs\b|(?<=\+)\s*(?=experience\b))",  # "5+ experience": a dropped "years"
    re.I,
)
# Every mention holds "year" or "yrs" (found with str.find) or "+ experience" (a regex with a literal first character,
# fast too): other lines are skipped. (One regex alternation of the three scans every character several times.)
_YEARS_HINT = Hint.of("year|yrs")
_PLUS_EXPERIENCE = re.compile(r"\+\s*experience")  # on the lower-cased lines
# "in the last 20 years", "over the next 30 years", "anniversaries (3, 5, 8, 10 years)": a span of time or one
# number of a list, not an experience requirement
_TIME_SPAN_BEFORE = re.compile(
    r"(?:\b(?:last|next|past|previous|recent|coming|first|every|each|within)\s+|\d\s*,\s*)$",
    re.I,
)


@dataclass(frozen=True)
class YearsMention:
    years: int
    start: int
    end: int
    text: str


def _to_int(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]


def years_mentions(text: str) -> list[YearsMention]:
    """Every "N years", "N+ years", "N-M years" (digits or words) in the text, taking a range's lower bound.

    >>> [m.years for m in years_mentions("3-5 years of Python; five years in ML; founded 10 years ago")]
    [3, 5]
    >>> [m.years for m in years_mentions("In the last 20 years we grew; 4 or more years in BI; 2-3+ experience")]
    [4, 2]
    """
    found = []
    for match in _YEARS_RE.finditer(text):
        years = _to_int(match.group(1))
        if years <= 30 and not _TIME_SPAN_BEFORE.search(text, 0, match.start()):
            found.append(YearsMention(years=years, start=match.start(), end=match.end(), text=match.group(0)))
    return found


def primary_years(sentences: Sequence[str]) -> YearsMention | None:
    """The minimum years required for the role: in each sentence the first mention is the primary one (a later
    "including 2+ years of X" is nested in it); across sentences, parallel requirements take the largest.

    >>> primary_years(["8+ years of software engineering, including 2+ years of ML", "3+ years of Python"]).years
    8
    """
    best: YearsMention | None = None
    scanned = sentences if isinstance(sentences, ScannedLines) else ScannedLines(sentences)
    hinted = set(_YEARS_HINT.lines(scanned)).union(lines_with(_PLUS_EXPERIENCE, scanned, lower=True))
    for index in sorted(hinted):
        mentions = years_mentions(sentences[index])
        if mentions and (best is None or mentions[0].years > best.years):
            best = mentions[0]
    return best
