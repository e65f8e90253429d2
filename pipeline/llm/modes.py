"""The tagging modes as pure functions: which postings the model reads (``choose_postings``) and the final tag of
an answered posting (``finalize``). Shared by the flows' LLM step and ``jobatlas eval --tagger``.

- ``rules``: the model reads nothing.
- ``llm``: the model reads every posting the rules could label (not the empty or non-English ones); its value
  wins on every field it gives one for, the rules fill the rest (``reconcile(..., prefer_llm=True)``).
- ``hybrid``: the model reads the postings whose rule labels are low-confidence or conflicting
  (``reconcile.review_reasons``), at most ``limit`` per run: those without a current final tag first (they have
  never been answered), then the most doubtful, then input order; the hybrid policy decides each field.

A posting the model does not answer keeps its rule labels.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from pipeline.domain import Extraction, Posting
from pipeline.llm.reconcile import DEFAULT_POLICY, Reconciled, ReconcilePolicy, reconcile, review_reasons
from pipeline.llm.schema import Answer

MODES = ("rules", "llm", "hybrid")
LLM_MODE_REASON = "mode llm: every posting"


def choose_postings(
    rules: Sequence[Extraction],
    *,
    mode: str,
    limit: int,
    finalized: Collection[str] = (),
    policy: ReconcilePolicy = DEFAULT_POLICY,
) -> list[tuple[str, list[str]]]:
    """The postings to send (id and why), in the order to send them; ``finalized``: ids that already have a
    final tag made from their current content (hybrid mode sends them last)."""
    if mode == "llm":
        return [(e.posting_id, [LLM_MODE_REASON, *review_reasons(e, policy)]) for e in rules if not _skipped(e)]
    if mode != "hybrid":
        return []
    flagged = [
        (index, e.posting_id, reasons) for index, e in enumerate(rules) if (reasons := review_reasons(e, policy))
    ]
    done = set(finalized)
    flagged.sort(key=lambda item: (item[1] in done, -len(item[2]), item[0]))
    return [(posting_id, reasons) for _, posting_id, reasons in flagged[: max(limit, 0)]]


def _skipped(rules: Extraction) -> bool:
    return "skipped" in rules.evidence


def finalize(
    rules: Extraction,
    answer: Answer,
    posting: Posting,
    *,
    mode: str,
    model: str,
    policy: ReconcilePolicy = DEFAULT_POLICY,
) -> Reconciled:
    """The final tag of an answered posting in ``mode`` (``llm`` or ``hybrid``), with provenance and
    disagreements; its ``method`` is ``final``."""
    reconciled = reconcile(rules, answer, posting, model=model, policy=policy, prefer_llm=mode == "llm")
    return Reconciled(
        reconciled.extraction.model_copy(update={"method": "final"}),
        reconciled.provenance,
        reconciled.disagreements,
    )


def final_extractions(
    rules: Mapping[str, Extraction],
    postings: Mapping[str, Posting],
    answers: Mapping[str, Answer | None],
    *,
    mode: str,
    model: str,
    policy: ReconcilePolicy = DEFAULT_POLICY,
) -> dict[str, Extraction]:
    """Every posting's tag after the model: the final tag where it answered, the rule tag elsewhere."""
    out = dict(rules)
    for posting_id, answer in answers.items():
        if answer is not None and posting_id in rules and posting_id in postings:
            out[posting_id] = finalize(
                rules[posting_id], answer, postings[posting_id], mode=mode, model=model, policy=policy
            ).extraction
    return out
