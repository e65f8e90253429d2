"""Turn the model's reply into a validated :class:`~pipeline.llm.schema.Answer`, and check every skill's evidence
quote against the posting. Pure functions.

An evidence quote counts as found when, after normalisation (Unicode NFKC, case folded, curly quotes and dashes
made plain, runs of whitespace collapsed to one space, surrounding quotes, bullets and end punctuation stripped),
it occurs in the posting's title or description; a quote the model shortened with "..." is found when each of
its pieces occurs, in order. A skill whose quote is not found is dropped and counted as a hallucination.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pipeline.domain import Posting, Requirement
from pipeline.llm.schema import Answer, SkillItem

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?\s*```\s*$", re.S)
_EDGES = "\"'`*-•·>– \t.,;:"
_ELLIPSIS = re.compile(r"\.{3,}")
MAX_REPLY_CHARS = 200_000  # a longer reply is not parsed at all


def _normal_chars(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the source character it came from."""
    out: list[str] = []
    origin: list[int] = []
    space = True  # collapse leading whitespace too
    for index, char in enumerate(text):
        for piece in unicodedata.normalize("NFKC", char).translate(_PLAIN).casefold():
            if piece.isspace():
                if space:
                    continue
                piece, space = " ", True
            else:
                space = False
            out.append(piece)
            origin.append(index)
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def normalize(text: str) -> str:
    """The form quotes and postings are compared in.

    >>> normalize("  5+ Years\\u2019  experience\\n with  PyTorch ")
    "5+ years' experience with pytorch"
    """
    return _normal_chars(text)[0]


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Start and end offsets in ``text`` of the span a quote names, compared normalised; None when a piece of the
    quote is not there (an empty quote is never found).

    >>> text = "Requirements\\n- 3+ years of  Python\\n- Kubernetes is a plus"
    >>> locate("3+ years of Python", text), locate('"Kubernetes is a plus."', text)
    ((15, 34), (37, 57))
    >>> locate("Python ... Kubernetes", text), locate("Kubernetes ... Python", text), locate("...", text)
    ((28, 47), None, None)
    """
    haystack, origin = _normal_chars(text)
    pieces = [normalize(p).strip(_EDGES) for p in _ELLIPSIS.split(normalize(quote).strip(_EDGES))]
    pieces = [p for p in pieces if p]
    if not pieces:
        return None
    position, first = 0, -1
    for piece in pieces:
        found = haystack.find(piece, position)
        if found < 0:
            return None
        if first < 0:
            first = found
        position = found + len(piece)
    return origin[first], origin[position - 1] + 1


def posting_text(posting: Posting) -> str:
    """What evidence is looked for in: the title, a newline, the description."""
    return f"{posting.title}\n{posting.description}"


@dataclass(frozen=True)
class Parsed:
    """A validated answer whose skills all have evidence in the posting and a known name; with what was left
    out: ``hallucinated`` (the quote is not in the posting) and ``unknown`` (names outside the skill list)."""

    answer: Answer
    hallucinated: tuple[SkillItem, ...] = ()
    unknown: tuple[str, ...] = ()


def _json_object(text: str) -> Any:
    """The JSON value of a reply: the whole text, a fenced code block, or the outermost braces in it."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    if fenced:
        stripped = fenced.group(1).strip()
    try:
        return json.loads(stripped)
    except json.JSONDecodeError:
        start, end = stripped.find("{"), stripped.rfind("}")
        if 0 <= start < end:
            return json.loads(stripped[start : end + 1])
        raise


def reply_error(text: str | None) -> str | None:
    """Why a reply is not a valid answer (one line, for the repair request), or None when it is.

    >>> reply_error('{"level": "senior"}')
    'schema: track: Field required (and 7 more)'
    >>> reply_error("Sure! Here you go")
    'not JSON: Expecting value (line 1, column 1)'
    """
    if not text or not text.strip():
        return "empty reply"
    if len(text) > MAX_REPLY_CHARS:
        return f"reply longer than {MAX_REPLY_CHARS:,} characters"
    try:
        data = _json_object(text)
    except json.JSONDecodeError as exc:
        return f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if not isinstance(data, dict):
        return f"expected a JSON object, got {type(data).__name__}"
    try:
        Answer.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        where = ".".join(str(part) for part in first["loc"]) or "answer"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        return f"schema: {where}: {first['msg']}{more}"
    return None


def parse_answer(text: str | None) -> Answer | None:
    """The reply as an :class:`Answer`, or None when it is not JSON or breaks the schema."""
    if reply_error(text) is not None or text is None:
        return None
    return Answer.model_validate(_json_object(text))


def parse_response(text: str | None, posting: Posting, *, skill_names: Collection[str] | None = None) -> Parsed | None:
    """Parse and validate a reply for ``posting``; None on malformed or schema-violating JSON.

    Skills whose evidence quote is not in the posting are dropped (``hallucinated``); with ``skill_names``, names
    are mapped to their canonical spelling (case-insensitively) and names outside the list dropped (``unknown``).
    A skill named twice is kept once, as required if either mention is."""
    answer = parse_answer(text)
    if answer is None:
        return None
    source = posting_text(posting)
    canonical = {name.casefold(): name for name in skill_names} if skill_names is not None else None
    kept: dict[str, SkillItem] = {}
    hallucinated: list[SkillItem] = []
    unknown: list[str] = []
    for item in answer.skills:
        if locate(item.evidence, source) is None:
            hallucinated.append(item)
            continue
        name = item.name.strip()
        if canonical is not None:
            if name.casefold() not in canonical:
                unknown.append(name)
                continue
            name = canonical[name.casefold()]
        known = kept.get(name)
        if known is None or (known.requirement is Requirement.PREFERRED and item.requirement is Requirement.REQUIRED):
            kept[name] = item.model_copy(update={"name": name})
    checked = answer.model_copy(update={"skills": tuple(kept.values())})
    return Parsed(checked, tuple(hallucinated), tuple(unknown))
