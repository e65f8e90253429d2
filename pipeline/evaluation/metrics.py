"""Pure metric functions for scoring extractions against gold labels.

Conventions: a ratio whose denominator is zero is 0.0 (nothing to measure scores nothing, as in scikit-learn's
``zero_division=0``); ``None`` is a class of its own wherever labels are compared (a missing prediction for a
labelled posting is wrong, a missing prediction for an unlabelled one is right).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them; ``support`` is the number of gold positives."""

    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or 0.0 when the denominator is zero.

    >>> ratio(1, 4), ratio(3, 0)
    (0.25, 0.0)
    """
    return numerator / denominator if denominator else 0.0


def prf(tp: int, fp: int, fn: int) -> PRF:
    """Precision, recall and F1 from true positive, false positive and false negative counts.

    >>> prf(3, 1, 1)
    PRF(precision=0.75, recall=0.75, f1=0.75, tp=3, fp=1, fn=1)
    >>> prf(0, 0, 0).f1
    0.0
    """
    precision = ratio(tp, tp + fp)
    recall = ratio(tp, tp + fn)
    return PRF(precision, recall, ratio(2 * precision * recall, precision + recall), tp, fp, fn)


def micro_prf(gold: Sequence[Iterable[K]], predicted: Sequence[Iterable[K]]) -> PRF:
    """Micro P/R/F1 over (item, label) pairs: ``gold[i]`` and ``predicted[i]`` are the labels of item ``i``.

    >>> micro_prf([{"a", "b"}, {"c"}], [{"a"}, {"c", "d"}])
    PRF(precision=0.6666666666666666, recall=0.6666666666666666, f1=0.6666666666666666, tp=2, fp=1, fn=1)
    """
    _check_lengths(gold, predicted)
    tp = fp = fn = 0
    for gold_labels, predicted_labels in zip(gold, predicted, strict=True):
        g, p = set(gold_labels), set(predicted_labels)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    return prf(tp, fp, fn)


def per_label_prf(gold: Sequence[Iterable[K]], predicted: Sequence[Iterable[K]], labels: Iterable[K]) -> dict[K, PRF]:
    """P/R/F1 of each label treated as a binary decision per item, in the order of ``labels``.

    >>> scores = per_label_prf([{"a"}, {"a", "b"}, set()], [{"a"}, {"b"}, {"b"}], ["a", "b"])
    >>> [(label, s.precision, s.recall, s.support) for label, s in scores.items()]
    [('a', 1.0, 0.5, 2), ('b', 0.5, 1.0, 1)]
    """
    _check_lengths(gold, predicted)
    sets = [(set(g), set(p)) for g, p in zip(gold, predicted, strict=True)]
    out: dict[K, PRF] = {}
    for label in labels:
        tp = sum(1 for g, p in sets if label in g and label in p)
        fp = sum(1 for g, p in sets if label not in g and label in p)
        fn = sum(1 for g, p in sets if label in g and label not in p)
        out[label] = prf(tp, fp, fn)
    return out


def macro_f1(scores: Mapping[K, PRF]) -> float:
    """Unweighted mean of the per-label F1 scores (0.0 for no labels).

    >>> macro_f1({"a": prf(1, 0, 0), "b": prf(0, 1, 1)})
    0.5
    """
    return ratio(sum(s.f1 for s in scores.values()), len(scores))


def requirement_accuracy(gold: Sequence[Mapping[K, str]], predicted: Sequence[Mapping[K, str]]) -> tuple[float, int]:
    """Share of true-positive (item, label) pairs whose values agree (e.g. required vs preferred), and their count.

    >>> requirement_accuracy([{"a": "required", "b": "preferred"}], [{"a": "required", "b": "required", "c": "x"}])
    (0.5, 2)
    """
    _check_lengths(gold, predicted)
    agree = total = 0
    for g, p in zip(gold, predicted, strict=True):
        for key in g.keys() & p.keys():
            total += 1
            agree += g[key] == p[key]
    return ratio(agree, total), total


def accuracy(gold: Sequence[K | None], predicted: Sequence[K | None]) -> float:
    """Share of items whose prediction equals the gold label; ``None`` is a class like any other.

    >>> accuracy(["a", None, "b", None], ["a", None, None, "b"])
    0.5
    >>> accuracy([], [])
    0.0
    """
    _check_lengths(gold, predicted)
    return ratio(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))


def within_one_accuracy(gold: Sequence[str | None], predicted: Sequence[str | None], ladder: Sequence[str]) -> float:
    """Share of items predicted at most one rung away on ``ladder``; ``None`` only matches ``None``.

    >>> ladder = ["i", "ii", "senior", "staff"]
    >>> within_one_accuracy(["i", "senior", "staff", None, "ii"], ["ii", "i", "senior", None, None], ladder)
    0.6
    """
    _check_lengths(gold, predicted)
    rung = {name: index for index, name in enumerate(ladder)}

    def close(g: str | None, p: str | None) -> bool:
        if g is None or p is None or g not in rung or p not in rung:
            return g == p
        return abs(rung[g] - rung[p]) <= 1

    return ratio(sum(close(g, p) for g, p in zip(gold, predicted, strict=True)), len(gold))


@dataclass(frozen=True)
class Confusion:
    """Counts of gold label (rows) by predicted label (columns), both in the order of ``labels``."""

    labels: tuple[str | None, ...]
    counts: tuple[tuple[int, ...], ...]

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.counts)


def confusion_matrix(
    gold: Sequence[str | None], predicted: Sequence[str | None], labels: Sequence[str | None]
) -> Confusion:
    """Confusion matrix over ``labels``; values seen but not listed are appended in order of appearance.

    >>> m = confusion_matrix(["a", "b", None], ["a", "a", "c"], ["a", "b", None])
    >>> m.labels, m.counts
    (('a', 'b', None, 'c'), ((1, 0, 0, 0), (1, 0, 0, 0), (0, 0, 0, 1), (0, 0, 0, 0)))
    """
    _check_lengths(gold, predicted)
    order = list(dict.fromkeys([*labels, *gold, *predicted]))
    index = {label: i for i, label in enumerate(order)}
    counts = [[0] * len(order) for _ in order]
    for g, p in zip(gold, predicted, strict=True):
        counts[index[g]][index[p]] += 1
    return Confusion(tuple(order), tuple(tuple(row) for row in counts))


@dataclass(frozen=True)
class NumericScore:
    """Absolute error of a nullable number: MAE over items where both sides are known, and what is missing."""

    mae: float | None
    compared: int
    coverage: float
    false_positives: int


def numeric_score(gold: Sequence[float | None], predicted: Sequence[float | None]) -> NumericScore:
    """MAE where both are non-null (``None`` if no such item), coverage of gold non-null values by predictions,
    and the count of predictions where gold is null.

    >>> numeric_score([3, 5, None, None, 2], [4, None, 1, None, 2])
    NumericScore(mae=0.5, compared=2, coverage=0.6666666666666666, false_positives=1)
    >>> numeric_score([], [])
    NumericScore(mae=None, compared=0, coverage=0.0, false_positives=0)
    """
    _check_lengths(gold, predicted)
    pairs = list(zip(gold, predicted, strict=True))
    errors = [abs(g - p) for g, p in pairs if g is not None and p is not None]
    gold_known = sum(g is not None for g, _ in pairs)
    return NumericScore(
        mae=sum(errors) / len(errors) if errors else None,
        compared=len(errors),
        coverage=ratio(len(errors), gold_known),
        false_positives=sum(g is None and p is not None for g, p in pairs),
    )


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open character ranges ``[start, end)`` share at least one character.

    >>> overlaps((0, 5), (4, 9)), overlaps((0, 5), (5, 9))
    (True, False)
    """
    return a[0] < b[1] and b[0] < a[1]


def spans_recalled(gold: Iterable[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[bool]:
    """For each gold span, whether some predicted span overlaps it.

    >>> spans_recalled([(0, 4), (10, 12), (20, 25)], [(2, 3), (24, 30)])
    [True, False, True]
    """
    return [any(overlaps(span, other) for other in predicted) for span in gold]


def _check_lengths(gold: Sequence[object], predicted: Sequence[object]) -> None:
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} items but predicted has {len(predicted)}")
