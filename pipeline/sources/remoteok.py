"""RemoteOK API: ``GET https://remoteok.com/api``.

The response is a JSON list whose element 0 is the legal notice (``{"last_updated", "legal"}``), skipped; every
other element is a job (``id``, ``position``, ``company``, ``location``, ``tags``, ``description`` HTML, ``date``
ISO / ``epoch``, ``salary_min``/``salary_max`` with 0 meaning "not given", ``url``, ``apply_url``). Every job on
the board is remote. Salaries are treated as USD; a maximum under 300 is taken as an hourly rate.

Attribution rule: the API terms require linking back to the job's Remote OK URL and naming Remote OK as the
source, so every description ends with the line ``Source: Remote OK (<url>)``.

Some upstream text is UTF-8 that was decoded as Latin-1 (``â\\x80\\x99`` for ``’``); such runs are repaired.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.normalize import SalaryRange, html_to_text
from pipeline.sources.common import build_posting
from pipeline.sources.json_fields import decode_json
from pipeline.sources.json_fields import json_kind as _kind
from pipeline.sources.json_fields import reject as _reject

REMOTEOK_URL = "https://remoteok.com/api"
_MOJIBAKE = re.compile(r"[\xc2-\xf4][\x80-\xbf]{1,3}")
_EMPLOYMENT_TAGS = {
    "full time": "full time",
    "full-time": "full time",
    "part time": "part time",
    "part-time": "part time",
    "contract": "contract",
    "contractor": "contract",
    "freelance": "contract",
    "internship": "internship",
}


def remoteok_url() -> str:
    """The single API endpoint (all current jobs on one page).

    >>> remoteok_url()
    'https://remoteok.com/api'
    """
    return REMOTEOK_URL


def fix_mojibake(text: str) -> str:
    """Repair runs of UTF-8 bytes that were read as Latin-1; other text is left alone.

    >>> fix_mojibake("What You\\xe2\\x80\\x99ll Do in Gda\\xc5\\x84sk – café")
    'What You’ll Do in Gdańsk – café'
    """

    def repair(match: re.Match[str]) -> str:
        try:
            return match.group().encode("latin-1").decode("utf-8")
        except UnicodeError:
            return match.group()

    return _MOJIBAKE.sub(repair, text)


def _str(value: Any) -> str | None:
    return fix_mojibake(value) if isinstance(value, str) and value.strip() else None


def _amount(value: Any) -> float:
    if isinstance(value, bool):
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value.strip().isdigit():
        return float(value)
    return 0.0


def _salary(job: dict[str, Any]) -> tuple[str | None, SalaryRange | None]:
    low, high = _amount(job.get("salary_min")), _amount(job.get("salary_max"))
    if low <= 0 and high <= 0:
        return None, None
    low, high = low or high, high or low
    low, high = min(low, high), max(low, high)
    text = f"{low:.0f}-{high:.0f}" if low != high else f"{low:.0f}"
    return text, SalaryRange(low, high, "USD", "hour" if high < 300 else "year")


def _employment(tags: Any) -> str | None:
    names = [t.strip().lower() for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
    return next((_EMPLOYMENT_TAGS[name] for name in names if name in _EMPLOYMENT_TAGS), None)


def _parse_job(record: RawRecord, index: int, job: dict[str, Any]) -> Posting | Reject:
    raw_id = job.get("id")
    native_id = str(raw_id) if isinstance(raw_id, int) and not isinstance(raw_id, bool) else _str(raw_id)
    if native_id is None:
        return _reject(record, f"element {index} has no id", f"{record.locator} (element {index})")
    slug = _str(job.get("slug"))
    url = _str(job.get("url")) or (f"https://remoteok.com/remote-jobs/{slug}" if slug else None)
    body = html_to_text(_str(job.get("description")) or "")
    salary_text, salary = _salary(job)
    epoch = job.get("epoch")
    return build_posting(
        record,
        native_id=native_id,
        title=_str(job.get("position")),
        description_text=f"{body}\n\nSource: Remote OK ({url or 'https://remoteok.com'})" if body else None,
        company=_str(job.get("company")),
        location=_str(job.get("location")),
        salary_text=salary_text,
        salary=salary,
        posted_at=_str(job.get("date")) or (epoch if isinstance(epoch, int) and not isinstance(epoch, bool) else None),
        url=url,
        employment=_employment(job.get("tags")),
        remote_hint="remote",
    )


def parse_remoteok(record: RawRecord) -> list[Posting | Reject]:
    """Jobs of one RemoteOK API response, each description ending with the Remote OK attribution line."""
    data = decode_json(record)
    if isinstance(data, Reject):
        return [data]
    if not isinstance(data, list):
        return [_reject(record, f"expected a list of jobs, got {_kind(data)}")]
    results: list[Posting | Reject] = []
    for index, job in enumerate(data):
        if not isinstance(job, dict):
            where = f"{record.locator} (element {index})"
            results.append(_reject(record, f"element {index} is {_kind(job)}, expected an object", where))
        elif "legal" in job and "position" not in job:
            continue  # the legal notice (element 0)
        else:
            results.append(_parse_job(record, index, job))
    return results
