"""The minimum degree a posting asks for, required or preferred."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.extraction.rules.scan import Hint, ScannedLines

EDUCATION_LEVELS = ("bachelor", "master", "phd")
_BELOW_BACHELOR = "below_bachelor"  # associate's degree, high-school diploma: satisfies no level of the scale
_RANK = {_BELOW_BACHELOR: -1, "bachelor": 0, "master": 1, "phd": 2}
_APOS = "['’]"
_DEGREE_WORD = r"(?:\s+degrees?)?"
_MASTER_SUBJECT = (
    r"(?:science|arts|engineering|business|computer|technology|data|applied|information|mathematics|statistics|"
    r"public|philosophy|research|professional)"
)
_PEOPLE = r"(?:s\b|-?\s?(?:level|caliber|calibre|quality|style|grade)\b|\s+(?:researchers?|scientists?|teams?|staff)\b)"
# Each pattern with the words one of which its every match holds: a line without them skips the pattern.
_EDUCATION_PATTERNS: tuple[tuple[str, Hint, re.Pattern[str]], ...] = (
    (
        "phd",
        Hint.of("phd|ph.|ph d|phil|doctor"),
        re.compile(
            rf"(?:\bph\.?\s?d\b\.?|\bd\.?\s?phil\b\.?|\bdoctorates?\b|\bdoctoral(?:\s+degrees?)?\b|"
            rf"\bdoctor\s+of\s+philosophy\b)(?!{_PEOPLE}){_DEGREE_WORD}",
            re.I,
        ),
    ),
    (
        _BELOW_BACHELOR,
        Hint.of("associate|school", exact="GED"),
        re.compile(
            rf"\bassociate(?:{_APOS}s|s{_APOS}?)?\s+(?:degrees?|of\s+(?:science|arts|applied))\b|"
            r"\bhigh[- ]school\s+(?:diploma|degree|education)\b|(?-i:\bGED\b)",
            re.I,
        ),
    ),
    (
        "bachelor",
        Hint.of("bachelor|undergrad|degree", exact="B.|BSc|BEng|Tech"),
        re.compile(
            rf"\bbachelor(?:{_APOS}s|s{_APOS}?|{_APOS})?(?!\w)(?:\s+of\s+(?:science|arts|engineering|technology|"
            rf"computer\s+science)\b)?{_DEGREE_WORD}|"
            rf"\bundergrad(?:uate)?\s+degrees?\b|\b(?:4|four)[- ]year\s+(?:college\s+|university\s+)?degrees?\b|"
            rf"(?-i:\bB\.\s?S\.(?:\s?c\.?)?|\bB\.\s?Sc\b\.?|\bBSc\b|\bB\.\s?A\.|\bB\.?\s?Tech\b\.?|\bB\.\s?E\.|"
            rf"\bB\.\s?Eng\b\.?|\bBEng\b){_DEGREE_WORD}",
            re.I,
        ),
    ),
    (
        "master",
        Hint.of("master|degree", exact="M.|MSc|MEng|MBA|Tech"),
        re.compile(
            rf"\bmaster{_APOS}s?(?!\w){_DEGREE_WORD}|"
            rf"\bmasters?(?=\s+degrees?\b|\s+in\b|\s+or\b|\s*/|\s+of\s+{_MASTER_SUBJECT}\b){_DEGREE_WORD}|"
            rf"\b(?:post[- ]?graduate|graduate|advanced)\s+degrees?\b|"
            rf"(?-i:\bM\.\s?S\.(?:\s?c\.?)?|\bM\.\s?Sc\b\.?|\bMSc\b|\bM\.?\s?Tech\b\.?|\bM\.\s?Eng\b\.?|\bMEng\b|"
            rf"\bMBA\b|\bM\.B\.A\.){_DEGREE_WORD}",
            re.I,
        ),
    ),
)
# BS, BA and MS are degrees only next to degree words: not "MS Office", "50 MS", "BA team" or "(BA)".
_AMBIGUOUS_ABBREVIATION = re.compile(r"(?-i:\b(BS|BA|MS)\b)(?:\s+degrees?\b)?")
_AMBIGUOUS_HINT = Hint.of("", exact="BS|BA|MS")
_ABBREVIATION_BEFORE = re.compile(r"(?:/|\bor|\band|\bdegree|\beducation|:)\s*$", re.I)
_ABBREVIATION_AFTER = re.compile(
    r"^(?:\s*(?:/|\+|$)|\s*,\s*(?:(?-i:BS|BA|MS|B\.|M\.)|ph\.?\s?d|bachelor|master|doctor)|"
    r"\s+(?:or|and|in|degree|degrees|with|required|preferred|plus)\b)",
    re.I,
)
_NOT_A_DEGREE_AFTER = re.compile(
    r"^[\s-]*(?:office|word|excel|teams|access|powerpoint|outlook|project|visio|sql|azure|dynamics|windows|"
    r"exchange|fabric|power|365|copilot|graph|edge|dos|paint|sharepoint|visual|dynamics)\b",
    re.I,
)
# A bare "degree" (in CS, from a university...) is the first degree: a bachelor's.
_GENERIC_DEGREE = re.compile(
    r"(?<![\w-])(?:(?:a|an|university|college|technical|relevant|related|academic|stem|engineering|science|"
    r"formal|tertiary)\s+)?degrees?\b(?!\s+of\b)(?=\s+(?:in|or|from|required|preferred|and|with|is)\b|\s*[,.;:)(]|\s*$)",
    re.I,
)
_GENERIC_HINT = Hint.of("degree")
_NOT_GENERIC = re.compile(r"\b(?:to|some|the|high|certain|any)\s+(?:a\s+)?$", re.I)
_SCRUM = re.compile(r"\b(?:scrum|agile|quiz|grand|web|ring|chess)\s+$", re.I)
# Alternatives of one requirement: "BS/MS", "MS or PhD", "Bachelor's, Master's or PhD", "Advanced degree (PhD".
_JOINER = re.compile(
    r"^[\s/,()\-&+.]*(?:(?:or|and/or|and|a|an|equivalent|higher|degree|degrees)\b[\s/,()\-&+.]*)*$", re.I
)
_HARD_BOUNDARY = re.compile(r";|•|(?<![A-Z.])[.!?](?=\s+[A-Z(])|\s[-–—]\s")
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|without|don['’]?t\s+need|do\s+not\s+need|doesn['’]?t\s+require|does\s+not\s+require|"
    r"never)\b(?:\s+\w+){0,3}\s*$",
    re.I,
)
_NEGATION_AFTER = re.compile(
    r"^\W*(?:is\s+|are\s+)?(?:not\s+(?:required|necessary|needed|a\s+must|mandatory)|unnecessary|optional)\b", re.I
)
_PREFERRED_AFTER = re.compile(
    r"\b(?:preferred|preferable|a\s+plus|plus|desired|desirable|nice[- ]to[- ]have|advantageous|an?\s+advantage|"
    r"a\s+bonus|bonus|helpful|beneficial|highly\s+valued|welcome)\b(?!\s+(?:majors?|fields?|disciplines?|areas?)\b)",
    re.I,
)
_REQUIRED_AFTER = re.compile(r"\b(?:required|is\s+a\s+must|mandatory|must)\b", re.I)
_PREFERRED_BEFORE = re.compile(
    r"\b(?:preferably|ideally|even\s+better|preferred(?:\s+(?:qualifications?|education|requirements?))?\s*[:\-–]|"
    r"nice[- ]to[- ]have\s*[:\-–]?|bonus(?:\s+points?)?\s*(?:[:\-–]|for\b|if\b)|plus\s*[:\-–]|desired\s*[:\-–]|"
    r"a\s+plus\s+if)",
    re.I,
)
_REQUIRED_BEFORE = re.compile(
    r"\b(?:required\s*[:\-–]|must|minimum(?:\s+of)?|at\s+least|requires?|mandatory\s*[:\-–])", re.I
)
_EDUCATION_SKIPPED_SECTIONS = frozenset({"about", "benefits"})


class EducationRequirement(NamedTuple):
    level: str | None  # "bachelor" | "master" | "phd"
    requirement: str | None  # "required" | "preferred"
    evidence: str | None


@dataclass(frozen=True)
class _Degree:
    start: int
    end: int
    level: str


def degree_mentions(line: str) -> list[tuple[str, str]]:
    """The degrees a line names, as ``(level, surface)`` in order; ``below_bachelor`` for associate's degrees and
    high-school diplomas.

    >>> degree_mentions("BS/MS in CS, MS Office, Masters of their craft, PhD-level problems, or a PhD")
    [('bachelor', 'BS'), ('master', 'MS'), ('phd', 'PhD')]
    """
    return [(d.level, line[d.start : d.end]) for d in _degrees(line)]


# Every degree pattern above contains one of these: lines without any are skipped at once. (Case-sensitive literal
# alternatives over the lowercased line scan far faster than one re.I pattern.)
_DEGREE_HINT = Hint.union([*(hint for _, hint, _ in _EDUCATION_PATTERNS), _AMBIGUOUS_HINT, _GENERIC_HINT])


# Tighter words for two patterns, on an ASCII line (where a re.I match lower-cases to the pattern's own letters):
# "degree" runs them on most lines, but each alternative holds one of these.
_ASCII_HINTS = {
    "bachelor": Hint.of("bachelor|undergrad|4-year|4 year|four-year|four year", exact="B.|BSc|BEng|Tech"),
    "master": Hint.of("master|graduate|advanced", exact="M.|MSc|MEng|MBA|Tech"),
}


def _degrees(line: str) -> list[_Degree]:
    lowered = line.lower()
    if not _DEGREE_HINT.in_line(line, lowered):
        return []
    return _hinted_degrees(line, lowered)


def _hinted_degrees(line: str, lowered: str) -> list[_Degree]:
    """The degrees of a line that holds a word of ``_DEGREE_HINT`` (``lowered``: the line lower-cased)."""
    ascii_hints = _ASCII_HINTS if line.isascii() else {}
    found: list[_Degree] = []
    taken = bytearray(len(line))  # 1 where a degree was already found: overlaps are checked in C, not O(n^2)

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) == -1

    def take(start: int, end: int) -> None:
        taken[start:end] = b"\x01" * (end - start)

    for level, hint, pattern in _EDUCATION_PATTERNS:
        if not hint.in_line(line, lowered):
            continue
        if (tighter := ascii_hints.get(level)) is not None and not tighter.in_line(line, lowered):
            continue
        for match in pattern.finditer(line):
            if level == "master" and _SCRUM.search(line[: match.start()]):
                continue
            if free(match.start(), match.end()):
                found.append(_Degree(match.start(), match.end(), level))
                take(match.start(), match.end())
    for match in _AMBIGUOUS_ABBREVIATION.finditer(line) if _AMBIGUOUS_HINT.in_line(line, lowered) else ():
        before, after = line[max(0, match.start() - 20) : match.start()], line[match.end() : match.end() + 20]
        if _NOT_A_DEGREE_AFTER.match(after) or not free(match.start(), match.end()):
            continue
        if _ABBREVIATION_AFTER.match(after) or _ABBREVIATION_BEFORE.search(before):
            level = "master" if match.group(1) == "MS" else "bachelor"
            found.append(_Degree(match.start(), match.end(), level))
            take(match.start(), match.end())
    for match in _GENERIC_DEGREE.finditer(line) if _GENERIC_HINT.in_line(line, lowered) else ():
        if free(match.start(), match.end()) and not _NOT_GENERIC.search(
            line[max(0, match.start() - 12) : match.start()]
        ):
            found.append(_Degree(match.start(), match.end(), "bachelor"))
            take(match.start(), match.end())
    return sorted(found, key=lambda d: d.start)


def _groups(line: str, degrees: list[_Degree]) -> list[list[_Degree]]:
    groups: list[list[_Degree]] = []
    for degree in degrees:
        if groups:
            between = line[groups[-1][-1].end : degree.start]
            if len(between) <= 40 and _JOINER.match(between):
                groups[-1].append(degree)
                continue
        groups.append([degree])
    return groups


def _nearest_cue(after: str, before: str) -> str | None:
    """The cue nearest after a degree ("MS preferred"), else the nearest before it ("preferably a PhD")."""
    post = [(m.start(), "preferred") for m in _PREFERRED_AFTER.finditer(after)]
    post += [(m.start(), "required") for m in _REQUIRED_AFTER.finditer(after)]
    if post:
        return min(post)[1]
    pre = [(m.end(), "preferred") for m in _PREFERRED_BEFORE.finditer(before)]
    pre += [(m.end(), "required") for m in _REQUIRED_BEFORE.finditer(before)]
    if pre:
        return max(pre)[1]
    return None


def _line_degrees(line: str, section: str | None) -> list[tuple[str, str, int, int]]:
    """``(level, requirement, start, end)`` for each degree requirement (a group of alternatives) of one line, which
    holds a word of ``_DEGREE_HINT``."""
    degrees = _hinted_degrees(line, line.lower())
    if not degrees:
        return []
    boundaries = [m.start() for m in _HARD_BOUNDARY.finditer(line)]
    groups = _groups(line, degrees)
    out = []
    for index, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        left = groups[index - 1][-1].end if index else 0
        at = bisect.bisect_left(boundaries, start)
        if at:
            left = max(left, boundaries[at - 1] + 1)
        right = groups[index + 1][0].start if index + 1 < len(groups) else len(line)
        at = bisect.bisect_left(boundaries, end)
        if at < len(boundaries):
            right = min(right, boundaries[at])
        before, after = line[left:start], line[end:right]
        if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(after):
            continue
        cue = _nearest_cue(after, before)
        requirement = cue or ("preferred" if section == "preferred" else "required")
        lowest = min((d.level for d in group), key=_RANK.__getitem__)
        out.append((lowest, requirement, start, end))
    return out


def education_requirement(
    lines: Iterable[tuple[str, str | None]], *, scanned: ScannedLines | None = None
) -> EducationRequirement:
    """The lowest degree that satisfies the posting's education requirement, from ``(line, section)`` pairs
    (``scanned``: their lines, when the caller has them joined already).

    Alternatives take the lowest ("BS/MS" -> bachelor, "MS or PhD" -> master); a required degree beats a
    preferred one ("BS required, PhD preferred" -> bachelor); when only preferred degrees are stated the lowest
    of them is returned as "preferred". A degree is preferred by its section (nice to have) or a cue next to it
    ("MS preferred", "preferably a PhD"); negated degrees ("no degree required") and degrees in about and
    benefits sections do not count. Associate's degrees and high-school diplomas satisfy no level: a
    requirement they satisfy gives None.

    >>> education_requirement([("- MS or PhD in Computer Science", "requirements")])
    EducationRequirement(level='master', requirement='required', evidence='- MS or PhD in Computer Science')
    >>> education_requirement([("- PhD preferred", "requirements"), ("- BS required", "requirements")]).level
    'bachelor'
    """
    best: tuple[tuple[int, int], str, int, int] | None = None  # required first, then the lowest degree
    pairs = list(lines)
    texts = scanned if scanned is not None else [line for line, _ in pairs]
    for line, section in (pairs[index] for index in _DEGREE_HINT.lines(texts)):
        if section in _EDUCATION_SKIPPED_SECTIONS:
            continue
        for level, requirement, start, end in _line_degrees(line, section):
            key = (0 if requirement == "required" else 1, _RANK[level])
            if best is None or key < best[0]:
                best = (key, line, start, end)
    if best is None:
        return EducationRequirement(None, None, None)
    (priority, rank), line, start, end = best
    evidence = snippet(line, start, end)
    if rank < 0:  # an associate's degree or a diploma satisfies it: no degree of the scale is required
        return EducationRequirement(None, None, evidence)
    return EducationRequirement(EDUCATION_LEVELS[rank], "required" if priority == 0 else "preferred", evidence)


def snippet(line: str, start: int, end: int, *, width: int = 240) -> str:
    """The stripped line when it is short, else a ``width``-character window of it around ``[start, end)``.

    >>> snippet("  - BS in CS  ", 4, 6), snippet("x" * 300 + " PhD " + "y" * 300, 301, 304, width=11)
    ('- BS in CS', 'xxx PhD yyy')
    """
    if len(line) <= width * 2:  # a long line is not stripped whole: this runs once per mention
        stripped = line.strip()
        if len(stripped) <= width:
            return stripped
    left = max(0, min(start - (width - (end - start)) // 2, len(line) - width))
    return line[left : left + width].strip()
