"""Build the spaCy pipeline once and turn postings into labelled extractions with evidence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.domain import Extraction, Label, Posting, Requirement, RoleFamily, SkillMention
from pipeline.extraction.components import (  # importing registers the factories
    CueMatcher,
    SectionedText,
    blank_pipeline,
    blank_sections,
    doc_text,
    span_offsets,
)
from pipeline.extraction.rules import (
    education_requirement,
    first_listed_role,
    level_from_role_lines,
    level_from_scope,
    level_from_title,
    level_from_years,
    listed_roles,
    non_english_reason,
    primary_years,
    publications_requirement,
    requirement_for,
    role_family,
    snippet,
    specialization_scores,
    track_from_title,
)
from pipeline.extraction.rules.scan import ScannedLines
from pipeline.extraction.rules.title_cues import TitleCues
from pipeline.extraction.skill_matcher import SkillMatcher  # importing registers jobatlas_skills
from pipeline.extraction.taxonomy import (
    SpecializationCues,
    Taxonomy,
    load_specialization_cues,
    load_taxonomy,
)

RULES_VERSION = "0.3.1"
_SKIPPED_SECTIONS = frozenset({"about", "benefits"})  # company products and perks are not asks
_NON_AI_FAMILIES = frozenset({RoleFamily.OTHER, RoleFamily.DATA_ENGINEER})
_MAX_EVIDENCE = 240
_MAX_SPEC_LINES = 5  # evidence lines kept per specialization
MAX_DESCRIPTION_CHARS = 100_000  # longer descriptions are cut here before spaCy (recorded in the evidence)
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")  # a description without any is empty (spaces, punctuation, ZWSP...)
MAX_TITLE_CHARS = 300  # title rules read at most this much of a title (real titles are far shorter)


_Line = tuple[str | None, Requirement, int, str, str | None]  # section, requirement, start, text, short evidence


@dataclass(frozen=True)
class PreparedText:
    """The text the pipeline runs on: the description, cut at ``MAX_DESCRIPTION_CHARS``; empty when the posting
    is skipped (``skipped`` says why: an empty or non-English description gets null labels, not guesses)."""

    text: str
    skipped: str | None = None
    truncated: str | None = None


def prepare_description(description: str) -> PreparedText:
    """Cut a very long description and decide whether it can be labelled at all.

    >>> prepare_description("   ").skipped
    'description is empty'
    >>> prepare_description("x " * 60_000).truncated
    'description cut at 100,000 of 120,000 characters'
    """
    if not _LETTER_OR_DIGIT.search(description):
        return PreparedText("", skipped="description is empty")
    truncated = None
    text = description
    if len(description) > MAX_DESCRIPTION_CHARS:
        text = description[:MAX_DESCRIPTION_CHARS]
        truncated = f"description cut at {MAX_DESCRIPTION_CHARS:,} of {len(description):,} characters"
    reason = non_english_reason(text)
    if reason is not None:
        return PreparedText("", skipped=reason, truncated=truncated)
    return PreparedText(text, truncated=truncated)


def asked_text(ready: PreparedText) -> SectionedText:
    """The prepared text with its about and benefits sections blanked (headings kept, offsets unchanged): what
    they say is not asked of the candidate, so the labels never read it, and the pipeline need not tokenize or
    match it (about 13% of the corpus text). Readers of the whole posting (the audit) run on ``ready.text``."""
    return blank_sections(ready.text, _SKIPPED_SECTIONS)


def build_nlp(taxonomy: Taxonomy, cues: SpecializationCues) -> Language:
    """A blank English pipeline with the section, skill and cue components; build it once per process."""
    nlp = blank_pipeline()
    nlp.add_pipe("jobatlas_sections")
    skills = nlp.add_pipe("jobatlas_skills")
    assert isinstance(skills, SkillMatcher)
    skills.add_taxonomy(taxonomy)
    cue_matcher = nlp.add_pipe("jobatlas_cues")
    assert isinstance(cue_matcher, CueMatcher)
    cue_matcher.add_cues(cues)
    return nlp


class Extractor:
    """Rules over the spaCy pipeline: skills (required or preferred), level, track, role family,
    specializations, years, education and publications, each with its evidence.

    Descriptions longer than ``MAX_DESCRIPTION_CHARS`` are cut before spaCy; empty and non-English ones are not
    run through spaCy at all and get null labels whose evidence says why."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy, cues: SpecializationCues) -> None:
        self.nlp = nlp
        self.taxonomy = taxonomy
        self.cues = cues
        self._skill_specializations = {  # the skills that hint at specializations, and which
            skill.name: tuple(spec.value for spec in skill.specializations)
            for skill in taxonomy.skills
            if skill.specializations
        }
        self._entries = {name.value: entry for name, entry in cues.specializations.items()}
        self._title_cues = TitleCues(
            {name.value: (*entry.cues, *entry.title_cues) for name, entry in cues.specializations.items()}
        )

    @property
    def version(self) -> str:
        return f"rules-{RULES_VERSION}+taxonomy-{self.taxonomy.version}"

    def extract_many(self, postings: Iterable[Posting], *, batch_size: int = 64) -> Iterator[Extraction]:
        """Extractions in input order, streaming through ``nlp.pipe``."""
        prepared = ((posting, prepare_description(posting.description)) for posting in postings)
        pairs = ((asked_text(ready), (posting, ready)) for posting, ready in prepared)
        for doc, (posting, ready) in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self.from_doc(doc, posting, ready)

    def extract(self, posting: Posting) -> Extraction:
        ready = prepare_description(posting.description)
        return self.from_doc(self.nlp(asked_text(ready)), posting, ready)

    def from_doc(self, doc: Doc, posting: Posting, prepared: PreparedText | None = None) -> Extraction:
        """Label one posting from its doc, which must be made from ``prepare_description(posting.description)``
        (or its :func:`asked_text`: the labels are the same)."""
        ready = prepared or prepare_description(posting.description)
        if ready.skipped is not None:
            return self._skipped(posting, ready)
        text = ready.text  # the text the doc was made from (doc.text rebuilds it token by token)
        title = posting.title[:MAX_TITLE_CHARS]
        sections: tuple[tuple[int, int, str | None], ...] = doc._.sections
        starts = [start for start, _, _ in sections]

        lines: dict[int, _Line] = {}

        def line_at(char: int) -> _Line:
            """Section, requirement, start, text and short evidence of the line holding ``char``, computed once per
            line (a long line with thousands of mentions must not be sliced and scanned thousands of times)."""
            index = max(bisect.bisect_right(starts, char) - 1, 0)
            if index not in lines:
                start, end, kind = sections[index]
                line = text[start:end]
                stripped = line.strip()
                short = stripped if len(stripped) <= _MAX_EVIDENCE else None
                requirement = requirement_for(kind, line) if kind not in _SKIPPED_SECTIONS else Requirement.REQUIRED
                lines[index] = (kind, requirement, start, line, short)
            return lines[index]

        first: dict[str, tuple[Requirement, int, int, _Line]] = {}  # skill -> its first mention (required first)
        for label, start_char, end_char in span_offsets(doc, "skills"):
            at = line_at(start_char)
            if at[0] in _SKIPPED_SECTIONS:
                continue
            known = first.get(label)
            if known is None or (known[0] is Requirement.PREFERRED and at[1] is Requirement.REQUIRED):
                first[label] = (at[1], start_char, end_char, at)
        mentions = {
            label: SkillMention(  # validated in pydantic-core: twice as fast as model_construct, in Python
                skill=label,
                requirement=requirement,
                evidence=short or snippet(line, start_char - offset, end_char - offset, width=_MAX_EVIDENCE),
                start=start_char,
                end=end_char,
            )
            for label, (requirement, start_char, end_char, (_, _, offset, line, short)) in first.items()
        }

        asked = [(text[s:e], kind) for s, e, kind in sections if kind not in _SKIPPED_SECTIONS]
        asked_lines = ScannedLines([line for line, _ in asked])  # joined once for every rule's scan
        education = education_requirement(asked, scanned=asked_lines)  # (both skip the same sections anyway)
        publications = publications_requirement(asked, scanned=asked_lines)
        publications_evidence = publications.evidence
        if publications_evidence is not None and publications.venues:
            publications_evidence = f"{publications_evidence} [venues: {', '.join(publications.venues)}]"
        years = primary_years(asked_lines)
        listed = listed_roles(asked_lines)
        title_level = level_from_title(title)
        if title_level is not None:
            level = Label(value=title_level[0].value, confidence=0.9, evidence=f"title: {title_level[1]}")
        elif (listed_level := level_from_role_lines(listed)) is not None:
            level = Label(value=listed_level[0].value, confidence=0.8, evidence=f"role listed: {listed_level[1]}")
        elif years is not None:
            level = Label(value=level_from_years(years.years).value, confidence=0.7, evidence=years.text)
        elif (scope := level_from_scope(asked_lines)) is not None:
            level = Label(value=scope[0].value, confidence=0.5, evidence=f"scope: {scope[1]}")
        else:
            level = Label(value=None, confidence=0.0)
        track = track_from_title(title)
        preferred = frozenset(name for name, m in mentions.items() if m.requirement is Requirement.PREFERRED)
        role_title = first_listed_role(title, listed)
        family, family_reason = role_family(role_title, frozenset(mentions), preferred=preferred)
        if role_title != title:
            family_reason = f"{family_reason} (role: {role_title})"

        specs, spec_evidence = self._specializations(doc, mentions, line_at, role_title, family)
        if family in _NON_AI_FAMILIES:
            specs = {}
        return Extraction(
            posting_id=posting.id,
            extractor_version=self.version,
            skills=tuple(sorted(mentions.values(), key=lambda m: m.start)),
            level=level,
            track=Label(value=track.value, confidence=0.8, evidence=title),
            role_family=Label(value=family.value, confidence=0.6, evidence=family_reason),
            specializations=specs,
            years_min=years.years if years else None,
            evidence={
                **spec_evidence,
                "years": years.text if years else None,
                "education": education.evidence,
                "publications": publications_evidence,
                **({"truncated": ready.truncated} if ready.truncated else {}),
            },
            education=Label(
                value=education.level,
                confidence={"required": 0.8, "preferred": 0.6}.get(education.requirement or "", 0.0),
                evidence=education.evidence,
            ),
            education_requirement=education.requirement,
            publications=Label(
                value=publications.requirement,
                confidence=0.7 if publications.requirement else 0.0,
                evidence=publications_evidence,
            ),
            publication_venues=tuple(publications.venues),
        )

    def _specializations(
        self,
        doc: Doc,
        mentions: dict[str, SkillMention],
        line_at: Callable[[int], _Line],
        role_title: str,
        family: RoleFamily,
    ) -> tuple[dict[str, float], dict[str, dict[str, list[str]]]]:
        """Specialization scores over the threshold, and the cues and skills behind them: each specialization
        scores the distinct asked lines that speak of it (nice-to-have lines weigh less) plus a title bonus; a
        specialization that needs one of a set of skills (agents: an LLM skill) is dropped without it, unless the
        role is an AI engineer's (who builds on foundation models by definition)."""
        text = doc_text(doc)
        cue_hits: dict[str, set[str]] = {}
        spec_lines: dict[str, set[int]] = {}  # specialization -> start offsets of the lines that speak of it
        preferred_lines: set[int] = set()
        for label, start_char, end_char in span_offsets(doc, "cues"):
            section, requirement, offset, _, _ = line_at(start_char)
            if section not in _SKIPPED_SECTIONS:
                cue_hits.setdefault(label, set()).add(text[start_char:end_char].lower())
                spec_lines.setdefault(label, set()).add(offset)
                if requirement is Requirement.PREFERRED:
                    preferred_lines.add(offset)
        skill_hints: dict[str, set[str]] = {}
        for name, mention in mentions.items():
            for spec in self._skill_specializations.get(name, ()):
                skill_hints.setdefault(spec, set()).add(name)
                _, requirement, offset, _, _ = line_at(mention.start)
                spec_lines.setdefault(spec, set()).add(offset)
                if requirement is Requirement.PREFERRED:
                    preferred_lines.add(offset)
        title_hits = self._title_cues.found(role_title)
        scores = specialization_scores(
            spec_lines,
            title_hits,
            title_weight=self.cues.title_weight,
            line_weights=dict.fromkeys(preferred_lines, self.cues.preferred_weight),
        )
        entries = self._entries
        specs = {
            name: score
            for name, score in scores.items()
            if score >= self.cues.threshold
            and (
                not entries[name].requires_any_skill
                or family is RoleFamily.AI_ENGINEER
                or not mentions.keys().isdisjoint(entries[name].requires_any_skill)
            )
        }

        def said(offset: int) -> str:
            _, _, _, line, short = line_at(offset)
            return short or snippet(line, 0, 0)

        evidence = {
            "specialization_cues": {k: sorted(v) for k, v in cue_hits.items()},
            "specialization_skills": {k: sorted(v) for k, v in skill_hints.items()},
            "specialization_lines": {  # what a reader checks: the title and the first lines behind each label
                name: ([f"title: {role_title}"] if name in title_hits else [])
                + [said(offset) for offset in sorted(spec_lines.get(name, set()))][:_MAX_SPEC_LINES]
                for name in specs
            },
        }
        return specs, evidence

    def _skipped(self, posting: Posting, ready: PreparedText) -> Extraction:
        """Null labels whose evidence is the reason the posting was not labelled."""
        reason = f"not labelled: {ready.skipped}"
        null = Label(value=None, confidence=0.0, evidence=reason)
        return Extraction(
            posting_id=posting.id,
            extractor_version=self.version,
            skills=(),
            level=null,
            track=null,
            role_family=null,
            specializations={},
            years_min=None,
            evidence={"skipped": ready.skipped, **({"truncated": ready.truncated} if ready.truncated else {})},
            education=null,
            publications=null,
        )


def build_extractor(taxonomy_dir: Path) -> Extractor:
    """Load the taxonomy and cues from ``taxonomy_dir`` and build the pipeline (once)."""
    taxonomy = load_taxonomy(taxonomy_dir / "skills.yaml")
    cues = load_specialization_cues(taxonomy_dir / "specializations.yaml")
    return Extractor(build_nlp(taxonomy, cues), taxonomy, cues)
