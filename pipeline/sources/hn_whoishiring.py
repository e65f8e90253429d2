"""Hacker News "Ask HN: Who is hiring?" threads, read through the Algolia HN API.

Two documents are fetched: the search ``hn_search_url()`` (``{"hits": [...]}``), from which
``parse_hn_thread_search`` picks the newest "Ask HN: Who is hiring?" story, and that story's item tree
``hn_item_url(id)`` (``{"id", "title", "children": [...]}``), parsed by ``parse_hn_thread``.

Only top-level comments (direct children of the story) are postings. Comments that are not job posts are
**skipped without a reject**: deleted or empty ones, ``[flagged]``/``[dead]`` ones, comments whose first line has
no ``|`` (meta comments and replies) and "SEEKING WORK"/"SEEKING FREELANCER" posts. A job post whose header and
body name no role is rejected ("header line names no role: ...").

The header line ``Company | Role | Location | REMOTE | $salary | URL`` is parsed heuristically, segments in any
order: the first segment is the company unless it names a role, a work mode or an amount; role segments contain a
role word (engineer, scientist, ...); several roles in one segment ("ML Engineer, Data Engineer") or, when the
header names none, role lines in the body ("- Senior ML Engineer") give one posting each, with ids
``<comment id>-<n>``; the salary is the segment with a currency amount, else the first currency range in the text;
the location joins the segments with a work-mode word (remote, onsite, hybrid) or a place. The description is the
comment as plain text with its paragraphs kept.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.normalize import html_to_text
from pipeline.sources.common import build_posting
from pipeline.sources.json_fields import as_str as _str
from pipeline.sources.json_fields import json_kind as _kind

ALGOLIA = "https://hn.algolia.com/api/v1"
THREAD_PREFIX = "Ask HN: Who is hiring?"

_ROLE = re.compile(
    r"\b(?:engineers?|developers?|scientists?|researchers?|architects?|designers?|managers?|analysts?|leads?|"
    r"head of|directors?|cto|vp|sre|devops|devrel|interns?|recruiters?|specialists?|consultants?|administrators?|"
    r"technicians?|programmers?|generalists?|officers?|marketers?|writers?|advocates?|coordinators?|strategists?|"
    r"co-?founders?|owners?|representatives?|executives?|associates?|hackers?|operators?|devs?|swes?|sdet|qa|"
    r"experts?|leaders?|staff|postdocs?|phd|ae|pm)\b",
    re.I,
)
_WORK_MODE = re.compile(
    r"\b(?:remote|on-?site|hybrid|in[- ]office|in[- ]person|anywhere|worldwide|relocation|work from home|wfh)\b", re.I
)
_GENERIC = re.compile(r"\b(?:engineering|eng|roles|positions|openings)\b", re.I)
_PLACE = re.compile(
    r"\b(?:san francisco|bay area|silicon valley|new york|los angeles|seattle|boston|austin|chicago|denver|"
    r"miami|atlanta|toronto|vancouver|montreal|london|berlin|munich|paris|amsterdam|dublin|zurich|stockholm|"
    r"copenhagen|oslo|helsinki|lisbon|madrid|barcelona|vienna|prague|warsaw|tel aviv|bangalore|bengaluru|"
    r"singapore|tokyo|sydney|melbourne|united states|united kingdom|europe|canada|germany|france|netherlands|"
    r"spain|portugal|switzerland|sweden|india|australia|americas|latam|timezone)\b"
)
_PLACE_CODES = re.compile(r"\b(?:US|USA|UK|EU|NYC|SF|LA|DC|EMEA|APAC|[A-Z][a-z]+,? (?:[A-Z]{2}))\b")
_MONEY = re.compile(
    r"[$€£₹¥]\s?\d|\b\d[\d,.]*\s?[kKmM]?\s?(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|SGD)\b|"
    r"\b(?:USD|EUR|GBP|CAD|AUD|CHF)\s?\d|\b\d{2,3}\s?[kK]?\s?[-–—]\s?\d{2,3}\s?[kK]\b"
)
_AMOUNT = r"\d{2,3}(?:[,.]\d{3})?\s?[kK]?"
_TEXT_RANGE = re.compile(
    rf"(?:[$€£]\s?|\b(?:USD|EUR|GBP|CAD)\s?){_AMOUNT}\s*(?:-|–|—|to)\s*[$€£]?\s?{_AMOUNT}(?:\s?(?:USD|EUR|GBP|CAD)\b)?"
)
_EMPLOYMENT = re.compile(
    r"\b(?:full[- ]?time|part[- ]?time|contract(?:or)?|contract[- ]to[- ]hire|internships?|interns?|freelance|"
    r"temporary|permanent)\b",
    re.I,
)
_URLISH = re.compile(r"^(?:https?://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)+(?:/\S*)?)$", re.I)
_ROLE_SEPARATOR = re.compile(r"\s*(?:,|;|\s\+\s|\s&\s|\sand\s|\s/\s)\s*", re.I)
_SEEKING = re.compile(r"^\W*seeking (?:work|freelancer)", re.I)
_PERSONAL = re.compile(r"\b(?:we|you|our|your|us|i)\b", re.I)
_SKIPPED_TEXTS = {"[flagged]", "[dead]", "[deleted]"}


def hn_search_url() -> str:
    """Algolia search for the monthly hiring stories, newest first."""
    return f"{ALGOLIA}/search_by_date?tags=story,author_whoishiring&query=who%20is%20hiring"


def hn_item_url(item_id: int | str) -> str:
    """Algolia item tree of a story (all its comments nested).

    >>> hn_item_url(12345)
    'https://hn.algolia.com/api/v1/items/12345'
    """
    return f"{ALGOLIA}/items/{item_id}"


def hn_comment_url(item_id: int | str) -> str:
    """The comment's page on Hacker News (the posting URL)."""
    return f"https://news.ycombinator.com/item?id={item_id}"


def parse_hn_thread_search(record: RawRecord) -> int | None:
    """The id of the newest "Ask HN: Who is hiring?" story among the hits, or None (none, or unreadable)."""
    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError:
        return None
    hits = data.get("hits") if isinstance(data, dict) else None
    best: tuple[int, int] | None = None
    for hit in hits if isinstance(hits, list) else []:
        if not isinstance(hit, dict) or not str(hit.get("title") or "").startswith(THREAD_PREFIX):
            continue
        object_id, created = str(hit.get("objectID") or ""), hit.get("created_at_i")
        if object_id.isdigit() and isinstance(created, int) and (best is None or created > best[0]):
            best = (created, int(object_id))
    return best[1] if best else None


def is_search_record(record: RawRecord) -> bool:
    """True for the search response (``{"hits": [...]}``), which holds no postings."""
    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and isinstance(data.get("hits"), list)


def comment_text(comment_html: str) -> str:
    """Plain text of an HN comment, paragraphs separated by a blank line.

    >>> comment_text("Acme | ML Engineer<p>We use &#x2F;PyTorch&#x2F;.<p><a href=\\"x\\">x.example</a>")
    'Acme | ML Engineer\\n\\nWe use /PyTorch/.\\n\\nx.example'
    """
    chunks = re.split(r"</?p\s*>", comment_html, flags=re.I)
    return "\n\n".join(text for text in (html_to_text(chunk) for chunk in chunks) if text)


def _split_roles(segment: str) -> list[str]:
    """The roles of one segment: split on , ; + & and / outside parentheses when every piece names a role."""
    masked = re.sub(r"\([^()]*\)", lambda m: "\0" * len(m.group()), segment)
    bounds = [0, *(i for m in _ROLE_SEPARATOR.finditer(masked) for i in m.span()), len(segment)]
    pieces = [_clean_role(segment[a:b]) for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    pieces = [p for p in pieces if p]
    if len(pieces) > 1 and all(_ROLE.search(p) for p in pieces):
        return pieces
    return [_clean_role(segment) or segment.strip()]


def _clean_role(text: str) -> str:
    """A role without numbering, counts ("2x"), "Roles:" labels, amounts or a trailing link arrow."""
    text = re.sub(r"^\s*(?:\d+[.)]\s+|\d+\s?x\s+|(?:hiring|roles?|positions?)\s*:\s*)", "", text, flags=re.I)
    text = re.sub(r"\s*(?:\([^)]*[$€£]\s?\d[^)]*\)|[-–—]?\s*[$€£]\s?\d.*$)", "", text)
    return text.strip().rstrip("→-–—:| ").strip()


def _is_role(segment: str) -> bool:
    return bool(_ROLE.search(segment)) and len(segment.split()) <= 12


def _is_location(segment: str) -> bool:
    return bool(_WORK_MODE.search(segment) or _PLACE.search(segment.lower()) or _PLACE_CODES.search(segment))


def _body_roles(lines: list[str]) -> list[str]:
    """Role lines listed in the body ("- Senior ML Engineer"), used when the header names no role."""
    roles: list[str] = []
    for line in lines[:60]:
        bullet = re.match(r"^\s*(?:[-*•–]|>+)\s*", line)
        text = re.split(r"\s+(?:[-–—→]\s+)?\(?https?://", line[bullet.end() if bullet else 0 :])[0].split("|")[0]
        head, _, tail = text.partition(": ")
        text = _clean_role(head if tail and _ROLE.search(head) else text)
        words = text.split()
        capitalized = sum(1 for word in words if word[:1].isupper() or not word[:1].isalpha())
        if (
            _is_role(text)
            and len(words) <= 10
            and text[-1] not in ".?!"
            and not _PERSONAL.search(text)
            and (bullet or capitalized * 2 >= len(words) + 1)
        ):
            roles.extend(_split_roles(text))
    return roles[:12]


def _header_line(lines: list[str]) -> str | None:
    """The pipe-separated header: the first line, or a short company line joined to a piped second line."""
    if lines and "|" in lines[0]:
        return lines[0]
    if len(lines) > 1 and "|" in lines[1] and len(lines[0].split()) <= 4 and not _ROLE.search(lines[0]):
        return f"{lines[0]} | {lines[1]}"
    return None


def _parse_comment(record: RawRecord, comment: dict[str, Any]) -> list[Posting | Reject]:
    text = comment_text(str(comment.get("text") or ""))
    lines = [line for line in text.split("\n") if line.strip()]
    header = _header_line(lines[:2])
    if text in _SKIPPED_TEXTS or header is None or _SEEKING.match(header):
        return []
    comment_id = str(comment.get("id"))
    segments = [s.strip() for s in header.split("|") if s.strip()]
    if not segments:
        return []
    first = segments[0]
    company = None if _ROLE.search(first) or _WORK_MODE.search(first) or _MONEY.search(first) else first
    company = company if company and len(company.split()) <= 8 else None
    rest = [s for s in segments[1:] if not _URLISH.match(s)] if company else segments
    role_segments = [s for s in rest if _is_role(s)]
    money = [s for s in rest if _MONEY.search(s) and s not in role_segments] + [
        s for s in role_segments if _MONEY.search(s)
    ]
    places = [s for s in rest if s not in role_segments + money and len(s.split()) <= 12 and _is_location(s)]
    if company is None and role_segments:  # "Role | Company | Place": the first plain segment names the company
        plain = (s for s in rest if s not in role_segments + money + places and not _EMPLOYMENT.search(s))
        company = next((s for s in plain if not _URLISH.match(s) and len(s.split()) <= 6), None)
    roles = [role for s in role_segments for role in _split_roles(s)] or _body_roles(lines[1:])
    roles = roles or [_clean_role(s) for s in rest if _GENERIC.search(s) and s not in money + places][:1]
    if not roles:
        shown = header if len(header) <= 120 else header[:117] + "..."
        where = f"{record.locator} (comment {comment_id})"
        reason = f"header line names no role: {shown!r}"
        return [Reject(source_id=record.source_id, locator=where, reason=reason, payload=record.payload)]
    salary_text = re.sub(r"\s*[-–—]?\s*https?://\S+", "", money[0]) if money else None
    if salary_text is None and (found := _TEXT_RANGE.search(text)):
        salary_text = found.group()
    employment = next((m.group() for s in rest if (m := _EMPLOYMENT.search(s))), None)
    created = comment.get("created_at_i")
    return [
        build_posting(
            record,
            native_id=comment_id if len(roles) == 1 else f"{comment_id}-{number}",
            title=role,
            description_text=text,
            company=company,
            location="; ".join(places) or None,
            salary_text=salary_text,
            posted_at=created if isinstance(created, int) else _str(comment.get("created_at")),
            url=hn_comment_url(comment_id),
            employment=(found.group() if (found := _EMPLOYMENT.search(role)) else employment),
        )
        for number, role in enumerate(roles, start=1)
    ]


def parse_hn_thread(record: RawRecord) -> list[Posting | Reject]:
    """Postings of the top-level comments of one "Who is hiring?" item tree (non-job comments skipped)."""

    def reject(reason: str) -> list[Posting | Reject]:
        return [Reject(source_id=record.source_id, locator=record.locator, reason=reason, payload=record.payload)]

    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError as exc:
        hint = " (the payload looks like HTML)" if record.payload.lstrip().startswith("<") else ""
        return reject(f"invalid JSON: {exc.msg} (line {exc.lineno} column {exc.colno}){hint}")
    if not isinstance(data, dict) or not isinstance(data.get("children"), list):
        got = f"keys {sorted(data)}" if isinstance(data, dict) else _kind(data)
        return reject(f"expected an item object with a 'children' list, got {got}")
    title = data.get("title")
    if isinstance(title, str) and not title.startswith(THREAD_PREFIX):
        return reject(f"not a 'Who is hiring?' thread: {title!r}")
    results: list[Posting | Reject] = []
    for comment in data["children"]:
        if isinstance(comment, dict) and isinstance(comment.get("text"), str) and comment.get("id") is not None:
            results.extend(_parse_comment(record, comment))
    return results
