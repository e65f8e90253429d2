import json
from datetime import date
from pathlib import Path

import pytest
from parser_fixtures import SavedPayload, fields

from pipeline.domain import Reject
from pipeline.sources.lever import lever_next_skip, lever_page_length, lever_url, parse_lever

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "lever"
SOURCE = "lever:tidewater"
BASE = "0f5e6d1c-3b7a-4c1e-9a55-2d8f00a1b00"


SAVED = SavedPayload(SOURCE, FIXTURES / "postings.json", lambda r: parse_lever(r, company="Tidewater"))
record, fixture_results, posting_at = SAVED.record, SAVED.results, SAVED.posting_at


def test_url_and_paging() -> None:
    assert lever_url("tidewater", 0, 50) == "https://api.lever.co/v0/postings/tidewater?mode=json&skip=0&limit=50"
    assert lever_next_skip(50, 0, 50) == 50
    assert lever_next_skip(50, 100, 50) == 150
    assert lever_next_skip(12, 100, 50) is None  # a short page is the last
    assert lever_next_skip(0, 0, 50) is None
    assert lever_next_skip(5, 0, 0) is None  # a bad limit never loops


def test_page_length_counts_list_elements_only() -> None:
    assert lever_page_length(record((FIXTURES / "postings.json").read_text(encoding="utf-8"))) == 4
    assert lever_page_length(record('{"ok": false}')) == 0
    assert lever_page_length(record("<html>")) == 0


def test_fixture_gives_three_postings_and_one_reject() -> None:
    assert [type(r).__name__ for r in fixture_results()] == ["Posting", "Posting", "Reject", "Posting"]


def test_hybrid_posting_with_yearly_eur_salary_and_two_locations() -> None:
    posting = posting_at(0)
    assert fields(posting) == {
        "id": f"{SOURCE}:{BASE}1",
        "title": "AI Engineer II",
        "company": "Tidewater",
        "location": "Amsterdam, Netherlands; Rotterdam, Netherlands",
        "remote": "hybrid",
        "salary_min": 70000.0,
        "salary_max": 90000.0,
        "salary_currency": "EUR",
        "salary_period": "year",
        "salary_text": "Plus a yearly bonus.",
        "salary_annual_min": 70000.0,
        "salary_annual_max": 90000.0,
        "employment_type": "full_time",
        "posted_on": date(2026, 1, 5),
        "url": f"https://jobs.lever.co/tidewater/{BASE}1",
        "canonical_url": f"https://jobs.lever.co/tidewater/{BASE}1",
    }


def test_description_keeps_each_list_as_a_heading_and_bullets() -> None:
    assert posting_at(0).description.split("\n") == [
        "Tidewater builds forecasting tools for port operators.",
        "What you'll do",
        "- Design LLM agents that plan berth schedules",
        "- Evaluate models with offline replay",
        "What we're looking for",
        "- 3+ years of Python",
        "- Experience with RAG & vector stores",
        "Benefits",
        "Learning budget of €2,000 a year.",
    ]


def test_remote_contract_with_hourly_wage_and_plain_description() -> None:
    posting = posting_at(1)
    assert fields(posting) == {
        "id": f"{SOURCE}:{BASE}2",
        "title": "Data Annotation Specialist (Contract)",
        "company": "Tidewater",
        "location": "Remote - Americas",
        "remote": "remote",
        "salary_min": 38.0,
        "salary_max": 45.0,
        "salary_currency": "USD",
        "salary_period": "hour",
        "salary_text": None,
        "salary_annual_min": 79040.0,
        "salary_annual_max": 93600.0,
        "employment_type": "contract",
        "posted_on": date(2026, 1, 9),
        "url": f"https://jobs.lever.co/tidewater/{BASE}2?lever-origin=applied&lever-source%5B%5D=hn",
        "canonical_url": f"https://jobs.lever.co/tidewater/{BASE}2",
    }
    assert posting.description == "Short contract to clean and label sensor data.\nTwelve weeks, possible extension."


def test_onsite_posting_with_unicode_and_single_location_from_all_locations() -> None:
    posting = posting_at(3)
    assert (posting.title, posting.location, posting.remote, posting.salary_min, posting.employment_type) == (
        "Ingénieure de recherche IA",
        "Lyon, France",
        "onsite",
        None,
        "full_time",
    )
    assert posting.description.split("\n") == [
        "Rejoignez l'équipe vision.",
        "Profil recherché",
        "- Doctorat en apprentissage automatique",
        "Nous répondons à chaque candidature.",
    ]


def test_posting_without_title_is_rejected_alone() -> None:
    reject = fixture_results()[2]
    assert isinstance(reject, Reject)
    assert (reject.locator, reject.reason) == (f"postings.json (posting {BASE}3)", "no title")


def test_elements_without_id_or_not_objects_are_rejected() -> None:
    results = parse_lever(record(json.dumps([{"text": "ML Engineer", "description": "<p>x</p>"}, "oops"])))
    assert [(r.locator, r.reason) for r in results if isinstance(r, Reject)] == [
        ("postings.json (postings[0])", "postings[0] has no id"),
        ("postings.json (postings[1])", "postings[1] is string, expected an object"),
    ]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            "<html><head><title>Service Unavailable</title></head></html>",
            "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)",
        ),
        (
            '{"ok": false, "error": "Document not found"}',
            "expected a list of postings, got object (error: Document not found)",
        ),
    ],
)
def test_wrong_shape_payload_is_one_reject(payload: str, reason: str) -> None:
    results = parse_lever(record(payload))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [("Reject", reason)]
