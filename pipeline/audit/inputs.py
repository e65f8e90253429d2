"""The job description to audit, from a file (text, Markdown or HTML), a URL, or text read from standard input.

- Plain text and Markdown: the first non-empty line is the title (a leading "#" is dropped) and the rest the
  description; with an explicit ``title`` the whole text is the description.
- HTML (a saved career page, or a page fetched from a URL): schema.org ``JobPosting`` data (JSON-LD or microdata)
  when the page has it, else the page's readable text (``pipeline.sources.jsonld``); an explicit ``title``
  replaces the page's.
- URLs are fetched with the project's HttpClient (timeouts, retries, robots.txt, size cap).

Every failure is an ``AuditInputError`` whose message names what was wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.http import FetchError, HttpClient
from pipeline.normalize import clean_title, html_to_text
from pipeline.sources.common import build_posting
from pipeline.sources.jsonld import parse_jsonld

SOURCE_ID = "audit"
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_LOOKS_HTML = re.compile(r"^\s*(?:<!doctype\s+html|<html\b|<head\b|<body\b|<(?:div|p|h[1-6]|ul|main|article)\b)", re.I)


class AuditInputError(ValueError):
    """The input could not be read as a job description; the message says what was wrong."""


@dataclass(frozen=True)
class AuditInput:
    posting: Posting
    source: str
    notes: tuple[str, ...] = ()


def is_url(source: str) -> bool:
    """True for an http(s) URL.

    >>> is_url("https://jobs.example.com/1"), is_url("jd.txt"), is_url("-")
    (True, False, False)
    """
    return urlsplit(source).scheme.lower() in ("http", "https")


def _posting(record: RawRecord, *, title: str | None, description: str, source: str) -> Posting:
    built = build_posting(record, native_id="input", title=title, description_text=description, url=record.url)
    if isinstance(built, Reject):
        raise AuditInputError(f"{source}: {built.reason}")
    return built


def _from_html(record: RawRecord, *, title: str | None, source: str) -> AuditInput:
    results = parse_jsonld(record)
    postings = [r for r in results if isinstance(r, Posting)]
    notes: list[str] = []
    if not postings:
        text = html_to_text(record.payload) if record.payload.strip() else ""
        if title and text.strip():  # no title found on the page, but one was given
            return AuditInput(_posting(record, title=title, description=text, source=source), source)
        reason = results[0].reason if results and isinstance(results[0], Reject) else "no job description found"
        raise AuditInputError(f"{source}: {reason}")
    posting = postings[0]
    if len(postings) > 1:
        notes.append(f"the page holds {len(postings)} job postings; audited the first ('{posting.title}')")
    if title:
        posting = posting.model_copy(update={"title": clean_title(title)})
    return AuditInput(posting, source, tuple(notes))


def _from_text(record: RawRecord, *, title: str | None, source: str) -> AuditInput:
    text = record.payload.replace("\r\n", "\n").replace("\r", "\n")
    if title:
        return AuditInput(_posting(record, title=title, description=text, source=source), source)
    lines = text.split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    heading = lines[first].strip().lstrip("#").strip().strip("*").strip()
    body = "\n".join(lines[first + 1 :]).strip()
    if not body:
        raise AuditInputError(
            f"{source}: only a title line ('{heading[:80]}'), no description below it (the first line of a text "
            "input is its title; pass --title to use the whole text as the description)"
        )
    return AuditInput(_posting(record, title=heading, description=body, source=source), source)


def read_text(
    text: str, *, source: str, title: str | None = None, html: bool | None = None, url: str | None = None
) -> AuditInput:
    """The job description of ``text`` (``html`` None: HTML when it looks like a page)."""
    if not text.strip():
        raise AuditInputError(f"{source} is empty")
    record = RawRecord(source_id=SOURCE_ID, locator=source, payload=text, url=url)
    as_html = bool(_LOOKS_HTML.match(text)) if html is None else html
    return (_from_html if as_html else _from_text)(record, title=title, source=source)


def read_file(path: Path, *, title: str | None = None) -> AuditInput:
    """The job description of a local file; .html/.htm files are pages, anything else text or Markdown."""
    source = str(path)
    if not path.exists():
        raise AuditInputError(f"{source}: no such file")
    if path.is_dir():
        raise AuditInputError(f"{source} is a directory, not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuditInputError(f"cannot read {source}: {exc.strerror or exc}") from None
    if data.startswith(b"%PDF"):
        raise AuditInputError(f"{source} is a PDF: save the job description as text, Markdown or HTML")
    if b"\x00" in data:
        raise AuditInputError(f"{source} is not a text file (a Word document?): save it as text, Markdown or HTML")
    text = data.decode("utf-8-sig", errors="replace")
    return read_text(text, source=source, title=title, html=True if path.suffix.lower() in HTML_SUFFIXES else None)


def read_url(url: str, *, client: HttpClient, title: str | None = None) -> AuditInput:
    """The job description of a web page (robots.txt is obeyed, as for every page jobatlas fetches)."""
    try:
        response = client.get(url, html=True)
    except FetchError as exc:
        raise AuditInputError(f"cannot fetch {url}: {exc.reason}") from None
    mime = (response.content_type or "").split(";", 1)[0].strip().lower()
    text = response.text()
    if mime and "html" not in mime and not mime.startswith("text/"):
        raise AuditInputError(f"{url} answered with {mime}, not a web page or text")
    html = ("html" in mime) if mime else None  # no content type: HTML when it looks like a page
    return read_text(text, source=url, title=title, html=html, url=response.url)
