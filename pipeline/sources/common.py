"""Building normalized postings from the fields a source gives, shared by every parser."""

from __future__ import annotations

from datetime import UTC, date, datetime

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.normalize import (
    SalaryRange,
    canonical_url,
    clean_title,
    employment_type,
    html_to_text,
    parse_posted_date,
    parse_salary,
    remote_policy,
)


def posted_on(value: str | int | float | datetime | date | None) -> date | None:
    """The UTC date of an ISO-8601 string, epoch seconds (or milliseconds), datetime or date.

    >>> posted_on(1764547200000), posted_on("2026-03-16T23:30:00-04:00")
    (datetime.date(2025, 12, 1), datetime.date(2026, 3, 17))
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(seconds, tz=UTC).date()
    text = value.strip()
    if "T" in text and text[-1:] in "Z0123456789" and ("+" in text[10:] or "-" in text[10:] or text.endswith("Z")):
        return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC).date()
    return parse_posted_date(text)


def build_posting(
    record: RawRecord,
    *,
    native_id: str | None,
    title: str | None,
    description_html: str | None = None,
    description_text: str | None = None,
    company: str | None = None,
    location: str | None = None,
    salary_text: str | None = None,
    salary: SalaryRange | None = None,
    posted_at: str | int | float | datetime | date | None = None,
    url: str | None = None,
    employment: str | None = None,
    remote_hint: str | None = None,
    posting_id: str | None = None,
) -> Posting | Reject:
    """A normalized posting, or a reject naming what is missing or malformed.

    The id is ``posting_id`` when given, else ``<source_id>:<native_id>``. A structured ``salary`` from an API
    wins over parsing ``salary_text`` (which is kept as given either way).
    """
    where = f"{record.locator}" + (f" (posting {native_id})" if native_id else "")

    def reject(reason: str) -> Reject:
        return Reject(source_id=record.source_id, locator=where, reason=reason, payload=record.payload)

    if not title or not title.strip():
        return reject("no title")
    description = (description_text or "").strip()
    if not description and description_html and description_html.strip():
        description = html_to_text(description_html)
    if not description:
        return reject("no description")
    try:
        posted = posted_on(posted_at)
    except (ValueError, OverflowError, OSError):
        return reject(f"posted date {posted_at!r} is not a date")
    if salary is None:
        salary = parse_salary(salary_text)
    annual = salary.annualized() if salary else None
    cleaned = clean_title(title)
    if posting_id:
        pid = posting_id
    elif native_id:
        pid = f"{record.source_id}:{native_id}"
    else:
        return reject("no posting id")
    return Posting(
        id=pid,
        source_id=record.source_id,
        raw_hash=record.content_hash,
        title=cleaned,
        company=company.strip() if company and company.strip() else None,
        location=location.strip() if location and location.strip() else None,
        remote=remote_policy(" ".join(filter(None, [location, remote_hint])), title),
        salary_min=salary.minimum if salary else None,
        salary_max=salary.maximum if salary else None,
        salary_currency=salary.currency if salary else None,
        salary_period=salary.period if salary else None,
        salary_text=salary_text,
        salary_annual_min=annual[0] if annual else None,
        salary_annual_max=annual[1] if annual else None,
        employment_type=employment_type(employment),
        posted_on=posted,
        url=url,
        canonical_url=canonical_url(url),
        description=description,
    )
