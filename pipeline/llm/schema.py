"""The answer the model must give for one posting: a pydantic model, and the JSON schema sent with the request.

The model validates what comes back; :func:`response_json_schema` is the same shape in the subset of JSON Schema
that OpenAI's strict structured outputs accept (every property required, no extra keys, no numeric or length
bounds: those are checked here, after the answer arrives).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from pipeline.domain import Level, Requirement, RoleFamily, Specialization, Track

AI_FAMILIES = frozenset(
    {RoleFamily.AI_ENGINEER, RoleFamily.ML_ENGINEER, RoleFamily.DATA_SCIENTIST, RoleFamily.AI_RESEARCHER}
)


class Education(StrEnum):
    """The lowest degree that satisfies a posting's education requirement."""

    BACHELOR = "bachelor"
    MASTER = "master"
    PHD = "phd"


class SkillItem(BaseModel):
    """A skill the posting asks for, with the words of the posting that ask for it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    name: str = Field(min_length=1, max_length=120, description="Canonical skill name from the list given.")
    requirement: Requirement
    evidence: str = Field(max_length=600, description="A verbatim quote from the posting (one line or sentence).")


class Answer(BaseModel):
    """The labels of one posting as the model gives them.

    Extra keys are ignored; a wrong type, an unknown enum value or a missing field makes the answer invalid.
    Specializations are kept only for AI and ML role families (as in the labeling rules) and listed once each.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    level: Level | None
    track: Track
    role_family: RoleFamily
    specializations: tuple[Specialization, ...]
    skills: tuple[SkillItem, ...]
    years_min: int | None = Field(ge=0, le=50)
    education_min: Education | None
    publications: Requirement | None
    rationale: str = Field(max_length=1_000, description="One line on what decided the level and role family.")

    @field_validator("specializations")
    @classmethod
    def _distinct_and_for_ai_roles_only(
        cls, value: tuple[Specialization, ...], info: ValidationInfo
    ) -> tuple[Specialization, ...]:
        if info.data.get("role_family") not in AI_FAMILIES:
            return ()
        return tuple(dict.fromkeys(value))


_KEPT_KEYS = frozenset({"type", "enum", "items", "properties", "anyOf", "$ref", "$defs", "description", "required"})


def _strict(node: Any) -> Any:
    """A copy of a pydantic JSON schema node reduced to the strict-mode subset."""
    if isinstance(node, list):
        return [_strict(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("properties", "$defs"):
            out[key] = {name: _strict(sub) for name, sub in value.items()}
        elif key in _KEPT_KEYS:
            out[key] = _strict(value)
    if "properties" in out:
        out["type"] = "object"
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


def response_json_schema() -> dict[str, Any]:
    """The ``json_schema`` entry of a ``response_format`` for :class:`Answer`.

    >>> schema = response_json_schema()
    >>> schema["name"], schema["strict"], schema["schema"]["required"][:3]
    ('posting_labels', True, ['level', 'track', 'role_family'])
    >>> schema["schema"]["$defs"]["SkillItem"]["additionalProperties"]
    False
    """
    schema = _strict(Answer.model_json_schema())
    schema.pop("description", None)  # the class docstring speaks to developers, not to the model
    return {"name": "posting_labels", "strict": True, "schema": schema}
