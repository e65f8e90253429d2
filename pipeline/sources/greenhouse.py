"""Greenhouse Job Board API: ``GET https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true``.

The response is ``{"jobs": [...], "meta": {"total": N}}`` with every job on one page (no paging). ``content`` is
entity-escaped HTML (``&lt;p&gt;``): it is unescaped exactly once and then treated as HTML. ``metadata`` is a list
of custom fields ``{name, value, value_type}`` that may name the employment type, the workplace type or a salary.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import quote

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.normalize import SalaryRange
from pipeline.sources.common import build_posting
from pipeline.sources.json_fields import as_str as _str
from pipeline.sources.json_fields import json_kind as _kind
from pipeline.sources.json_fields import reject as _reject

API_ROOT = "https://boards-api.greenhouse.io/v1/boards"

_EMPLOYMENT_FIELD = re.compile(r"employment|time type|job type|commitment|contract type", re.I)
_WORKPLACE_FIELD = re.compile(r"workplace|remote|location type|work type|work model", re.I)
_SALARY_FIELD = re.compile(r"salary|compensation|pay range|pay band|base pay", re.I)
_HOURLY = re.compile(r"hour", re.I)


def greenhouse_url(token: str) -> str:
    """The jobs URL of a board, descriptions included.

    >>> greenhouse_url("acme")
    'https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true'
    """
    return f"{API_ROOT}/{quote(token, safe='')}/jobs?content=true"


def _decode(record: RawRecord) -> Any:
    """The decoded payload, or a Reject saying why it is not JSON."""
    try:
        return json.loads(record.payload)
    except json.JSONDecodeError as exc:
        hint = " (the payload looks like HTML)" if record.payload.lstrip().startswith("<") else ""
        return _reject(record, f"invalid JSON: {exc.msg} (line {exc.lineno} column {exc.colno}){hint}")


def _metadata_text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, list):
        parts = [item.strip() for item in value if isinstance(item, str) and item.strip()]
        return ", ".join(parts) or None
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


def _salary_from_value(name: str, value: Any) -> SalaryRange | None:
    """A currency or currency_range metadata value: ``{"min_value", "max_value", "unit"}`` or ``{"amount", "unit"}``."""
    if not isinstance(value, dict):
        return None
    low = _number(value.get("min_value", value.get("amount")))
    high = _number(value.get("max_value", value.get("amount")))
    low = high if low is None else low
    high = low if high is None else high
    if low is None or high is None:
        return None
    unit = value.get("unit")
    return SalaryRange(
        minimum=min(low, high),
        maximum=max(low, high),
        currency=unit.upper() if isinstance(unit, str) and unit.strip() else None,
        period="hour" if _HOURLY.search(name) else "year",
    )


def _from_metadata(metadata: Any) -> tuple[str | None, str | None, str | None, SalaryRange | None]:
    """(employment, workplace, salary text, structured salary) from a job's ``metadata`` list."""
    employment = workplace = salary_text = None
    salary: SalaryRange | None = None
    for item in metadata if isinstance(metadata, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        name, value = item["name"], item.get("value")
        if _SALARY_FIELD.search(name) or item.get("value_type") in ("currency", "currency_range"):
            salary = salary or _salary_from_value(name, value)
            salary_text = salary_text or _metadata_text(value)
        elif _EMPLOYMENT_FIELD.search(name):
            employment = employment or _metadata_text(value)
        elif _WORKPLACE_FIELD.search(name):
            workplace = workplace or _metadata_text(value)
    return employment, workplace, salary_text, salary


def _parse_job(record: RawRecord, index: int, job: Any, company: str | None) -> Posting | Reject:
    where = f"{record.locator} (jobs[{index}])"
    if not isinstance(job, dict):
        return _reject(record, f"jobs[{index}] is {_kind(job)}, expected an object", where)
    native_id = job.get("id")
    if isinstance(native_id, bool) or not isinstance(native_id, int | str) or not str(native_id).strip():
        return _reject(record, f"jobs[{index}] has no id", where)
    content = job.get("content")
    location = job.get("location")
    employment, workplace, salary_text, salary = _from_metadata(job.get("metadata"))
    return build_posting(
        record,
        native_id=str(native_id).strip(),
        title=_str(job.get("title")),
        description_html=html.unescape(content) if isinstance(content, str) else None,
        company=_str(job.get("company_name")) or company,
        location=_str(location.get("name")) if isinstance(location, dict) else None,
        salary_text=salary_text,
        salary=salary,
        posted_at=_str(job.get("first_published")) or _str(job.get("updated_at")),
        url=_str(job.get("absolute_url")),
        employment=employment,
        remote_hint=workplace,
    )


def parse_greenhouse(record: RawRecord, *, company: str | None = None) -> list[Posting | Reject]:
    """Postings of one board response; ``company`` names the board's company when a job has no ``company_name``."""
    data = _decode(record)
    if isinstance(data, Reject):
        return [data]
    if not isinstance(data, dict):
        return [_reject(record, f"expected an object with 'jobs', got {_kind(data)}")]
    if not isinstance(data.get("jobs"), list):
        error = data.get("error") or data.get("message")
        detail = f" (error: {error})" if error else ""
        return [_reject(record, f"expected an object with a 'jobs' list, got keys {sorted(data)}{detail}")]
    return [_parse_job(record, index, job, company) for index, job in enumerate(data["jobs"])]
