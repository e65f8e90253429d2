"""Exclusionary wording: masculine-coded words (Gaucher, Friesen & Kay 2011), coded labels such as "rockstar" and
"ninja", age-coded phrases, and too few required-vs-preferred distinctions."""

from __future__ import annotations

import re
from collections import Counter

from pipeline.analysis.market import MarketSnapshot
from pipeline.audit.checks.level import stated_level
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span
from pipeline.audit.wordlists import ExclusionaryPhrases, GenderedWords
from pipeline.domain import Level
from pipeline.extraction.rules import classify_heading

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
MASCULINE_LOW = 3  # masculine-coded words outnumbering feminine-coded ones by this many: low
MASCULINE_MEDIUM = 6  # ...by this many: medium
ALL_REQUIRED_LOW = 8  # this many skills asked and none marked preferred: low
ALL_REQUIRED_MEDIUM = 12  # ...medium


def coded_words(doc: AuditDocument, words: GenderedWords) -> dict[str, list[Span]]:
    """The masculine- and feminine-coded words of the description, each with its spans; section headings, skill
    names ("Data analysis") and technical phrases ("individual contributor") are not counted."""
    masked = list(doc.text)
    for mention in doc.mentions:
        masked[mention.start : mention.end] = " " * (mention.end - mention.start)
    for line in doc.lines:
        if classify_heading(line.text) is not None:
            masked[line.start : line.end] = " " * (line.end - line.start)
    text = "".join(masked)
    if words.technical_phrases:
        phrases = re.compile(r"\b(?:" + "|".join(map(re.escape, words.technical_phrases)) + r")\b", re.I)
        text = phrases.sub(lambda m: " " * len(m.group(0)), text)
    found: dict[str, list[Span]] = {"masculine": [], "feminine": []}
    for match in _WORD.finditer(text):
        kind = words.coded(match.group(0))
        if kind is not None:
            found[kind].append(doc.span(match.start(), match.end()))
    return found


def check_gendered_wording(doc: AuditDocument, words: GenderedWords) -> list[Finding]:
    """Low when masculine-coded words outnumber feminine-coded ones by 3 or more, medium by 6 or more."""
    found = coded_words(doc, words)
    masculine, feminine = found["masculine"], found["feminine"]
    excess = len(masculine) - len(feminine)
    if excess < MASCULINE_LOW:
        return []
    counts = Counter(span.text.lower() for span in masculine)
    listed = ", ".join(f"{word} ({n})" if n > 1 else word for word, n in sorted(counts.items()))
    return [
        Finding(
            id="wording.masculine-coded",
            check="wording",
            severity=Severity.MEDIUM if excess >= MASCULINE_MEDIUM else Severity.LOW,
            title="Masculine-coded wording",
            message=(
                f"{len(masculine)} masculine-coded words ({listed}) against {len(feminine)} feminine-coded ones. "
                "Gaucher, Friesen & Kay (2011) found that masculine-coded job advertisements are less appealing to "
                "women, who anticipate belonging less."
            ),
            advice="Balance the wording: describe the team and how it works together, not only the drive expected.",
            evidence=tuple(masculine),
        )
    ]


def _is_entry_level(doc: AuditDocument) -> bool:
    stated = stated_level(doc)
    level = stated[0].value if stated is not None else doc.extraction.level.value
    return level == Level.I.value or doc.posting.employment_type == "internship"


def check_exclusionary_phrases(doc: AuditDocument, phrases: ExclusionaryPhrases) -> list[Finding]:
    """Medium for coded labels ("rockstar", "ninja", "guru"); medium for age-coded phrases ("digital native",
    "young team", "recent graduate", a cap on years of experience) unless the role is entry-level."""
    findings: list[Finding] = []
    labels = [doc.span(m.start(), m.end()) for m in phrases.coded_label_pattern.finditer(doc.text)]
    if labels:
        said = ", ".join(dict.fromkeys(f"'{span.text}'" for span in labels))
        findings.append(
            Finding(
                id="wording.coded-labels",
                check="wording",
                severity=Severity.MEDIUM,
                title="Coded labels for people",
                message=(
                    f"The description calls the candidate or team {said}. Such labels read as a narrow, "
                    "'bro' culture and put off many qualified people; they also say nothing about the work."
                ),
                advice="Describe the skills and the work instead (e.g. 'an experienced Python engineer').",
                evidence=tuple(labels),
            )
        )
    if not _is_entry_level(doc):
        aged = [doc.span(m.start(), m.end()) for m in phrases.age_coded_pattern.finditer(doc.text)]
        if aged:
            said = ", ".join(dict.fromkeys(f"'{span.text}'" for span in aged))
            findings.append(
                Finding(
                    id="wording.age-coded",
                    check="wording",
                    severity=Severity.MEDIUM,
                    title="Age-coded wording",
                    message=(
                        f"The description says {said} for a role that is not entry-level. Phrases that favour young "
                        "or recently graduated candidates, or cap the years of experience, discourage older "
                        "applicants and can breach age-discrimination law (in the US, the ADEA protects "
                        "applicants aged 40 and over)."
                    ),
                    advice="Describe the skills needed; state a minimum of experience, not a maximum.",
                    evidence=tuple(aged),
                )
            )
    return findings


def check_requirement_distinctions(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """Low when 8+ skills are asked and none is marked preferred (nice to have), medium from 12: candidates who
    meet most but not all of the list are left to guess what really matters, and many of them do not apply."""
    asked = len(doc.extraction.skills)
    if doc.preferred_skills() or asked < ALL_REQUIRED_LOW:
        return []
    figures: tuple[MarketFigure, ...] = ()
    if market is not None and market.postings:
        figures = (
            MarketFigure(
                label="mark some skills as preferred",
                value=market.profile.with_preferred_skills / market.postings,
                unit="share",
                sample_size=market.postings,
                segment=market.segment.label,
                warning=market.warning,
            ),
        )
    return [
        Finding(
            id="wording.no-preferred",
            check="wording",
            severity=Severity.MEDIUM if asked >= ALL_REQUIRED_MEDIUM else Severity.LOW,
            title="Everything is a must-have",
            message=(
                f"All {asked} skills the description asks for read as required; none is marked nice to have. "
                "Candidates who meet most of the list cannot tell what really matters, and many do not apply."
            ),
            advice="Split the list into 'must have' and 'nice to have' (a heading or 'a plus' on the line).",
            market=figures,
        )
    ]
