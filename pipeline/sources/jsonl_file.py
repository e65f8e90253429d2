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
    title = clean_title(line.title or "")
    fallback_id = f"{record.source_id}:{sha256_hex(f'{title}|{line.company}|{line.location}')[:16]}"
    return build_posting(
        record,
        native_id=None,
        posting_id=line.id or fallback_id,
        title=line.title,
        description_text=line.description_text,
        description_html=line.description_html,
        company=line.company,
        location=line.location,
        salary_text=line.salary_text,
        posted_at=line.posted_at,
        url=line.url,
    )
