"""find_duplicates measured on the shared corpus (../shared/corpus, read-only; skipped when absent).

The figures asserted here are the measurements behind the threshold documented in ``pipeline.dedup``;
a change that moves them beyond the tolerance should come with a new measurement and spot check.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from pipeline.dedup import (
    DedupCandidate,
    DuplicateLink,
    find_duplicates,
    near_duplicate_pairs,
    normalize_title,
    title_tokens,
    titles_compatible,
)
from pipeline.normalize import canonical_url, parse_posted_date

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILES = ("postings.jsonl", "postings_extra.jsonl")

pytestmark = pytest.mark.shared


def _first_seen(value: str | None) -> date | None:
    try:
        return parse_posted_date(value)
    except ValueError:
        return None


@pytest.fixture(scope="module")
def corpus() -> list[DedupCandidate]:
    if not all((CORPUS / name).is_file() for name in FILES):
        pytest.skip(f"{CORPUS} is absent")
    candidates = []
    for name in FILES:
        for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            candidates.append(
                DedupCandidate(
                    id=row["id"],
                    source_id=row["source"],
                    canonical_url=canonical_url(row["url"]),
                    company=row["company"],
                    title=row["title"] or "",
                    location=row["location"],
                    description=row["description_text"] or "",
                    first_seen=_first_seen(row["posted_at"]),
                )
            )
    return candidates


@pytest.fixture(scope="module")
def links(corpus: list[DedupCandidate]) -> list[DuplicateLink]:
    return find_duplicates(corpus)


def groups_of(links: Sequence[DuplicateLink]) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for link in links:
        groups[link.duplicate_of].update((link.id, link.duplicate_of))
    return groups


def test_links_per_rule_and_group_sizes(corpus: list[DedupCandidate], links: list[DuplicateLink]) -> None:
    assert len(corpus) == 2609
    rules = Counter(link.rule for link in links)
    assert rules["url"] == 0  # only HN rows carry a URL, and it is the thread comment's own
    assert rules["company_title_location"] == pytest.approx(194, abs=12)
    assert rules["near_duplicate"] == pytest.approx(128, abs=10)
    sizes = Counter(len(members) for members in groups_of(links).values())
    assert len(groups_of(links)) == pytest.approx(214, abs=12)
    assert sizes[2] == pytest.approx(145, abs=12)
    assert max(sizes) <= 6  # HN monthly threads Jan-Apr: one company re-posts at most 4-5 times
    assert all(
        link.similarity is not None and link.similarity >= 0.6 for link in links if link.rule == "near_duplicate"
    )


def test_verified_near_duplicate_pairs_per_threshold(corpus: list[DedupCandidate]) -> None:
    pairs = near_duplicate_pairs(corpus, threshold=0.5)
    counts = {t: sum(similarity >= t for _, _, similarity in pairs) for t in (0.5, 0.6, 0.7, 0.8, 0.9)}
    expected = {0.5: 445, 0.6: 400, 0.7: 343, 0.8: 276, 0.9: 204}
    for threshold, count in expected.items():
        assert counts[threshold] == pytest.approx(count, rel=0.05), counts


EXTRA_SENTENCE = "We also offer a yearly learning budget and flexible working hours."


def perturbed(candidate: DedupCandidate, rng: random.Random) -> DedupCandidate:
    """A re-post on another source: about one word in a hundred changed (1 to 5), whitespace reflowed, a
    sentence added, no company (so only the text can link it)."""
    words = candidate.description.split()
    for _ in range(max(1, min(5, len(words) // 100))):
        words[rng.randrange(len(words))] = rng.choice(["exciting", "modern", "global", "2026"])
    half = len(words) // 2
    text = "  ".join(words[:half]) + "\n\n" + " ".join(words[half:]) + " " + EXTRA_SENTENCE
    return dataclasses.replace(
        candidate, id=f"copy:{candidate.id}", source_id="copy", canonical_url=None, company=None, description=text
    )


def test_synthetic_reposts_are_found_and_distinct_postings_stay_apart(
    corpus: list[DedupCandidate], links: list[DuplicateLink]
) -> None:
    grouped = {link.id for link in links} | {link.duplicate_of for link in links}
    distinct = [c for c in corpus if c.id not in grouped and len(c.description.split()) >= 20]
    rng = random.Random(20260401)
    originals = rng.sample(distinct, 200)
    copies = [perturbed(c, rng) for c in originals]
    result = find_duplicates(originals + copies)
    canonical = {link.id: link.duplicate_of for link in result}

    def group(posting_id: str) -> str:
        return canonical.get(posting_id, posting_id)

    found = sum(group(c.id) == group(f"copy:{c.id}") for c in originals)
    assert found / len(originals) >= 0.95
    assert found == 200  # measured: every copy is found at the default threshold
    titles_by_group: dict[str, set[str]] = defaultdict(set)
    for original in originals:
        titles_by_group[group(original.id)].add(normalize_title(original.title))
    assert all(len(titles) == 1 for titles in titles_by_group.values())
    assert len(titles_by_group) == 200  # no two originals merged at all


def test_the_same_text_under_another_role_title_is_never_merged(
    corpus: list[DedupCandidate], links: list[DuplicateLink]
) -> None:
    """The template case at scale: each posting's text re-used, slightly edited, under an incompatible title."""
    grouped = {link.id for link in links} | {link.duplicate_of for link in links}
    titled = [c for c in corpus if c.id not in grouped and title_tokens(c.title) and len(c.description.split()) >= 20]
    rng = random.Random(7)
    originals = rng.sample(titled, 200)
    siblings = []
    for original in originals:
        tokens = title_tokens(original.title)
        other = next(c for c in rng.sample(titled, 50) if not titles_compatible(title_tokens(c.title), tokens))
        copy = perturbed(original, rng)
        siblings.append(
            dataclasses.replace(copy, id=f"sibling:{original.id}", title=other.title, company=original.company)
        )
    canonical = {link.id: link.duplicate_of for link in find_duplicates(originals + siblings)}
    merged = [
        o.id for o in originals if canonical.get(o.id, o.id) == canonical.get(f"sibling:{o.id}", f"sibling:{o.id}")
    ]
    assert merged == []
