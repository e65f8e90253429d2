"""``prerequisites:`` in skills.yaml: names of the taxonomy, no self-reference, no cycle; the bundled ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extraction.taxonomy import load_taxonomy, prerequisite_cycle

TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy" / "skills.yaml"


def _load(tmp_path: Path, skills: str) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text('version: "t"\nskills:\n' + skills, encoding="utf-8")
    load_taxonomy(path)


def test_bundled_prerequisites() -> None:
    prerequisites = load_taxonomy(TAXONOMY).prerequisites()
    assert prerequisites["RAG"] == ("Embeddings", "LLMs")
    assert prerequisites["LangChain"] == ("Python", "LLMs")
    assert prerequisites["Kubernetes"] == ("Docker", "Linux")
    assert set(prerequisites["Fine-tuning"]) >= {"PyTorch"}
    assert len(prerequisites) >= 50


def test_a_cycle_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="prerequisites form a cycle: A -> B -> C -> A"):
        _load(
            tmp_path,
            "  - {name: A, category: concept, prerequisites: [B]}\n"
            "  - {name: B, category: concept, prerequisites: [C]}\n"
            "  - {name: C, category: concept, prerequisites: [A]}\n",
        )


def test_an_unknown_or_own_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="prerequisite 'Nope' is not a skill of the taxonomy"):
        _load(tmp_path, "  - {name: A, category: concept, prerequisites: [Nope]}\n")
    with pytest.raises(ValueError, match="'A': lists itself as a prerequisite"):
        _load(tmp_path, "  - {name: A, category: concept, prerequisites: [A]}\n")


def test_cycle_search() -> None:
    assert prerequisite_cycle({"A": ["B"], "B": ["C"], "D": ["A", "C"]}) == []
    assert prerequisite_cycle({"X": ["Y"], "Y": ["Y"]}) == ["Y", "Y"]
