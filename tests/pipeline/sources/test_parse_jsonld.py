import json
from datetime import date
from pathlib import Path

import pytest
from parser_fixtures import fields

from pipeline.domain import Posting, RawRecord, Reject, sha256_hex
from pipeline.sources.jsonld import parse_jsonld

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "jsonld"
SOURCE = "career_page:example"


def page(name: str) -> RawRecord:
    url = f"https://jobs.example/{name.removesuffix('.html')}"
    return RawRecord(source_id=SOURCE, locator=url, url=url, payload=(FIXTURES / name).read_text(encoding="utf-8"))


def inline(html: str) -> RawRecord:
    return RawRecord(source_id=SOURCE, locator="https://jobs.example/p", url="https://jobs.example/p", payload=html)


def test_job_posting_inside_graph_with_salary_and_several_places() -> None:
    (posting,) = parse_jsonld(page("graph.html"))
    assert fields(posting) == {
        "id": f"{SOURCE}:HG-4471",
        "title": "Senior Data Scientist, Forecasting",
        "company": "Heronsgate Analytics",
        "location": "Leeds, West Yorkshire, GB; Manchester, GB",
        "remote": None,
        "salary_min": 65000.0,
        "salary_max": 80000.0,
        "salary_currency": "GBP",
        "salary_period": "year",
        "salary_text": None,
        "salary_annual_min": 65000.0,
        "salary_annual_max": 80000.0,
        "employment_type": "full_time",  # the first of ["FULL_TIME", "CONTRACTOR"]
        "posted_on": date(2026, 2, 24),
        "url": "https://careers.heronsgate.example/jobs/hg-4471",
        "canonical_url": "https://careers.heronsgate.example/jobs/hg-4471",
    }
    assert isinstance(posting, Posting)
    assert posting.description.split("\n") == [
        "The role",
        "Forecast energy demand for 3 million homes.",
        "Requirements",
        "- Time-series modelling",
        "- Python & Spark",
    ]


def test_list_of_postings_with_telecommute_hourly_salary_and_a_bad_block() -> None:
    remote, untitled = parse_jsonld(page("list_remote.html"))  # the invalid BreadcrumbList block is skipped alone
    native_id = sha256_hex("https://jobs.example/list_remote|LLM Evaluation Engineer|Fjordline AI")[:16]
    assert fields(remote) == {
        "id": f"{SOURCE}:{native_id}",
        "title": "LLM Evaluation Engineer",
        "company": "Fjordline AI",
        "location": "Norway; Sweden",
        "remote": "remote",
        "salary_min": 650.0,
        "salary_max": 650.0,
        "salary_currency": "NOK",
        "salary_period": "hour",
        "salary_text": None,
        "salary_annual_min": 1352000.0,
        "salary_annual_max": 1352000.0,
        "employment_type": "part_time",
        "posted_on": date(2026, 3, 5),
        "url": "https://jobs.example/list_remote",
        "canonical_url": "https://jobs.example/list_remote",
    }
    assert isinstance(remote, Posting)
    assert remote.description == "Build eval harnesses for Norwegian-language models.\n- Benchmarks\n- Red-teaming"
    assert isinstance(untitled, Reject)
    assert untitled.reason == "no title"
    assert untitled.locator.startswith("https://jobs.example/list_remote (posting ")


def test_microdata_job_posting() -> None:
    (posting,) = parse_jsonld(page("microdata.html"))
    assert fields(posting) | {"description": getattr(posting, "description", None)} == {
        "id": f"{SOURCE}:https://jobs.example/jobs/speech-re",
        "title": "Research Engineer, Speech",
        "company": "Kitewing",
        "location": "Montréal, QC, CA",
        "remote": None,
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "salary_period": None,
        "salary_text": None,
        "salary_annual_min": None,
        "salary_annual_max": None,
        "employment_type": "internship",
        "posted_on": date(2026, 1, 15),
        "url": "https://jobs.example/jobs/speech-re",
        "canonical_url": "https://jobs.example/jobs/speech-re",
        "description": "Train speech recognition for Québécois French.",
    }


def test_page_without_job_posting_falls_back_to_readable_text() -> None:
    (posting,) = parse_jsonld(page("plain_page.html"))
    native_id = sha256_hex("https://jobs.example/plain_page|Machine Learning Engineer – Saltmarsh|Saltmarsh")[:16]
    assert fields(posting) | {"description": getattr(posting, "description", None)} == {
        "id": f"{SOURCE}:{native_id}",
        "title": "Machine Learning Engineer – Saltmarsh",
        "company": "Saltmarsh",
        "location": None,
        "remote": None,
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "salary_period": None,
        "salary_text": None,
        "salary_annual_min": None,
        "salary_annual_max": None,
        "employment_type": None,
        "posted_on": None,
        "url": "https://jobs.example/plain_page",
        "canonical_url": "https://jobs.example/plain_page",
        "description": "\n".join(
            [
                "Machine Learning Engineer",
                "Saltmarsh predicts coastal flooding for insurers and city planners across the North Sea coast.",
                "What you will do",
                "- Train and deploy flood-risk models on satellite and tide-gauge data",
                "- Build evaluation dashboards that planners actually read",
                "What you bring",
                "- Three or more years of Python and PyTorch",
                "- Comfort with geospatial data (xarray, GDAL)",
            ]
        ),
    }


def test_fallback_title_order_h1_then_title() -> None:
    body = "<p>" + "Forecast tides with transformers. " * 8 + "</p>"
    (with_h1,) = parse_jsonld(inline(f"<html><head><title>T</title></head><body><h1>Tide Modeller</h1>{body}</body>"))
    (with_title,) = parse_jsonld(inline(f"<html><head><title>Tide Analyst</title></head><body>{body}</body></html>"))
    assert isinstance(with_h1, Posting) and isinstance(with_title, Posting)
    assert (with_h1.title, with_title.title) == ("Tide Modeller", "Tide Analyst")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ((FIXTURES / "too_short.html").read_text(encoding="utf-8"), "no JobPosting data and too little text"),
        ("<html><body><p>" + "words " * 60 + "</p></body></html>", "no JobPosting data and too little text"),
        (
            '<script type="application/ld+json">{"@type": "JobPosting", "title": </script><p>short</p>',
            "no JobPosting data and too little text (JSON-LD block 1 is not valid JSON)",
        ),
        (" \n", "empty page"),
    ],
)
def test_pages_without_data_or_text_are_one_reject(html: str, reason: str) -> None:
    results = parse_jsonld(inline(html))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [("Reject", reason)]


def test_odd_shapes_types_and_salary_forms() -> None:
    posting_ld = {
        "@context": "http://schema.org",
        "@type": ["JobPosting"],
        "title": "Prompt Engineer",
        "description": "Write evals.",
        "hiringOrganization": "Solo Co",
        "identifier": 991,
        "employmentType": "CONTRACTOR",
        "jobLocationType": ["TELECOMMUTE"],
        "jobLocation": {"@type": "Place", "address": "Porto, Portugal"},
        "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": "4000", "unitText": "MONTH"},
    }
    wrapper = {"@context": "https://schema.org", "@type": "WebPage", "mainEntity": posting_ld}
    html = f'<script type="application/ld+json">{json.dumps(wrapper)}</script>'
    (posting,) = parse_jsonld(inline(html))
    assert isinstance(posting, Posting)
    assert (
        posting.id,
        posting.company,
        posting.location,
        posting.remote,
        posting.employment_type,
        posting.salary_min,
        posting.salary_period,
        posting.salary_currency,
    ) == (f"{SOURCE}:991", "Solo Co", "Porto, Portugal", "remote", "contract", 4000.0, "month", "EUR")
