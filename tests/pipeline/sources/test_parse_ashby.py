import json
from datetime import date
from pathlib import Path

import pytest
from parser_fixtures import SavedPayload, fields

from pipeline.domain import Posting, Reject
from pipeline.sources.ashby import ashby_url, parse_ashby

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "ashby"
SOURCE = "ashby:larkspur"
BASE = "5d0c1f7e-8a31-4b8e-b7c2-1a2b3c4d000"


SAVED = SavedPayload(SOURCE, FIXTURES / "board.json", lambda r: parse_ashby(r, company="Larkspur"))
record, fixture_results, posting_at = SAVED.record, SAVED.results, SAVED.posting_at


def test_url_includes_compensation() -> None:
    assert ashby_url("larkspur") == "https://api.ashbyhq.com/posting-api/job-board/larkspur?includeCompensation=true"


def test_unlisted_job_is_skipped_and_untitled_one_rejected() -> None:
    results = fixture_results()
    assert [r.id if isinstance(r, Posting) else r.reason for r in results] == [
        f"{SOURCE}:{BASE}1",
        f"{SOURCE}:{BASE}3",
        "no title",
        f"{SOURCE}:{BASE}5",
    ]
    reject = results[2]
    assert isinstance(reject, Reject)
    assert reject.locator == f"board.json (posting {BASE}4)"


def test_remote_job_with_salary_component_and_secondary_location() -> None:
    posting = posting_at(0)
    assert fields(posting) == {
        "id": f"{SOURCE}:{BASE}1",
        "title": "Staff AI Engineer, Agents",
        "company": "Larkspur",
        "location": "Remote (US); New York, NY",
        "remote": "remote",
        "salary_min": 210000.0,
        "salary_max": 260000.0,
        "salary_currency": "USD",
        "salary_period": "year",
        "salary_text": "$210K – $260K • Offers Equity",
        "salary_annual_min": 210000.0,
        "salary_annual_max": 260000.0,
        "employment_type": "full_time",
        "posted_on": date(2026, 2, 20),
        "url": f"https://jobs.ashbyhq.com/larkspur/{BASE}1",
        "canonical_url": f"https://jobs.ashbyhq.com/larkspur/{BASE}1",
    }
    assert posting.description.split("\n") == [
        "About Larkspur",
        "We build agents that reconcile invoices.",
        "You will",
        "- Design tool-using agents",
        "- Own evals & tracing",
    ]


def test_hidden_compensation_is_not_taken() -> None:
    posting = posting_at(1)
    assert fields(posting) == {
        "id": f"{SOURCE}:{BASE}3",
        "title": "Data Scientist (Part-time)",
        "company": "Larkspur",
        "location": "London, United Kingdom",
        "remote": "hybrid",
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "salary_period": None,
        "salary_text": None,
        "salary_annual_min": None,
        "salary_annual_max": None,
        "employment_type": "part_time",
        "posted_on": date(2026, 1, 5),
        "url": f"https://jobs.ashbyhq.com/larkspur/{BASE}3",
        "canonical_url": f"https://jobs.ashbyhq.com/larkspur/{BASE}3",
    }


def test_onsite_intern_with_hourly_chf_and_plain_description() -> None:
    posting = posting_at(3)
    assert fields(posting) == {
        "id": f"{SOURCE}:{BASE}5",
        "title": "Machine Learning Intern — Zürich",
        "company": "Larkspur",
        "location": "Zürich, Switzerland",
        "remote": "onsite",
        "salary_min": 38.0,
        "salary_max": 45.0,
        "salary_currency": "CHF",
        "salary_period": "hour",
        "salary_text": "CHF 38 – CHF 45 per hour",
        "salary_annual_min": 79040.0,
        "salary_annual_max": 93600.0,
        "employment_type": "internship",
        "posted_on": date(2026, 3, 9),
        "url": f"https://jobs.ashbyhq.com/larkspur/{BASE}5",
        "canonical_url": f"https://jobs.ashbyhq.com/larkspur/{BASE}5",
    }
    assert posting.description == "Six months in our Zürich lab.\nYou will train segmentation models."


def test_location_from_address_and_is_remote_without_workplace_type() -> None:
    job = {
        "id": "j1",
        "title": "ML Engineer",
        "isRemote": True,
        "address": {"postalAddress": {"addressLocality": "Austin", "addressRegion": "Texas"}},
        "descriptionPlain": "Models.",
    }
    (posting,) = parse_ashby(record(json.dumps({"apiVersion": "1", "jobs": [job]})))
    assert isinstance(posting, Posting)
    assert (posting.location, posting.remote, posting.company) == ("Austin, Texas", "remote", None)


def test_element_that_is_not_an_object_or_has_no_id_is_rejected() -> None:
    payload = json.dumps({"apiVersion": "1", "jobs": [None, {"title": "AI Engineer", "descriptionPlain": "x"}]})
    assert [(r.locator, r.reason) for r in parse_ashby(record(payload)) if isinstance(r, Reject)] == [
        ("board.json (jobs[0])", "jobs[0] is null, expected an object"),
        ("board.json (jobs[1])", "jobs[1] has no id"),
    ]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            "<!doctype html><title>Not Found</title>",
            "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)",
        ),
        ('[{"id": "x"}]', "expected an object with 'jobs', got list"),
        (
            '{"success": false, "errors": ["not found"]}',
            "expected an object with a 'jobs' list, got keys ['errors', 'success']",
        ),
    ],
)
def test_wrong_shape_payload_is_one_reject(payload: str, reason: str) -> None:
    results = parse_ashby(record(payload))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [("Reject", reason)]
