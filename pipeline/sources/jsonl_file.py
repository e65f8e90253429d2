"""Local JSONL files in the corpus schema (id, title, company, location, posted_at, salary_text, url,
description_text, description_html, ...): the bundled sample and files users bring."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from pipeline.domain import Posting, RawRecord, Reject, sha256_hex
from pipeline.normalize import clean_title, html_to_text, parse_posted_date, parse_salary, remote_policy
from pipeline.sources.base import SourceFetchError


class PostingLine(BaseModel):
    """One line of a postings JSONL file; unknown keys are allowed and ignored."""

    model_config = ConfigDict(extra="ignore")

    id: str | None = None
    title: str
    company: str | None = None
    location: str | None = None
    posted_at: str | None = None
    salary_text: str | None = None
    url: str | None = None
    description_text: str | None = None
    description_html: str | None = None

    @field_validator("title")
    @classmethod
    def _title_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value


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
    'f.jsonl:3: no description: description_text and description_html are both empty'
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
    description = (line.description_text or "").strip()
    if not description and line.description_html and line.description_html.strip():
        description = html_to_text(line.description_html)
    if not description:
        return reject("no description: description_text and description_html are both empty")
    try:
        posted_on = parse_posted_date(line.posted_at)
    except ValueError:
        return reject(f"posted_at {line.posted_at!r} is not an ISO-8601 date")
    title = clean_title(line.title)
    salary = parse_salary(line.salary_text)
    posting_id = line.id or f"{record.source_id}:{sha256_hex(f'{title}|{line.company}|{line.location}')[:16]}"
    return Posting(
        id=posting_id,
        source_id=record.source_id,
        raw_hash=record.content_hash,
        title=title,
        company=line.company.strip() if line.company else None,
        location=line.location.strip() if line.location else None,
        remote=remote_policy(line.location, title),
        salary_min=salary.minimum if salary else None,
        salary_max=salary.maximum if salary else None,
        salary_currency=salary.currency if salary else None,
        salary_period=salary.period if salary else None,
        salary_text=line.salary_text,
        posted_on=posted_on,
        url=line.url,
        description=description,
    )


@dataclass(frozen=True)
class JsonlFileSource:
    """Postings from a local JSONL file, one posting per line."""

    path: Path
    source_id: str
    kind: str = "jsonl_file"

    @property
    def name(self) -> str:
        return str(self.path)

    def fetch(self) -> Iterator[RawRecord]:
        """Yield each non-blank line with its ``file:line`` locator."""
        try:
            handle = self.path.open(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise SourceFetchError(f"cannot read postings file {self.path}: {exc.strerror}") from exc
        with handle:
            for number, line in enumerate(handle, start=1):
                text = line.rstrip("\r\n")
                if text.strip():
                    yield RawRecord(source_id=self.source_id, locator=f"{self.path}:{number}", payload=text)

    def parse(self, record: RawRecord) -> Posting | Reject:
        return parse_posting_line(record)


def sample_source(path: Path) -> JsonlFileSource:
    """The bundled sample postings."""
    return JsonlFileSource(path=path, source_id="sample")


def file_source(path: Path) -> JsonlFileSource:
    """A user's own postings file; its source id is derived from the file name."""
    return JsonlFileSource(path=path, source_id=f"file:{path.stem}")
