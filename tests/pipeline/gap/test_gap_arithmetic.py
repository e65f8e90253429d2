"""The pure arithmetic of the gap report, exactly: coverage, ranking, transfer, trend, learning order."""

from __future__ import annotations

import pytest

from pipeline.analysis.market import SkillDemand, SkillPair
from pipeline.gap.arithmetic import Step, Transfer, by_demand, coverage, learning_order, split_by_user, transfers, trend

N = 20
DEMAND = [
    SkillDemand("Python", "language", 18, 17, N),
    SkillDemand("RAG", "concept", 12, 10, N),
    SkillDemand("LLMs", "concept", 12, 6, N),
    SkillDemand("Docker", "mlops_infra", 8, 3, N),
    SkillDemand("Kubernetes", "mlops_infra", 4, 4, N),
    SkillDemand("PyTorch", "framework", 2, 0, N),
]
PREREQUISITES = {
    "RAG": ("Embeddings", "LLMs"),
    "LangChain": ("Python", "LLMs"),
    "Kubernetes": ("Docker", "Linux"),
    "PyTorch": ("Python",),
}


def test_coverage_weights_each_skill_by_the_postings_asking_it() -> None:
    assert (coverage({"Python", "Docker"}, DEMAND).met, coverage(set(), DEMAND).total) == (26, 56)
    assert coverage({"Python", "Docker"}, DEMAND).score == pytest.approx(26 / 56)
    assert coverage({"Python", "Docker", "SQL"}, DEMAND).score == coverage({"Python", "Docker"}, DEMAND).score
    assert coverage({d.skill for d in DEMAND}, DEMAND).score == 1.0
    assert coverage({"Python"}, []).score is None


def test_ranking_by_asked_then_required_then_name() -> None:
    assert [d.skill for d in by_demand(DEMAND[::-1])] == ["Python", "RAG", "LLMs", "Docker", "Kubernetes", "PyTorch"]
    have, missing = split_by_user({"LLMs", "PyTorch", "Excel"}, DEMAND)
    assert [d.skill for d in have] == ["LLMs", "PyTorch"]
    assert [d.skill for d in missing] == ["Python", "RAG", "Docker", "Kubernetes"]


def test_learning_order_puts_prerequisites_first_and_demand_breaks_ties() -> None:
    missing = [d for d in DEMAND if d.skill not in {"Python"}]
    order = learning_order(missing, PREREQUISITES, have={"Python"})
    assert [s.skill for s in order] == ["LLMs", "Embeddings", "RAG", "Docker", "Linux", "Kubernetes", "PyTorch"]
    assert order[1] == Step("Embeddings", 0, needs=(), unlocks=("RAG",))
    assert order[2] == Step("RAG", 12, needs=("Embeddings", "LLMs"), unlocks=())
    assert order[5].needs == ("Docker", "Linux")


def test_learning_order_skips_what_the_user_has_and_pulls_in_missing_prerequisites() -> None:
    lang = [SkillDemand("LangChain", "llm_tooling", 5, 5, N)]
    assert [s.skill for s in learning_order(lang, PREREQUISITES, have={"Python", "LLMs"})] == ["LangChain"]
    assert [s.skill for s in learning_order(lang, PREREQUISITES, have=set())] == ["LLMs", "Python", "LangChain"]
    assert learning_order([], PREREQUISITES, have=set()) == []


def test_learning_order_refuses_a_cycle() -> None:
    demand = [SkillDemand("A", "concept", 3, 3, N), SkillDemand("B", "concept", 2, 2, N)]
    with pytest.raises(ValueError, match="cycle"):
        learning_order(demand, {"A": ("B",), "B": ("A",)}, have=set())


def test_transfer_asked_skills_and_same_category_skills_asked_together() -> None:
    categories = {d.skill: d.category for d in DEMAND} | {"TensorFlow": "framework", "Podman": "mlops_infra"}
    pairs = [
        SkillPair("PyTorch", "TensorFlow", 5, 50),
        SkillPair("Kubernetes", "Podman", 1, 50),  # once: not enough
        SkillPair("Python", "TensorFlow", 9, 50),  # other category
    ]
    found = transfers({"Docker", "TensorFlow", "Podman", "SQL"}, DEMAND, categories, pairs)
    assert found == [Transfer("Docker", 8, ()), Transfer("TensorFlow", 0, ("PyTorch",))]
    assert transfers({"Podman"}, DEMAND, categories, pairs, min_together=1) == [Transfer("Podman", 0, ("Kubernetes",))]


def test_trend_compares_the_last_two_weeks_with_the_first_two() -> None:
    assert trend([(1, 10), (1, 10), (2, 10), (2, 10)]) == "rising"  # 10% -> 20%: exactly the step
    assert trend([(5, 10), (5, 10), (4, 10), (5, 10)]) == "steady"
    assert trend([(3, 3), (0, 0), (0, 1), (1, 1)]) == "falling"
    assert trend([(0, 0), (0, 0), (1, 1), (1, 1)]) is None
