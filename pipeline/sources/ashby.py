"""Ashby Posting API: ``GET https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true``.

The response is ``{"apiVersion": "1", "jobs": [...]}`` with every job on one page. Jobs with ``isListed: false``
are skipped (not rejected). The salary comes from ``compensation.summaryComponents`` (``compensationType``
"Salary", ``interval`` "1 YEAR" ...), falling back to ``compensationTierSummary``; nothing is taken when the
board sets ``shouldDisplayCompensationOnJobPostings: false``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.normalize import SalaryRange
from pipeline.sources.common import build_posting
from pipeline.sources.json_fields import as_list as _list
from pipeline.sources.json_fields import as_number as _number
from pipeline.sources.json_fields import as_str as _str
from pipeline.sources.json_fields import decode_json
from pipeline.sources.json_fields import json_kind as _kind
from pipeline.sources.json_fields import reject as _reject

API_ROOT = "https://api.ashbyhq.com/posting-api/job-board"
_INTERVALS = {"1 YEAR": "year", "1 MONTH": "month", "1 WEEK": "week", "1 DAY": "day", "1 HOUR": "hour"}


def ashby_url(board: str) -> str:
    """The job-board URL with compensation included.

    >>> ashby_url("acme")
    'https://api.ashbyhq.com/posting-api/job-board/acme?includeCompensation=true'
    """
    return f"{API_ROOT}/{quote(board, safe='')}?includeCompensation=true"


def _compensation(job: dict[str, Any]) -> tuple[str | None, SalaryRange | None]:
    """(salary text, structured salary) of a job, honouring ``shouldDisplayCompensationOnJobPostings``."""
    comp = job.get("compensation")
    if job.get("shouldDisplayCompensationOnJobPostings") is False or not isinstance(comp, dict):
        return None, None
    text = _str(comp.get("compensationTierSummary")) or _str(comp.get("scrapeableCompensationSalarySummary"))
    for part in _list(comp.get("summaryComponents")):
        if not isinstance(part, dict) or part.get("compensationType") != "Salary":
            continue
        low, high = _number(part.get("minValue")), _number(part.get("maxValue"))
        low = high if low is None else low
        high = low if high is None else high
        period = _INTERVALS.get(str(part.get("interval")).upper())
        if low is not None and high is not None and period and high > 0:
            return text, SalaryRange(min(low, high), max(low, high), _str(part.get("currencyCode")), period)
    return text, None


def _address(value: Any) -> str | None:
    postal = value.get("postalAddress") if isinstance(value, dict) else None
    if not isinstance(postal, dict):
        return None
    keys = ("addressLocality", "addressRegion", "addressCountry")
    return ", ".join(p for p in (_str(postal.get(k)) for k in keys) if p) or None


def _location(job: dict[str, Any]) -> str | None:
    places = [_str(job.get("location")) or _address(job.get("address"))]
    for extra in _list(job.get("secondaryLocations")):
        if isinstance(extra, dict):
            places.append(_str(extra.get("location")) or _address(extra.get("address")))
    unique = list(dict.fromkeys(p.strip() for p in places if p))
    return "; ".join(unique) or None


def _remote_hint(job: dict[str, Any]) -> str | None:
    workplace = _str(job.get("workplaceType"))
    if workplace:
        return {"onsite": "onsite", "hybrid": "hybrid", "remote": "remote"}.get(workplace.lower())
    return "remote" if job.get("isRemote") is True else None


def _parse_job(record: RawRecord, index: int, job: dict[str, Any], company: str | None) -> Posting | Reject:
    native_id = _str(job.get("id"))
    if native_id is None:
        return _reject(record, f"jobs[{index}] has no id", f"{record.locator} (jobs[{index}])")
    salary_text, salary = _compensation(job)
    return build_posting(
        record,
        native_id=native_id,
        title=_str(job.get("title")),
        description_html=_str(job.get("descriptionHtml")),
        description_text=None if _str(job.get("descriptionHtml")) else _str(job.get("descriptionPlain")),
        company=company,
        location=_location(job),
        salary_text=salary_text,
        salary=salary,
        posted_at=_str(job.get("publishedAt")),
        url=_str(job.get("jobUrl")) or _str(job.get("applyUrl")),
        employment=_str(job.get("employmentType")),
        remote_hint=_remote_hint(job),
    )


def parse_ashby(record: RawRecord, *, company: str | None = None) -> list[Posting | Reject]:
    """Listed postings of one Ashby job board; ``company`` is the board's company (jobs do not name it)."""
    data = decode_json(record)
    if isinstance(data, Reject):
        return [data]
    if not isinstance(data, dict):
        return [_reject(record, f"expected an object with 'jobs', got {_kind(data)}")]
    if not isinstance(data.get("jobs"), list):
        return [_reject(record, f"expected an object with a 'jobs' list, got keys {sorted(data)}")]
    results: list[Posting | Reject] = []
    for index, job in enumerate(data["jobs"]):
        if not isinstance(job, dict):
            where = f"{record.locator} (jobs[{index}])"
            results.append(_reject(record, f"jobs[{index}] is {_kind(job)}, expected an object", where))
        elif job.get("isListed") is not False:
            results.append(_parse_job(record, index, job, company))
    return results
