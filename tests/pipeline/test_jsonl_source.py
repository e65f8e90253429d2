import json

import pytest

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.sources.jsonl_file import parse_posting_line


def record(payload: str, locator: str = "p.jsonl:7") -> RawRecord:
    return RawRecord(source_id="file:p", locator=locator, payload=payload)


def test_parses_a_complete_line() -> None:
    line = {
        "id": "acme:1",
        "title": " Senior  ML Engineer ",
        "company": "Acme",
        "location": "Remote (US)",
        "posted_at": "2026-10-05T09:00:00-04:00",
        "salary_text": "$150k-$190k",
        "url": "https://x.example/1",
        "description_text": "Build models.",
        "extra_field": [1, 2],
    }
    posting = parse_posting_line(record(json.dumps(line)))
    assert isinstance(posting, Posting)
    assert posting.model_dump(exclude={"raw_hash"}) == {
        "id": "acme:1",
        "source_id": "file:p",
        "title": "Senior ML Engineer",
        "company": "Acme",
        "location": "Remote (US)",
        "remote": "remote",
        "salary_min": 150000.0,
        "salary_max": 190000.0,
        "salary_currency": "USD",
        "salary_period": "year",
        "salary_text": "$150k-$190k",
        "salary_annual_min": 150000.0,
        "salary_annual_max": 190000.0,
        "employment_type": None,
        "posted_on": __import__("datetime").date(2026, 10, 5),
        "url": "https://x.example/1",
        "canonical_url": "https://x.example/1",
        "description": "Build models.",
    }


def test_html_description_is_used_when_text_is_missing() -> None:
    line = {"title": "AI Engineer", "description_text": None, "description_html": "<p>RAG &amp; agents</p>"}
    posting = parse_posting_line(record(json.dumps(line)))
    assert isinstance(posting, Posting)
    assert posting.description == "RAG & agents"
    assert posting.id.startswith("file:p:")  # no id given: derived from title, company, location


def test_content_hash_is_stable_and_tracks_content() -> None:
    line = {"id": "a:1", "title": "AI Engineer", "description_text": "Python"}
    first = parse_posting_line(record(json.dumps(line)))
    again = parse_posting_line(record(json.dumps(line, indent=1), locator="p.jsonl:9"))
    changed = parse_posting_line(record(json.dumps({**line, "description_text": "Python, SQL"})))
    assert isinstance(first, Posting) and isinstance(again, Posting) and isinstance(changed, Posting)
    assert first.content_hash == again.content_hash
    assert first.content_hash != changed.content_hash


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            '{"title": "ML Engineer", ',
            "invalid JSON: Expecting property name enclosed in double quotes (column 26)",
        ),
        ("[1, 2]", "expected a JSON object, got list"),
        ('{"description_text": "x"}', "no title"),
        ('{"title": "   ", "description_text": "x"}', "no title"),
        ('{"title": 5, "description_text": "x"}', "title: Input should be a valid string"),
        ('{"title": "AI Engineer"}', "no description"),
        ('{"title": "AI Engineer", "description_text": "x", "posted_at": "soon"}', "posted date 'soon' is not a date"),
    ],
)
def test_bad_lines_are_rejected_with_a_reason(payload: str, reason: str) -> None:
    result = parse_posting_line(record(payload))
    assert isinstance(result, Reject)
    assert result.reason == reason
    assert result.locator == "p.jsonl:7"
    assert result.payload == payload
    assert result.describe() == f"p.jsonl:7: {reason}"
