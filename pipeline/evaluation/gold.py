"""Reading the evaluation inputs: gold label rows, the core skill list, and the corpus postings they refer to."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.domain import Posting, RawRecord, Requirement
from pipeline.extraction.taxonomy import Taxonomy
from pipeline.sources.jsonl_file import parse_line_for_tagging


class EvaluationInputError(ValueError):
    """An input file is missing, unreadable or malformed; the message names the file and the problem."""


class GoldRow(BaseModel):
    """One hand-labelled posting (schema in the gold folder's GUIDE.md)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    level: str | None = None
    track: str | None = None
    role_family: str | None = None
    specializations: tuple[str, ...] = ()
    years_min: int | None = None
    education_min: str | None = None
    skills: dict[str, Requirement] = {}
    notes: str | None = None


def read_text(path: Path) -> str:
    """The file's UTF-8 text, or an :class:`EvaluationInputError` saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvaluationInputError(f"{path} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationInputError(f"{path} cannot be read: {exc}") from None


def parse_gold(text: str, *, name: str = "gold") -> list[GoldRow]:
    """Gold rows from JSONL text (blank lines skipped); a bad line raises naming its line number.

    >>> rows = parse_gold('{"id": "x:1", "level": "ii", "skills": {"Python": "required"}}')
    >>> rows[0].level, rows[0].skills["Python"].value
    ('ii', 'required')
    """
    rows: list[GoldRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(GoldRow.model_validate_json(line))
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = ".".join(str(part) for part in problem["loc"]) or "line"
            raise EvaluationInputError(f"{name}:{number}: {where}: {problem['msg']}") from None
    return rows


def load_gold(path: Path) -> list[GoldRow]:
    rows = parse_gold(read_text(path), name=str(path))
    if not rows:
        raise EvaluationInputError(f"{path} has no gold rows")
    return rows


def parse_core_skills(markdown: str) -> tuple[str, ...]:
    """Canonical skill names from the first column of a markdown table (header and separator rows skipped).

    >>> parse_core_skills("# Core\\n\\nName | counts when\\n--- | ---\\nPython | Python\\nC++ | C++\\n")
    ('Python', 'C++')
    """
    names: list[str] = []
    in_table = False
    for line in markdown.splitlines():
        if "|" not in line:
            in_table = False
            continue
        first = line.strip().strip("|").split("|")[0].strip()
        if not in_table:  # the header row opens the table
            in_table = True
            continue
        if first and set(first) - set("-: "):
            names.append(first)
    return tuple(dict.fromkeys(names))


def load_core_skills(path: Path) -> tuple[str, ...]:
    names = parse_core_skills(read_text(path))
    if not names:
        raise EvaluationInputError(f"{path} lists no core skills (expected a markdown table)")
    return names


def core_name_map(core: Iterable[str], taxonomy: Taxonomy) -> dict[str, str]:
    """Taxonomy canonical name -> core name, for the core names the taxonomy knows (by name or by alias)."""
    by_form: dict[str, str] = {}
    for skill in taxonomy.skills:
        by_form[skill.name.lower()] = skill.name
        for form in (*skill.aliases, *skill.exact):
            by_form.setdefault(form.lower(), skill.name)
    mapping: dict[str, str] = {}
    for name in core:
        known = by_form.get(name.lower())
        if known is not None:
            mapping.setdefault(known, name)
    return mapping


@dataclass(frozen=True)
class CorpusLookup:
    """Postings found by id, and the wanted ids whose line the parser rejects (id -> reason)."""

    found: dict[str, Posting]
    rejected: dict[str, str]


def find_postings(paths: Iterable[Path], ids: Iterable[str]) -> CorpusLookup:
    """The postings with the wanted ids from corpus JSONL files, parsed as ``jobatlas extract`` does (an untitled
    posting is tagged from its description; the first parsed occurrence wins; a line the parser rejects is
    reported with its reason)."""
    wanted = set(ids)
    found: dict[str, Posting] = {}
    rejected: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(read_text(path).splitlines(), start=1):
            try:
                data = json.loads(line) if line.strip() else None
            except json.JSONDecodeError:
                continue
            posting_id = data.get("id") if isinstance(data, dict) else None
            if posting_id not in wanted or posting_id in found:
                continue
            record = RawRecord(source_id=path.stem, locator=f"{path.name}:{number}", payload=line)
            parsed = parse_line_for_tagging(record)
            if isinstance(parsed, Posting):
                found[parsed.id] = parsed
                rejected.pop(parsed.id, None)
            else:
                rejected[str(posting_id)] = parsed.describe()
    return CorpusLookup(found, rejected)


def requirement_map(skills: Mapping[str, Requirement], keep: Mapping[str, str]) -> dict[str, str]:
    """Skill -> requirement value, renamed through ``keep`` (name -> core name) and limited to its keys.

    >>> requirement_map({"Python": Requirement.REQUIRED, "Julia": Requirement.PREFERRED}, {"Python": "Python"})
    {'Python': 'required'}
    """
    out: dict[str, str] = {}
    for name, requirement in skills.items():
        if name in keep and out.get(keep[name]) != Requirement.REQUIRED.value:  # two names, one core: required wins
            out[keep[name]] = requirement.value
    return out
