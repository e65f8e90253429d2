"""The real evaluation on ../shared's gold labels: structural facts, and regression floors on every headline figure.

The floors are the figures measured when this test was written minus 0.02 (years MAE: plus 0.02), so a change that
makes the extractor worse fails here; an improvement passes (raise the floors with it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation import EvaluationReport, evaluate, find_postings, load_core_skills, load_gold, parse_skillspan
from pipeline.evaluation.gold import read_text
from pipeline.extraction.extractor import build_extractor
from pipeline.settings import REPO_DATA_DIR

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
GOLD = SHARED / "gold" / "dev_labels.jsonl"
POSTINGS = [SHARED / "corpus" / "postings.jsonl", SHARED / "corpus" / "postings_extra.jsonl"]
SKILLSPAN = SHARED / "corpus" / "skillspan_postings.jsonl"

pytestmark = pytest.mark.shared

# Measured 2026-11-29 on rules-0.3.1+taxonomy-2026.11.3 (120 postings evaluated); the test allows 0.02 below.
FLOORS = {
    "skills micro-F1": 0.968,
    "skills precision": 0.977,
    "skills recall": 0.959,
    "requirement accuracy": 0.907,
    "level accuracy": 0.950,
    "level within one": 0.958,
    "track accuracy": 0.983,
    "role family accuracy": 0.908,
    "specialization macro-F1": 0.867,
    "years coverage": 0.945,
    "education accuracy": 1.000,
    "skillspan recall": 0.401,
    "skillspan recall of mappable": 0.938,
}
YEARS_MAE_CEILING = 0.096


@pytest.fixture(scope="module")
def report() -> EvaluationReport:
    if not all(path.is_file() for path in (GOLD, SKILLSPAN, *POSTINGS)):
        pytest.skip("../shared gold labels or corpus not present")
    gold = load_gold(GOLD)
    corpus = find_postings(POSTINGS, [row.id for row in gold])
    spans = parse_skillspan(read_text(SKILLSPAN))
    extractor = build_extractor(REPO_DATA_DIR / "taxonomy")
    return evaluate(extractor, gold, corpus, load_core_skills(GOLD.parent / "CORE_SKILLS.md"), skillspan=spans)


def headline(report: EvaluationReport) -> dict[str, float]:
    assert report.skillspan is not None
    return {
        "skills micro-F1": report.skills.micro.f1,
        "skills precision": report.skills.micro.precision,
        "skills recall": report.skills.micro.recall,
        "requirement accuracy": report.skills.requirement_accuracy,
        "level accuracy": report.level.accuracy,
        "level within one": report.level.within_one,
        "track accuracy": report.track.accuracy,
        "role family accuracy": report.role_family.accuracy,
        "specialization macro-F1": report.specializations.macro_f1,
        "years coverage": report.years.coverage,
        "education accuracy": report.education.accuracy,
        "skillspan recall": report.skillspan.overall.recall,
        "skillspan recall of mappable": report.skillspan.overall.recall_of_mappable,
    }


def test_structure(report: EvaluationReport) -> None:
    assert report.gold_rows == 120
    # Four gold ids are HN posts whose corpus line has no title: they are tagged from their description, as
    # ``jobatlas extract`` does.
    assert report.postings_found == 120
    assert report.postings_found + len(report.rejected) + len(report.not_found) == report.gold_rows
    assert report.not_found == []
    assert report.core_skills == 78
    for name, value in headline(report).items():
        assert 0.0 <= value <= 1.0, name
    for confusion in (report.level.confusion, report.track.confusion, report.role_family.confusion):
        assert confusion.total == report.postings_found
    assert report.education.confusion.total == report.postings_found
    assert report.level.confusion.labels == ("i", "ii", "senior", "staff", None)
    assert set(report.specializations.per_label) == {"rag", "agents", "infrastructure", "safety", "multimodal"}
    assert report.years.mae is not None and report.years.compared > 0
    assert report.skillspan is not None and report.skillspan.overall.spans == 5236
    assert report.skillspan.overall.recall <= report.skillspan.overall.upper_bound + 0.01
    supports = [score.support for score in report.skills.per_skill.values()]
    assert supports == sorted(supports, reverse=True)


def test_no_regression(report: EvaluationReport) -> None:
    figures = headline(report)
    below = {name: round(figures[name], 3) for name, floor in FLOORS.items() if figures[name] < floor - 0.02}
    assert below == {}, f"below the measured figure minus 0.02: {below}"
    assert report.years.mae is not None and report.years.mae <= YEARS_MAE_CEILING + 0.02
