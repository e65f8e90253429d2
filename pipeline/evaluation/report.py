"""Score extractions against gold labels into one report object (rendered by the CLI, dumped as JSON)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel

from pipeline.domain import Extraction, Label, Level, Posting, RoleFamily, Specialization
from pipeline.evaluation.gold import CorpusLookup, GoldRow, core_name_map, requirement_map
from pipeline.evaluation.metrics import (
    PRF,
    Confusion,
    NumericScore,
    accuracy,
    confusion_matrix,
    macro_f1,
    micro_prf,
    numeric_score,
    per_label_prf,
    requirement_accuracy,
    within_one_accuracy,
)
from pipeline.evaluation.skillspan import SkillSpanScores, SpanPosting, score_skillspan
from pipeline.evaluation.taggers import TaggedGold, tag_with_rules
from pipeline.extraction.extractor import Extractor

LADDER: tuple[str, ...] = tuple(level.value for level in Level)
EDUCATION: tuple[str, ...] = ("bachelor", "master", "phd")


class Target(BaseModel):
    """A project target for one headline figure, and whether the figure meets it (an unknown value does not)."""

    metric: str
    value: float | None
    threshold: float
    higher_is_better: bool
    met: bool


def target(metric: str, value: float | None, threshold: float, *, higher_is_better: bool = True) -> Target:
    """
    >>> target("years MAE", 0.25, 0.3, higher_is_better=False).met, target("F1", None, 0.9).met
    (True, False)
    """
    met = value is not None and (value >= threshold if higher_is_better else value <= threshold)
    return Target(metric=metric, value=value, threshold=threshold, higher_is_better=higher_is_better, met=met)


class SkillScores(BaseModel):
    micro: PRF
    requirement_accuracy: float
    requirement_compared: int
    per_skill: dict[str, PRF]  # core skills with any gold or predicted mention, by support then name


class LevelScores(BaseModel):
    accuracy: float
    within_one: float
    confusion: Confusion


class ClassScores(BaseModel):
    accuracy: float
    confusion: Confusion


class SpecializationScores(BaseModel):
    per_label: dict[str, PRF]
    macro_f1: float


class EducationScores(BaseModel):
    accuracy: float
    extracted: bool  # False when no prediction is ever non-null (the extractor has no education yet)
    confusion: Confusion


class EvaluationReport(BaseModel):
    gold_rows: int
    postings_found: int
    not_found: list[str]  # gold ids in none of the postings files
    rejected: dict[str, str]  # gold ids whose line the posting parser rejects, with the reason
    extractor_version: str
    tagger: str = "rules"  # "rules", or the mode and model that tagged with the rules (eval --tagger)
    core_skills: int
    skills: SkillScores
    level: LevelScores
    track: ClassScores
    role_family: ClassScores
    specializations: SpecializationScores
    years: NumericScore
    education: EducationScores
    skillspan: SkillSpanScores | None = None

    def targets(self) -> list[Target]:
        return [
            target("skills micro-F1", self.skills.micro.f1, 0.95),
            target("level accuracy", self.level.accuracy, 0.95),
            target("role family accuracy", self.role_family.accuracy, 0.90),
            target("specialization macro-F1", self.specializations.macro_f1, 0.85),
            target("years MAE", self.years.mae, 0.3, higher_is_better=False),
            target("education accuracy", self.education.accuracy, 0.90),
        ]

    def to_json(self) -> dict[str, object]:
        """The whole report as JSON-ready data, with the targets and their verdicts."""
        data = self.model_dump(mode="json")
        for section, key, scores in (
            ("skills", "per_skill", self.skills.per_skill),
            ("specializations", "per_label", self.specializations.per_label),
        ):
            for label, prf in scores.items():
                data[section][key][label]["support"] = prf.support
        data["targets"] = [t.model_dump(mode="json") for t in self.targets()]
        return data


def predicted_education(extraction: Extraction) -> str | None:
    """The extractor's education call, whatever its shape (absent, a Label, a plain string)."""
    value = getattr(extraction, "education", None)
    if value is None:
        value = getattr(extraction, "education_min", None)
    if isinstance(value, Label):
        return value.value
    return value if isinstance(value, str) else None


def score(
    gold: Sequence[GoldRow],
    extractions: Mapping[str, Extraction],
    core_map: Mapping[str, str],
    *,
    version: str,
    rejected: Mapping[str, str] | None = None,
) -> EvaluationReport:
    """Score the gold rows that have an extraction (``core_map``: taxonomy name -> core skill name); ``rejected``
    says why some gold ids have no posting."""
    rejected = rejected or {}
    rows = [row for row in gold if row.id in extractions]
    preds = [extractions[row.id] for row in rows]
    core_names = set(core_map.values())
    gold_skills = [requirement_map(row.skills, {n: n for n in row.skills if n in core_names}) for row in rows]
    pred_skills = [requirement_map({m.skill: m.requirement for m in p.skills}, core_map) for p in preds]
    per_skill = per_label_prf(gold_skills, pred_skills, sorted(core_names))
    used = sorted((item for item in per_skill.items() if item[1].tp + item[1].fp + item[1].fn), key=_by_support)
    req_accuracy, req_compared = requirement_accuracy(gold_skills, pred_skills)

    def labels(field: str) -> tuple[list[str | None], list[str | None]]:
        return [getattr(row, field) for row in rows], [getattr(p, field).value for p in preds]

    gold_level, pred_level = labels("level")
    gold_track, pred_track = labels("track")
    gold_family, pred_family = labels("role_family")
    specs = [s.value for s in Specialization]
    spec_scores = per_label_prf([set(r.specializations) for r in rows], [set(p.specializations) for p in preds], specs)
    gold_education = [row.education_min for row in rows]
    pred_education = [predicted_education(p) for p in preds]
    return EvaluationReport(
        gold_rows=len(gold),
        postings_found=len(rows),
        not_found=[row.id for row in gold if row.id not in extractions and row.id not in rejected],
        rejected={row.id: rejected[row.id] for row in gold if row.id not in extractions and row.id in rejected},
        extractor_version=version,
        core_skills=len(core_names),
        skills=SkillScores(
            micro=micro_prf(gold_skills, pred_skills),
            requirement_accuracy=req_accuracy,
            requirement_compared=req_compared,
            per_skill=dict(used),
        ),
        level=LevelScores(
            accuracy=accuracy(gold_level, pred_level),
            within_one=within_one_accuracy(gold_level, pred_level, LADDER),
            confusion=confusion_matrix(gold_level, pred_level, [*LADDER, None]),
        ),
        track=ClassScores(accuracy=accuracy(gold_track, pred_track), confusion=_matrix(gold_track, pred_track, ())),
        role_family=ClassScores(
            accuracy=accuracy(gold_family, pred_family),
            confusion=_matrix(gold_family, pred_family, [f.value for f in RoleFamily]),
        ),
        specializations=SpecializationScores(per_label=spec_scores, macro_f1=macro_f1(spec_scores)),
        years=numeric_score([row.years_min for row in rows], [p.years_min for p in preds]),
        education=EducationScores(
            accuracy=accuracy(gold_education, pred_education),
            extracted=any(value is not None for value in pred_education),
            confusion=confusion_matrix(gold_education, pred_education, [*EDUCATION, None]),
        ),
    )


def gold_postings(gold: Sequence[GoldRow], corpus: CorpusLookup) -> list[Posting]:
    """The postings of the gold rows that the corpus holds, in gold order."""
    return [corpus.found[row.id] for row in gold if row.id in corpus.found]


def evaluate(
    extractor: Extractor,
    gold: Sequence[GoldRow],
    corpus: CorpusLookup,
    core_skills: Sequence[str],
    *,
    skillspan: Sequence[SpanPosting] | None = None,
    tagged: TaggedGold | None = None,
) -> EvaluationReport:
    """Score the tags of the gold rows' postings: ``tagged`` (``pipeline.evaluation.taggers``: the rules with the
    model), else the extractor's; optionally add the SkillSpan check (the extractor's matcher)."""
    if tagged is None:
        tagged = tag_with_rules(extractor, gold_postings(gold, corpus))
    core_map = core_name_map(core_skills, extractor.taxonomy)
    report = score(gold, tagged.extractions, core_map, version=extractor.version, rejected=corpus.rejected)
    report.tagger = tagged.tagger
    if skillspan is not None:
        forms = [form for skill in extractor.taxonomy.skills for form in (skill.name, *skill.aliases, *skill.exact)]
        report.skillspan = score_skillspan(extractor.nlp, skillspan, forms)
    return report


def _matrix(gold: Sequence[str | None], predicted: Sequence[str | None], labels: Sequence[str]) -> Confusion:
    """A confusion matrix listing only the classes that occur, in the canonical order of ``labels``."""
    seen = set(gold) | set(predicted)
    return confusion_matrix(gold, predicted, [label for label in labels if label in seen])


def _by_support(item: tuple[str, PRF]) -> tuple[int, int, str]:
    return (-item[1].support, -item[1].fp, item[0])
