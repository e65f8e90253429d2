"""Local JSONL files in the corpus schema (id, title, company, location, posted_at, salary_text, url,
description_text, description_html, ...): the bundled sample and files users bring."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, ValidationError

from pipeline.domain import Posting, RawRecord, Reject, sha256_hex
from pipeline.normalize import clean_title
from pipeline.sources.common import build_posting


class PostingLine(BaseModel):
    """One line of a postings JSONL file; unknown keys are allowed and ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    title: str | None = None  # required, but a missing or blank one is rejected as "no title" downstream
    company: str | None = None
    location: str | None = None
    posted_at: str | None = None
    salary_text: str | None = None
    url: str | None = None
    description_text: str | None = None
    description_html: str | None = None


def _validation_reason(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "line"
        if item["type"] == "missing":
            parts.append(f"{field} is missing")
        else:
            parts.append(f"{field}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _fallback_id(record: RawRecord, line: PostingLine) -> str:
    """The id of a line without one: a hash of its cleaned title, company and location."""
    title = clean_title(line.title or "")
    return f"{record.source_id}:{sha256_hex(f'{title}|{line.company}|{line.location}')[:16]}"


def parse_posting_line(record: RawRecord) -> Posting | Reject:
    """Turn one JSONL line into a normalized posting, or a reject that says what is wrong.

    >>> rec = RawRecord(source_id="f", locator="f.jsonl:3", payload='{"title": "ML Engineer"}')
    >>> parse_posting_line(rec).describe()
    'f.jsonl:3: no description'
    """

    def reject(reason: str) -> Reject:
        return Reject(source_id=record.source_id, locator=record.locator, reason=reason, payload=record.payload)

    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError as exc:
        return reject(f"invalid JSON: {exc.msg} (column {exc.colno})")
    if not isinstance(data, dict):
        return reject(f"expected a JSON object, got {type(data).__name__}")
    try:
        line = PostingLine.model_validate(data)
    except ValidationError as exc:
        return reject(_validation_reason(exc))
    return build_posting(
        record,
        native_id=None,
        posting_id=line.id or _fallback_id(record, line),
        title=line.title,
        description_text=line.description_text,
        description_html=line.description_html,
        company=line.company,
        location=line.location,
        salary_text=line.salary_text,
        posted_at=line.posted_at,
        url=line.url,
    )


def parse_line_for_tagging(record: RawRecord) -> Posting | Reject:
    """Like :func:`parse_posting_line`, but a posting without a title (an HN header that names no role) is kept
    with an empty title so it can still be tagged from its description; any other problem stays a reject.
    ``jobatlas extract`` and ``jobatlas eval`` read postings this way (ingest still quarantines untitled ones).

    >>> rec = RawRecord(source_id="f", locator="f.jsonl:1", payload='{"id": "a", "description_text": "We use Go."}')
    >>> parse_posting_line(rec).describe(), parse_line_for_tagging(rec).title
    ('f.jsonl:1: no title', '')
    """
    parsed = parse_posting_line(record)
    if not isinstance(parsed, Reject) or parsed.reason != "no title":
        return parsed
    data = json.loads(record.payload)
    data["title"] = "untitled"
    retitled = parse_posting_line(record.model_copy(update={"payload": json.dumps(data)}))
    if isinstance(retitled, Reject):
        return parsed
    return retitled.model_copy(update={"title": ""})
