"""The word lists of the wording checks: the published Gaucher, Friesen & Kay (2011) lists with their citation,
the phrase patterns, and clear errors for a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest
from audit_samples import REPO, wordlists

from pipeline.audit.wordlists import load_wordlists


def test_the_gendered_lists_carry_their_source() -> None:
    gendered = wordlists().gendered
    assert "Gaucher, D., Friesen, J., & Kay, A. C. (2011)" in gendered.source.citation
    assert gendered.source.doi == "10.1037/a0022530"
    assert (len(gendered.masculine), len(gendered.feminine)) == (41, 40)
    assert {"lead*", "compet*", "self-relian*"} <= set(gendered.masculine)
    assert {"support*", "understand*", "interpersonal"} <= set(gendered.feminine)
    assert not set(gendered.masculine) & set(gendered.feminine)


@pytest.mark.parametrize(
    ("word", "coded"),
    [
        ("Leadership", "masculine"),
        ("competitive", "masculine"),
        ("Self-reliant", "masculine"),
        ("active", "masculine"),
        ("actively", None),  # "active" is a whole word, not a stem
        ("collaborative", None),
        ("supportive", "feminine"),
        ("Understanding", "feminine"),
        ("kind", "feminine"),
        ("kindly", None),
        ("Python", None),
    ],
)
def test_coded_words(word: str, coded: str | None) -> None:
    assert wordlists().gendered.coded(word) == coded


def test_the_phrase_patterns() -> None:
    phrases = wordlists().phrases
    assert phrases.coded_label_pattern.findall("a Rock Star, a 10x engineer and gurus") == [
        "Rock Star",
        "10x engineer",
        "gurus",
    ]
    assert phrases.coded_label_pattern.findall("rockstars-only? wizardry") == ["rockstars"]
    assert phrases.age_coded_pattern.findall("We want recent college graduates, up to 3 years of experience") == [
        "recent college graduates",
        "up to 3 years of experience",
    ]
    assert phrases.age_coded_pattern.findall("our young company; 3+ years of experience") == []


def test_a_broken_file_names_itself(tmp_path: Path) -> None:
    for name in ("gendered_words.yaml", "exclusionary_phrases.yaml"):
        (tmp_path / name).write_text((REPO / "data" / "audit" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "exclusionary_phrases.yaml").write_text("coded_labels: ['(unclosed']\nage_coded: []\n")
    with pytest.raises(ValueError, match=r"exclusionary_phrases\.yaml: .*pattern '\(unclosed'"):
        load_wordlists(tmp_path)
    (tmp_path / "gendered_words.yaml").unlink()
    with pytest.raises(ValueError, match=r"gendered_words\.yaml: .*No such file"):
        load_wordlists(tmp_path)
