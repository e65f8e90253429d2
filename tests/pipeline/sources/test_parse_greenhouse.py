import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from parser_fixtures import SavedPayload, fields

from pipeline.domain import Posting, Reject
from pipeline.sources.greenhouse import greenhouse_url, parse_greenhouse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "greenhouse"
SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "api_samples" / "greenhouse"
SOURCE = "greenhouse:quillfeather"


SAVED = SavedPayload(SOURCE, FIXTURES / "board.json", lambda r: parse_greenhouse(r, company="Quillfeather"))
record, fixture_results = SAVED.record, SAVED.results


def test_url_names_the_board_and_asks_for_content() -> None:
    assert greenhouse_url("quillfeather") == "https://boards-api.greenhouse.io/v1/boards/quillfeather/jobs?content=true"
    assert greenhouse_url("a b/c") == "https://boards-api.greenhouse.io/v1/boards/a%20b%2Fc/jobs?content=true"


def test_board_gives_three_postings_and_one_reject_in_order() -> None:
    results = fixture_results()
    assert [type(r).__name__ for r in results] == ["Posting", "Posting", "Reject", "Posting"]


def test_full_job_with_metadata_salary_and_employment() -> None:
    posting = fixture_results()[0]
    assert fields(posting) == {
        "id": "greenhouse:quillfeather:7102001",
        "title": "Senior Machine Learning Engineer, Retrieval",
        "company": "Quillfeather Labs",
        "location": "Toronto, ON (Hybrid)",
        "remote": "hybrid",
        "salary_min": 150000.0,
        "salary_max": 185000.0,
        "salary_currency": "CAD",
        "salary_period": "year",
        "salary_text": None,
        "salary_annual_min": 150000.0,
        "salary_annual_max": 185000.0,
        "employment_type": "full_time",
        "posted_on": date(2026, 2, 2),
        "url": "https://job-boards.greenhouse.io/quillfeather/jobs/7102001?gh_jid=7102001",
        "canonical_url": "https://job-boards.greenhouse.io/quillfeather/jobs/7102001?gh_jid=7102001",
    }


def test_content_is_unescaped_once_and_keeps_headings_and_bullets() -> None:
    posting = fixture_results()[0]
    assert isinstance(posting, Posting)
    assert posting.description.split("\n") == [
        "About the role",
        "You will build the retrieval stack behind our R&D assistant – ranking, caching and evaluation.",
        "What you'll need",
        "- 5+ years with Python & PyTorch",
        "- Experience shipping vector search (FAISS or pgvector)",
        "Café on site, naturally.",
    ]


def test_missing_company_name_and_first_published_fall_back() -> None:
    posting = fixture_results()[1]
    assert isinstance(posting, Posting)
    assert fields(posting) | {"description": posting.description} == {
        "id": "greenhouse:quillfeather:7102002",
        "title": "Data Engineer",
        "company": "Quillfeather",
        "location": "Remote - US",
        "remote": "remote",
        "salary_min": None,
        "salary_max": None,
        "salary_currency": None,
        "salary_period": None,
        "salary_text": None,
        "salary_annual_min": None,
        "salary_annual_max": None,
        "employment_type": None,
        "posted_on": date(2026, 3, 1),
        "url": "https://job-boards.greenhouse.io/quillfeather/jobs/7102002",
        "canonical_url": "https://job-boards.greenhouse.io/quillfeather/jobs/7102002",
        "description": "Own our event pipelines.\n- Airflow\n- dbt",
    }


def test_text_salary_and_workplace_metadata_with_unicode() -> None:
    posting = fixture_results()[3]
    assert fields(posting) == {
        "id": "greenhouse:quillfeather:7102004",
        "title": "KI-Ingenieurin / AI Engineer",
        "company": "Quillfeather Labs",
        "location": "München, Germany",
        "remote": "onsite",
        "salary_min": 70000.0,
        "salary_max": 85000.0,
        "salary_currency": "EUR",
        "salary_period": "year",
        "salary_text": "€70,000 – €85,000 per year",
        "salary_annual_min": 70000.0,
        "salary_annual_max": 85000.0,
        "employment_type": None,
        "posted_on": date(2026, 1, 20),  # 23:30 on the 19th in -08:00 is the 20th in UTC
        "url": "https://job-boards.greenhouse.io/quillfeather/jobs/7102004",
        "canonical_url": "https://job-boards.greenhouse.io/quillfeather/jobs/7102004",
    }
    assert isinstance(posting, Posting)
    assert posting.description == "Du entwickelst LLM-Agenten für unsere Kunden in Bayern."


def test_job_without_title_is_rejected_alone() -> None:
    reject = fixture_results()[2]
    assert isinstance(reject, Reject)
    assert (reject.locator, reject.reason) == ("board.json (posting 7102003)", "no title")


def test_bad_elements_are_rejected_with_the_field_named() -> None:
    payload = json.dumps({"jobs": [7, {"title": "ML Engineer", "content": "&lt;p&gt;x&lt;/p&gt;"}], "meta": {}})
    results = parse_greenhouse(record(payload))
    assert [(r.locator, r.reason) for r in results if isinstance(r, Reject)] == [
        ("board.json (jobs[0])", "jobs[0] is number, expected an object"),
        ("board.json (jobs[1])", "jobs[1] has no id"),
    ]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
            "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)",
        ),
        ("[]", "expected an object with 'jobs', got list"),
        (
            '{"status": 404, "error": "Job board not found"}',
            "expected an object with a 'jobs' list, got keys ['error', 'status'] (error: Job board not found)",
        ),
    ],
)
def test_wrong_shape_payload_is_one_reject(payload: str, reason: str) -> None:
    results = parse_greenhouse(record(payload, locator="https://boards-api.greenhouse.io/v1/boards/x/jobs"))
    assert len(results) == 1
    reject = results[0]
    assert isinstance(reject, Reject)
    assert (reject.locator, reject.reason, reject.payload) == (
        "https://boards-api.greenhouse.io/v1/boards/x/jobs",
        reason,
        payload,
    )


@pytest.mark.shared
def test_real_payloads_parse_or_reject_every_job() -> None:
    files = sorted(SAMPLES.glob("*.json")) if SAMPLES.is_dir() else []
    if not files:
        pytest.skip("../shared Greenhouse samples are absent")
    outcomes: dict[str, Counter[str]] = {}
    for path in files:
        payload = path.read_text(encoding="utf-8")
        results = parse_greenhouse(record(payload, locator=path.name), company="Fallback Co")
        jobs = json.loads(payload)["jobs"]
        assert len(results) == len(jobs)  # one result per job, none lost
        postings = [r for r in results if isinstance(r, Posting)]
        assert len({p.id for p in postings}) == len(postings)
        for posting in postings:
            assert posting.title and posting.description and posting.company
            assert "&lt;" not in posting.description  # content was unescaped
        outcomes[path.name] = Counter(r.reason if isinstance(r, Reject) else "posting" for r in results)
    # the full board (content=true) parses completely; list responses without content have no description
    assert outcomes["tech-jobs-hub_data_full_catawiki.json"] == Counter({"posting": 50})
    assert outcomes["tech-jobs-hub_data_greenhouse.json"] == Counter({"no description": 14})
    assert outcomes["official_docs_list_jobs.json"] == Counter({"no description": 1})
    assert outcomes["official_docs_list_jobs_content_true.json"] == Counter({"posting": 1})
