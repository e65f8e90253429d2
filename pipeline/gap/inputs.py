"""The user's skills, mapped onto the taxonomy: from a list of names ("python, sql, k8s") or from a resume (plain
text, Markdown or PDF) read by the same extractor as the postings.

- A list is split at commas, semicolons and line breaks; each name is looked up case-insensitively among the
  skills' names, aliases and exact forms. A name that matches none is kept as unknown, with the closest taxonomy
  names (``difflib``), and the rest of the list still counts.
- A resume counts every skill the extractor accepts anywhere in it (required or preferred does not apply). A PDF
  is read with pypdf; one without a text layer (a scan) is refused with a message saying so.

Every failure is a ``GapInputError`` whose message names what was wrong.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.extraction.extractor import Extractor, prepare_description
from pipeline.extraction.taxonomy import Taxonomy

MAX_SUGGESTIONS = 3
_SEPARATORS = re.compile(r"[,;\n]+")


class GapInputError(ValueError):
    """The user's skills could not be read; the message says what was wrong."""


@dataclass(frozen=True)
class UnknownSkill:
    name: str  # as the user wrote it
    closest: tuple[str, ...]  # the closest taxonomy names, best first (may be empty)


@dataclass(frozen=True)
class UserSkills:
    source: str  # "--skills" or the resume's path
    skills: tuple[str, ...]  # canonical taxonomy names, in the order first given or found
    unknown: tuple[UnknownSkill, ...] = ()
    evidence: dict[str, str] | None = None  # resume: skill -> the text that names it


def _forms(taxonomy: Taxonomy) -> dict[str, str]:
    """Lower-cased surface form -> canonical name: names first, then aliases, then exact forms."""
    forms: dict[str, str] = {}
    for skill in taxonomy.skills:
        forms.setdefault(skill.name.lower(), skill.name)
    for skill in taxonomy.skills:
        for alias in skill.aliases:
            forms.setdefault(alias, skill.name)
    for skill in taxonomy.skills:
        for exact in skill.exact:
            forms.setdefault(exact.lower(), skill.name)
    return forms


def closest_names(name: str, taxonomy: Taxonomy, *, most: int = MAX_SUGGESTIONS) -> tuple[str, ...]:
    """The taxonomy names whose name or alias reads closest to ``name`` (difflib ratio 0.6 or more)."""
    forms = _forms(taxonomy)
    matches = difflib.get_close_matches(name.lower(), list(forms), n=most * 4, cutoff=0.6)
    return tuple(dict.fromkeys(forms[m] for m in matches))[:most]


def parse_skill_list(text: str, taxonomy: Taxonomy) -> UserSkills:
    """The skills of a comma-separated list; unknown names keep their closest taxonomy names.

    Raises GapInputError when the list names nothing at all."""
    names = [" ".join(part.split()) for part in _SEPARATORS.split(text)]
    names = [name for name in names if name]
    if not names:
        raise GapInputError("--skills is empty: give skill names separated by commas, e.g. 'python, sql, docker'")
    forms = _forms(taxonomy)
    found: list[str] = []
    unknown: list[UnknownSkill] = []
    for name in names:
        canonical = forms.get(name.lower())
        if canonical is not None:
            found.append(canonical)
        elif name.lower() not in {u.name.lower() for u in unknown}:
            unknown.append(UnknownSkill(name, closest_names(name, taxonomy)))
    return UserSkills(source="--skills", skills=tuple(dict.fromkeys(found)), unknown=tuple(unknown))


def skills_in_text(text: str, extractor: Extractor, *, source: str) -> UserSkills:
    """Every skill the extractor accepts in ``text``, in order of first mention, with that mention as evidence."""
    ready = prepare_description(text)
    if ready.skipped is not None:
        raise GapInputError(f"{source}: cannot be read for skills: {ready.skipped}")
    doc = extractor.nlp(ready.text)
    evidence: dict[str, str] = {}
    for span in sorted(doc.spans["skills"], key=lambda s: (s.start_char, s.end_char)):
        evidence.setdefault(span.label_, span.text)
    return UserSkills(source=source, skills=tuple(evidence), evidence=evidence)


def pdf_text(data: bytes, *, source: str) -> str:
    """The text of a PDF (pypdf); raises GapInputError for an unreadable PDF or one without a text layer."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise GapInputError(f"{source}: not a readable PDF ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise GapInputError(
            f"{source}: the PDF has no text layer ({len(pages)} page(s) of images, e.g. a scan): export the resume "
            "as text or run OCR on it first"
        )
    return text


def read_resume(path: Path, extractor: Extractor) -> UserSkills:
    """The skills of a resume file: plain text, Markdown or PDF."""
    source = str(path)
    if not path.exists():
        raise GapInputError(f"{source}: no such file")
    if path.is_dir():
        raise GapInputError(f"{source} is a directory, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GapInputError(f"cannot read {source}: {exc.strerror or exc}") from None
    if not data.strip():
        raise GapInputError(f"{source} is empty")
    if data.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
        text = pdf_text(data, source=source)
    elif b"\x00" in data:
        raise GapInputError(f"{source} is not a text file (a Word document?): save the resume as text, Markdown or PDF")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    found = skills_in_text(text, extractor, source=source)
    if not found.skills:
        raise GapInputError(f"{source}: no skill of the taxonomy found in the resume")
    return found
