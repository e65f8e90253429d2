"""Salary ranges from free text: amounts, ranges, currencies, pay periods and a plausibility check.

Rules for ambiguous text (kept here so tests and callers can point at one place):

- An amount only counts as pay when it carries a currency marker (``$``, ``€``, ``USD``, ``LPA``...), is followed
  by a pay period (``/hr``, ``per annum``, ``monthly``...), or is a *plausible bare range* (``130000-170000``,
  ``60-80``: low end at least 10, high end at most 5x the low end, not two years like ``2024-2025``, and a
  plausible annual figure once a period is inferred). A bare single number only counts when it is the whole text
  (``"30"``, as RemoteOK gives it). ``"team of 40"``, ``"5+ years"``, ``"401(k)"`` and percentages never count.
- Amounts next to funding or perk words (``Series B $50M``, ``raised``, ``ARR``, ``$10k signing bonus``,
  ``stipend``) are not pay, and neither is anything worth more than 10x the upper annual bound.
- The first amount or range that counts wins: ``"$55K-$70K + OTE $85K-$100K"`` is 55-70k.
- ``"$90-150K"`` carries the ``K`` to the low end; ``"$110 - $120,000"`` reads the low end as thousands.
- Currency: a specific marker (``C$``, ``AUD``, ``€``...) wins over a bare ``$`` anywhere in the text;
  ``$`` alone is USD; no marker at all leaves the currency None (judged as USD for plausibility).
- Period: a period word next to the amount, else ``LPA``/``lakh`` (yearly), else a period word anywhere in the text
  (not ``3 days a week``), else the size of the high end in its own currency: under 500 is hourly, under 20,000
  monthly, otherwise yearly; when that gives an implausible annual figure, the first of year, month, hour that is
  plausible is used instead (``"¥400,000"`` is monthly, ``"₹50,000"`` monthly).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

PERIODS_PER_YEAR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}
ANNUAL_BOUNDS = (5_000.0, 2_500_000.0)  # plausible annual pay in approximate USD; outside it, a parsing accident

# Approximate USD value of one unit of each currency (rounded 2024-25 rates). Only used to judge whether an
# annual figure is plausible and to infer a period; amounts are never converted. Unknown currencies count as USD.
APPROX_USD_RATES = {
    "USD": 1.0,
    "EUR": 1.08,
    "GBP": 1.27,
    "CHF": 1.12,
    "CAD": 0.73,
    "AUD": 0.66,
    "NZD": 0.60,
    "SGD": 0.74,
    "HKD": 0.128,
    "SEK": 0.095,
    "NOK": 0.094,
    "DKK": 0.145,
    "PLN": 0.25,
    "INR": 0.012,
    "JPY": 0.0067,
    "CNY": 0.14,
    "BRL": 0.19,
}


def _usd_rate(currency: str | None) -> float:
    return APPROX_USD_RATES.get((currency or "USD").upper(), 1.0)


def _plausible(low: float, high: float, period: str, currency: str | None) -> bool:
    factor = PERIODS_PER_YEAR.get(period)
    if factor is None:
        return False
    rate = _usd_rate(currency)
    return ANNUAL_BOUNDS[0] <= low * factor * rate <= high * factor * rate <= ANNUAL_BOUNDS[1]


@dataclass(frozen=True)
class SalaryRange:
    minimum: float
    maximum: float
    currency: str | None
    period: str

    def annualized(self) -> tuple[float, float] | None:
        """(min, max) per year in the same currency (2080 h, 260 d, 52 w, 12 months), or None when implausible.

        Plausible means within ``ANNUAL_BOUNDS`` once converted with the approximate ``APPROX_USD_RATES``.

        >>> SalaryRange(50, 60, "USD", "hour").annualized()
        (104000.0, 124800.0)
        >>> SalaryRange(5_000, 6_000, "JPY", "year").annualized() is None
        True
        """
        if not _plausible(self.minimum, self.maximum, self.period, self.currency):
            return None
        factor = PERIODS_PER_YEAR[self.period]
        return round(float(self.minimum) * factor, 2), round(float(self.maximum) * factor, 2)


_DOLLAR_PREFIXES = {"US": "USD", "AU": "AUD", "A": "AUD", "CA": "CAD", "C": "CAD", "NZ": "NZD", "S": "SGD"}
_DOLLAR_PREFIXES |= {"HK": "HKD", "R": "BRL", "": "USD"}
_SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "円": "JPY", "ZŁ": "PLN", "RS": "INR", "RS.": "INR"}
_SYMBOLS |= {"RMB": "CNY"}
_CODES = "USD|AUD|CAD|NZD|SGD|HKD|BRL|CHF|SEK|NOK|DKK|PLN|INR|JPY|CNY|RMB|EUR|GBP"
_CURRENCY = (
    r"(?:(?<![A-Za-z])(?:US|AU|A|CA|C|NZ|S|HK|R)\$|\$"
    rf"|(?<![A-Za-z])(?i:{_CODES})(?![A-Za-z])|(?<![A-Za-z])Rs\.?|zł|₹|¥|円|€|£)"
)
_NUMBER = (
    r"(?<![\d.,])(?:\d{1,2}(?:,\d{2})+,\d{3}"  # Indian grouping: 12,00,000
    r"|\d{1,3}(?P<sep>[,.\u00a0\u202f' ])\d{3}(?:(?P=sep)\d{3})*"  # 120,000  70.000  70 000
    r"|\d+(?:[.,]\d{1,2})?)(?!\d)"  # 150  4.5  27,50
)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "mio": 1e6, "million": 1e6, "万": 1e4}
_MULTIPLIERS |= {"lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "lpa": 1e5, "crore": 1e7, "crores": 1e7, "cr": 1e7}
_INR_MULTIPLIERS = ("lakh", "lakhs", "lac", "lacs", "lpa", "crore", "crores", "cr")
_MULT = r"(?:(?i:million|mio|mil|mn|lakhs?|lacs?|lpa|crores?|cr|k|m)(?![A-Za-z])|万)"
_TOKEN = re.compile(
    rf"(?:(?P<pre>{_CURRENCY})\s{{0,2}})?(?P<num>{_NUMBER})\s?(?P<mult>{_MULT})?(?:\s?(?P<post>{_CURRENCY}))?"
)
_CONNECTOR = re.compile(
    r"\s*(?:/\s*(?:hour|hr|h|year|yr|month|mo|day|week|wk)\s*)?(?:-|–|—|−|~|to|and|until|through|bis)\s*", re.I
)
_UNITS = {"hour": "hour", "hr": "hour", "h": "hour", "day": "day", "d": "day", "week": "week", "wk": "week"}
_UNITS |= {"w": "week", "month": "month", "mo": "month", "m": "month", "year": "year", "yr": "year", "y": "year"}
_UNITS |= {"annum": "year", "hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month"}
_UNITS |= {"yearly": "year", "annually": "year", "annual": "year", "lpa": "year", "ral": "year"}
_UNIT_IN_CONNECTOR = re.compile(r"/\s*(hour|hr|h|year|yr|month|mo|day|week|wk)\b", re.I)
_PERIOD_AFTER = re.compile(
    r"[\s)]*(?:(?:/|per|an?|each|every)\s*(?P<unit>hour|hr|day|week|wk|month|mo|year|yr|annum)\b"
    r"|(?:/|p/)\s*(?P<abbr>h|d|w|m|y)\b"
    r"|(?P<adj>hourly|daily|weekly|monthly|yearly|annually|annual|lpa|ral)\b"
    r"|(?P<pa>p\.?\s?a\b\.?)|(?P<ph>p\.?\s?h\b\.?))",
    re.I,
)
_PERIOD_ANYWHERE = re.compile(
    r"(?<![\w-])(?:(?:per|an?)\s+(?P<unit>hour|day|week|month|year|annum)\b|/\s*(?P<abbr>hour|hr|day|week|month|mo|year|yr)\b"
    r"|(?P<adj>hourly|daily|weekly|monthly|yearly|annually|annual)\b|(?P<pa>p\.a\.|lpa)(?!\w))",
    re.I,
)
_NOT_A_PERIOD_BEFORE = re.compile(r"(?:days?|hours?|hrs?|times|twice|once|weeks?|shifts?)\W*$", re.I)
_PERK = r"bonus|stipend|budget|allowance|grant|reimbursement|credits?"
_NOT_PAY_AFTER = re.compile(
    r"\s*(?:%|percent\b|\+?\s*(?:years?|yrs?|yoe)\b|(?:months|weeks|days|hours|hrs)\b"
    r"|(?:people|persons|employees|engineers|members|users|customers|clients|countries|stars|downloads)\b"
    rf"|(?:in\s+)?(?:funding|raised|round|valuation|arr|revenue|seed|series|investment)\b"
    rf"|(?:[a-z-]+\s+)?(?:{_PERK})\b)",
    re.I,
)
_NOT_PAY_BEFORE = re.compile(
    rf"\b(?:raised|raising|series\s+[a-f]|seed\s+round|funding|funded|valuation|valued\s+at|revenue|arr|{_PERK}"
    r"|backed|invest(?:ment|ed)|round\s+of|team\s+of|founded\s+in)\W*(?:of\s+|up\s+to\s+|over\s+|about\s+)?$",
    re.I,
)
_RETIREMENT_PLANS = re.compile(r"\b(?:401|403|457)\s*\(?\s*[kb]\s*\)?", re.I)
_BETWEEN = re.compile(r"between\W*$", re.I)


def _number(raw: str) -> float:
    if re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}", raw):
        return float(raw.replace(",", ""))
    if re.fullmatch(r"\d{1,3}([,.\u00a0\u202f' ])\d{3}(?:\1\d{3})*", raw):
        return float(re.sub(r"\D", "", raw))
    return float(raw.replace(",", "."))


def _marker_code(marker: str) -> str:
    upper = marker.strip().upper()
    if upper.endswith("$"):
        return _DOLLAR_PREFIXES.get(upper[:-1], "USD")
    return _SYMBOLS.get(upper, upper)


def _unit(match: re.Match[str]) -> str:
    if match.group("pa"):
        return "year"
    if "ph" in match.groupdict() and match.group("ph"):
        return "hour"
    word = next(g for g in (match.group("unit"), match.group("abbr"), match.group("adj")) if g)
    return _UNITS[word.lower()]


def _period_anywhere(text: str) -> str | None:
    for match in _PERIOD_ANYWHERE.finditer(text):
        if _NOT_A_PERIOD_BEFORE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        if re.match(rf"\s*(?:{_PERK})\b", text[match.end() :], re.I):
            continue
        return _unit(match)
    return None


def _currency_anywhere(text: str, near: int, dollar_only: bool) -> str | None:
    """The specific currency marker nearest to ``near`` (a dollar currency when ``dollar_only``), else USD for a
    bare ``$``, else None."""
    found: list[tuple[int, str]] = []
    bare_dollar = False
    for match in re.finditer(_CURRENCY, text):
        code = _marker_code(match.group(0))
        if match.group(0) == "$":
            bare_dollar = True
        elif not dollar_only or code in _DOLLAR_PREFIXES.values():
            found.append((abs(match.start() - near), code))
    if found:
        return min(found)[1]
    return "USD" if bare_dollar or dollar_only else None


def _inferred_period(low: float, high: float, currency: str | None) -> str:
    default = "hour" if high < 500 else "month" if high < 20_000 else "year"
    if _plausible(low, high, default, currency):
        return default
    return next((p for p in ("year", "month", "hour") if _plausible(low, high, p, currency)), default)


def _candidate(text: str, tokens: list[re.Match[str]]) -> SalaryRange | None:
    """The salary named by one token or a range of two tokens, or None when the rules say it is not pay."""
    first, last = tokens[0], tokens[-1]
    if _NOT_PAY_BEFORE.search(text[max(0, first.start() - 30) : first.start()]):
        return None
    if _NOT_PAY_AFTER.match(text, last.end()):
        return None
    values = [_number(t.group("num")) for t in tokens]
    mults = [(t.group("mult") or "").lower() for t in tokens]
    if len(tokens) == 2 and not mults[0] and mults[1] and values[0] < values[1]:
        mults[0] = mults[1]  # "$90-150K", "12-18 LPA"
    amounts = [v * _MULTIPLIERS.get(m, 1.0) for v, m in zip(values, mults, strict=True)]
    low, high = amounts[0], amounts[-1]
    if low < 1_000 <= high and not mults[0] and low * 1_000 <= high * 1.5:
        low *= 1_000  # "$110 - $120,000": thousands left implicit on the low end
    low, high = min(low, high), max(low, high)
    if not (low > 0 and high < 1e12 and math.isfinite(high)):
        return None
    markers = [t.group(g) for t in tokens for g in ("pre", "post") if t.group(g)]
    inr = any(m in _INR_MULTIPLIERS for m in mults)
    specific = [_marker_code(m) for m in markers if m.strip() != "$"]
    if specific:
        currency: str | None = specific[0]
    elif markers:
        currency = _currency_anywhere(text, first.start(), dollar_only=True)
    elif inr:
        currency = "INR"
    else:
        currency = _currency_anywhere(text, first.start(), dollar_only=False)
    after = _PERIOD_AFTER.match(text, last.end())
    between = _CONNECTOR.fullmatch(text, first.end(), last.start()) if len(tokens) == 2 else None
    between_unit = _UNIT_IN_CONNECTOR.search(between.group(0)) if between else None
    if after:
        period = _unit(after)
    elif between_unit:
        period = _UNITS[between_unit.group(1).lower()]
    elif "lpa" in mults:
        period = "year"
    else:
        period = _period_anywhere(text) or _inferred_period(low, high, currency)
    rate = _usd_rate(currency)
    if high * PERIODS_PER_YEAR[period] * rate > 10 * ANNUAL_BOUNDS[1]:
        return None  # "$50M": funding, not pay
    if not (markers or inr or after or between_unit) and not _bare_ok(text, tokens, low, high, period, currency):
        return None
    return SalaryRange(minimum=low, maximum=high, currency=currency, period=period)


def _bare_ok(
    text: str, tokens: list[re.Match[str]], low: float, high: float, period: str, currency: str | None
) -> bool:
    """Whether an amount without currency or period still reads as pay (see the module docstring)."""
    if low < 10 or not _plausible(low, high, period, currency):
        return False
    if len(tokens) == 1:
        return not re.search(r"\w", text[: tokens[0].start()] + text[tokens[0].end() :])
    years = all(1900 <= v <= 2100 and v.is_integer() for v in (low, high)) and not any(t.group("mult") for t in tokens)
    return high <= 5 * low and not years


def parse_salary(text: str | None) -> SalaryRange | None:
    """Salary range, currency and period from a free-text salary string; None when no pay amount is stated.

    The rules for ambiguous text are in this module's docstring.

    >>> parse_salary("$140k-$175k")
    SalaryRange(minimum=140000.0, maximum=175000.0, currency='USD', period='year')
    >>> parse_salary("$85 - $110 per hour")
    SalaryRange(minimum=85.0, maximum=110.0, currency='USD', period='hour')
    >>> parse_salary("12-18 LPA")
    SalaryRange(minimum=1200000.0, maximum=1800000.0, currency='INR', period='year')
    >>> parse_salary("401(k) match"), parse_salary("5+ years"), parse_salary("Competitive")
    (None, None, None)
    """
    if not text:
        return None
    text = _RETIREMENT_PLANS.sub(lambda m: " " * len(m.group(0)), text)
    tokens = list(_TOKEN.finditer(text))
    index = 0
    while index < len(tokens):
        pair = tokens[index : index + 2]
        if len(pair) == 2:
            joint = _CONNECTOR.fullmatch(text, pair[0].end(), pair[1].start())
            if joint and (not re.search(r"and", joint.group(0), re.I) or _BETWEEN.search(text[: pair[0].start()])):
                found = _candidate(text, pair)
                if found:
                    return found
                index += 2
                continue
        found = _candidate(text, pair[:1])
        if found:
            return found
        index += 1
    return None
