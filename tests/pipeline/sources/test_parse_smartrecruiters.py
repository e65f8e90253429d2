import json
from datetime import date
from pathlib import Path

import pytest

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.sources.smartrecruiters import (
    is_list_record,
    parse_smartrecruiters_detail,
    parse_smartrecruiters_list,
    smartrecruiters_detail_url,
    smartrecruiters_list_url,
    smartrecruiters_next_offset,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "smartrecruiters"
SOURCE = "smartrecruiters:orchardmetrics"
HTML_ERROR = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"


def record(name_or_payload: str) -> RawRecord:
    path = FIXTURES / name_or_payload
    if path.suffix == ".json" and path.is_file():
        return RawRecord(source_id=SOURCE, locator=name_or_payload, payload=path.read_text(encoding="utf-8"))
    return RawRecord(source_id=SOURCE, locator="page", payload=name_or_payload)


def detail(name: str) -> Posting | Reject:
    (result,) = parse_smartrecruiters_detail(record(name))
    return result


def test_urls() -> None:
    assert (
        smartrecruiters_list_url("OrchardMetrics", 0, 100)
        == "https://api.smartrecruiters.com/v1/companies/OrchardMetrics/postings?offset=0&limit=100"
    )
    assert (
        smartrecruiters_detail_url("OrchardMetrics", "744000101000001")
        == "https://api.smartrecruiters.com/v1/companies/OrchardMetrics/postings/744000101000001"
    )


def test_list_pages_give_posting_ids_and_the_next_offset() -> None:
    first, second = record("list_page1.json"), record("list_page2.json")
    assert parse_smartrecruiters_list(first) == ["744000101000001", "744000101000002"]  # the id-less one is skipped
    assert smartrecruiters_next_offset(first, 0, 3) == 3
    assert parse_smartrecruiters_list(second) == ["744000101000004"]
    assert smartrecruiters_next_offset(second, 3, 3) is None  # totalFound reached


@pytest.mark.parametrize(
    ("page", "offset", "limit", "expected"),
    [
        ({"offset": 0, "limit": 2, "totalFound": 10, "content": [{"id": "1"}, {"id": "2"}]}, 0, 2, 2),
        ({"offset": 0, "limit": 2, "totalFound": 10, "content": [{"id": "1"}]}, 0, 2, None),  # short page
        ({"offset": 4, "limit": 2, "content": [{"id": "5"}, {"id": "6"}]}, 4, 2, 6),  # no totalFound
        ({"offset": 0, "limit": 2, "totalFound": 0, "content": []}, 0, 2, None),
    ],
)
def test_next_offset(page: dict[str, object], offset: int, limit: int, expected: int | None) -> None:
    assert smartrecruiters_next_offset(record(json.dumps(page)), offset, limit) == expected


def test_list_and_detail_records_are_told_apart() -> None:
    assert is_list_record(record("list_page1.json"))
    assert not is_list_record(record("detail_744000101000001.json"))
    assert not is_list_record(record(HTML_ERROR))


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (HTML_ERROR, "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)"),
        ("[]", "expected an object with 'content', got list"),
        ('{"message": "Company not found"}', "expected an object with a 'content' list, got keys ['message']"),
    ],
)
def test_wrong_shape_list_page_is_one_reject(payload: str, reason: str) -> None:
    result = parse_smartrecruiters_list(record(payload))
    assert isinstance(result, Reject)
    assert (result.locator, result.reason) == ("page", reason)
    assert smartrecruiters_next_offset(record(payload), 0, 100) is None


def test_detail_with_all_sections_as_headed_blocks() -> None:
    posting = detail("detail_744000101000001.json")
    assert isinstance(posting, Posting)
    assert posting.model_dump(exclude={"raw_hash", "source_id", "description"}) == {
        "id": f"{SOURCE}:744000101000001",
        "title": "Senior Applied Scientist - NLP",
        "company": "Orchard Metrics",
        "location": "Dublin, County Dublin, IE",
        "remote": "onsite",
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "salary_period": None,
        "salary_text": None,
        "salary_annual_min": None,
        "salary_annual_max": None,
        "employment_type": "full_time",
        "posted_on": date(2026, 2, 10),
        "url": "https://jobs.smartrecruiters.com/OrchardMetrics/744000101000001-senior-applied-scientist-nlp",
        "canonical_url": "https://jobs.smartrecruiters.com/OrchardMetrics/744000101000001-senior-applied-scientist-nlp",
    }
    assert posting.description.split("\n") == [
        "Company Description",
        "Orchard Metrics measures crop yield from satellite images.",
        "Job Description",
        "- Fine-tune language models on agronomy reports",
        "- Ship extraction pipelines",
        "Qualifications",
        "You have:",
        "- PhD or 5 years in NLP",
        "- Fluent Python & SQL",
        "Additional Information",
        "Salary: €95,000 – €120,000 plus pension.",
    ]


def test_remote_detail_skips_empty_sections_and_untitled_headings() -> None:
    posting = detail("detail_744000101000002.json")
    assert isinstance(posting, Posting)
    assert (posting.title, posting.location, posting.remote, posting.posted_on) == (
        "Machine Learning Engineer",
        "Lisbon, PT",
        "remote",
        date(2026, 2, 12),
    )
    assert posting.description == (
        "Job Description\nServe models for 40 countries from Lisbon or anywhere in Portugal.\nKubernetes, Triton, ONNX."
    )


def test_detail_with_blank_name_is_rejected() -> None:
    reject = detail("detail_744000101000004.json")
    assert isinstance(reject, Reject)
    assert (reject.locator, reject.reason) == ("detail_744000101000004.json (posting 744000101000004)", "no title")


def test_hybrid_location_and_company_fallback() -> None:
    payload = {
        "id": 9,
        "name": "Analytics Engineer",
        "location": {"city": "Kraków", "country": "pl", "remote": False, "hybrid": True},
        "typeOfEmployment": {"id": "contract", "label": "Contract"},
        "jobAd": {"sections": {"jobDescription": {"title": "Job Description", "text": "<p>dbt.</p>"}}},
    }
    (posting,) = parse_smartrecruiters_detail(record(json.dumps(payload)), company="Orchard")
    assert isinstance(posting, Posting)
    assert (posting.id, posting.company, posting.location, posting.remote, posting.employment_type) == (
        f"{SOURCE}:9",
        "Orchard",
        "Kraków, PL",
        "hybrid",
        "contract",
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (HTML_ERROR, "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)"),
        ('["744000101000001"]', "expected a posting object, got list"),
        (
            '{"code": "NOT_FOUND", "message": "Posting not found"}',
            "expected a posting object with an 'id', got keys ['code', 'message'] (message: Posting not found)",
        ),
    ],
)
def test_wrong_shape_detail_is_one_reject(payload: str, reason: str) -> None:
    results = parse_smartrecruiters_detail(record(payload))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [("Reject", reason)]
