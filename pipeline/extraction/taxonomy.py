"""The skill taxonomy and the specialization cues, loaded from versioned YAML under data/taxonomy/."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pipeline.domain import Specialization

CATEGORIES = frozenset(
    {
        "language",
        "framework",
        "llm_tooling",
        "vector_store",
        "cloud",
        "mlops_infra",
        "data_platform",
        "concept",
        "soft_skill",
    }
)


class SkillEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    released: int | None = None
    specializations: tuple[Specialization, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> SkillEntry:
        if self.category not in CATEGORIES:
            raise ValueError(f"skill {self.name!r}: unknown category {self.category!r}")
        return self

    def case_insensitive_forms(self) -> tuple[str, ...]:
        """Surface forms matched case-insensitively: the aliases, and the name unless it is exact-only."""
        forms = list(self.aliases)
        if self.name not in self.exact:
            forms.append(self.name.lower())
        return tuple(dict.fromkeys(forms))


class Taxonomy(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str
    skills: tuple[SkillEntry, ...]

    @model_validator(mode="after")
    def _unique_forms(self) -> Taxonomy:
        seen: dict[str, str] = {}
        for skill in self.skills:
            for form in (*skill.case_insensitive_forms(), *(f"={e}" for e in skill.exact), f"#{skill.name}"):
                if form in seen and seen[form] != skill.name:
                    raise ValueError(f"{form.lstrip('=#')!r} names both {seen[form]!r} and {skill.name!r}")
                seen[form] = skill.name
        return self

    def by_name(self) -> dict[str, SkillEntry]:
        return {skill.name: skill for skill in self.skills}


class SpecializationEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    cues: tuple[str, ...]


class SpecializationCues(BaseModel):
    """Cue phrases per specialization and the documented decision threshold."""

    model_config = ConfigDict(frozen=True)

    version: str
    threshold: float = Field(gt=0)
    title_weight: float = Field(ge=0)
    specializations: dict[Specialization, SpecializationEntry]


def _read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_taxonomy(path: Path) -> Taxonomy:
    """Load and validate ``skills.yaml``; raises ValueError naming the file and the problem."""
    try:
        return Taxonomy.model_validate(_read_yaml(path))
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {exc}") from exc


def load_specialization_cues(path: Path) -> SpecializationCues:
    """Load and validate ``specializations.yaml``."""
    try:
        return SpecializationCues.model_validate(_read_yaml(path))
    except (ValueError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
