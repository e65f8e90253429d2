from datetime import date
from pathlib import Path

import pytest

from pipeline.domain import Posting, RawRecord, Reject, sha256_hex
from pipeline.sources.local_files import parse_local_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
SOURCE = "local:mine"


def file_record(relative: str) -> RawRecord:
    path = FIXTURES / relative
    return RawRecord(source_id=SOURCE, locator=str(path), payload=path.read_text(encoding="utf-8"))


def outcomes(results: list[Posting | Reject]) -> list[tuple[str, str]]:
    return [("posting", r.id) if isinstance(r, Posting) else ("reject", f"{r.locator}: {r.reason}") for r in results]


def test_jsonl_file_is_parsed_line_by_line() -> None:
    record = file_record("local_files/postings.jsonl")
    results = parse_local_file(record)
    data_engineer_id = sha256_hex("Data Engineer|Gullwing Labs|None")[:16]
    assert outcomes(results) == [
        ("posting", "mine:1"),
        ("reject", f"{record.locator}:3: no title"),  # line 2 is blank
        ("posting", f"{SOURCE}:{data_engineer_id}"),
    ]
    first = results[0]
    assert isinstance(first, Posting)
    assert (first.title, first.company, first.location, first.remote, first.salary_currency, first.posted_on) == (
        "Applied AI Engineer",
        "Gullwing Labs",
        "Remote (EU)",
        "remote",
        "EUR",
        date(2026, 3, 1),
    )
    assert first.description == "Build RAG features.\n- Python\n- Postgres"


def test_a_single_jsonl_line_record_is_parsed_as_that_line() -> None:
    line = '{"id": "x:1", "title": "ML Engineer", "description_text": "Models."}'
    (posting,) = parse_local_file(RawRecord(source_id=SOURCE, locator="/data/p.jsonl:12", payload=line))
    assert isinstance(posting, Posting) and posting.id == "x:1"


def test_csv_rows_use_the_jsonl_columns() -> None:
    record = file_record("local_files/postings.csv")
    results = parse_local_file(record)
    analytics_id = sha256_hex("Analytics Engineer|Harrow & Finch|Hybrid - Austin")[:16]
    assert outcomes(results) == [
        ("posting", "csv:1"),
        ("reject", f"{record.locator}:3: no title"),
        ("posting", f"{SOURCE}:{analytics_id}"),
    ]
    first, _, third = results
    assert isinstance(first, Posting) and isinstance(third, Posting)
    assert first.model_dump(exclude={"raw_hash", "description"}) == {
        "id": "csv:1",
        "source_id": SOURCE,
        "title": "ML Engineer",
        "company": "Harrow & Finch",
        "location": "Austin, TX",
        "remote": None,
        "salary_min": 140000.0,
        "salary_max": 170000.0,
        "salary_currency": "USD",
        "salary_period": "year",
        "salary_text": "$140k-$170k",
        "salary_annual_min": 140000.0,
        "salary_annual_max": 170000.0,
        "employment_type": None,
        "posted_on": date(2026, 2, 14),
        "url": "https://harrowfinch.example/ml",
        "canonical_url": "https://harrowfinch.example/ml",
    }
    assert first.description == "Train ranking models.\n- PyTorch\n- Spark"  # a quoted multi-line cell
    assert (third.remote, third.posted_on, third.url) == ("hybrid", None, None)  # empty cells are missing values


def test_markdown_file_title_is_the_first_line_without_hashes() -> None:
    (posting,) = parse_local_file(file_record("local_files/senior-nlp-engineer.md"))
    assert isinstance(posting, Posting)
    assert (posting.id, posting.title) == (f"{SOURCE}:senior-nlp-engineer", "Senior NLP Engineer")
    assert posting.description.split("\n") == [
        "Lanternfish is hiring an NLP engineer in Oslo.",
        "",
        "## You will",
        "- Build entity linking for legal documents",
        "- Mentor two engineers",
    ]


def test_text_file_and_blank_text_file() -> None:
    (posting,) = parse_local_file(file_record("local_files/research-scientist.txt"))
    assert isinstance(posting, Posting)
    assert (posting.id, posting.title, posting.description) == (
        f"{SOURCE}:research-scientist",
        "Research Scientist, Multimodal",
        "Tidepool Research, Reykjavík (on-site)\n\nWe study glaciers with vision-language models.",
    )
    record = file_record("local_files/empty-title.txt")
    assert outcomes(parse_local_file(record)) == [("reject", f"{record.locator} (posting empty-title): no title")]


def test_html_file_goes_through_the_career_page_parser() -> None:
    (posting,) = parse_local_file(file_record("jsonld/graph.html"))
    assert isinstance(posting, Posting)
    assert (posting.id, posting.title, posting.salary_currency) == (
        f"{SOURCE}:HG-4471",
        "Senior Data Scientist, Forecasting",
        "GBP",
    )


@pytest.mark.parametrize(
    ("locator", "reason"),
    [
        (
            "/data/postings.xlsx",
            "unsupported file type '.xlsx' (expected one of .jsonl, .csv, .html, .htm, .txt, .md)",
        ),
        ("/data/README", "unsupported file type no extension (expected one of .jsonl, .csv, .html, .htm, .txt, .md)"),
    ],
)
def test_unknown_extension_is_one_reject(locator: str, reason: str) -> None:
    results = parse_local_file(RawRecord(source_id=SOURCE, locator=locator, payload="PK\x03\x04"))
    assert outcomes(results) == [("reject", f"{locator}: {reason}")]


def test_broken_csv_row_is_rejected_not_raised() -> None:
    payload = "title,description_text\nML Engineer,ok\nAI Engineer," + "x" * 200_000 + "\n"
    results = parse_local_file(RawRecord(source_id=SOURCE, locator="/data/big.csv", payload=payload))
    assert [type(r).__name__ for r in results] == ["Posting", "Reject"]
    assert outcomes(results)[1] == ("reject", "/data/big.csv:3: invalid CSV: field larger than field limit (131072)")
