"""SmartRecruiters Posting API, in two steps.

1. List: ``GET https://api.smartrecruiters.com/v1/companies/{company}/postings?offset=N&limit=M`` returns
   ``{"offset", "limit", "totalFound", "content": [...]}`` without descriptions; ``parse_smartrecruiters_list``
   gives the posting ids to fetch and ``smartrecruiters_next_offset`` says where the next page starts.
2. Detail: ``GET .../postings/{postingId}`` adds ``jobAd.sections`` (companyDescription, jobDescription,
   qualifications, additionalInformation, each ``{title, text}`` with HTML text); ``parse_smartrecruiters_detail``
   builds the description from the sections in that order, each under its title as a heading line.

``experienceLevel`` (e.g. ``mid_senior_level``) has no field on Posting and is not kept.
"""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import quote

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.sources.common import build_posting
from pipeline.sources.json_fields import as_dict as _obj
from pipeline.sources.json_fields import as_str as _str
from pipeline.sources.json_fields import json_kind as _kind
from pipeline.sources.json_fields import reject as _reject

API_ROOT = "https://api.smartrecruiters.com/v1/companies"
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


def smartrecruiters_list_url(company: str, offset: int = 0, limit: int = 100) -> str:
    """One page of a company's postings.

    >>> smartrecruiters_list_url("Acme", 100, 100)
    'https://api.smartrecruiters.com/v1/companies/Acme/postings?offset=100&limit=100'
    """
    return f"{API_ROOT}/{quote(company, safe='')}/postings?offset={offset}&limit={limit}"


def smartrecruiters_detail_url(company: str, posting_id: str) -> str:
    """One posting with its job ad.

    >>> smartrecruiters_detail_url("Acme", "744000012345678")
    'https://api.smartrecruiters.com/v1/companies/Acme/postings/744000012345678'
    """
    return f"{API_ROOT}/{quote(company, safe='')}/postings/{quote(posting_id, safe='')}"


def _id(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _str(value)


def _decode_object(record: RawRecord, expected: str) -> dict[str, Any] | Reject:
    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError as exc:
        hint = " (the payload looks like HTML)" if record.payload.lstrip().startswith("<") else ""
        return _reject(record, f"invalid JSON: {exc.msg} (line {exc.lineno} column {exc.colno}){hint}")
    if not isinstance(data, dict):
        return _reject(record, f"expected {expected}, got {_kind(data)}")
    return data


def _list_page(record: RawRecord) -> dict[str, Any] | Reject:
    data = _decode_object(record, "an object with 'content'")
    if isinstance(data, dict) and not isinstance(data.get("content"), list):
        return _reject(record, f"expected an object with a 'content' list, got keys {sorted(data)}")
    return data


def is_list_record(record: RawRecord) -> bool:
    """True for a list page (``{"content": [...]}``), which holds no descriptions; detail records are parsed."""
    try:
        data = json.loads(record.payload)
    except json.JSONDecodeError:
        return False
    return isinstance(data, dict) and isinstance(data.get("content"), list)


def parse_smartrecruiters_list(record: RawRecord) -> list[str] | Reject:
    """The posting ids on a list page (to fetch with ``smartrecruiters_detail_url``); elements without an id are
    skipped (they cannot be fetched). A page of the wrong shape gives one Reject."""
    page = _list_page(record)
    if isinstance(page, Reject):
        return page
    ids = (_id(item.get("id")) for item in page["content"] if isinstance(item, dict))
    return [posting_id for posting_id in ids if posting_id]


def smartrecruiters_next_offset(record: RawRecord, offset: int, limit: int) -> int | None:
    """The ``offset`` of the next list page, or None when this one was the last: it reached ``totalFound``, was
    shorter than ``limit``, or was unreadable.

    >>> page = '{"offset": 0, "limit": 2, "totalFound": 3, "content": [{"id": "1"}, {"id": "2"}]}'
    >>> smartrecruiters_next_offset(RawRecord(source_id="s", locator="u", payload=page), 0, 2)
    2
    """
    page = _list_page(record)
    if isinstance(page, Reject):
        return None
    count, total = len(page["content"]), page.get("totalFound")
    following = offset + count
    if count == 0 or count < limit or (isinstance(total, int) and following >= total):
        return None
    return following


def _location(value: Any) -> tuple[str | None, str | None]:
    """(location text, remote hint) of a ``location`` object."""
    if not isinstance(value, dict):
        return None, None
    country = _str(value.get("country"))
    parts = [_str(value.get("city")), _str(value.get("region")), country.upper() if country else None]
    text = _str(value.get("fullLocation")) or ", ".join(p for p in parts if p) or None
    if value.get("remote") is True:
        return text, "remote"
    if value.get("hybrid") is True:
        return text, "hybrid"
    if value.get("remote") is False and value.get("hybrid") is False:
        return text, "onsite"
    return text, None


def _description_html(job_ad: Any) -> str:
    sections = job_ad.get("sections") if isinstance(job_ad, dict) else None
    parts: list[str] = []
    for key in SECTIONS:
        section = sections.get(key) if isinstance(sections, dict) else None
        if not isinstance(section, dict) or not _str(section.get("text")):
            continue
        title = _str(section.get("title"))
        if title:
            parts.append(f"<h3>{html.escape(title.strip())}</h3>")
        parts.append(str(section["text"]))
    return "\n".join(parts)


def parse_smartrecruiters_detail(record: RawRecord, *, company: str | None = None) -> list[Posting | Reject]:
    """The posting of one detail response; ``company`` is used when the posting names none."""
    data = _decode_object(record, "a posting object")
    if isinstance(data, Reject):
        return [data]
    native_id = _id(data.get("id"))
    if native_id is None:
        detail = f" (message: {data['message']})" if _str(data.get("message")) else ""
        return [_reject(record, f"expected a posting object with an 'id', got keys {sorted(data)}{detail}")]
    owner = _obj(data.get("company"))
    employment = _obj(data.get("typeOfEmployment"))
    location, remote_hint = _location(data.get("location"))
    return [
        build_posting(
            record,
            native_id=native_id,
            title=_str(data.get("name")),
            description_html=_description_html(data.get("jobAd")),
            company=_str(owner.get("name")) or company,
            location=location,
            posted_at=_str(data.get("releasedDate")),
            url=_str(data.get("postingUrl")) or _str(data.get("applyUrl")),
            employment=_str(employment.get("label")) or _str(employment.get("id")),
            remote_hint=remote_hint,
        )
    ]
