"""The job description as the checks read it: its lines with their sections, every skill mention, the
extraction, and helpers that turn character offsets into evidence spans."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from pipeline.audit.findings import Span
from pipeline.domain import Extraction, Posting, Requirement
from pipeline.extraction.components import line_sections
from pipeline.extraction.extractor import Extractor, prepare_description
from pipeline.extraction.rules import requirement_for
from pipeline.extraction.taxonomy import SkillEntry

NOT_ASKED_SECTIONS = frozenset({"about", "benefits"})  # what the company offers or is, not what it asks


class UnreadableDescriptionError(ValueError):
    """The description cannot be audited (empty or not English); the message says why."""


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    section: str | None
    text: str

    @property
    def asked(self) -> bool:
        """True when the line can state a requirement (not in an "about us" or benefits section)."""
        return self.section not in NOT_ASKED_SECTIONS

    @property
    def requirement(self) -> Requirement:
        return requirement_for(self.section, self.text)


@dataclass(frozen=True)
class Mention:
    """One accepted mention of a taxonomy skill (every mention, not only the first per skill)."""

    skill: str
    start: int
    end: int


@dataclass(frozen=True)
class AuditDocument:
    """What every check reads. Offsets are into ``text``, the description as audited."""

    posting: Posting
    text: str
    lines: tuple[Line, ...]
    extraction: Extraction
    mentions: tuple[Mention, ...]
    taxonomy: Mapping[str, SkillEntry]

    @property
    def title(self) -> str:
        return self.posting.title

    @cached_property
    def _starts(self) -> list[int]:
        return [line.start for line in self.lines]

    def line_index(self, char: int) -> int:
        """0-based index of the line holding character ``char``."""
        return max(bisect.bisect_right(self._starts, char) - 1, 0)

    def line_at(self, char: int) -> Line:
        return self.lines[self.line_index(char)]

    def span(self, start: int, end: int) -> Span:
        """An evidence span of ``text[start:end]``."""
        return Span(text=self.text[start:end], start=start, end=end, line=self.line_index(start) + 1)

    def line_span(self, line: Line) -> Span:
        """The whole line (stripped of surrounding spaces) as a span."""
        lead = len(line.text) - len(line.text.lstrip())
        return self.span(line.start + lead, line.start + len(line.text.rstrip()))

    def find(self, needle: str | None) -> Span | None:
        """The first place the text says ``needle`` (case-insensitive); a needle shortened with "..." (as
        extraction evidence is) is looked up by its longest piece. None when it is not found."""
        if not needle:
            return None
        pieces = sorted(
            (piece for part in re.split(r"\.\.\.|…", needle) if (piece := part.strip().lstrip("-•*·").strip())),
            key=len,
            reverse=True,
        )
        lowered = self.text.lower()
        for piece in pieces:
            at = lowered.find(piece.lower())
            if at >= 0:
                return self.span(at, at + len(piece))
        return None

    def asked_lines(self) -> list[Line]:
        return [line for line in self.lines if line.asked]

    def required_skills(self) -> list[str]:
        return [m.skill for m in self.extraction.skills if m.requirement is Requirement.REQUIRED]

    def preferred_skills(self) -> list[str]:
        return [m.skill for m in self.extraction.skills if m.requirement is Requirement.PREFERRED]

    def skill_span(self, skill: str) -> Span | None:
        """The span of the extraction's mention of ``skill`` (the one its requirement was read from)."""
        for mention in self.extraction.skills:
            if mention.skill == skill:
                return self.span(mention.start, mention.end)
        return None


def read_document(posting: Posting, extractor: Extractor) -> AuditDocument:
    """Run the extractor once over the posting and keep what the checks need.

    Raises UnreadableDescriptionError when the extractor would not label the description (empty, or not English).
    """
    ready = prepare_description(posting.description)
    if ready.skipped is not None:
        raise UnreadableDescriptionError(f"the description cannot be audited: {ready.skipped}")
    doc = extractor.nlp(ready.text)
    extraction = extractor.from_doc(doc, posting, ready)
    lines = tuple(Line(s, e, kind, ready.text[s:e]) for s, e, kind in line_sections(ready.text))
    mentions = tuple(
        sorted(
            {Mention(span.label_, span.start_char, span.end_char) for span in doc.spans["skills"]},
            key=lambda m: (m.start, m.end, m.skill),
        )
    )
    return AuditDocument(
        posting=posting,
        text=ready.text,
        lines=lines,
        extraction=extraction,
        mentions=mentions,
        taxonomy=extractor.taxonomy.by_name(),
    )
