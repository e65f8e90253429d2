from datetime import date

import pytest

from pipeline.normalize import (
    SalaryRange,
    clean_title,
    html_to_text,
    parse_posted_date,
    parse_salary,
    remote_policy,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$150,000 - $190,000 a year", SalaryRange(150_000, 190_000, "USD", "year")),
        ("$140k-$175k", SalaryRange(140_000, 175_000, "USD", "year")),
        ("€70,000–€90,000", SalaryRange(70_000, 90_000, "EUR", "year")),
        ("€70.000 - €90.000", SalaryRange(70_000, 90_000, "EUR", "year")),
        ("£85k - £105k per annum", SalaryRange(85_000, 105_000, "GBP", "year")),
        ("$85 - $110 per hour", SalaryRange(85, 110, "USD", "hour")),
        ("USD 200K–260K + equity", SalaryRange(200_000, 260_000, "USD", "year")),
        ("$53K-$91K (Glassdoor est.)", SalaryRange(53_000, 91_000, "USD", "year")),
        ("130000-170000", SalaryRange(130_000, 170_000, None, "year")),
        ("$110- $120,000", SalaryRange(110_000, 120_000, "USD", "year")),
        ("60-80", SalaryRange(60, 80, None, "hour")),
        ("$9,000 - $11,000 per month", SalaryRange(9_000, 11_000, "USD", "month")),
        ("Up to $200k", SalaryRange(200_000, 200_000, "USD", "year")),
    ],
)
def test_parse_salary(text: str, expected: SalaryRange) -> None:
    assert parse_salary(text) == expected


@pytest.mark.parametrize("text", [None, "", "Competitive", "DOE"])
def test_parse_salary_without_amount(text: str | None) -> None:
    assert parse_salary(text) is None


def test_html_to_text_blocks_bullets_and_entities() -> None:
    html = "<h3>About</h3><p>We build <b>RAG</b> &amp; agents.</p><ul><li>Python</li><li>SQL</li></ul><p>Bye</p>"
    assert html_to_text(html) == "About\nWe build RAG & agents.\n- Python\n- SQL\nBye"


@pytest.mark.parametrize(
    ("location", "title", "expected"),
    [
        ("Remote - Europe", "", "remote"),
        ("New York, NY (Hybrid)", "", "hybrid"),
        ("Austin, TX", "ML Engineer (On-site)", "onsite"),
        ("Berlin, Germany", "ML Engineer", None),
        (None, "", None),
        ("Remote or hybrid, London", "", "hybrid"),
    ],
)
def test_remote_policy(location: str | None, title: str, expected: str | None) -> None:
    assert remote_policy(location, title) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-29", date(2024, 5, 29)),
        ("2026-03-16T00:00:03+00:00", date(2026, 3, 16)),
        ("2025-06-05T05:06:01-04:00", date(2025, 6, 5)),
        ("2026-04-01T16:27:42Z", date(2026, 4, 1)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_posted_date(value: str | None, expected: date | None) -> None:
    assert parse_posted_date(value) == expected


def test_parse_posted_date_rejects_free_text() -> None:
    with pytest.raises(ValueError):
        parse_posted_date("last Tuesday")


def test_clean_title() -> None:
    assert clean_title("\n  STAFF   ML  Engineer\t") == "STAFF ML Engineer"
