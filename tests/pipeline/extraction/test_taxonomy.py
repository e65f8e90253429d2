from pathlib import Path

import pytest

from pipeline.extraction.taxonomy import CATEGORIES, load_specialization_cues, load_taxonomy

TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy"


def test_bundled_taxonomy_loads_and_is_consistent() -> None:
    taxonomy = load_taxonomy(TAXONOMY / "skills.yaml")
    assert len(taxonomy.skills) >= 200
    assert {s.category for s in taxonomy.skills} == CATEGORIES
    for ambiguous in ("Go", "R", "C", "Swift"):
        skill = taxonomy.by_name()[ambiguous]
        assert ambiguous in skill.exact and ambiguous.lower() not in skill.aliases


def test_bundled_specialization_cues_load() -> None:
    cues = load_specialization_cues(TAXONOMY / "specializations.yaml")
    assert {s.value for s in cues.specializations} == {"rag", "agents", "infrastructure", "safety", "multimodal"}
    assert cues.threshold > 0


def test_a_surface_form_naming_two_skills_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text(
        'version: "t"\nskills:\n'
        "  - {name: Kubernetes, category: mlops_infra, aliases: [k8s]}\n"
        "  - {name: K3s, category: mlops_infra, aliases: [k8s]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="'k8s' names both 'Kubernetes' and 'K3s'"):
        load_taxonomy(path)


def test_an_unknown_category_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text('version: "t"\nskills:\n  - {name: X, category: magic}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown category 'magic'"):
        load_taxonomy(path)


def test_every_core_skill_of_the_gold_labels_is_in_the_taxonomy(shared_dir: Path) -> None:
    core = shared_dir / "gold" / "CORE_SKILLS.md"
    if not core.exists():
        pytest.skip("CORE_SKILLS.md is absent")
    rows = [line.split("|")[0].strip() for line in core.read_text(encoding="utf-8").splitlines() if "|" in line]
    names = {name for name in rows[2:] if name}  # skip the header and its rule
    assert len(names) > 50
    assert names - set(load_taxonomy(TAXONOMY / "skills.yaml").by_name()) == set()
