"""Near-duplicate descriptions: word shingles, seeded datasketch MinHash, MinHashLSH candidates, verification."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

from pipeline.dedup.keys import locations_compatible, normalize_company, title_tokens, titles_compatible, words_of
from pipeline.dedup.model import DedupCandidate

MIN_DESCRIPTION_WORDS = 20
MINHASH_SEED = 1
LSH_RECALL_AT_THRESHOLD = 0.995
_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(description: str | None, shingle_words: int = 5, cache: dict[str, int] | None = None) -> list[int]:
    """Sorted distinct 32-bit hashes of the word ``shingle_words``-grams of the normalized description;
    empty below ``MIN_DESCRIPTION_WORDS`` words. A shingle's hash combines its words' hashes (blake2b,
    cached per word), so only distinct words are hashed.

    >>> shingle_hashes("one two three", 2), len(shingle_hashes(" ".join(["w"] * 25), 5))
    ([], 1)
    >>> shingle_hashes("a b c d e " * 5, 5) == shingle_hashes("A, b; c! d e " * 5, 5)
    True
    """
    words = words_of(description)
    if len(words) < MIN_DESCRIPTION_WORDS:
        return []
    cache = {} if cache is None else cache
    for word in set(words).difference(cache):
        cache[word] = _word_hash(word)
    word_hashes = np.fromiter(map(cache.__getitem__, words), np.uint64, len(words))
    size = min(shingle_words, len(words))
    count = len(words) - size + 1
    combined = word_hashes[:count].copy()
    for offset in range(1, size):
        combined = combined * _SHINGLE_MULTIPLIER + word_hashes[offset : offset + count]
    folded = (combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    hashes: list[int] = np.unique(folded).tolist()
    return hashes


def _identity(value: int) -> int:
    return value


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) with the most rows per band that still makes a pair at ``threshold`` a candidate
    with probability >= ``LSH_RECALL_AT_THRESHOLD``.

    >>> lsh_params(0.7, 128)
    (32, 4)
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 2:
            break
        if 1 - (1 - threshold**rows) ** bands >= LSH_RECALL_AT_THRESHOLD:
            best = (bands, rows)
    return best


def _comparable(a: DedupCandidate, b: DedupCandidate, tokens_a: frozenset[str], tokens_b: frozenset[str]) -> bool:
    if not locations_compatible(a.location, b.location):
        return False
    if tokens_a and tokens_b:
        return titles_compatible(tokens_a, tokens_b)
    company_a, company_b = normalize_company(a.company), normalize_company(b.company)
    return company_a is None or company_b is None or company_a == company_b


def near_duplicate_pairs(
    candidates: Sequence[DedupCandidate], *, threshold: float, num_perm: int = 128, shingle_words: int = 5
) -> list[tuple[int, int, float]]:
    """(i, j, estimated Jaccard) with i < j for every title-compatible pair at or above ``threshold``."""
    signatures: dict[int, MinHash] = {}
    permutations = MinHash(num_perm=num_perm, seed=MINHASH_SEED).permutations
    cache: dict[str, int] = {}
    for index, candidate in enumerate(candidates):
        hashes = shingle_hashes(candidate.description, shingle_words, cache)
        if hashes:
            signature = MinHash(
                num_perm=num_perm, seed=MINHASH_SEED, hashfunc=_identity, permutations=permutations, scheme="affine32"
            )
            signature.update_batch(hashes)
            signatures[index] = signature
    lsh = MinHashLSH(num_perm=num_perm, params=lsh_params(threshold, num_perm))
    for index, signature in signatures.items():
        lsh.insert(index, signature, check_duplication=False)
    proposed: set[tuple[int, int]] = set()
    for table in lsh.hashtables:  # every LSH bucket at once: the same pairs as querying each signature
        for bucket in table:
            members = table.get(bucket)
            if len(members) > 1:
                proposed.update(itertools.combinations(sorted(members), 2))
    tokens: dict[int, frozenset[str]] = {}
    pairs = []
    for i, j in sorted(proposed):
        similarity = float(signatures[i].jaccard(signatures[j]))
        if similarity < threshold:
            continue
        tokens_i = tokens.setdefault(i, title_tokens(candidates[i].title))
        tokens_j = tokens.setdefault(j, title_tokens(candidates[j].title))
        if _comparable(candidates[i], candidates[j], tokens_i, tokens_j):
            pairs.append((i, j, similarity))
    return pairs
