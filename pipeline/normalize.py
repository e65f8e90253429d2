"""Pure normalization helpers: text from HTML, salary ranges, remote policy, dates, titles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup

_BLOCK_TAGS = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "tr", "section", "article")


def html_to_text(html: str) -> str:
    """Readable text of an HTML fragment: blocks become lines, list items become ``- `` bullets.

    >>> html_to_text("<h3>You have</h3><ul><li>Python &amp; SQL</li><li>Docker</li></ul>")
    'You have\\n- Python & SQL\\n- Docker'
    """
    soup = BeautifulSoup(html, "html.parser")
    for item in soup.find_all("li"):
        item.insert_before("\n- ")
        item.insert_after("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def clean_title(title: str) -> str:
    """Collapse runs of whitespace in a title.

    >>> clean_title("  Senior  ML\\tEngineer ")
    'Senior ML Engineer'
    """
    return " ".join(title.split())


_PERIODS_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
ANNUAL_BOUNDS = (1_000.0, 5_000_000.0)  # outside these an annualized figure is treated as a parsing accident


@dataclass(frozen=True)
class SalaryRange:
    minimum: float
    maximum: float
    currency: str | None
    period: str

    def annualized(self) -> tuple[float, float] | None:
        """(min, max) per year in the same currency, or None when implausible.

        >>> SalaryRange(50, 60, "USD", "hour").annualized()
        (104000.0, 124800.0)
        """
        factor = _PERIODS_PER_YEAR[self.period]
        low, high = float(self.minimum * factor), float(self.maximum * factor)
        if not (ANNUAL_BOUNDS[0] <= low <= high <= ANNUAL_BOUNDS[1]):
            return None
        return low, high


_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY"}
_CURRENCY_CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "INR", "SGD", "JPY", "SEK", "NOK", "DKK", "PLN")
_AMOUNT = r"(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)\s*([kKmM])?"
_RANGE_RE = re.compile(_AMOUNT + r"\s*(?:-|–|—|to)\s*[$€£₹¥]?\s*(?:[A-Z]{3}\s*)?" + _AMOUNT)
_SINGLE_RE = re.compile(_AMOUNT)
_PERIOD_WORDS = (
    (re.compile(r"\b(hour|hr|hourly)\b", re.I), "hour"),
    (re.compile(r"\b(day|daily)\b", re.I), "day"),
    (re.compile(r"\b(month|monthly|mo)\b", re.I), "month"),
    (re.compile(r"\b(year|yr|annum|annual|annually|pa)\b", re.I), "year"),
)


def _amount(number: str, suffix: str | None) -> float:
    digits = re.sub(r"[,\s]", "", number)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", digits):  # European thousands separator: 70.000
        digits = digits.replace(".", "")
    value = float(digits)
    if suffix in ("k", "K"):
        value *= 1_000
    elif suffix in ("m", "M"):
        value *= 1_000_000
    return value


def parse_salary(text: str | None) -> SalaryRange | None:
    """Salary range, currency and period from a free-text salary string; None when there is no amount.

    >>> parse_salary("$140k-$175k")
    SalaryRange(minimum=140000.0, maximum=175000.0, currency='USD', period='year')
    >>> parse_salary("$85 - $110 per hour")
    SalaryRange(minimum=85.0, maximum=110.0, currency='USD', period='hour')
    """
    if not text:
        return None
    match = _RANGE_RE.search(text)
    if match:
        low = _amount(match.group(1), match.group(2) or match.group(4))
        high = _amount(match.group(3), match.group(4))
    else:
        single = _SINGLE_RE.search(text)
        if not single:
            return None
        low = high = _amount(single.group(1), single.group(2))
    if low > high:
        low, high = high, low
    if low < 1_000 <= high and low * 1_000 <= high * 1.5:  # "$110 - $120,000": thousands left implicit
        low *= 1_000
    if high <= 0:
        return None
    currency = next((code for sym, code in _CURRENCY_SYMBOLS.items() if sym in text), None)
    if currency is None:
        currency = next((code for code in _CURRENCY_CODES if re.search(rf"\b{code}\b", text, re.I)), None)
    period = next((name for pattern, name in _PERIOD_WORDS if pattern.search(text)), None)
    if period is None:
        period = "hour" if high < 300 else "year"
    return SalaryRange(minimum=low, maximum=high, currency=currency, period=period)


def remote_policy(location: str | None, title: str = "") -> str | None:
    """'remote', 'hybrid' or 'onsite' when the location or title says so, else None.

    >>> remote_policy("Hybrid - London, UK"), remote_policy("Remote (US)"), remote_policy("Berlin")
    ('hybrid', 'remote', None)
    """
    text = f"{location or ''} {title}".lower()
    if "hybrid" in text:
        return "hybrid"
    if re.search(r"\bremote\b", text):
        return "remote"
    if re.search(r"\b(on-?site|in[- ]office|in[- ]person)\b", text):
        return "onsite"
    return None


_EMPLOYMENT_TYPES = (
    ("internship", re.compile(r"intern", re.I)),
    ("part_time", re.compile(r"part[\s_-]?time", re.I)),
    ("contract", re.compile(r"contract|freelance|contractor", re.I)),
    ("temporary", re.compile(r"temp(orary)?\b", re.I)),
    ("full_time", re.compile(r"full[\s_-]?time|permanent|regular", re.I)),
)


def employment_type(value: str | None) -> str | None:
    """The employment type named by an API field or a phrase.

    >>> employment_type("FULL_TIME"), employment_type("Contract to hire"), employment_type(None)
    ('full_time', 'contract', None)
    """
    if not value:
        return None
    return next((name for name, pattern in _EMPLOYMENT_TYPES if pattern.search(value)), None)


def canonical_url(url: str | None) -> str | None:
    """The URL without tracking parameters and fragment, with sorted query, for deduplication.

    >>> canonical_url("HTTPS://Jobs.Example.com/a/1?utm_source=x&gh_src=y&b=2#apply")
    'https://jobs.example.com/a/1?b=2'
    """
    if not url:
        return None
    parts = urlsplit(url.strip())
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(("utm_", "gh_", "lever-", "ref", "source"))
    )
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(query), ""))


def parse_posted_date(value: str | None) -> date | None:
    """The date of an ISO-8601 date or timestamp as sources give them; None when absent.

    >>> parse_posted_date("2026-03-16T00:00:03+00:00"), parse_posted_date("2024-05-29")
    (datetime.date(2026, 3, 16), datetime.date(2024, 5, 29))

    Raises ValueError on text that is not ISO-8601.
    """
    if value is None or not value.strip():
        return None
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
