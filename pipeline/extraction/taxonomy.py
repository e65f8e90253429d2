"""The skill taxonomy and the specialization cues, loaded from versioned YAML under data/taxonomy/."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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


_GAP = re.compile(r"_\{(\d+),(\d+)\}")
_WORD = re.compile(r"[^\sA-Z|?_{}]+")


def token_pattern(text: str) -> list[dict[str, Any]]:
    """A spaCy ``Matcher`` pattern from the compact syntax of ``patterns:`` in skills.yaml.

    Tokens are separated by spaces and matched on their lower-case text: ``a|b`` is one of several words, a
    trailing ``?`` makes a token optional, ``_`` is any one token and ``_{0,3}`` any zero to three tokens. The
    first and the last token must be words, so that a match starts and ends on the phrase itself.

    >>> token_pattern("deploy|ship _{0,3} models? production")
    [{'LOWER': {'IN': ['deploy', 'ship']}}, {'OP': '{0,3}'}, {'LOWER': 'models', 'OP': '?'}, {'LOWER': 'production'}]
    >>> token_pattern("_ apis")
    Traceback (most recent call last):
    ...
    ValueError: pattern '_ apis' must start and end with a word
    """
    parts = text.split()
    if not parts or parts[0].startswith("_") or parts[-1].startswith("_") or parts[-1].endswith("?"):
        raise ValueError(f"pattern {text!r} must start and end with a word")
    tokens: list[dict[str, Any]] = []
    for part in parts:
        gap = _GAP.fullmatch(part)
        if part == "_":
            tokens.append({})
        elif gap is not None:
            tokens.append({"OP": f"{{{int(gap[1])},{int(gap[2])}}}"})
        else:
            optional = part.endswith("?")
            words = part.removesuffix("?").split("|")
            if not all(_WORD.fullmatch(word) for word in words):
                raise ValueError(f"pattern {text!r}: {part!r} is not a lower-case word or a|b|c alternatives")
            token: dict[str, Any] = {"LOWER": words[0] if len(words) == 1 else {"IN": words}}
            if optional:
                token["OP"] = "?"
            tokens.append(token)
    return tokens


def prerequisite_cycle(prerequisites: Mapping[str, Sequence[str]]) -> list[str]:
    """A cycle of the prerequisite graph as the path that closes it (first and last name equal), or [] when there
    is none. Depth-first search, names visited in sorted order so the answer is stable.

    >>> prerequisite_cycle({"RAG": ["LLMs", "Embeddings"], "LLMs": ["Python"]})
    []
    >>> prerequisite_cycle({"A": ["B"], "B": ["C"], "C": ["A"]})
    ['A', 'B', 'C', 'A']
    """
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(name: str) -> list[str]:
        if name in on_path:
            return [*path[path.index(name) :], name]
        if name in done:
            return []
        path.append(name)
        on_path.add(name)
        for needed in sorted(prerequisites.get(name, ())):
            found = visit(needed)
            if found:
                return found
        path.pop()
        on_path.discard(name)
        done.add(name)
        return []

    for name in sorted(prerequisites):
        found = visit(name)
        if found:
            return found
    return []


class AmbiguityRule(BaseModel):
    """When a mention of an ambiguous name counts (see pipeline/extraction/disambiguation.py).

    A guarded mention is rejected when any ``not_*`` test fires; when ``context`` or ``listed`` is given it
    also needs support (unless written exactly as one of the ``trusted`` forms): a context word within
    ``window`` words on its line, or another skill as its neighbour in a list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    forms: tuple[str, ...] = ()  # guarded surface forms (any case); default: the skill's exact forms
    not_followed_by: tuple[str, ...] = ()  # "to market" also refuses "Go-to-Market"
    not_preceded_by: tuple[str, ...] = ()
    not_joined: bool = False  # refuse "C-suite", "R-CNN", "X-Ray" (glued by - & + #)
    not_before_name: bool = False  # refuse "Ray Fitzgerald": a capitalised word follows (not in name_ok)
    name_ok: tuple[str, ...] = ()
    not_in_degree_field: bool = False  # refuse "BS in Computer Science, Statistics or a related field"
    context: tuple[str, ...] = ()
    listed: bool = False
    window: int = Field(default=8, ge=1, le=40)
    trusted: tuple[str, ...] = ()  # exact-case forms that need no support ("Spark"; "spark" does)

    @field_validator("not_followed_by", "not_preceded_by", "context")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for phrase in value:
            if phrase != phrase.lower() or not phrase.strip():
                raise ValueError(f"{phrase!r} must be a non-empty lower-case phrase")
        return value

    @property
    def needs_support(self) -> bool:
        return bool(self.context) or self.listed


class SkillEntry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    category: str
    aliases: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    released: int | None = None
    specializations: tuple[Specialization, ...] = ()
    ambiguous: AmbiguityRule | None = None
    patterns: tuple[str, ...] = ()
    prerequisites: tuple[str, ...] = ()  # skills to learn first (names of this taxonomy; no cycles)

    @model_validator(mode="after")
    def _check(self) -> SkillEntry:
        if self.category not in CATEGORIES:
            raise ValueError(f"skill {self.name!r}: unknown category {self.category!r}")
        for alias in self.aliases:
            if alias != alias.lower():
                raise ValueError(f"skill {self.name!r}: alias {alias!r} is not lower-case")
        if self.released is not None and not 1950 <= self.released <= 2026:
            raise ValueError(f"skill {self.name!r}: released {self.released} is not a year in 1950-2026")
        for pattern in self.patterns:
            token_pattern(pattern)
        if self.name in self.prerequisites:
            raise ValueError(f"skill {self.name!r}: lists itself as a prerequisite")
        return self

    def guarded_forms(self) -> frozenset[str]:
        """Lower-cased surface forms that the ambiguity rule applies to (none without a rule)."""
        if self.ambiguous is None:
            return frozenset()
        return frozenset(form.lower() for form in (self.ambiguous.forms or self.exact))

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

    @model_validator(mode="after")
    def _prerequisites(self) -> Taxonomy:
        names = {skill.name for skill in self.skills}
        for skill in self.skills:
            for needed in skill.prerequisites:
                if needed not in names:
                    raise ValueError(f"skill {skill.name!r}: prerequisite {needed!r} is not a skill of the taxonomy")
        cycle = prerequisite_cycle({skill.name: skill.prerequisites for skill in self.skills})
        if cycle:
            raise ValueError("prerequisites form a cycle: " + " -> ".join(cycle))
        return self

    def prerequisites(self) -> dict[str, tuple[str, ...]]:
        """Each skill's prerequisites (skills without any are left out)."""
        return {skill.name: skill.prerequisites for skill in self.skills if skill.prerequisites}

    def by_name(self) -> dict[str, SkillEntry]:
        return {skill.name: skill for skill in self.skills}


class SpecializationEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    label: str
    cues: tuple[str, ...]
    title_cues: tuple[str, ...] = ()  # words that name the focus in a title only ("Search", "Infrastructure")
    requires_any_skill: tuple[str, ...] = ()  # the posting must ask one of these skills (agents: an LLM skill)


class SpecializationCues(BaseModel):
    """Cue phrases per specialization and the documented decision threshold."""

    model_config = ConfigDict(frozen=True)

    version: str
    threshold: float = Field(gt=0)
    title_weight: float = Field(ge=0)
    preferred_weight: float = Field(default=1.0, ge=0)
    specializations: dict[Specialization, SpecializationEntry]


# libyaml's safe loader when PyYAML was built with it: the 600-skill taxonomy loads in 0.1 s instead of 0.6 s
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


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
