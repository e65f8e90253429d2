"""The bundled taxonomy's size and shape, its rules for ambiguous names, and the pattern syntax."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.evaluation.gold import load_core_skills
from pipeline.extraction.taxonomy import CATEGORIES, load_taxonomy, token_pattern

TAXONOMY = load_taxonomy(Path(__file__).resolve().parents[3] / "data" / "taxonomy" / "skills.yaml")
BY_NAME = TAXONOMY.by_name()


def test_at_least_500_skills_in_every_category() -> None:
    assert len(TAXONOMY.skills) >= 500
    per_category = Counter(skill.category for skill in TAXONOMY.skills)
    assert set(per_category) == CATEGORIES
    assert min(per_category.values()) >= 10, per_category


def test_forms_are_lower_case_and_released_years_plausible() -> None:
    for skill in TAXONOMY.skills:
        assert all(alias == alias.lower() for alias in skill.aliases), skill.name
        assert skill.released is None or 1950 <= skill.released <= 2026, skill.name


@pytest.mark.parametrize(
    ("form", "name"),
    [
        ("k8s", "Kubernetes"),
        ("amazon web services", "AWS"),
        ("hf transformers", "Hugging Face"),
        ("retrieval-augmented generation", "RAG"),
        ("golang", "Go"),
        ("pyspark", "Spark"),
        ("evals", "LLM evaluation"),
        ("restful services", "REST APIs"),
    ],
)
def test_aliases_and_abbreviations(form: str, name: str) -> None:
    assert form in BY_NAME[name].case_insensitive_forms()


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Go", "go"),
        ("R", "r"),
        ("C", "c"),
        ("Rust", "rust"),
        ("Spark", "spark"),
        ("Ray", "ray"),
        ("Vector databases", "chroma"),
        ("Swift", "swift"),
        ("Excel", "excel"),
        ("Agents", "agents"),
        ("Statistics", "statistics"),
    ],
)
def test_every_ambiguous_short_name_has_a_rule(name: str, form: str) -> None:
    skill = BY_NAME[name]
    assert skill.ambiguous is not None
    assert form in skill.guarded_forms()


def test_concepts_inferred_from_phrasing_have_patterns_that_compile() -> None:
    with_patterns = {skill.name for skill in TAXONOMY.skills if skill.patterns}
    assert {"MLOps", "REST APIs", "LLM evaluation"} <= with_patterns
    for skill in TAXONOMY.skills:
        for pattern in skill.patterns:
            assert token_pattern(pattern)


def test_every_core_skill_keeps_its_exact_name(shared_dir: Path) -> None:
    core_file = shared_dir / "gold" / "CORE_SKILLS.md"
    if not core_file.exists():
        pytest.skip("CORE_SKILLS.md is absent")
    core = load_core_skills(core_file)
    assert len(core) >= 78
    assert [name for name in core if name not in BY_NAME] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("models in production", [{"LOWER": "models"}, {"LOWER": "in"}, {"LOWER": "production"}]),
        ("build|write apis", [{"LOWER": {"IN": ["build", "write"]}}, {"LOWER": "apis"}]),
        ("fine -? tuning", [{"LOWER": "fine"}, {"LOWER": "-", "OP": "?"}, {"LOWER": "tuning"}]),
        ("deploy _ models", [{"LOWER": "deploy"}, {}, {"LOWER": "models"}]),
        ("deploy _{0,4} models", [{"LOWER": "deploy"}, {"OP": "{0,4}"}, {"LOWER": "models"}]),
    ],
)
def test_token_pattern_syntax(text: str, expected: list[dict[str, object]]) -> None:
    assert token_pattern(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "must start and end with a word"),
        ("_{0,2} apis", "must start and end with a word"),
        ("apis _", "must start and end with a word"),
        ("build apis?", "must start and end with a word"),
        ("Build apis", "is not a lower-case word"),
        ("build a||b", "is not a lower-case word"),
    ],
)
def test_token_pattern_refuses_bad_syntax(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        token_pattern(text)


def test_an_upper_case_alias_and_an_implausible_year_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "skills.yaml"
    path.write_text('version: "t"\nskills:\n  - {name: X, category: concept, aliases: [Xy]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="alias 'Xy' is not lower-case"):
        load_taxonomy(path)
    path.write_text('version: "t"\nskills:\n  - {name: X, category: concept, released: 3000}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="released 3000"):
        load_taxonomy(path)
