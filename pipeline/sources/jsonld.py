"""Career pages: schema.org ``JobPosting`` data (JSON-LD or microdata, read with extruct), else the page's text.

JobPostings are found anywhere in the structured data (inside ``@graph``, lists, ``mainEntity``). Their fields
map as Google's JobPosting guide defines them: ``baseSalary`` (MonetaryAmount with a QuantitativeValue and a
``unitText``), ``jobLocation`` (one Place or several), ``jobLocationType: TELECOMMUTE`` for remote. The native id
is ``identifier.value``, else ``url``, else a hash of the record locator, title and company.

A page without JobPosting data falls back to its readable text: title from ``og:title``, ``<h1>`` or ``<title>``;
description from ``<main>``, ``<article>`` or ``<body>`` without nav/header/footer/script/style, with headings and
bullets kept. Without a title, or with under 200 characters of text, the page is rejected.
"""

from __future__ import annotations

import html
import re
from typing import Any

import extruct
from bs4 import BeautifulSoup

from pipeline.domain import Posting, RawRecord, Reject, sha256_hex
from pipeline.normalize import SalaryRange, html_to_text
from pipeline.sources.common import build_posting

MIN_FALLBACK_CHARS = 200
_UNITS = {"HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year"}
_NOISE_TAGS = ("nav", "header", "footer", "script", "style", "noscript", "template", "svg", "form")


def _is_job_posting(item: dict[str, Any]) -> bool:
    types = item.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(n, str) and re.split(r"[/:#]", n)[-1] == "JobPosting" for n in names)


def _find_postings(items: list[Any]) -> list[dict[str, Any]]:
    """JobPosting objects anywhere in the items (``@graph``, lists, ``mainEntity``...), in document order."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = list(reversed(items))
    while stack:
        value = stack.pop()
        if isinstance(value, dict) and _is_job_posting(value):
            found.append(value)
        elif isinstance(value, dict | list):
            stack.extend(reversed(list(value.values()) if isinstance(value, dict) else value))
    return found


def _structured_data(page: str, base_url: str | None) -> tuple[list[Any], list[str]]:
    """JSON-LD and microdata items of a page, and the problems met (a bad JSON-LD block is skipped alone)."""
    items: list[Any] = []
    problems: list[str] = []
    try:
        items.extend(extruct.extract(page, base_url=base_url, syntaxes=["microdata"], uniform=True)["microdata"])
    except Exception as exc:  # extruct and lxml raise many error types on odd markup
        problems.append(f"microdata: {exc}")
    soup = BeautifulSoup(page, "html.parser")
    for number, script in enumerate(soup.find_all("script", attrs={"type": "application/ld+json"}), start=1):
        block = script.string or ""
        try:
            items.extend(
                extruct.extract(f'<script type="application/ld+json">{block}</script>', syntaxes=["json-ld"])["json-ld"]
            )
        except Exception:  # one invalid block must not hide the others
            problems.append(f"JSON-LD block {number} is not valid JSON")
    return items, problems


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str | int | float) and str(v).strip()), None)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


def _number(value: Any) -> float | None:
    text = _text(value)
    try:
        return float(text.replace(",", "")) if text else None
    except ValueError:
        return None


def _salary(value: Any) -> SalaryRange | None:
    """``baseSalary``: MonetaryAmount {currency, value: QuantitativeValue {minValue, maxValue, value, unitText}}."""
    if not isinstance(value, dict):
        return None
    amount = value.get("value")
    quantity = amount if isinstance(amount, dict) else {"value": amount}
    low = _number(quantity.get("minValue")) or _number(quantity.get("value"))
    high = _number(quantity.get("maxValue")) or _number(quantity.get("value")) or low
    low = low or high
    if low is None or high is None or high <= 0:
        return None
    unit = _text(quantity.get("unitText")) or _text(value.get("unitText"))
    period = _UNITS.get(unit.upper()) if unit else None
    currency = _text(value.get("currency")) or _text(quantity.get("currency"))
    return SalaryRange(min(low, high), max(low, high), currency, period or ("hour" if high < 300 else "year"))


def _place(value: Any) -> str | None:
    if not isinstance(value, dict):
        return _text(value)
    address = value.get("address")
    if not isinstance(address, dict):
        return _text(address) or _text(value.get("name"))
    keys = ("addressLocality", "addressRegion", "addressCountry")
    parts = [_name(address.get(key)) for key in keys]
    return ", ".join(p for p in parts if p) or _text(value.get("name"))


def _location(posting: dict[str, Any]) -> str | None:
    places = posting.get("jobLocation")
    names = [_place(p) for p in (places if isinstance(places, list) else [places])]
    if not any(names):
        required = posting.get("applicantLocationRequirements")
        names = [_name(r) for r in (required if isinstance(required, list) else [required])]
    return "; ".join(dict.fromkeys(n for n in names if n)) or None


def _employment(value: Any) -> str | None:
    values = value if isinstance(value, list) else [value]
    return next((text for text in (_text(v) for v in values) if text), None)


def _description(value: Any) -> str | None:
    text = _text(value)
    if text and "<" not in text and "&lt;" in text:  # HTML escaped once more inside the JSON
        text = html.unescape(text)
    return text


def _native_id(record: RawRecord, posting: dict[str, Any], title: str | None, company: str | None) -> str:
    identifier = posting.get("identifier")
    value = _text(identifier.get("value")) if isinstance(identifier, dict) else _text(identifier)
    return value or _text(posting.get("url")) or sha256_hex(f"{record.locator}|{title}|{company}")[:16]


def _from_posting(record: RawRecord, posting: dict[str, Any], native_id: str) -> Posting | Reject:
    location_types = posting.get("jobLocationType")
    remote = any(
        "TELECOMMUTE" in (_text(v) or "").upper()
        for v in (location_types if isinstance(location_types, list) else [location_types])
    )
    return build_posting(
        record,
        native_id=native_id,
        title=_text(posting.get("title")) or _text(posting.get("name")),
        description_html=_description(posting.get("description")),
        company=_name(posting.get("hiringOrganization")),
        location=_location(posting),
        salary=_salary(posting.get("baseSalary")),
        posted_at=_text(posting.get("datePosted")),
        url=_text(posting.get("url")) or record.url,
        employment=_employment(posting.get("employmentType")),
        remote_hint="remote" if remote else None,
    )


def _fallback(record: RawRecord, problems: list[str]) -> Posting | Reject:
    soup = BeautifulSoup(record.payload, "html.parser")
    og_title = soup.select_one('meta[property="og:title"]')
    og_site = soup.select_one('meta[property="og:site_name"]')
    heading, head_title = soup.select_one("h1"), soup.select_one("title")
    title = (
        (_text(og_title.get("content")) if og_title else None)
        or (heading.get_text(" ", strip=True) if heading else None)
        or (head_title.get_text(" ", strip=True) if head_title else None)
    )
    company = _text(og_site.get("content")) if og_site else None
    container = soup.select_one("main") or soup.select_one("article") or soup.select_one("body") or soup
    for tag in container.find_all(_NOISE_TAGS):
        tag.decompose()
    text = html_to_text(str(container))
    if not title or len(text) < MIN_FALLBACK_CHARS:
        detail = f" ({'; '.join(problems)})" if problems else ""
        reason = f"no JobPosting data and too little text{detail}"
        return Reject(source_id=record.source_id, locator=record.locator, reason=reason, payload=record.payload)
    native_id = sha256_hex(f"{record.locator}|{title}|{company}")[:16]
    return build_posting(
        record, native_id=native_id, title=title, description_text=text, company=company, url=record.url
    )


def parse_jsonld(record: RawRecord) -> list[Posting | Reject]:
    """The JobPostings of one HTML page, or one posting from its readable text, or one Reject."""
    if not record.payload.strip():
        return [Reject(source_id=record.source_id, locator=record.locator, reason="empty page", payload=record.payload)]
    items, problems = _structured_data(record.payload, record.url)
    postings = _find_postings(items)
    if not postings:
        return [_fallback(record, problems)]
    results: list[Posting | Reject] = []
    seen: dict[str, int] = {}
    for posting in postings:
        title, company = _text(posting.get("title")), _name(posting.get("hiringOrganization"))
        native_id = _native_id(record, posting, title, company)
        seen[native_id] = seen.get(native_id, 0) + 1
        results.append(
            _from_posting(record, posting, native_id if seen[native_id] == 1 else f"{native_id}-{seen[native_id]}")
        )
    return results
