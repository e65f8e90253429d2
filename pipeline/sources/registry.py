"""The curated list of sources to follow (``data/sources.yaml``): load, select and add entries.

Each entry names a kind of source and what that kind needs (an ATS board token, a URL, a file path). Adding an
entry keeps the file's comments and order (ruamel.yaml round trip).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from ruamel.yaml import YAML

SourceKind = Literal[
    "jsonl_file",
    "local_files",
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "remoteok",
    "hn_whoishiring",
    "career_page",
]
BOARD_KINDS = frozenset({"greenhouse", "lever", "ashby", "smartrecruiters"})
FILE_KINDS = frozenset({"jsonl_file", "local_files"})
SELECTIONS = ("offline", "live", "all")


class SourceEntry(BaseModel):
    """One source to follow."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: SourceKind
    company: str | None = None
    board: str | None = None
    url: str | None = None
    path: str | None = None
    enabled: bool = True

    @model_validator(mode="after")
    def _check(self) -> SourceEntry:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.:-]*", self.id):
            raise ValueError(f"source id {self.id!r}: use lower-case letters, digits and . _ : -")
        if self.kind in BOARD_KINDS and not self.board:
            raise ValueError(f"source {self.id!r}: a {self.kind} source needs `board`")
        if self.kind == "career_page" and not self.url:
            raise ValueError(f"source {self.id!r}: a career_page source needs `url`")
        if self.kind in FILE_KINDS and not self.path:
            raise ValueError(f"source {self.id!r}: a {self.kind} source needs `path`")
        return self

    @property
    def live(self) -> bool:
        """True when reading the source needs the network."""
        return self.kind not in FILE_KINDS


class RegistryError(ValueError):
    """sources.yaml is unreadable or invalid; the message names the file and the entry."""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_registry(path: Path) -> list[SourceEntry]:
    """Every entry of ``sources.yaml``; raises RegistryError naming the file and the bad entry."""
    try:
        data = _yaml().load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read {path}: {exc.strerror}") from exc
    except Exception as exc:  # ruamel raises several unrelated error types on bad YAML
        raise RegistryError(f"{path}: invalid YAML: {exc}") from exc
    items = (data or {}).get("sources") or []
    entries: list[SourceEntry] = []
    for number, item in enumerate(items, start=1):
        try:
            entries.append(SourceEntry.model_validate(dict(item)))
        except (ValidationError, TypeError, ValueError) as exc:
            raise RegistryError(f"{path}: source #{number}: {exc}") from exc
    duplicates = sorted({e.id for e in entries if sum(1 for o in entries if o.id == e.id) > 1})
    if duplicates:
        raise RegistryError(f"{path}: duplicate source ids: {', '.join(duplicates)}")
    return entries


def select(entries: Sequence[SourceEntry], selection: str) -> list[SourceEntry]:
    """Enabled entries for ``offline`` (no network), ``live``, ``all``, or a comma-separated list of ids
    (which may name disabled entries). Raises RegistryError for an unknown id.

    >>> entries = [SourceEntry(id="sample", kind="jsonl_file", path="s.jsonl"),
    ...            SourceEntry(id="greenhouse:acme", kind="greenhouse", board="acme")]
    >>> [e.id for e in select(entries, "offline")], [e.id for e in select(entries, "live")]
    (['sample'], ['greenhouse:acme'])
    """
    enabled = [e for e in entries if e.enabled]
    if selection == "all":
        return enabled
    if selection == "offline":
        return [e for e in enabled if not e.live]
    if selection == "live":
        return [e for e in enabled if e.live]
    wanted = [part.strip() for part in selection.split(",") if part.strip()]
    known = {e.id: e for e in entries}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        raise RegistryError(f"unknown source ids: {', '.join(unknown)} (see `jobatlas sources list`)")
    return [known[w] for w in wanted]


def add_entry(path: Path, entry: SourceEntry) -> None:
    """Append an entry to ``sources.yaml``, keeping comments; refuses a duplicate id."""
    if entry.id in {e.id for e in load_registry(path)}:
        raise RegistryError(f"{path}: a source with id {entry.id!r} already exists")
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    data["sources"].append(entry.model_dump(exclude_defaults=True, exclude_none=True))
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def default_id(kind: str, board: str | None = None, url: str | None = None) -> str:
    """The conventional id of a new source.

    >>> default_id("greenhouse", board="Acme"), default_id("career_page", url="https://jobs.example.com/ai/1")
    ('greenhouse:acme', 'career_page:jobs-example-com-ai-1')
    """
    if board:
        return f"{kind}:{board.lower()}"
    if url:
        slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"^https?://", "", url.lower())).strip("-")
        return f"{kind}:{slug[:80]}"
    return kind
