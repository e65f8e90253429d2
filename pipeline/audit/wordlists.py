"""The word lists of the wording checks, loaded from ``data/audit/`` (see the files for sources and syntax)."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

GENDERED_FILE = "gendered_words.yaml"
PHRASES_FILE = "exclusionary_phrases.yaml"
_STEM = re.compile(r"^[a-z][a-z'-]*\*?$")


class Source(BaseModel):
    model_config = ConfigDict(frozen=True)

    citation: str
    doi: str | None = None


class GenderedWords(BaseModel):
    """Masculine- and feminine-coded word stems ("analy*": a prefix; "active": the whole word)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Source
    masculine: tuple[str, ...] = Field(min_length=1)
    feminine: tuple[str, ...] = Field(min_length=1)
    technical_phrases: tuple[str, ...] = ()

    @field_validator("masculine", "feminine")
    @classmethod
    def _stems(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for stem in value:
            if not _STEM.match(stem):
                raise ValueError(f"{stem!r} is not a lower-case word or stem")
        return value

    def coded(self, word: str) -> str | None:
        """'masculine', 'feminine' or None for one word (any case).

        >>> words = GenderedWords(source=Source(citation="x"), masculine=("analy*", "active"), feminine=("support*",))
        >>> words.coded("Analytical"), words.coded("actively"), words.coded("supportive")
        ('masculine', None, 'feminine')
        """
        lowered = word.lower()
        for kind, stems in (("masculine", self.masculine), ("feminine", self.feminine)):
            for stem in stems:
                if lowered.startswith(stem[:-1]) if stem.endswith("*") else lowered == stem:
                    return kind
        return None


class ExclusionaryPhrases(BaseModel):
    """Regular expressions of coded labels ("rockstar") and age-coded phrases ("digital native")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    coded_labels: tuple[str, ...]
    age_coded: tuple[str, ...]

    @field_validator("coded_labels", "age_coded")
    @classmethod
    def _compiles(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r}: {exc}") from exc
        return value

    @cached_property
    def coded_label_pattern(self) -> re.Pattern[str]:
        return _union(self.coded_labels)

    @cached_property
    def age_coded_pattern(self) -> re.Pattern[str]:
        return _union(self.age_coded)


def _union(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\b", re.I)


class Wordlists(BaseModel):
    model_config = ConfigDict(frozen=True)

    gendered: GenderedWords
    phrases: ExclusionaryPhrases


def _read(path: Path) -> object:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_wordlists(audit_dir: Path) -> Wordlists:
    """Load and validate the word lists of ``audit_dir`` (``<data dir>/audit``); raises ValueError naming the file."""
    loaded = {}
    for key, name, model in (
        ("gendered", GENDERED_FILE, GenderedWords),
        ("phrases", PHRASES_FILE, ExclusionaryPhrases),
    ):
        path = audit_dir / name
        try:
            loaded[key] = model.model_validate(_read(path))
        except ValidationError as exc:  # one line: each problem with where it is
            problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in exc.errors())
            raise ValueError(f"{path}: {problems}") from exc
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: {exc}") from exc
    return Wordlists.model_validate(loaded)
