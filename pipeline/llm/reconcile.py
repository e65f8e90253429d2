"""The hybrid policy: which postings the model reads, and how its answer and the rule labels make the final tag.
Pure functions.

Which postings go to the model (:func:`review_reasons`; at most ``llm_hybrid_max_postings`` per run, those with
the most reasons first): a posting whose rule labels are low-confidence or conflicting, that is

- level: none found, or found with a confidence below the floor (scope language only), or a title level two or
  more rungs away from the level the required years give ("Junior" asking 7+ years);
- role family: decided by counting the LLM-application against the model-training skills asked (an "AI/ML" or
  "AI Engineer" title, or a plain software title) when the two counts differ by one at most; or "other" by default
  while the posting asks for AI or ML skills; or a confidence below the floor;
- specializations: one applies with a score within a margin of the threshold (borderline).

Postings the rules did not label at all (empty or non-English descriptions) are never sent.

Which field wins when both have a value (:func:`reconcile`):

- level and role family: the model's when the rule label was low-confidence or conflicting, else the rules';
- specializations: the model's (the rules' weakest field), kept only for AI and ML role families;
- track, years, education and publications: the rules' (title words and parsers measured near-perfect on the gold
  labels), the model's only where the rules found nothing;
- skills: every rule skill stays with its requirement; a skill only the model names is added when its evidence is
  in the posting (checked when parsing) outside the "about" and benefits sections.

In ``llm`` mode (``prefer_llm``) the model's value wins on every field it gave one for, and the rules fill in the
fields it left empty; skills are merged the same way as in hybrid mode (the rule skills stay as they are).

Each final field records where it came from (``provenance``). A :class:`Disagreement` is kept for review for
every field on which both sides gave a value and differ, for the specializations when the sets differ, and for
every skill only one side names or whose requirement they see differently.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.domain import Extraction, Label, Level, Posting, RoleFamily, SkillMention
from pipeline.extraction.components import line_sections
from pipeline.extraction.rules import LLM_APP_SKILLS, MODEL_TRAINING_SKILLS, level_from_years
from pipeline.llm.parse import locate
from pipeline.llm.schema import AI_FAMILIES, Answer

LLM_CONFIDENCE = 0.7  # the confidence recorded for a label the model gave
_LADDER = (Level.I, Level.II, Level.SENIOR, Level.STAFF)
_SKIPPED_SECTIONS = frozenset({"about", "benefits"})
_BALANCE = re.compile(r"(\d+) LLM-application skills vs (\d+) model-training")  # role-family evidence of a count
_DEFAULT_OTHER_MARKER = "no AI, ML or data role"  # role-family evidence of the fall-through to "other"


@dataclass(frozen=True)
class ReconcilePolicy:
    confidence_floor: float = 0.6  # a rule label below it is low-confidence
    specialization_threshold: float = 2.0  # the rules' threshold (data/taxonomy/specializations.yaml)
    specialization_margin: float = 1.0  # a score below threshold + margin is borderline
    level_gap: int = 2  # title level and years level this many rungs apart conflict


DEFAULT_POLICY = ReconcilePolicy()


def _level_reasons(rules: Extraction, policy: ReconcilePolicy) -> list[str]:
    if rules.level.value is None:
        return ["level: none found"]
    reasons = []
    if rules.level.confidence < policy.confidence_floor:
        reasons.append(f"level: low confidence ({rules.level.confidence:.2f})")
    if rules.years_min is not None and (rules.level.evidence or "").startswith("title:"):
        by_years = level_from_years(rules.years_min)
        gap = abs(_LADDER.index(Level(rules.level.value)) - _LADDER.index(by_years))
        if gap >= policy.level_gap:
            reasons.append(f"level: title says {rules.level.value}, {rules.years_min} years say {by_years.value}")
    return reasons


def _role_family_weak(rules: Extraction, policy: ReconcilePolicy) -> str | None:
    evidence = rules.role_family.evidence or ""
    if rules.role_family.confidence < policy.confidence_floor:
        return f"role family: low confidence ({rules.role_family.confidence:.2f})"
    balance = _BALANCE.search(evidence)
    if balance is not None and abs(int(balance[1]) - int(balance[2])) <= 1:
        return f"role family: a close count of skills ({balance[0]})"
    asked_ai = {m.skill for m in rules.skills} & (LLM_APP_SKILLS | MODEL_TRAINING_SKILLS)
    if rules.role_family.value == RoleFamily.OTHER.value and evidence.startswith(_DEFAULT_OTHER_MARKER) and asked_ai:
        return f"role family: other by default, yet asks {', '.join(sorted(asked_ai)[:3])}"
    return None


def review_reasons(rules: Extraction, policy: ReconcilePolicy = DEFAULT_POLICY) -> list[str]:
    """Why the rule labels of a posting need the model (empty: they are trusted)."""
    if "skipped" in rules.evidence:
        return []
    reasons = _level_reasons(rules, policy)
    family = _role_family_weak(rules, policy)
    if family is not None:
        reasons.append(family)
    ceiling = policy.specialization_threshold + policy.specialization_margin
    borderline = sorted(name for name, score in rules.specializations.items() if score < ceiling)
    if borderline:
        reasons.append(f"specializations: borderline {', '.join(borderline)}")
    return reasons


def select_for_llm(
    extractions: Sequence[Extraction], *, limit: int, policy: ReconcilePolicy = DEFAULT_POLICY
) -> list[tuple[str, list[str]]]:
    """The postings hybrid mode sends (posting id and reasons): the most reasons first, then input order."""
    flagged = [(e.posting_id, reasons) for e in extractions if (reasons := review_reasons(e, policy))]
    ranked = sorted(enumerate(flagged), key=lambda pair: (-len(pair[1][1]), pair[0]))
    return [item for _, item in ranked[: max(limit, 0)]]


@dataclass(frozen=True)
class Disagreement:
    """A field on which the rules and the model gave different values, and which one the final tag took."""

    field: str
    rules: Any
    llm: Any
    chosen: str  # "rules" or "llm"


@dataclass(frozen=True)
class Reconciled:
    extraction: Extraction  # the final tag (method "hybrid")
    provenance: dict[str, Any]  # field -> "rules" | "llm"; "skills" -> {skill name: "rules" | "llm"}
    disagreements: tuple[Disagreement, ...]


def _llm_skills(answer: Answer, posting: Posting) -> list[SkillMention]:
    """The answer's skills as mentions located in the description, leaving out those quoted from the company
    blurb or the benefits (company products and perks are not asks)."""
    text = posting.description
    sections = line_sections(text)
    starts = [start for start, _, _ in sections]
    out = []
    for item in answer.skills:
        span = locate(item.evidence, text)
        if (
            span is not None
            and sections
            and sections[max(bisect.bisect_right(starts, span[0]) - 1, 0)][2] in (_SKIPPED_SECTIONS)
        ):
            continue
        start, end = span if span is not None else (0, 0)  # quoted from the title
        out.append(
            SkillMention(skill=item.name, requirement=item.requirement, evidence=item.evidence, start=start, end=end)
        )
    return out


def _llm_label(value: str | None, answer: Answer) -> Label:
    return Label(
        value=value, confidence=LLM_CONFIDENCE if value is not None else 0.0, evidence=f"llm: {answer.rationale}"
    )


def from_answer(answer: Answer, posting: Posting, *, extractor_version: str, model: str) -> Extraction:
    """The tag of ``llm`` mode: every field from the model's checked answer."""
    publications = answer.publications.value if answer.publications else None
    return Extraction(
        posting_id=posting.id,
        extractor_version=extractor_version,
        method="llm",
        skills=tuple(sorted(_llm_skills(answer, posting), key=lambda m: m.start)),
        level=_llm_label(answer.level.value if answer.level else None, answer),
        track=_llm_label(answer.track.value, answer),
        role_family=_llm_label(answer.role_family.value, answer),
        specializations={s.value: 1.0 for s in answer.specializations},
        years_min=answer.years_min,
        evidence={"llm": {"model": model, "rationale": answer.rationale}},
        education=_llm_label(answer.education_min.value if answer.education_min else None, answer),
        publications=_llm_label(publications, answer),
    )


def reconcile(
    rules: Extraction,
    answer: Answer,
    posting: Posting,
    *,
    model: str,
    policy: ReconcilePolicy = DEFAULT_POLICY,
    prefer_llm: bool = False,
) -> Reconciled:
    """The final tag of ``hybrid`` mode (``llm`` mode with ``prefer_llm``), where each field came from, and the
    disagreements (see the module)."""
    llm = from_answer(answer, posting, extractor_version=rules.extractor_version, model=model)
    provenance: dict[str, Any] = {}
    disagreements: list[Disagreement] = []

    def pick(name: str, rule_value: Any, llm_value: Any, llm_wins: bool) -> str:
        chosen = "llm" if llm_wins or rule_value is None else "rules"
        if chosen == "llm" and llm_value is None:
            chosen = "rules"
        provenance[name] = chosen
        if rule_value is not None and llm_value is not None and rule_value != llm_value:
            disagreements.append(Disagreement(name, rule_value, llm_value, chosen))
        return chosen

    level_src = pick("level", rules.level.value, llm.level.value, prefer_llm or bool(_level_reasons(rules, policy)))
    family_src = pick(
        "role_family",
        rules.role_family.value,
        llm.role_family.value,
        prefer_llm or _role_family_weak(rules, policy) is not None,
    )
    track_src = pick("track", rules.track.value, llm.track.value, prefer_llm)
    years_src = pick("years_min", rules.years_min, llm.years_min, prefer_llm)
    education_src = pick("education", rules.education.value, llm.education.value, prefer_llm)
    publications_src = pick("publications", rules.publications.value, llm.publications.value, prefer_llm)
    family = llm.role_family if family_src == "llm" else rules.role_family
    rule_specs, llm_specs = sorted(rules.specializations), sorted(llm.specializations)
    provenance["specializations"] = "llm"
    if rule_specs != llm_specs:
        disagreements.append(Disagreement("specializations", rule_specs, llm_specs, "llm"))
    ai_role = family.value is not None and RoleFamily(family.value) in AI_FAMILIES
    specializations = dict(llm.specializations) if ai_role else {}

    skills = {m.skill: m for m in rules.skills}
    skill_sources = dict.fromkeys(skills, "rules")
    llm_skills = {m.skill: m for m in llm.skills}
    for name, mention in llm_skills.items():
        known = skills.get(name)
        if known is None:
            skills[name], skill_sources[name] = mention, "llm"
            disagreements.append(Disagreement(f"skill:{name}", None, mention.requirement.value, "llm"))
        elif known.requirement is not mention.requirement:
            disagreements.append(
                Disagreement(f"skill:{name}", known.requirement.value, mention.requirement.value, "rules")
            )
    for name in sorted(set(skill_sources) - set(llm_skills)):
        disagreements.append(Disagreement(f"skill:{name}", skills[name].requirement.value, None, "rules"))
    provenance["skills"] = skill_sources

    final = rules.model_copy(
        update={
            "method": "hybrid",
            "level": llm.level if level_src == "llm" else rules.level,
            "role_family": family,
            "track": llm.track if track_src == "llm" else rules.track,
            "years_min": llm.years_min if years_src == "llm" else rules.years_min,
            "education": llm.education if education_src == "llm" else rules.education,
            "education_requirement": None if education_src == "llm" else rules.education_requirement,
            "publications": llm.publications if publications_src == "llm" else rules.publications,
            "specializations": specializations,
            "skills": tuple(sorted(skills.values(), key=lambda m: m.start)),
            "evidence": {**rules.evidence, **llm.evidence},
        }
    )
    return Reconciled(final, provenance, tuple(disagreements))
