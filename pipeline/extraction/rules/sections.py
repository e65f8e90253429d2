"""Section headings and the required-vs-preferred cue of a line."""

from __future__ import annotations

import re

from pipeline.domain import Requirement
from pipeline.extraction.rules.scan import Hint

# Each alternative opens with a letter, so that a search skips to the letters that can start one, in C ("\\bpay" and
# "^about" would make it try every position: "pay(?<!\\wpay)" and "about(?<=^about)" say the same).
SECTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "preferred",
        re.compile(
            r"nice[- ]to[- ]have|preferred|bonus|plus(es)?\b|desirable|ideally|good to have|"
            r"extra credit|would be great|not required"
        ),
    ),
    (
        "benefits",
        re.compile(
            r"benefits|perks|what we offer|we offer|compensation|salary|pay(?<!\wpay)\b|why join|"
            r"total rewards|what's in it|what you get"
        ),
    ),
    (
        "requirements",
        re.compile(
            r"requirements|qualifications|what you bring|you bring|you have|you'll need|"
            r"what we('re| are) looking for|who you are|must[- ]haves?|about you|your profile|"
            r"skills|experience you|what you need|we('re| are) looking for"
        ),
    ),
    (
        "responsibilities",
        re.compile(
            r"responsibilit|what you('ll| will) do|the role|your role|day[- ]to[- ]day|"
            r"what you('ll| will) work on|duties|the job|your impact|in this role|"
            r"you will|what you('ll| will) be doing|the opportunity|the work|job description|role description|"
            r"position (description|summary|overview)|job summary|the position"
        ),
    ),
    (
        "about",
        re.compile(
            r"about(?<=^about)|who we are|our mission|the company|company overview|our story|our team|"
            r"equal opportunity|eeo|diversity"
        ),
    ),
)


_MAX_HEADING_CHARS = 60


def _strippable(char: str) -> bool:
    return char in "#*" or char.isspace()


def classify_heading(line: str) -> str | None:
    """The section a heading line opens (about, responsibilities, requirements, preferred, benefits), or None
    when the line is not a heading.

    >>> classify_heading("Nice to have:"), classify_heading("What you'll do"), classify_heading("- Python")
    ('preferred', 'responsibilities', None)
    >>> classify_heading("Job Description:")
    'responsibilities'

    """
    if len(line) > _MAX_HEADING_CHARS and not _strippable(line[0]) and not _strippable(line[-1]):
        return None  # nothing to strip: too long to be a heading (most lines leave here)
    text = line.strip().strip("#*").strip()
    if not text or text.startswith(("-", "•", "*")) or len(text) > _MAX_HEADING_CHARS or len(text.split()) > 8:
        return None
    if text.endswith((".", ",", ";")):
        return None
    lowered = text.lower().rstrip(":").strip()
    for kind, pattern in SECTION_PATTERNS:
        if pattern.search(lowered):
            return kind
    return None


_PREFERRED_CUE = re.compile(
    r"\b(nice[- ]to[- ]have|preferred|preferably|bonus|a plus|is a plus|are a plus|plus if|ideally|desirable|"
    r"good to have|not required|would be great|familiarity with is helpful)\b",
    re.I,
)
_PREFERRED_HINT = Hint.of("nice|prefer|bonus|plus|ideal|desirable|good to have|not required|would be great|familiarity")


def requirement_for(section: str | None, line: str) -> Requirement:
    """Required or preferred, from the section a mention sits in and cue words on its line.

    >>> requirement_for("requirements", "- Kubernetes experience is a plus")
    <Requirement.PREFERRED: 'preferred'>
    >>> requirement_for("requirements", "- 3+ years of Python")
    <Requirement.REQUIRED: 'required'>
    """
    if section == "preferred" or (_PREFERRED_HINT.in_line(line) and _PREFERRED_CUE.search(line)):
        return Requirement.PREFERRED
    return Requirement.REQUIRED
