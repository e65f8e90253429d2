"""Postings files users bring, one record per file, dispatched on the extension of ``record.locator``.

- ``.jsonl``: one posting per non-blank line in the corpus schema (``parse_posting_line``), locator
  ``<file>:<line>``. A record that is already one line (locator ``<file>.jsonl:<n>``) is parsed as that line.
- ``.csv``: a header row with the same column names as the JSONL schema (``id, title, company, location,
  posted_at, salary_text, url, description_text, description_html``; others ignored, empty cells are missing
  values), locator ``<file>:<row>`` where row counts the records with the header as row 1.
- ``.html``/``.htm``: a career page saved to disk (``parse_jsonld``).
- ``.txt``/``.md``: one posting; the title is the first non-empty line (leading ``#`` removed), the description
  the rest; the id is ``<source_id>:<file stem>``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import PurePath

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.sources.common import build_posting
from pipeline.sources.jsonl_file import parse_posting_line
from pipeline.sources.jsonld import parse_jsonld

SUFFIXES = (".jsonl", ".csv", ".html", ".htm", ".txt", ".md")
_JSONL_LINE = re.compile(r"\.jsonl:\d+$", re.I)


def _line_record(record: RawRecord, locator: str, payload: str) -> RawRecord:
    return record.model_copy(update={"locator": locator, "payload": payload})


def _parse_jsonl(record: RawRecord) -> list[Posting | Reject]:
    return [
        parse_posting_line(_line_record(record, f"{record.locator}:{number}", line))
        for number, line in enumerate(record.payload.splitlines(), start=1)
        if line.strip()
    ]


def _parse_csv(record: RawRecord) -> list[Posting | Reject]:
    """Each data row as a JSON object (empty cells dropped) through the JSONL line parser."""
    reader = csv.DictReader(io.StringIO(record.payload, newline=""))
    results: list[Posting | Reject] = []
    number = 1  # the header row
    try:
        for number, row in enumerate(reader, start=2):  # number is read after the loop on a CSV error
            values = {key.strip(): value for key, value in row.items() if isinstance(key, str) and value}
            if not any(isinstance(v, str) and v.strip() for v in values.values()):
                continue
            line = json.dumps(values, ensure_ascii=False)
            results.append(parse_posting_line(_line_record(record, f"{record.locator}:{number}", line)))
    except csv.Error as exc:
        where, reason = f"{record.locator}:{number + 1}", f"invalid CSV: {exc}"
        results.append(Reject(source_id=record.source_id, locator=where, reason=reason, payload=record.payload))
    return results


def _parse_text(record: RawRecord) -> list[Posting | Reject]:
    lines = record.payload.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    title = lines[first].strip().lstrip("#").strip() if first is not None else None
    body = "\n".join(lines[first + 1 :]).strip() if first is not None else ""
    return [build_posting(record, native_id=PurePath(record.locator).stem, title=title, description_text=body)]


def parse_local_file(record: RawRecord) -> list[Posting | Reject]:
    """Postings and rejects of one local file, by extension; an unsupported extension gives one Reject."""
    if _JSONL_LINE.search(record.locator):
        return [parse_posting_line(record)]
    suffix = PurePath(record.locator).suffix.lower()
    if suffix == ".jsonl":
        return _parse_jsonl(record)
    if suffix == ".csv":
        return _parse_csv(record)
    if suffix in (".html", ".htm"):
        return parse_jsonld(record)
    if suffix in (".txt", ".md"):
        return _parse_text(record)
    kind = f"'{suffix}'" if suffix else "no extension"
    reason = f"unsupported file type {kind} (expected one of {', '.join(SUFFIXES)})"
    return [Reject(source_id=record.source_id, locator=record.locator, reason=reason, payload=record.payload)]
