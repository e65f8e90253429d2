"""The AI-engineering ladder: level from title words or years, and the track."""

from __future__ import annotations

import re

from pipeline.domain import Level, Track

_TITLE_LEVELS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (
        Level.STAFF,
        re.compile(
            r"\b(staff|principal|distinguished|fellow|architect|head of|director|vp|"
            r"vice president|cto|chief|l[6-9]|e[6-9])\b",
            re.I,
        ),
    ),
    (Level.SENIOR, re.compile(r"\b(senior|sr\.?|iii|lead|manager|l5|e5)\b", re.I)),
    (
        Level.II,
        re.compile(r"\b(ii|mid[- ]level|intermediate|l4|e4)\b|\b(engineer|scientist|developer)\s+2\b", re.I),
    ),
    (
        Level.I,
        re.compile(
            r"\b(intern|internship|junior|jr\.?|entry[- ]level|graduate|new grad|apprentice|"
            r"associate|l3|e3)\b|\b(engineer|scientist|developer)\s+(i|1)\b",
            re.I,
        ),
    ),
)


def level_from_title(title: str) -> tuple[Level, str] | None:
    """The ladder level a title names, with the cue that names it; None when the title names no level.

    >>> level_from_title("Sr. Machine Learning Engineer")
    (<Level.SENIOR: 'senior'>, 'Sr')
    >>> level_from_title("AI Engineer II"), level_from_title("Founding Engineer")
    ((<Level.II: 'ii'>, 'II'), None)
    """
    for level, pattern in _TITLE_LEVELS:
        match = pattern.search(title)
        if match:
            return level, match.group(0)
    return None


def level_from_years(years: int) -> Level:
    """The ladder level for a minimum-years requirement: 0-1 I, 2-3 II, 4-6 Senior, 7+ Staff.

    >>> [level_from_years(y).value for y in (0, 2, 4, 7)]
    ['i', 'ii', 'senior', 'staff']
    """
    if years >= 7:
        return Level.STAFF
    if years >= 4:
        return Level.SENIOR
    if years >= 2:
        return Level.II
    return Level.I


_MANAGER = re.compile(r"\b(manager|head of|director|vp|vice president|cto|chief)\b", re.I)
_NOT_PEOPLE_MANAGER = re.compile(r"\b(product|program|project|account|marketing|community|success)\s+manager\b", re.I)


def track_from_title(title: str) -> Track:
    """Manager when the title manages people (Engineering Manager, Head of, Director, VP, CTO); else IC.

    >>> track_from_title("Engineering Manager, ML Platform").value, track_from_title("Product Manager").value
    ('manager', 'ic')
    """
    if _MANAGER.search(title) and not _NOT_PEOPLE_MANAGER.search(title):
        return Track.MANAGER
    return Track.IC
