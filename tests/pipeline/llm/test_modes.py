"""The modes as pure functions: which postings each mode sends, in which order, and the final tag of an answer."""

from __future__ import annotations

from llm_samples import POSTING
from test_reconcile import llm, rules

from pipeline.domain import Label
from pipeline.llm.modes import LLM_MODE_REASON, choose_postings, final_extractions, finalize
from pipeline.llm.reconcile import Disagreement

NONE = Label(value=None, confidence=0.0)
SKIPPED = rules(
    posting_id="e",
    level=Label(value=None, confidence=0.0, evidence="not labelled: not English"),
    evidence={"skipped": "not English"},
)
EXTRACTIONS = [
    rules(posting_id="a"),  # trusted
    rules(posting_id="b", level=NONE),  # one reason
    rules(posting_id="c", level=NONE, specializations={"rag": 2.0}),  # two reasons
    rules(posting_id="d", specializations={"agents": 2.0}),  # one reason
    SKIPPED,
]


def test_rules_mode_sends_nothing_and_llm_mode_every_labelled_posting() -> None:
    assert choose_postings(EXTRACTIONS, mode="rules", limit=10) == []
    chosen = choose_postings(EXTRACTIONS, mode="llm", limit=1)  # no cap in llm mode: the budget is the limit
    assert [pid for pid, _ in chosen] == ["a", "b", "c", "d"]
    assert chosen[0] == ("a", [LLM_MODE_REASON]) and chosen[1] == ("b", [LLM_MODE_REASON, "level: none found"])


def test_hybrid_sends_unanswered_postings_first_then_the_most_doubtful_up_to_the_cap() -> None:
    assert [pid for pid, _ in choose_postings(EXTRACTIONS, mode="hybrid", limit=10)] == ["c", "b", "d"]
    assert [pid for pid, _ in choose_postings(EXTRACTIONS, mode="hybrid", limit=2)] == ["c", "b"]
    # c and b were answered in an earlier run (their final tags are current): d gets its turn within the cap
    later = choose_postings(EXTRACTIONS, mode="hybrid", limit=2, finalized={"c", "b"})
    assert later == [
        ("d", ["specializations: borderline agents"]),
        ("c", ["level: none found", "specializations: borderline rag"]),
    ]
    assert choose_postings(EXTRACTIONS, mode="hybrid", limit=0) == []


def test_llm_mode_prefers_the_answer_on_every_field_it_gives_and_keeps_the_rest() -> None:
    answer = llm(level="staff", track="manager", years_min=None, education_min="master")
    hybrid = finalize(rules(), answer, POSTING, mode="hybrid", model="m")
    assert (hybrid.extraction.level.value, hybrid.extraction.track.value) == ("senior", "ic")
    final = finalize(rules(), answer, POSTING, mode="llm", model="m")
    tag = final.extraction
    assert tag.method == "final"
    assert (tag.level.value, tag.track.value, tag.education.value, tag.years_min) == ("staff", "manager", "master", 5)
    assert (final.provenance["level"], final.provenance["years_min"], final.provenance["education"]) == (
        "llm",
        "rules",  # the model gave no years: the rules' 5 stay
        "llm",
    )
    assert Disagreement("level", "senior", "staff", "llm") in final.disagreements
    assert final.provenance["skills"] == {"Python": "rules", "Kubernetes": "rules"}


def test_final_extractions_replace_only_the_answered_postings() -> None:
    tags = {"a": rules(posting_id="a"), "b": rules(posting_id="b")}
    postings = {"a": POSTING.model_copy(update={"id": "a"}), "b": POSTING.model_copy(update={"id": "b"})}
    out = final_extractions(tags, postings, {"a": llm(level="staff"), "b": None}, mode="llm", model="m")
    assert out["a"].method == "final" and out["a"].level.value == "staff"
    assert out["b"] == tags["b"]
