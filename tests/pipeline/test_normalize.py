from datetime import date

import pytest

from pipeline.normalize import (
    ANNUAL_BOUNDS,
    SalaryRange,
    canonical_url,
    clean_title,
    employment_type,
    html_to_text,
    parse_posted_date,
    parse_salary,
    remote_policy,
)

# ---------------------------------------------------------------- salary


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
        # ranges: k/m, decimals, connectors, suffix carried to the low end
        ("$90-150K + Equity", SalaryRange(90_000, 150_000, "USD", "year")),
        ("$3K - $4.5K", SalaryRange(3_000, 4_500, "USD", "month")),
        ("$1.2M - $1.5M", SalaryRange(1_200_000, 1_500_000, "USD", "year")),
        ("$170,000 to $180,000", SalaryRange(170_000, 180_000, "USD", "year")),
        ("$277—$397k", SalaryRange(277_000, 397_000, "USD", "year")),
        ("between $100k and $120k", SalaryRange(100_000, 120_000, "USD", "year")),
        ("Salary: $154-190,000 DOE", SalaryRange(154_000, 190_000, "USD", "year")),
        ("from €60,000", SalaryRange(60_000, 60_000, "EUR", "year")),
        # periods
        ("$70–110/hr", SalaryRange(70, 110, "USD", "hour")),
        ("$50 /h", SalaryRange(50, 50, "USD", "hour")),
        ("$45 hourly", SalaryRange(45, 45, "USD", "hour")),
        ("$25.50/hr", SalaryRange(25.5, 25.5, "USD", "hour")),
        ("Employer Provided Salary:$25-$28 Per Hour", SalaryRange(25, 28, "USD", "hour")),
        ("£550/day", SalaryRange(550, 550, "GBP", "day")),
        ("$500 - $600 per day", SalaryRange(500, 600, "USD", "day")),
        ("$2,000/week", SalaryRange(2_000, 2_000, "USD", "week")),
        ("$4K–6K USD/mo", SalaryRange(4_000, 6_000, "USD", "month")),
        ("$8,000 monthly", SalaryRange(8_000, 8_000, "USD", "month")),
        ("$120k/yr", SalaryRange(120_000, 120_000, "USD", "year")),
        ("£60,000 p.a.", SalaryRange(60_000, 60_000, "GBP", "year")),
        ("€70,000 annually", SalaryRange(70_000, 70_000, "EUR", "year")),
        ("$150K - 180K a year 1099 for US", SalaryRange(150_000, 180_000, "USD", "year")),
        ("€30–40k RAL", SalaryRange(30_000, 40_000, "EUR", "year")),
        ("Hourly rate: 45-60", SalaryRange(45, 60, None, "hour")),
        # currencies
        ("US$90k", SalaryRange(90_000, 90_000, "USD", "year")),
        ("A$150k", SalaryRange(150_000, 150_000, "AUD", "year")),
        ("AU$140,000 - AU$160,000", SalaryRange(140_000, 160_000, "AUD", "year")),
        ("$300-600k AUD", SalaryRange(300_000, 600_000, "AUD", "year")),
        ("C$60-80k", SalaryRange(60_000, 80_000, "CAD", "year")),
        ("CA$120,000", SalaryRange(120_000, 120_000, "CAD", "year")),
        ("Up to $140k CAD + Generous Equity", SalaryRange(140_000, 140_000, "CAD", "year")),
        ("NZ$110k", SalaryRange(110_000, 110_000, "NZD", "year")),
        ("S$9,000/month", SalaryRange(9_000, 9_000, "SGD", "month")),
        ("SGD 120k", SalaryRange(120_000, 120_000, "SGD", "year")),
        ("HK$50,000 monthly", SalaryRange(50_000, 50_000, "HKD", "month")),
        ("CHF 140,000", SalaryRange(140_000, 140_000, "CHF", "year")),
        ("SEK 55,000/month", SalaryRange(55_000, 55_000, "SEK", "month")),
        ("NOK 700 000", SalaryRange(700_000, 700_000, "NOK", "year")),
        ("DKK 60.000/month", SalaryRange(60_000, 60_000, "DKK", "month")),
        ("PLN 20 000 monthly", SalaryRange(20_000, 20_000, "PLN", "month")),
        ("12-18 LPA", SalaryRange(1_200_000, 1_800_000, "INR", "year")),
        ("INR 25 LPA", SalaryRange(2_500_000, 2_500_000, "INR", "year")),
        ("₹15 lakh per annum", SalaryRange(1_500_000, 1_500_000, "INR", "year")),
        ("₹12,00,000 - ₹18,00,000", SalaryRange(1_200_000, 1_800_000, "INR", "year")),
        ("₹50,000", SalaryRange(50_000, 50_000, "INR", "month")),
        ("¥8,000,000", SalaryRange(8_000_000, 8_000_000, "JPY", "year")),
        ("JPY 6M-9M", SalaryRange(6_000_000, 9_000_000, "JPY", "year")),
        ("¥400,000", SalaryRange(400_000, 400_000, "JPY", "month")),
        ("R$ 15.000", SalaryRange(15_000, 15_000, "BRL", "month")),
        ("BRL 12k/month", SalaryRange(12_000, 12_000, "BRL", "month")),
        ("70.000 €", SalaryRange(70_000, 70_000, "EUR", "year")),
        ("70 000 €", SalaryRange(70_000, 70_000, "EUR", "year")),
        ("€45.000 - € 70.000", SalaryRange(45_000, 70_000, "EUR", "year")),
        ("£40K - £120K GBP", SalaryRange(40_000, 120_000, "GBP", "year")),
        # the first amount that is pay wins; perks, percentages and experience are skipped
        ("$55K-$70K + OTE $85K-$100K + Equity", SalaryRange(55_000, 70_000, "USD", "year")),
        ("$180-200K, 0.5-1.0% equity", SalaryRange(180_000, 200_000, "USD", "year")),
        ("$200k Salary - $400k Total Compensation", SalaryRange(200_000, 200_000, "USD", "year")),
        ("5+ years experience, $120k-$140k", SalaryRange(120_000, 140_000, "USD", "year")),
        ("401(k) match, $100k base", SalaryRange(100_000, 100_000, "USD", "year")),
        ("40 hours per week, $60/hr", SalaryRange(60, 60, "USD", "hour")),
        ("3 days a week in office, $150k", SalaryRange(150_000, 150_000, "USD", "year")),
        ("30", SalaryRange(30, 30, None, "hour")),
        ("Salary ranges on the req, but for this role it is 140k-180k", SalaryRange(140_000, 180_000, None, "year")),
    ],
)
def test_parse_salary(text: str, expected: SalaryRange) -> None:
    assert parse_salary(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "Competitive",
        "DOE",
        "401k match",
        "401(k)",
        "3+ years",
        "5+ years",
        "3-5 years",
        "equity",
        "team of 40",
        "Series B $50M",
        "Series B $50M, team of 40",
        "raised $20M from top investors",
        "$10k signing bonus",
        "Visa + €10k Signing Bonus",
        "0.5% - 1%",
        "2024-2025",
        "5",
        "$0",
        "$0-$100k",
        "9" * 400,
    ],
)
def test_parse_salary_without_pay(text: str | None) -> None:
    assert parse_salary(text) is None


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        (SalaryRange(50, 60, "USD", "hour"), (104_000.0, 124_800.0)),
        (SalaryRange(500, 600, "GBP", "day"), (130_000.0, 156_000.0)),
        (SalaryRange(2_000, 2_500, "USD", "week"), (104_000.0, 130_000.0)),
        (SalaryRange(9_000, 11_000, "EUR", "month"), (108_000.0, 132_000.0)),
        (SalaryRange(1_200_000, 1_800_000, "INR", "year"), (1_200_000.0, 1_800_000.0)),
        (SalaryRange(27.5, 27.5, None, "hour"), (57_200.0, 57_200.0)),
        (SalaryRange(6_000_000, 9_000_000, "JPY", "year"), (6_000_000.0, 9_000_000.0)),
        (SalaryRange(100_000, 120_000, "XYZ", "year"), (100_000.0, 120_000.0)),  # unknown currency judged as USD
        (SalaryRange(3_000, 4_000, "USD", "year"), None),  # below the lower bound
        (SalaryRange(400_000, 500_000, "INR", "year"), None),  # about $5k-6k: the low end is below
        (SalaryRange(200_000, 300_000, "JPY", "year"), None),  # about $1.3k-2k
        (SalaryRange(2_000_000, 3_000_000, "USD", "year"), None),  # above the upper bound
        (SalaryRange(150_000, 200_000, "USD", "hour"), None),
        (SalaryRange(100, 200, "USD", "fortnight"), None),  # an unknown period is never plausible
    ],
)
def test_annualized(salary: SalaryRange, expected: tuple[float, float] | None) -> None:
    assert salary.annualized() == expected


def test_annual_bounds_are_usd_per_year() -> None:
    assert ANNUAL_BOUNDS == (5_000.0, 2_500_000.0)


# ---------------------------------------------------------------- html


def test_html_to_text_blocks_bullets_and_entities() -> None:
    html = "<h3>About</h3><p>We build <b>RAG</b> &amp; agents.</p><ul><li>Python</li><li>SQL</li></ul><p>Bye</p>"
    assert html_to_text(html) == "About\nWe build RAG & agents.\n- Python\n- SQL\nBye"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p><strong>What you'll do</strong></p><p>Ship <em>evals</em>.</p>", "What you'll do\nShip evals."),
        ("<div><b>Benefits</b></div><div>Health, 401(k)</div>", "Benefits\nHealth, 401(k)"),
        ("<p><strong>Note:</strong> remote OK</p>", "Note: remote OK"),
        ("<h1>Title</h1><h2>Sub</h2>text", "Title\nSub\ntext"),
        ("<ol><li>Apply</li><li>Interview</li></ol>", "1. Apply\n2. Interview"),
        ('<ol start="3"><li>Offer</li></ol>', "3. Offer"),
        (
            "<ul><li><p>Python</p></li><li>Outer<ul><li>Inner</li></ul></li><li></li></ul><p>After</p>",
            "- Python\n- Outer\n- Inner\nAfter",
        ),
        ("Line one<br>Line two<br/><br />Line three", "Line one\nLine two\nLine three"),
        ("<p>a</p>\n\n<p>\n  b   c\n</p><p>&nbsp;</p><p>d</p>", "a\nb c\nd"),
        ("<script>var x = '<p>no</p>';</script><style>p {}</style><noscript>hi</noscript><p>kept</p>", "kept"),
        ("&amp;lt;b&amp;gt; decoded once", "&lt;b&gt; decoded once"),
        ("<p>5 &lt; 6 &amp;&amp; caf&eacute;</p>", "5 < 6 && café"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<pre>line 1\n  line 2</pre>", "line 1\nline 2"),
        ("<!-- comment --><p>x</p><!DOCTYPE html>", "x"),
        ("plain text\n\n\n  with   lines &amp; entities ", "plain text\nwith lines & entities"),
        ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
        ("<div><p>nested</div></p>tail", "nested\ntail"),
        ("a < b and c > d", "a < b and c > d"),
        ("", ""),
        ("   ", ""),
        ("<", "<"),
        ("<<<>>>", "<<<>>>"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


# ---------------------------------------------------------------- titles


def test_clean_title() -> None:
    assert clean_title("\n  STAFF   ML  Engineer\t") == "STAFF ML Engineer"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("  Senior  ML\tEngineer ", "Senior ML Engineer"),
        ("Sr. Machine Learning Engineer", "Senior Machine Learning Engineer"),
        ("Sr Data Scientist", "Senior Data Scientist"),
        ("Jr. Data Analyst", "Junior Data Analyst"),
        ("Jr Software Engineer, Platform", "Junior Software Engineer, Platform"),
        ("Engineering Mgr, Applied AI", "Engineering Manager, Applied AI"),
        ("Software Eng.", "Software Engineer"),
        ("Sr. Eng. Manager, Inference", "Senior Engineering Manager, Inference"),
        ("Sr.Research Scientist", "Senior Research Scientist"),
        ("ML Engineer (R-12345)", "ML Engineer"),
        ("AI Engineer - REQ-1234", "AI Engineer"),
        ("Applied Scientist [JR102345]", "Applied Scientist"),
        ("Research Engineer #12345", "Research Engineer"),
        ("LLM Engineer Req ID: 1234", "LLM Engineer"),
        ("ML Platform Engineer [28207]", "ML Platform Engineer"),
        ("Machine Learning Engineer - Remote", "Machine Learning Engineer"),
        ("AI Engineer (Remote, US)", "AI Engineer"),
        ("ML/NLP Engineer | Palo Alto, CA", "ML/NLP Engineer"),
        ("Research Scientist - London, UK", "Research Scientist"),
        ("Data Scientist (Hybrid)", "Data Scientist"),
        ("On-device ML Engineer - US Remote", "On-device ML Engineer"),
        ("Data Engineer - Boise, ID", "Data Engineer"),
        ("Junior Data Engineer (New York, NY)", "Junior Data Engineer"),
        ("Staff/Lead LLM Data Scientist (Singapore based)", "Staff/Lead LLM Data Scientist"),
        ("Senior ML Engineer (m/w/d)", "Senior ML Engineer"),
        ("Sr. AI Engineer - Remote (R-55555)", "Senior AI Engineer"),
        ("Engineer - Agents", "Engineer - Agents"),
        ("Staff Engineer, Search", "Staff Engineer, Search"),
        ("Principal Research Scientist – Scaling", "Principal Research Scientist – Scaling"),
        ("Senior/Staff AI Engineer - Remote Care", "Senior/Staff AI Engineer - Remote Care"),
        ("Engineer (Remote Sensing)", "Engineer (Remote Sensing)"),
        ("Head of Sales, EMEA", "Head of Sales, EMEA"),
        ("Burson | Account Executive, NY", "Burson | Account Executive"),
        ("Summer Intern (2025)", "Summer Intern (2025)"),
        ("Licensed Instructor (Contract, New York)", "Licensed Instructor (Contract, New York)"),
        ("SENIOR MACHINE LEARNING ENGINEER", "Senior Machine Learning Engineer"),
        ("SR. DATA SCIENTIST II", "Senior Data Scientist II"),
        ("HEAD OF GENAI PLATFORM", "Head of GenAI Platform"),
        ("MLOPS ENGINEER, LLM INFRA - REMOTE", "MLOps Engineer, LLM Infra"),
        ("VP OF AI/ML", "VP of AI/ML"),
        ("IOS ENGINEER, UX & UI", "iOS Engineer, UX & UI"),
        ("NLP / CV RESEARCH ENGINEER III", "NLP / CV Research Engineer III"),
        ("SRE - AWS/GCP, GPU CLUSTERS", "SRE - AWS/GCP, GPU Clusters"),
        ("QA ENGINEER (API & SDK)", "QA Engineer (API & SDK)"),
        ("RAG ENGINEER FOR HR TECH", "RAG Engineer for HR Tech"),
        ("CTO", "CTO"),
        ("Remote", "Remote"),
        ("[쿠팡] 로켓배송 MD 경력자", "[쿠팡] 로켓배송 MD 경력자"),
    ],
)
def test_clean_title_exact(title: str, expected: str) -> None:
    assert clean_title(title) == expected
    assert clean_title(expected) == expected


# ---------------------------------------------------------------- remote policy


@pytest.mark.parametrize(
    ("location", "title", "expected"),
    [
        ("Remote - Europe", "", "remote"),
        ("New York, NY (Hybrid)", "", "hybrid"),
        ("Austin, TX", "ML Engineer (On-site)", "onsite"),
        ("Berlin, Germany", "ML Engineer", None),
        (None, "", None),
        ("Remote or hybrid, London", "", "hybrid"),
        ("London workplaceType: remote", "", "remote"),
        ("workplaceType: hybrid", "", "hybrid"),
        ("workplaceType: on-site", "", "onsite"),
        ("workplaceType: unspecified", "", None),
        ("Austin, TX TELECOMMUTE", "", "remote"),
        ("Paris onsite", "", "onsite"),
        ("NYC OnSite", "", "onsite"),
        ("ON_SITE", "", "onsite"),
        ("In office", "", "onsite"),
        ("IN_OFFICE", "", "onsite"),
        ("isRemote: true", "", "remote"),
        ("Boston isRemote: false", "", None),
        ("Seattle, WA", "Remote Sensing Scientist", None),
        ("Work from home", "", "remote"),
    ],
)
def test_remote_policy(location: str | None, title: str, expected: str | None) -> None:
    assert remote_policy(location, title) == expected


# ---------------------------------------------------------------- employment type


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("FullTime", "full_time"),
        ("FULL_TIME", "full_time"),
        ("Full-time", "full_time"),
        ("full time", "full_time"),
        ("Permanent", "full_time"),
        ("Regular", "full_time"),
        ("full", "full_time"),
        ("PartTime", "part_time"),
        ("PART_TIME", "part_time"),
        ("Part-time", "part_time"),
        ("part", "part_time"),
        ("Contractor", "contract"),
        ("CONTRACTOR", "contract"),
        ("CONTRACT", "contract"),
        ("Contract to hire", "contract"),
        ("Freelance", "contract"),
        ("INTERN", "internship"),
        ("Intern", "internship"),
        ("Internship", "internship"),
        ("Co-op", "internship"),
        ("Temporary", "temporary"),
        ("TEMPORARY", "temporary"),
        ("Temp", "temporary"),
        ("Per diem", "temporary"),
        ("PER_DIEM", "temporary"),
        ("Fixed-term", "temporary"),
        ("Seasonal", "temporary"),
        ("VOLUNTEER", None),
        ("OTHER", None),
        ("International", None),
        ("", None),
        (None, None),
    ],
)
def test_employment_type(value: str | None, expected: str | None) -> None:
    assert employment_type(value) == expected


# ---------------------------------------------------------------- canonical URL


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Jobs.Example.com/a/1?utm_source=x&gh_src=y&b=2#apply", "https://jobs.example.com/a/1?b=2"),
        (
            "https://boards.greenhouse.io/acme/jobs?gh_jid=4012345&gh_src=abc&utm_medium=feed",
            "https://boards.greenhouse.io/acme/jobs?gh_jid=4012345",
        ),
        (
            "https://jobs.lever.co/acme/1a2b/?lever-source=LinkedIn&lever-origin=applied&lever-source%5B%5D=x",
            "https://jobs.lever.co/acme/1a2b",
        ),
        ("https://x.com/job?source=hn&ref=abc&referrer=z&trk=t&src=s&id=9", "https://x.com/job?id=9"),
        ("https://x.com/job?fbclid=1&gclid=2&z=1&a=2", "https://x.com/job?a=2&z=1"),
        ("http://Example.COM:80/jobs/", "http://example.com/jobs"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/", "https://example.com/"),
        ("  https://example.com/a?flag  ", "https://example.com/a?flag="),
        ("mailto:jobs@example.com", "mailto:jobs@example.com"),
        ("jobs.example.com/a/1", "jobs.example.com/a/1"),
        ("http://[::1", "http://[::1"),
        (None, None),
        ("", None),
    ],
)
def test_canonical_url(url: str | None, expected: str | None) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


# ---------------------------------------------------------------- dates


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
