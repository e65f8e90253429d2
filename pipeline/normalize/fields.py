"""Small structured fields: remote policy, employment type, posting date, canonical URL."""

from __future__ import annotations

import re
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_NOT_REMOTE = re.compile(r"\b(?:is)?remote\s*[:=]\s*(?:false|no|0)\b|\b(?:not|no|non)[\s-]+remote\b|\bremote\s+sens\w*")
_REMOTE = re.compile(
    r"(?:\b|\bis)remote\b|telecommut|\bwfh\b|\bwork(?:ing)?\s+from\s+(?:home|anywhere)\b|\bhome[\s-]based\b"
)
_ONSITE = re.compile(r"\bon[\s-]?site\b|\bin[\s-]?office\b|\bin[\s-]person\b|\boffice[\s-]based\b")


def remote_policy(location: str | None, title: str = "") -> str | None:
    """'remote', 'hybrid' or 'onsite' when the location, an API workplace hint joined to it, or the title says so.

    Hybrid wins over remote, remote over onsite. Hints as APIs give them work: ``workplaceType: remote``,
    ``TELECOMMUTE``, ``OnSite``, ``ON_SITE``, ``In office``, ``isRemote: true``.

    >>> remote_policy("Hybrid - London, UK"), remote_policy("Remote (US)"), remote_policy("Berlin")
    ('hybrid', 'remote', None)
    >>> remote_policy("Austin, TX TELECOMMUTE"), remote_policy("NYC workplaceType: OnSite")
    ('remote', 'onsite')
    """
    text = _NOT_REMOTE.sub(" ", f"{location or ''} {title}".lower().replace("_", " "))
    if "hybrid" in text:
        return "hybrid"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return None


_EMPLOYMENT_TYPES = (
    ("internship", re.compile(r"\bintern(?:ship)?s?\b|\bco-?op\b|\bapprentice|\btrainee|werkstudent", re.I)),
    ("part_time", re.compile(r"part[\s_-]?time|^\s*part\s*$|\bhalf[\s_-]?time", re.I)),
    ("contract", re.compile(r"contract|freelanc|\bc2h\b|\bc2c\b|\b1099\b", re.I)),
    ("temporary", re.compile(r"\btemp(?:orary)?\b|\bseasonal\b|per[\s_-]?diem|\bfixed[\s_-]?term\b|\bcasual\b", re.I)),
    ("full_time", re.compile(r"full[\s_-]?time|^\s*full\s*$|\bpermanent\b|\bregular\b", re.I)),
)


def employment_type(value: str | None) -> str | None:
    """'full_time', 'part_time', 'contract', 'internship' or 'temporary' for an API value or a phrase.

    Values as ATS APIs give them: FullTime, FULL_TIME, Full-time, Permanent, PART_TIME, Contractor, INTERN,
    Internship, Temporary, PER_DIEM (temporary), Fixed-term (temporary). The first match in the order above wins.

    >>> employment_type("FULL_TIME"), employment_type("Contract to hire"), employment_type(None)
    ('full_time', 'contract', None)
    >>> employment_type("Intern"), employment_type("International"), employment_type("Per diem")
    ('internship', None, 'temporary')
    """
    if not value:
        return None
    return next((name for name, pattern in _EMPLOYMENT_TYPES if pattern.search(value)), None)


_TRACKING = frozenset(
    str.split(
        "gh_src lever-source lever-origin lever-via source ref referrer referer trk trkinfo src fbclid gclid dclid"
        " msclkid mc_cid mc_eid _hsenc _hsmi igshid yclid trackingid refid"
    )
)
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def canonical_url(url: str | None) -> str | None:
    """The URL for deduplication: no tracking parameters or fragment, sorted query, lower-case scheme and host,
    no default port, no trailing "/" (except the root). Greenhouse's ``gh_jid`` is the job id and stays.
    Text that is not an http(s) URL comes back stripped.

    >>> canonical_url("HTTPS://Jobs.Example.com:443/a/1/?utm_source=x&gh_src=y&b=2&gh_jid=7#apply")
    'https://jobs.example.com/a/1?b=2&gh_jid=7'
    """
    text = (url or "").strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.netloc:
        return text
    netloc = parts.netloc.lower().removesuffix(_DEFAULT_PORTS[scheme]).removesuffix(":")
    path = parts.path.rstrip("/") or "/"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not (key.lower().removesuffix("[]") in _TRACKING or key.lower().startswith("utm_"))
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def parse_posted_date(value: str | None) -> date | None:
    """The date of an ISO-8601 date or timestamp as sources give them; None when absent.

    >>> parse_posted_date("2026-03-16T00:00:03+00:00"), parse_posted_date("2024-05-29")
    (datetime.date(2026, 3, 16), datetime.date(2024, 5, 29))

    Raises ValueError on text that is not ISO-8601.
    """
    if value is None or not value.strip():
        return None
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
