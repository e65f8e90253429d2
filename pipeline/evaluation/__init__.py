"""Measure the extractor against hand-made gold labels (and SkillSpan's expert spans): pure metrics, input
loading, and one report object that the ``jobatlas eval`` command renders."""

from pipeline.evaluation.gold import (
    CorpusLookup,
    EvaluationInputError,
    GoldRow,
    find_postings,
    load_core_skills,
    load_gold,
)
from pipeline.evaluation.report import EvaluationReport, Target, evaluate, score
from pipeline.evaluation.skillspan import SkillSpanScores, SpanPosting, parse_skillspan

__all__ = [
    "CorpusLookup",
    "EvaluationInputError",
    "EvaluationReport",
    "GoldRow",
    "SkillSpanScores",
    "SpanPosting",
    "Target",
    "evaluate",
    "find_postings",
    "load_core_skills",
    "load_gold",
    "parse_skillspan",
    "score",
]
