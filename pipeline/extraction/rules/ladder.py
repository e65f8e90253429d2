"""The AI-engineering ladder: level from title words or years, and the track."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from pipeline.domain import Level, Track
from pipeline.extraction.rules.education import snippet
from pipeline.extraction.rules.scan import Hint, ScannedLines, lines_with

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
            r"\b(interns?|internship|freshers?|junior|jr\.?|entry[- ]level|graduates?|new[- ]grads?|"
            r"(?:19|20)\d\d grads?|apprentice|associate|l3|e3)\b|\b(engineer|scientist|developer)\s+(i|1)\b",
            re.I,
        ),
    ),
)


_LADDER = (Level.I, Level.II, Level.SENIOR, Level.STAFF)
_ALTERNATIVES = re.compile(r"\.?\s*(?:/|\+|&|,|\bor\b|\band\b|\bto\b)\s*", re.I)  # "Senior/Staff", "Mid-level to Staff"


def level_from_title(title: str) -> tuple[Level, str] | None:
    """The ladder level a title names, with the cue that names it; None when the title names no level.

    The highest level word decides ("Senior Staff Engineer" is staff), except that alternatives offered side by
    side ("Senior/Staff", "Senior or Staff", "Jr. to Sr.") give the lower one, which the posting accepts.

    >>> level_from_title("Sr. Machine Learning Engineer")
    (<Level.SENIOR: 'senior'>, 'Sr')
    >>> level_from_title("AI Engineer II"), level_from_title("Founding Engineer")
    ((<Level.II: 'ii'>, 'II'), None)
    >>> level_from_title("Senior/Staff Fullstack Engineer")
    (<Level.SENIOR: 'senior'>, 'Senior')
    >>> level_from_title("Applied AI Engineer (Mid-level to Staff+)")
    (<Level.II: 'ii'>, 'Mid-level')
    """
    found = sorted(
        (match.start(), match.end(), level, match.group(0))
        for level, pattern in _TITLE_LEVELS
        for match in pattern.finditer(title)
    )
    if not found:
        return None
    for first, second in itertools.pairwise(found):
        if _ALTERNATIVES.fullmatch(title, first[1], second[0]):
            lower = min(first, second, key=lambda hit: _LADDER.index(hit[2]))
            return lower[2], lower[3]
    highest = max(found, key=lambda hit: _LADDER.index(hit[2]))
    return highest[2], highest[3]


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


_PEOPLE = r"(?:engineers|team|teammates|members|others|juniors?|colleagues|scientists|developers|staff|peers|interns)"
# lower-case patterns, matched on the lower-cased lines (a re.I scan is several times slower)
_SCOPE_CUES: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (
        Level.STAFF,
        re.compile(
            r"\b(?:org(?:anization|anisation)?[- ]wide|company[- ]wide|across (?:multiple|many|several) teams|"
            r"(?:set|sets|setting|define|defines|defining|own|owns|owning) (?:the )?(?:long[- ]term )?technical "
            r"(?:direction|vision|strategy|roadmap))\b"
        ),
    ),
    (
        Level.SENIOR,
        re.compile(
            rf"\b(?:mentor(?:s|ing)?\s+(?:\w+\s+){{0,3}}{_PEOPLE}|mentorship (?:to|of|for)|"
            r"(?<!the )(?<!a )lead(?:s|ing)?\s+(?:the\s+)?"
            r"(?:effort|projects?|design|development|technical|initiatives?|a team|teams|squads|engineering)|"
            r"leadership capability|technical leadership|"
            r"(?:own|owns|owning) (?:the )?(?:system |technical )?architecture|"
            r"(?:set|sets|setting|establish|establishes|establishing|define|defines) (?:engineering )?best practices)"
        ),
    ),
    (
        Level.I,
        re.compile(
            r"\b(?:under (?:the )?(?:close |direct )?(?:guidance|supervision)|"
            r"learn(?:ing)? from (?:senior|experienced))"
        ),
    ),
)


def level_from_scope(lines: Sequence[str]) -> tuple[Level, str] | None:
    """The level that clear scope language supports, with (a window of) the line that says it; None when no line does.

    Organisation-wide direction says staff; mentoring others, leading projects or owning the architecture says
    senior; working under guidance says I. The highest level any line supports wins.

    >>> level_from_scope(["Build RAG services", "Mentor other engineers on evaluation"])
    (<Level.SENIOR: 'senior'>, 'Mentor other engineers on evaluation')
    >>> level_from_scope(["Work under the guidance of senior engineers"])[0].value
    'i'
    >>> level_from_scope(["We offer mentorship programmes"]) is None
    True
    """
    scanned = lines if isinstance(lines, ScannedLines) else ScannedLines(lines)
    for level, pattern in _SCOPE_CUES:
        for index in lines_with(pattern, scanned, lower=True)[:1]:
            if match := pattern.search(scanned.lower_line(index)):
                return level, snippet(scanned[index], match.start(), match.end())
    return None


_ROLE_LINE = re.compile(
    r"^\s*(?:[-•*+·]|\[\d+\]|\d{1,2}[.)])?\s*(?:(?:job )?title\s*:|role\s*:|position\s*:)?\s*"
    r"(?P<role>[^:(,|–\-\n]{3,80}?)\s*(?:[:(,|–\-]|$)",
    re.I,
)
_HIRING = re.compile(  # "We're hiring platform and inference engineers", "is looking for a Senior ML Engineer"
    r"\b(?:hiring|looking for|seeking)\s+(?:an?\s+|our\s+(?:first|next)\s+)?"
    r"(?P<role>(?:[\w/+&-]+\s+){1,5}?(?:engineers?|scientists?|developers?|researchers?))\b",
    re.I,
)
_HIRING_HINT = Hint.of("hiring|looking|seeking")
_ROLE_TAIL = re.compile(  # " - Forward Deploy Engineer" (another name of the role), " (Agent)", ". (Interns)"
    r"\s*(?:[-–]\s*(?:[A-Z][\w./+&-]*\s+){0,4}(?:Engineer|Scientist|Developer|Researcher)s?\b|"
    r"\.?\s*\([A-Z][\w/+&. -]{0,30}\))"
)
_ROLE_HINT = Hint.of("engineer|scientist|developer|researcher|analyst|architect|manager|designer|lead")
_TITLE_WORD = re.compile(r"^(?:[A-Z0-9][\w./+&-]*|of|and|for|in|&|/|\+)$")  # a role title is title-cased
_ROLE_NOUN = re.compile(
    r"\b(engineers?|scientists?|developers?|researchers?|analysts?|architects?|manager|designer|lead)\s*$", re.I
)


def listed_roles(lines: Sequence[str]) -> list[str]:
    """Role titles the description names, in order: listed at the start of a line ("Job Title: Senior Cloud
    Engineer", "- Senior Backend Engineer: ...", "[1] Staff ML Engineer - Remote"; title-cased, 2-6 words, ending
    in a role noun, with what qualifies it: another name after a dash, a note in brackets) or hired in a sentence
    ("we're hiring platform and inference engineers").

    >>> listed_roles(["We are hiring!", "• Senior Frontend Engineer, Full-Stack: UI work", "[2] ML Infra Engineer"])
    ['Senior Frontend Engineer', 'ML Infra Engineer']
    >>> listed_roles(["- Software Engineer - Forward Deploy Engineer (Agent). (Interns). - Project Manager"])
    ['Software Engineer - Forward Deploy Engineer (Agent). (Interns)']
    >>> listed_roles(["This role reports to the Lead Technical Artist.", "Work with the product manager"])
    []
    >>> listed_roles(["Acme | SF", "We're hiring platform and inference engineers to work on our ML Platform."])
    ['platform and inference engineers']
    """
    roles = []
    for index in _ROLE_HINT.lines(lines):
        line = lines[index]
        match = _ROLE_LINE.match(line)
        role = match.group("role").strip() if match else ""
        words = role.split()
        if match and 2 <= len(words) <= 6 and _ROLE_NOUN.search(role) and all(map(_TITLE_WORD.match, words)):
            end = match.end("role")
            while tail := _ROLE_TAIL.match(line, end):
                end = tail.end()
            roles.append(line[match.start("role") : end].strip())
        elif _HIRING_HINT.in_line(line) and (hired := _HIRING.search(line)):
            roles.append(hired.group("role"))
    return roles


def level_from_role_lines(roles: list[str]) -> tuple[Level, str] | None:
    """The level of the first role listed in the description that names one (see :func:`listed_roles`), for
    postings whose title names no level: a multi-role post is labelled from its listed roles, and a job board's
    title may drop the level the posting's own title has.

    >>> level_from_role_lines(listed_roles(["Job Title: Staff Cloud Engineer (AI/ML)"]))
    (<Level.STAFF: 'staff'>, 'Staff Cloud Engineer (AI/ML)')
    """
    for role in roles:
        found = level_from_title(role)
        if found is not None:
            return found[0], role
    return None
