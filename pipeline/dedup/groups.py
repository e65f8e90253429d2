"""Duplicate groups: the three rules joined by a union-find, one link per non-canonical member."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from pipeline.dedup.keys import normalize_company, normalize_location, normalize_title
from pipeline.dedup.model import DEFAULT_THRESHOLD, RULE_KEY, RULE_TEXT, RULE_URL, DedupCandidate, DuplicateLink
from pipeline.dedup.text import near_duplicate_pairs


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def roots(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]


def _key(candidate: DedupCandidate) -> tuple[str, str, str] | None:
    company, title = normalize_company(candidate.company), normalize_title(candidate.title)
    if company is None or not title:
        return None
    return company, title, normalize_location(candidate.location)


def _union_equal_keys(union_find: _UnionFind, keys: Sequence[object | None]) -> None:
    first: dict[object, int] = {}
    for index, key in enumerate(keys):
        if key is not None:
            union_find.union(first.setdefault(key, index), index)


def find_duplicates(
    candidates: Sequence[DedupCandidate],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    num_perm: int = 128,
    shingle_words: int = 5,
) -> list[DuplicateLink]:
    """One link per non-canonical member of each duplicate group, sorted by id (see the module docstring)."""
    if not 0.0 < threshold <= 1.0 or num_perm < 2 or shingle_words < 1:
        raise ValueError("need 0 < threshold <= 1, num_perm >= 2 and shingle_words >= 1")
    if len(candidates) < 2:
        return []
    union_find = _UnionFind(len(candidates))
    _union_equal_keys(union_find, [candidate.canonical_url or None for candidate in candidates])
    after_url = union_find.roots()
    _union_equal_keys(union_find, [_key(candidate) for candidate in candidates])
    after_key = union_find.roots()
    best_similarity: dict[int, float] = {}
    for i, j, similarity in near_duplicate_pairs(
        candidates, threshold=threshold, num_perm=num_perm, shingle_words=shingle_words
    ):
        union_find.union(i, j)
        for index in (i, j):
            best_similarity[index] = max(best_similarity.get(index, 0.0), similarity)
    groups: dict[int, list[int]] = defaultdict(list)
    for index, root in enumerate(union_find.roots()):
        groups[root].append(index)

    def rank(index: int) -> tuple[bool, date, str, int]:
        candidate = candidates[index]
        return candidate.first_seen is None, candidate.first_seen or date.min, candidate.id, index

    links = []
    for members in groups.values():
        canonical = min(members, key=rank)
        for member in members:
            if member == canonical:
                continue
            if after_url[member] == after_url[canonical]:
                link = DuplicateLink(candidates[member].id, candidates[canonical].id, RULE_URL)
            elif after_key[member] == after_key[canonical]:
                link = DuplicateLink(candidates[member].id, candidates[canonical].id, RULE_KEY)
            else:
                best = best_similarity.get(member)
                link = DuplicateLink(candidates[member].id, candidates[canonical].id, RULE_TEXT, best)
            links.append(link)
    return sorted(links, key=lambda link: (link.id, link.duplicate_of))
