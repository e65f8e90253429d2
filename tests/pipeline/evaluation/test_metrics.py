"""The evaluation metrics on hand-made inputs: exact outputs, empty inputs, nulls, perfect and all-wrong cases."""

from __future__ import annotations

import pytest

from pipeline.domain import Requirement
from pipeline.evaluation.gold import core_name_map, parse_core_skills, parse_gold, requirement_map
from pipeline.evaluation.metrics import (
    PRF,
    NumericScore,
    accuracy,
    confusion_matrix,
    macro_f1,
    micro_prf,
    numeric_score,
    per_label_prf,
    prf,
    ratio,
    requirement_accuracy,
    spans_recalled,
    within_one_accuracy,
)
from pipeline.evaluation.report import target
from pipeline.evaluation.skillspan import bio_spans, form_key, span_counts
from pipeline.extraction.taxonomy import SkillEntry, Taxonomy

LADDER = ["i", "ii", "senior", "staff"]


def test_prf_exact_counts() -> None:
    assert prf(2, 2, 0) == PRF(precision=0.5, recall=1.0, f1=2 / 3, tp=2, fp=2, fn=0)
    assert prf(0, 3, 4) == PRF(0.0, 0.0, 0.0, 0, 3, 4)
    assert prf(0, 0, 0) == PRF(0.0, 0.0, 0.0, 0, 0, 0)
    assert prf(5, 0, 0).f1 == 1.0
    assert prf(3, 1, 2).support == 5
    assert ratio(0, 0) == 0.0


def test_micro_prf() -> None:
    gold = [{"Python", "SQL"}, {"Go"}, set()]
    assert micro_prf(gold, gold) == PRF(1.0, 1.0, 1.0, 3, 0, 0)
    assert micro_prf(gold, [{"Rust"}, set(), {"Java"}]) == PRF(0.0, 0.0, 0.0, 0, 2, 3)
    assert micro_prf(gold, [{"Python"}, {"Go", "R"}, set()]) == PRF(2 / 3, 2 / 3, 2 / 3, 2, 1, 1)
    assert micro_prf([], []) == PRF(0.0, 0.0, 0.0, 0, 0, 0)
    with pytest.raises(ValueError, match="2 items"):
        micro_prf([set(), set()], [set()])


def test_per_label_prf_and_macro_f1() -> None:
    gold = [{"rag"}, {"rag", "agents"}, set(), {"safety"}]
    predicted = [{"rag"}, {"agents"}, {"agents"}, set()]
    scores = per_label_prf(gold, predicted, ["rag", "agents", "safety", "multimodal"])
    assert list(scores) == ["rag", "agents", "safety", "multimodal"]
    assert scores["rag"] == PRF(1.0, 0.5, 2 / 3, 1, 0, 1)
    assert scores["agents"] == PRF(0.5, 1.0, 2 / 3, 1, 1, 0)
    assert scores["safety"] == PRF(0.0, 0.0, 0.0, 0, 0, 1)
    assert scores["multimodal"] == PRF(0.0, 0.0, 0.0, 0, 0, 0)
    assert macro_f1(scores) == pytest.approx((2 / 3 + 2 / 3) / 4)
    assert macro_f1({}) == 0.0
    assert per_label_prf([], [], ["rag"]) == {"rag": PRF(0.0, 0.0, 0.0, 0, 0, 0)}


def test_requirement_accuracy_counts_only_true_positives() -> None:
    gold = [{"Python": "required", "Kubernetes": "preferred"}, {"SQL": "required"}]
    assert requirement_accuracy(gold, gold) == (1.0, 3)
    wrong = [{"Python": "preferred", "Kubernetes": "required", "Go": "required"}, {"SQL": "preferred"}]
    assert requirement_accuracy(gold, wrong) == (0.0, 3)
    assert requirement_accuracy(gold, [{"Python": "required"}, {}]) == (1.0, 1)
    assert requirement_accuracy([], []) == (0.0, 0)


def test_accuracy_treats_null_as_a_class() -> None:
    assert accuracy(["a", None, "b"], ["a", None, "b"]) == 1.0
    assert accuracy(["a", None, "b"], [None, "a", "a"]) == 0.0
    assert accuracy([None, None, "a", "b"], [None, "x", "a", None]) == 0.5
    assert accuracy([], []) == 0.0


def test_within_one_level() -> None:
    assert within_one_accuracy(LADDER, LADDER, LADDER) == 1.0
    assert within_one_accuracy(["i", "ii", "senior", "staff"], ["ii", "senior", "staff", "senior"], LADDER) == 1.0
    assert within_one_accuracy(["i", "staff"], ["senior", "ii"], LADDER) == 0.0
    assert within_one_accuracy(["i", None, None], [None, "i", None], LADDER) == pytest.approx(1 / 3)
    assert within_one_accuracy([], [], LADDER) == 0.0


def test_confusion_matrix_rows_are_gold_columns_predicted() -> None:
    matrix = confusion_matrix(["i", "i", "senior", None], ["i", None, "staff", "ii"], [*LADDER, None])
    assert matrix.labels == ("i", "ii", "senior", "staff", None)
    assert matrix.counts == (
        (1, 0, 0, 0, 1),
        (0, 0, 0, 0, 0),
        (0, 0, 0, 1, 0),
        (0, 0, 0, 0, 0),
        (0, 1, 0, 0, 0),
    )
    assert matrix.total == 4
    empty = confusion_matrix([], [], ["a"])
    assert (empty.labels, empty.counts, empty.total) == (("a",), ((0,),), 0)


def test_numeric_score() -> None:
    assert numeric_score([3, None, 5], [3, None, 5]) == NumericScore(0.0, 2, 1.0, 0)
    assert numeric_score([3, None, 5], [None, 4, None]) == NumericScore(None, 0, 0.0, 1)
    assert numeric_score([2, 7, None, 1], [3, 4, None, None]) == NumericScore(2.0, 2, 2 / 3, 0)
    assert numeric_score([], []) == NumericScore(None, 0, 0.0, 0)


def test_spans_recalled_needs_a_shared_character() -> None:
    assert spans_recalled([(0, 4), (5, 9), (10, 12)], [(3, 6), (12, 20)]) == [True, True, False]
    assert spans_recalled([], [(0, 1)]) == []
    assert spans_recalled([(0, 4)], []) == [False]


def test_skillspan_helpers() -> None:
    sentences = [(["Use", "Node", ".", "js"], ["O", "B", "I", "I"]), ([], []), (["AWS", "and", "R"], ["B", "O", "I"])]
    text = "Use Node . js\n\nAWS and R"
    assert [text[s:e] for s, e in bio_spans(sentences)] == ["Node . js", "AWS", "R"]
    assert bio_spans([]) == []
    with pytest.raises(ValueError, match="tags"):
        bio_spans([(["a"], [])])
    assert form_key(" Spring-Boot ") == "springboot"
    counts = span_counts(2, [True, True, False], [True, False, False])
    assert (counts.recalled, counts.mappable, counts.recalled_mappable) == (2, 1, 1)
    assert (counts.recall, counts.upper_bound, counts.recall_of_mappable) == (2 / 3, 1 / 3, 1.0)
    assert span_counts(0, [], []).recall == 0.0


def test_targets() -> None:
    assert target("F1", 0.95, 0.95).met
    assert not target("F1", 0.94, 0.95).met
    assert target("MAE", 0.3, 0.3, higher_is_better=False).met
    assert not target("MAE", None, 0.3, higher_is_better=False).met


def test_core_skills_and_gold_parsing() -> None:
    markdown = "# Core\n\nName | counts when\n--- | ---\nPython | Python\n| C++ | C++ |\n\nText | after\n"
    assert parse_core_skills(markdown) == ("Python", "C++")
    assert parse_core_skills("no table") == ()
    rows = parse_gold('{"id": "a", "specializations": ["rag"], "skills": {"SQL": "preferred"}, "x": 1}\n\n')
    assert rows[0].specializations == ("rag",) and rows[0].skills == {"SQL": Requirement.PREFERRED}
    with pytest.raises(ValueError, match=r"gold:2: skills\.SQL"):
        parse_gold('{"id": "a"}\n{"id": "b", "skills": {"SQL": "maybe"}}')


def test_core_names_map_through_taxonomy_aliases() -> None:
    taxonomy = Taxonomy(
        version="t",
        skills=(
            SkillEntry(name="Amazon Web Services", category="cloud", aliases=("aws",)),
            SkillEntry(name="Python", category="language"),
            SkillEntry(name="Julia", category="language"),
        ),
    )
    mapping = core_name_map(["AWS", "Python", "Go"], taxonomy)
    assert mapping == {"Amazon Web Services": "AWS", "Python": "Python"}
    skills = {"Amazon Web Services": Requirement.PREFERRED, "Julia": Requirement.REQUIRED}
    assert requirement_map(skills, mapping) == {"AWS": "preferred"}
