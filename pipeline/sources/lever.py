"""Lever Postings API: ``GET https://api.lever.co/v0/postings/{site}?mode=json&skip=N&limit=M``.

The response is a JSON list of postings (``id``, ``text`` = title, ``categories``, ``workplaceType``,
``salaryRange``, ``description``, ``lists``, ``additional``, ``hostedUrl``, ``createdAt`` in epoch ms). Lever pages
with ``skip``/``limit``: a page shorter than ``limit`` is the last one. The description is rebuilt from
``description``, then each of ``lists`` as a heading line followed by its bullet items, then ``additional``, so
the requirements sections survive.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.normalize import SalaryRange
from pipeline.sources.common import build_posting
from pipeline.sources.json_fields import as_dict as _obj
from pipeline.sources.json_fields import as_list as _list
from pipeline.sources.json_fields import as_number as _number
from pipeline.sources.json_fields import as_str as _str
from pipeline.sources.json_fields import decode_json
from pipeline.sources.json_fields import json_kind as _kind
from pipeline.sources.json_fields import reject as _reject

API_ROOT = "https://api.lever.co/v0/postings"
_INTERVALS = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}
_WORKPLACE = {"remote": "remote", "hybrid": "hybrid", "on-site": "on-site", "onsite": "on-site"}


def lever_url(site: str, skip: int = 0, limit: int = 100) -> str:
    """One page of a site's postings.

    >>> lever_url("acme", 200, 100)
    'https://api.lever.co/v0/postings/acme?mode=json&skip=200&limit=100'
    """
    return f"{API_ROOT}/{quote(site, safe='')}?mode=json&skip={skip}&limit={limit}"


def lever_next_skip(page_len: int, skip: int, limit: int) -> int | None:
    """The ``skip`` of the next page, or None when this page was the last (shorter than ``limit``).

    >>> lever_next_skip(100, 0, 100), lever_next_skip(37, 100, 100)
    (100, None)
    """
    if limit <= 0 or page_len < limit:
        return None
    return skip + page_len


def lever_page_length(record: RawRecord) -> int:
    """The number of postings on a fetched page (0 when it is not a JSON list), for ``lever_next_skip``."""
    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError:
        return 0
    return len(data) if isinstance(data, list) else 0


def _salary(value: Any) -> SalaryRange | None:
    """``salaryRange {min, max, currency, interval}``; None when it has no amount or an unknown interval."""
    if not isinstance(value, dict):
        return None
    low, high = _number(value.get("min")), _number(value.get("max"))
    low = high if low is None else low
    high = low if high is None else high
    period = _INTERVALS.get(str(value.get("interval")))
    if low is None or high is None or period is None or high <= 0:
        return None
    return SalaryRange(min(low, high), max(low, high), _str(value.get("currency")), period)


def _description_html(posting: dict[str, Any]) -> str:
    """description + one headed bullet list per ``lists`` entry + additional, as one HTML document."""
    parts = [_str(posting.get("description")) or html.escape(_str(posting.get("descriptionPlain")) or "")]
    for section in _list(posting.get("lists")):
        if not isinstance(section, dict):
            continue
        heading, items = _str(section.get("text")), _str(section.get("content"))
        if heading:
            parts.append(f"<h3>{html.escape(heading)}</h3>")
        if items:
            parts.append(f"<ul>{items}</ul>")
    parts.append(_str(posting.get("additional")) or html.escape(_str(posting.get("additionalPlain")) or ""))
    return "\n".join(part for part in parts if part)


def _location(categories: dict[str, Any]) -> str | None:
    places = [p.strip() for p in _list(categories.get("allLocations")) if isinstance(p, str) and p.strip()]
    if len(places) > 1:
        return "; ".join(places)
    return _str(categories.get("location")) or (places[0] if places else None)


def _parse_posting(record: RawRecord, index: int, posting: Any, company: str | None) -> Posting | Reject:
    where = f"{record.locator} (postings[{index}])"
    if not isinstance(posting, dict):
        return _reject(record, f"postings[{index}] is {_kind(posting)}, expected an object", where)
    native_id = _str(posting.get("id"))
    if native_id is None:
        return _reject(record, f"postings[{index}] has no id", where)
    categories = _obj(posting.get("categories"))
    created = posting.get("createdAt")
    return build_posting(
        record,
        native_id=native_id,
        title=_str(posting.get("text")),
        description_html=_description_html(posting),
        company=company,
        location=_location(categories),
        salary_text=(_str(posting.get("salaryDescriptionPlain")) or "").strip() or None,
        salary=_salary(posting.get("salaryRange")),
        posted_at=created if isinstance(created, int | float) and not isinstance(created, bool) else None,
        url=_str(posting.get("hostedUrl")),
        employment=_str(categories.get("commitment")),
        remote_hint=_WORKPLACE.get(str(posting.get("workplaceType")).lower()),
    )


def parse_lever(record: RawRecord, *, company: str | None = None) -> list[Posting | Reject]:
    """Postings of one Lever page; ``company`` is the site's company (Lever postings do not name it)."""
    data = decode_json(record)
    if isinstance(data, Reject):
        return [data]
    if not isinstance(data, list):
        error = data.get("error") if isinstance(data, dict) else None
        detail = f" (error: {error})" if error else ""
        return [_reject(record, f"expected a list of postings, got {_kind(data)}{detail}")]
    return [_parse_posting(record, index, posting, company) for index, posting in enumerate(data)]
