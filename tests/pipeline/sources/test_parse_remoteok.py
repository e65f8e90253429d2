import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from parser_fixtures import SavedPayload, fields

from pipeline.domain import Posting, Reject
from pipeline.sources.remoteok import REMOTEOK_URL, fix_mojibake, parse_remoteok, remoteok_url

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources" / "remoteok"
SAMPLE = Path(__file__).resolve().parents[3].parent / "shared/corpus/api_samples/remoteok/resume-helper_remoteok.json"
SOURCE = "remoteok"
JOB_URL = "https://remoteOK.com/remote-jobs/remote-{}"


SAVED = SavedPayload(SOURCE, FIXTURES / "api.json", lambda r: parse_remoteok(r))
record, fixture_results, posting_at = SAVED.record, SAVED.results, SAVED.posting_at


def test_url() -> None:
    assert remoteok_url() == REMOTEOK_URL == "https://remoteok.com/api"


def test_legal_notice_is_skipped_and_untitled_job_rejected() -> None:
    results = fixture_results()
    assert [r.id if isinstance(r, Posting) else r.reason for r in results] == [
        "remoteok:2200101",
        "remoteok:2200102",
        "no title",
        "remoteok:2200104",
    ]
    assert isinstance(results[2], Reject) and results[2].locator == "api.json (posting 2200103)"


def test_yearly_salary_mojibake_repair_and_attribution_line() -> None:
    posting = posting_at(0)
    url = JOB_URL.format("senior-llm-engineer-brightloom-2200101")
    assert fields(posting) == {
        "id": "remoteok:2200101",
        "title": "Senior LLM Engineer",
        "company": "Brightloom",
        "location": "Worldwide",
        "remote": "remote",
        "salary_min": 120000.0,
        "salary_max": 150000.0,
        "salary_currency": "USD",
        "salary_period": "year",
        "salary_text": "120000-150000",
        "salary_annual_min": 120000.0,
        "salary_annual_max": 150000.0,
        "employment_type": "full_time",
        "posted_on": date(2026, 3, 19),
        "url": url,
        "canonical_url": url.replace("remoteOK.com", "remoteok.com"),
    }
    assert posting.description.split("\n") == [
        "Brightloom builds study tools for nurses.",
        "What You’ll Do",
        "- Ship retrieval & grounding features",
        "- Run offline evals",
        "",
        f"Source: Remote OK ({url})",
    ]


def test_hourly_contract_with_location() -> None:
    posting = posting_at(1)
    assert fields(posting) | {"description": posting.description} == {
        "id": "remoteok:2200102",
        "title": "Data Labeling Lead",
        "company": "Pomar Dados",
        "location": "Lisboa, Portugal",
        "remote": "remote",
        "salary_min": 45.0,
        "salary_max": 60.0,
        "salary_currency": "USD",
        "salary_period": "hour",
        "salary_text": "45-60",
        "salary_annual_min": 93600.0,
        "salary_annual_max": 124800.0,
        "employment_type": "contract",
        "posted_on": date(2026, 3, 18),
        "url": JOB_URL.format("data-labeling-lead-pomar-2200102"),
        "canonical_url": JOB_URL.format("data-labeling-lead-pomar-2200102").replace("remoteOK", "remoteok"),
        "description": "Hourly contract.\nLead a team of five annotators in Lisboa.\n\n"
        f"Source: Remote OK ({JOB_URL.format('data-labeling-lead-pomar-2200102')})",
    }


def test_only_a_maximum_given_and_no_location() -> None:
    posting = posting_at(3)
    assert (posting.location, posting.salary_min, posting.salary_max, posting.salary_text, posting.employment_type) == (
        None,
        95000.0,
        95000.0,
        "95000",
        None,
    )
    assert posting.description.split("\n")[:2] == [
        "About us",
        "We count fish from underwater cameras — no fish harmed.",
    ]


def test_mojibake_repair_leaves_real_text_alone() -> None:
    assert fix_mojibake("Gda\u00c5\u0084sk \u00e2\u0080\u0094 caf\u00e9") == "Gdańsk — café"
    assert fix_mojibake("Zürich, naïve, 100 €") == "Zürich, naïve, 100 €"


def test_bad_elements_are_rejected() -> None:
    payload = json.dumps([{"legal": "terms"}, "x", {"position": "ML Engineer", "description": "<p>Hi</p>"}])
    assert [(r.locator, r.reason) for r in parse_remoteok(record(payload)) if isinstance(r, Reject)] == [
        ("api.json (element 1)", "element 1 is string, expected an object"),
        ("api.json (element 2)", "element 2 has no id"),
    ]


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            "<!DOCTYPE html><html><head><title>Just a moment...</title></head></html>",
            "invalid JSON: Expecting value (line 1 column 1) (the payload looks like HTML)",
        ),
        ('{"error": "rate limited"}', "expected a list of jobs, got object"),
    ],
)
def test_wrong_shape_payload_is_one_reject(payload: str, reason: str) -> None:
    results = parse_remoteok(record(payload))
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [("Reject", reason)]


@pytest.mark.shared
def test_real_payload_parses_every_job_with_attribution() -> None:
    if not SAMPLE.is_file():
        pytest.skip("../shared RemoteOK sample is absent")
    payload = SAMPLE.read_text(encoding="utf-8")
    elements = json.loads(payload)
    results = parse_remoteok(record(payload, locator=SAMPLE.name))
    assert len(elements) == 98 and len(results) == 97  # the legal notice is skipped, nothing else is lost
    postings = [r for r in results if isinstance(r, Posting)]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert [r.reason for r in rejects] == ["no title"]  # the one empty element (no position, no company)
    assert len(postings) == 96 and len({p.id for p in postings}) == 96
    for posting in postings:
        assert posting.remote in ("remote", "hybrid")
        assert posting.description.endswith(f"Source: Remote OK ({posting.url})")
        assert "\u00e2\u0080" not in posting.description and "\u00e2\u0080" not in posting.title
    salaries = Counter(p.salary_period for p in postings if p.salary_min is not None)
    assert salaries == Counter({"year": 14, "hour": 4})
