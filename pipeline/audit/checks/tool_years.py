"""Impossible or inflated asks: more years of a tool than the tool has existed ("5+ years of LangChain"), from the
release years in the taxonomy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pipeline.audit.document import AuditDocument, Mention
from pipeline.audit.findings import Finding, Severity
from pipeline.extraction.rules import years_mentions

# Words allowed between "5+ years" and the tool it counts ("5+ years of hands-on experience with LangChain").
_BRIDGE_WORDS = frozenset(
    {"of", "with", "in", "using", "on", "building", "working", "hands-on", "professional", "production"}
    | {"commercial", "industry", "practical", "direct", "relevant", "experience", "experienced", "developing", "the"}
)
_LIST_GLUE = re.compile(r"^\s*(?:,|/|,?\s*(?:and|or|&))\s*$", re.I)  # "LangChain, LlamaIndex or DSPy"
_BEFORE_GLUE = re.compile(r"^\s*(?::|\(|-|–|—|,)?\s*(?:at least|min(?:imum)?\.?)?\s*$", re.I)  # "LangChain (5+ years)"
MAX_BRIDGE_WORDS = 6


@dataclass(frozen=True)
class ToolYears:
    """A number of years asked of one tool: ``mention`` is the tool, ``start``/``end`` the years phrase."""

    mention: Mention
    years: int
    start: int
    end: int


def _bridged(text: str) -> bool:
    words = text.replace(",", " ").split()
    return len(words) <= MAX_BRIDGE_WORDS and all(word.lower() in _BRIDGE_WORDS for word in words)


def tool_years(doc: AuditDocument) -> list[ToolYears]:
    """Every "N years of <tool>" of the description: the tool right after the years phrase (bridged by words such
    as "of hands-on experience with") and the tools listed after it, or the tool right before it ("LangChain: 3+
    years", "LangChain (3+ years)")."""
    found: list[ToolYears] = []
    for line in doc.lines:
        on_line = [m for m in doc.mentions if line.start <= m.start < line.start + len(line.text)]
        for asked in years_mentions(line.text):
            start, end = line.start + asked.start, line.start + asked.end
            after = [m for m in on_line if m.start >= end]
            if after and _bridged(doc.text[end : after[0].start]):
                chain = [after[0]]
                for nxt in after[1:]:
                    if not _LIST_GLUE.match(doc.text[chain[-1].end : nxt.start]):
                        break
                    chain.append(nxt)
                found.extend(ToolYears(m, asked.years, start, end) for m in chain)
                continue
            before = [m for m in on_line if m.end <= start]
            if before and _BEFORE_GLUE.match(doc.text[before[-1].end : start]):
                found.append(ToolYears(before[-1], asked.years, start, end))
    return found


def check_tool_years(doc: AuditDocument, *, as_of: date) -> list[Finding]:
    """High when a tool is asked for more years than it has existed on ``as_of`` (its taxonomy release year);
    medium when asked for exactly as long as it has existed (only its first users qualify)."""
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for ask in tool_years(doc):
        entry = doc.taxonomy.get(ask.mention.skill)
        if entry is None or entry.released is None or (ask.mention.skill, ask.years) in seen:
            continue
        seen.add((ask.mention.skill, ask.years))
        age = as_of.year - entry.released
        if ask.years < age:
            continue
        tool = ask.mention.skill
        impossible = ask.years > age
        findings.append(
            Finding(
                id="tool-years.impossible" if impossible else "tool-years.inflated",
                check="tool-years",
                severity=Severity.HIGH if impossible else Severity.MEDIUM,
                title=f"{doc.text[ask.start : ask.end]} of {tool}" + (": longer than it exists" if impossible else ""),
                message=(
                    f"{tool} was first released in {entry.released}, about {age} year{'s' if age != 1 else ''} "
                    f"before {as_of.year}: "
                    + (
                        f"nobody can have {ask.years} years of it."
                        if impossible
                        else "only people who adopted it on release day qualify."
                    )
                ),
                advice=f"Ask for experience with {tool} (or its kind of tool) without a number of years.",
                evidence=(doc.span(ask.start, ask.end), doc.span(ask.mention.start, ask.mention.end)),
            )
        )
    return findings
