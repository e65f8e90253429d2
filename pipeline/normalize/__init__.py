"""Pure normalization helpers: text from HTML, salary ranges, remote policy, dates, titles, URLs.

Split by topic (``text``, ``salary``, ``titles``, ``fields``); every public name is importable from here.
"""

from pipeline.normalize.fields import canonical_url, employment_type, parse_posted_date, remote_policy
from pipeline.normalize.salary import ANNUAL_BOUNDS, APPROX_USD_RATES, PERIODS_PER_YEAR, SalaryRange, parse_salary
from pipeline.normalize.text import html_to_text
from pipeline.normalize.titles import clean_title

__all__ = [
    "ANNUAL_BOUNDS",
    "APPROX_USD_RATES",
    "PERIODS_PER_YEAR",
    "SalaryRange",
    "canonical_url",
    "clean_title",
    "employment_type",
    "html_to_text",
    "parse_posted_date",
    "parse_salary",
    "remote_policy",
]
