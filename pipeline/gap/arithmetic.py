"""The arithmetic of the skill-gap report, as pure functions over a segment's skill demand: the demand-weighted
coverage score, the ranking by demand, the skills that transfer, the 4-week trend and the learning order.

Rules (documented in the README, "Skill gap"):

- **Coverage**: the share of all the segment's skill asks that the user meets: the postings asking each skill
  the user has, summed, over the same sum for every skill the segment asks. A skill asked by 90% of postings
  weighs nine times one asked by 10%.
- **Ranking**: postings asking the skill, then postings requiring it (both descending), then the name.
- **Transfer**: a skill of the user transfers when the segment asks it (even rarely), or when it is *adjacent* to
  a skill the user misses: same taxonomy category and asked together with it by at least ``MIN_TOGETHER``
  postings of the store (as "PyTorch or TensorFlow", "Pinecone or Elasticsearch" are).
- **Trend**: the pooled share of the last two weeks against the first two; a change of ``TREND_STEP`` (10
  percentage points) or more is rising or falling, less is steady; a half without postings has no trend.
- **Learning order**: the missing skills, plus their prerequisites (``prerequisites:`` in the taxonomy) the user
  lacks, in topological order (a prerequisite before every skill that needs it); among the skills ready to
  learn, the most demanded first, where a prerequisite counts with the demand of the most demanded skill that
  needs it (so Embeddings comes right before RAG, not after every skill more asked than Embeddings alone).
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from pipeline.analysis.market import SkillDemand, SkillPair

MIN_TOGETHER = 2  # postings asking two same-category skills together before one counts as adjacent to the other
TREND_STEP = 0.10  # change in share (last two weeks vs first two) that counts as rising or falling


@dataclass(frozen=True)
class Coverage:
    met: int  # postings-asks of the skills the user has
    total: int  # postings-asks of every skill of the segment

    @property
    def score(self) -> float | None:
        """Between 0 and 1; None when the segment asks no skill at all."""
        return self.met / self.total if self.total else None


def coverage(have: Collection[str], demand: Sequence[SkillDemand]) -> Coverage:
    """The demand-weighted share of the segment's skill asks the user meets.

    >>> d = [SkillDemand("Python", "language", 9, 8, 10), SkillDemand("RAG", "concept", 1, 1, 10)]
    >>> coverage({"Python"}, d).score, coverage({"RAG"}, d).score, coverage(set(), []).score
    (0.9, 0.1, None)
    """
    return Coverage(
        met=sum(d.asked for d in demand if d.skill in have),
        total=sum(d.asked for d in demand),
    )


def by_demand(demand: Sequence[SkillDemand]) -> list[SkillDemand]:
    """Most asked first, then most required, then by name."""
    return sorted(demand, key=lambda d: (-d.asked, -d.required, d.skill))


def split_by_user(have: Collection[str], demand: Sequence[SkillDemand]) -> tuple[list[SkillDemand], list[SkillDemand]]:
    """(what the user has, what they miss) among the skills the segment asks, each ranked by demand."""
    ranked = by_demand(demand)
    return [d for d in ranked if d.skill in have], [d for d in ranked if d.skill not in have]


@dataclass(frozen=True)
class Transfer:
    skill: str
    asked: int  # postings of the segment asking it (0 for a skill that is only adjacent)
    towards: tuple[str, ...]  # missing skills it is adjacent to, most demanded first


def transfers(
    have: Collection[str],
    demand: Sequence[SkillDemand],
    categories: Mapping[str, str],
    pairs: Sequence[SkillPair],
    *,
    min_together: int = MIN_TOGETHER,
    most: int = 3,
) -> list[Transfer]:
    """The user's skills that carry over to the segment: asked by it, or adjacent to skills they miss (same
    category and asked together by ``min_together`` postings); the most asked first, then the most adjacent.

    >>> d = [SkillDemand("PyTorch", "framework", 5, 5, 10), SkillDemand("Python", "language", 9, 9, 10)]
    >>> cats = {"PyTorch": "framework", "TensorFlow": "framework", "Python": "language", "Excel": "data_platform"}
    >>> pairs = [SkillPair("PyTorch", "TensorFlow", 3, 40)]
    >>> transfers({"Python", "TensorFlow", "Excel"}, d, cats, pairs)
    [Transfer(skill='Python', asked=9, towards=()), Transfer(skill='TensorFlow', asked=0, towards=('PyTorch',))]
    """
    asked = {d.skill: d for d in demand}
    missing_rank = {d.skill: i for i, d in enumerate(by_demand([d for d in demand if d.skill not in have]))}
    together: dict[str, set[str]] = {}
    for pair in pairs:
        if pair.together < min_together:
            continue
        for mine, other in ((pair.first, pair.second), (pair.second, pair.first)):
            if mine in have and other in missing_rank and categories.get(mine) == categories.get(other):
                together.setdefault(mine, set()).add(other)
    found = []
    for skill in have:
        towards = tuple(sorted(together.get(skill, ()), key=missing_rank.__getitem__)[:most])
        count = asked[skill].asked if skill in asked else 0
        if count or towards:
            found.append(Transfer(skill=skill, asked=count, towards=towards))
    return sorted(found, key=lambda t: (-t.asked, -len(t.towards), t.skill))


def trend(weeks: Sequence[tuple[int, int]]) -> str | None:
    """ "rising", "falling" or "steady" from (postings asking, postings) per week, oldest first; None when either
    half has no postings.

    >>> trend([(1, 4), (1, 4), (3, 4), (2, 4)]), trend([(2, 4), (2, 4), (2, 4), (2, 5)])
    ('rising', 'steady')
    >>> trend([(0, 0), (0, 0), (1, 2), (1, 1)]) is None
    True
    """
    half = len(weeks) // 2
    early, late = weeks[:half], weeks[half:]
    early_n, late_n = sum(n for _, n in early), sum(n for _, n in late)
    if not early_n or not late_n:
        return None
    change = sum(a for a, _ in late) / late_n - sum(a for a, _ in early) / early_n
    if change >= TREND_STEP - 1e-9:
        return "rising"
    if change <= -TREND_STEP + 1e-9:
        return "falling"
    return "steady"


@dataclass(frozen=True)
class Step:
    skill: str
    asked: int  # postings of the segment asking it (0 for a prerequisite the segment does not ask)
    needs: tuple[str, ...]  # its prerequisites that are in the plan (learned earlier)
    unlocks: tuple[str, ...]  # skills of the plan that need it


def learning_order(
    missing: Sequence[SkillDemand], prerequisites: Mapping[str, Sequence[str]], have: Collection[str]
) -> list[Step]:
    """The missing skills and the prerequisites the user lacks, prerequisites first, most demanded first.

    >>> m = [SkillDemand("RAG", "concept", 8, 6, 10), SkillDemand("Docker", "mlops_infra", 5, 2, 10)]
    >>> pre = {"RAG": ["Embeddings", "LLMs"], "LLMs": ["Python"]}
    >>> [s.skill for s in learning_order(m, pre, have={"Python"})]
    ['Embeddings', 'LLMs', 'RAG', 'Docker']

    Raises ValueError on a prerequisite cycle (the taxonomy refuses one when it loads).
    """
    asked = {d.skill: d.asked for d in missing}
    plan: set[str] = set()
    stack = [d.skill for d in missing]
    while stack:
        skill = stack.pop()
        if skill in plan or skill in have:
            continue
        plan.add(skill)
        stack.extend(prerequisites.get(skill, ()))
    needs = {s: tuple(sorted(p for p in prerequisites.get(s, ()) if p in plan)) for s in plan}
    unlocks: dict[str, set[str]] = {s: set() for s in plan}
    for skill, before in needs.items():
        for p in before:
            unlocks[p].add(skill)

    priority: dict[str, int] = {}

    def weight(skill: str, seen: frozenset[str] = frozenset()) -> int:
        if skill in seen:
            raise ValueError(f"prerequisites form a cycle through {skill!r}")
        if skill not in priority:
            priority[skill] = max([asked.get(skill, 0), *(weight(u, seen | {skill}) for u in unlocks[skill])])
        return priority[skill]

    waiting = {s: len(needs[s]) for s in plan}
    ready = [(-weight(s), -asked.get(s, 0), s) for s in plan if not waiting[s]]
    heapq.heapify(ready)
    order: list[Step] = []
    while ready:
        _, _, skill = heapq.heappop(ready)
        order.append(Step(skill, asked.get(skill, 0), needs[skill], tuple(sorted(unlocks[skill]))))
        for after in unlocks[skill]:
            waiting[after] -= 1
            if not waiting[after]:
                heapq.heappush(ready, (-weight(after), -asked.get(after, 0), after))
    if len(order) != len(plan):
        stuck = sorted(s for s in plan if waiting[s])
        raise ValueError(f"prerequisites form a cycle among {', '.join(stuck)}")
    return order
