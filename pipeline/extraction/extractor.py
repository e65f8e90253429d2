"""Build the spaCy pipeline once and turn postings into labelled extractions with evidence."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.domain import Extraction, Label, Posting, Requirement, RoleFamily, SkillMention
from pipeline.extraction.components import CueMatcher, SkillMatcher  # importing registers the factories
from pipeline.extraction.rules import (
    level_from_title,
    level_from_years,
    primary_years,
    requirement_for,
    role_family,
    specialization_scores,
    track_from_title,
)
from pipeline.extraction.taxonomy import (
    SpecializationCues,
    Taxonomy,
    load_specialization_cues,
    load_taxonomy,
)

RULES_VERSION = "0.1.0"
_SKIPPED_SECTIONS = frozenset({"about", "benefits"})  # company products and perks are not asks
_NON_AI_FAMILIES = frozenset({RoleFamily.OTHER, RoleFamily.DATA_ENGINEER})
_MAX_EVIDENCE = 240


def build_nlp(taxonomy: Taxonomy, cues: SpecializationCues) -> Language:
    """A blank English pipeline with the section, skill and cue components; build it once per process."""
    nlp = spacy.blank("en")
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
    specializations and years, each with its evidence."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy, cues: SpecializationCues) -> None:
        self.nlp = nlp
        self.taxonomy = taxonomy
        self.cues = cues
        self._skills = taxonomy.by_name()
        self._title_cues = {
            name.value: re.compile(r"\b(" + "|".join(re.escape(c) for c in entry.cues) + r")\b", re.I)
            for name, entry in cues.specializations.items()
        }

    @property
    def version(self) -> str:
        return f"rules-{RULES_VERSION}+taxonomy-{self.taxonomy.version}"

    def extract_many(self, postings: Iterable[Posting], *, batch_size: int = 64) -> Iterator[Extraction]:
        """Extractions in input order, streaming through ``nlp.pipe``."""
        pairs = ((posting.description, posting) for posting in postings)
        for doc, posting in self.nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
            yield self.from_doc(doc, posting)

    def extract(self, posting: Posting) -> Extraction:
        return self.from_doc(self.nlp(posting.description), posting)

    def from_doc(self, doc: Doc, posting: Posting) -> Extraction:
        text = posting.description  # the text the doc was made from (doc.text rebuilds it token by token)
        sections: tuple[tuple[int, int, str | None], ...] = doc._.sections
        starts = [start for start, _, _ in sections]

        def line_at(char: int) -> tuple[str, str | None]:
            index = max(bisect.bisect_right(starts, char) - 1, 0)
            start, end, kind = sections[index]
            return text[start:end], kind

        mentions: dict[str, SkillMention] = {}
        for span in doc.spans["skills"]:
            line, section = line_at(span.start_char)
            if section in _SKIPPED_SECTIONS:
                continue
            requirement = requirement_for(section, line)
            known = mentions.get(span.label_)
            if known is None or (known.requirement is Requirement.PREFERRED and requirement is Requirement.REQUIRED):
                mentions[span.label_] = SkillMention(
                    skill=span.label_,
                    requirement=requirement,
                    evidence=line.strip()[:_MAX_EVIDENCE],
                    start=span.start_char,
                    end=span.end_char,
                )

        cue_hits: dict[str, set[str]] = {}
        for span in doc.spans["cues"]:
            if line_at(span.start_char)[1] not in _SKIPPED_SECTIONS:
                cue_hits.setdefault(span.label_, set()).add(span.text.lower())
        skill_hints: dict[str, set[str]] = {}
        for name in mentions:
            for spec in self._skills[name].specializations:
                skill_hints.setdefault(spec.value, set()).add(name)
        title_hits = {name for name, pattern in self._title_cues.items() if pattern.search(posting.title)}

        asked_lines = [text[s:e] for s, e, kind in sections if kind not in _SKIPPED_SECTIONS]
        years = primary_years(asked_lines)
        title_level = level_from_title(posting.title)
        if title_level is not None:
            level = Label(value=title_level[0].value, confidence=0.9, evidence=f"title: {title_level[1]}")
        elif years is not None:
            level = Label(value=level_from_years(years.years).value, confidence=0.7, evidence=years.text)
        else:
            level = Label(value=None, confidence=0.0)
        track = track_from_title(posting.title)
        family, family_reason = role_family(posting.title, frozenset(mentions))

        specs: dict[str, float] = {}
        if family not in _NON_AI_FAMILIES:
            scores = specialization_scores(cue_hits, skill_hints, title_hits, title_weight=self.cues.title_weight)
            specs = {name: score for name, score in scores.items() if score >= self.cues.threshold}
        return Extraction(
            posting_id=posting.id,
            extractor_version=self.version,
            skills=tuple(sorted(mentions.values(), key=lambda m: m.start)),
            level=level,
            track=Label(value=track.value, confidence=0.8, evidence=posting.title),
            role_family=Label(value=family.value, confidence=0.6, evidence=family_reason),
            specializations=specs,
            years_min=years.years if years else None,
            evidence={
                "specialization_cues": {k: sorted(v) for k, v in cue_hits.items()},
                "specialization_skills": {k: sorted(v) for k, v in skill_hints.items()},
                "years": years.text if years else None,
            },
        )


def build_extractor(taxonomy_dir: Path) -> Extractor:
    """Load the taxonomy and cues from ``taxonomy_dir`` and build the pipeline (once)."""
    taxonomy = load_taxonomy(taxonomy_dir / "skills.yaml")
    cues = load_specialization_cues(taxonomy_dir / "specializations.yaml")
    return Extractor(build_nlp(taxonomy, cues), taxonomy, cues)
