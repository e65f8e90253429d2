"""The JSONL batch extraction on postings written for these tests: exact outputs, order, workers, bad lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.domain import Extraction, Posting
from pipeline.extraction.batch import extract_file, tag_lines
from pipeline.extraction.extractor import RULES_VERSION, Extractor, build_extractor
from pipeline.extraction.taxonomy import load_taxonomy

TAXONOMY = Path(__file__).resolve().parents[3] / "data" / "taxonomy"

POSTINGS: list[dict[str, Any]] = [
    {
        "id": "t:1",
        "title": "Senior AI Engineer, Retrieval",
        "company": "Vectorly",
        "location": "Remote (US)",
        "salary_text": "$180,000 - $220,000 a year",
        "description_text": (
            "About us\nVectorly sells a managed vector database.\n\n"
            "What you'll do\n- Build retrieval-augmented generation features with LangChain\n\n"
            "Requirements\n- 5+ years of software engineering\n- Python and SQL\n- BS in Computer Science\n\n"
            "Nice to have\n- Terraform"
        ),
    },
    {
        "id": "t:2",
        "title": "Research Scientist, LLM",
        "description_text": "Requirements\n- PhD in machine learning\n- First-author publications at NeurIPS or ICML",
    },
    {
        "id": "t:3",
        "title": None,
        "description_text": "Acme | Remote\nWe need a Python engineer with 2+ years of Kafka.",
    },
    {
        "id": "t:4",
        "title": "Data Engineer",
        "location": "Berlin, Germany (Hybrid)",
        "description_html": "<h3>Requirements</h3><ul><li>Airflow and dbt</li><li>Bachelor's degree</li></ul>",
    },
]
MALFORMED = {"id": "t:bad", "title": "ML Engineer"}  # no description


def write_input(path: Path) -> Path:
    lines = [json.dumps(POSTINGS[0]), json.dumps(POSTINGS[1]), "", json.dumps(MALFORMED)]
    lines += [json.dumps(p) for p in POSTINGS[2:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_output(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return build_extractor(TAXONOMY)


def test_one_output_line_per_input_line_in_order(tmp_path: Path) -> None:
    summary = extract_file(write_input(tmp_path / "in.jsonl"), tmp_path / "out.jsonl", taxonomy_dir=TAXONOMY)
    assert (summary.lines, summary.tagged, summary.errors) == (5, 4, 1)
    assert summary.first_errors == ("line 4: no description",)
    out = read_output(tmp_path / "out.jsonl")
    assert [item["id"] for item in out] == ["t:1", "t:2", "t:bad", "t:3", "t:4"]
    assert out[2] == {"id": "t:bad", "line": 4, "error": "no description"}  # the blank line 3 is skipped
    assert not list(tmp_path.glob(".out.jsonl*"))  # no partial file left behind


def test_exact_output_of_one_posting(tmp_path: Path) -> None:
    extract_file(write_input(tmp_path / "in.jsonl"), tmp_path / "out.jsonl", taxonomy_dir=TAXONOMY)
    evidence = "- Build retrieval-augmented generation features with LangChain"
    version = f"rules-{RULES_VERSION}+taxonomy-{load_taxonomy(TAXONOMY / 'skills.yaml').version}"
    assert read_output(tmp_path / "out.jsonl")[0] == {
        "id": "t:1",
        "title": "Senior AI Engineer, Retrieval",
        "level": "senior",
        "track": "ic",
        "role_family": "ai_engineer",
        "specializations": ["rag"],
        "specialization_scores": {"rag": 4.0},  # one line of the text, and the title
        "skills": [
            {"name": "RAG", "category": "concept", "requirement": "required", "evidence": evidence,
             "start": 75, "end": 105},
            {"name": "LangChain", "category": "llm_tooling", "requirement": "required", "evidence": evidence,
             "start": 120, "end": 129},
            {"name": "Python", "category": "language", "requirement": "required", "evidence": "- Python and SQL",
             "start": 181, "end": 187},
            {"name": "SQL", "category": "language", "requirement": "required", "evidence": "- Python and SQL",
             "start": 192, "end": 195},
            {"name": "Terraform", "category": "mlops_infra", "requirement": "preferred", "evidence": "- Terraform",
             "start": 237, "end": 246},
        ],
        "years_experience_min": 5,
        "education_min": "bachelor",
        "education_requirement": "required",
        "publications_required": None,
        "publication_venues": [],
        "salary": {"min": 180000.0, "max": 220000.0, "currency": "USD", "period": "year",
                   "annual_min": 180000.0, "annual_max": 220000.0},
        "remote": "remote",
        "evidence": {
            "level": "title: Senior",
            "track": "Senior AI Engineer, Retrieval",
            "role_family": "title names AI; asks 2 LLM-application skills vs 0 model-training",
            "specializations": {"rag": ["title: Senior AI Engineer, Retrieval", evidence]},
            "years": "5+ years",
            "education": "- BS in Computer Science",
            "publications": None,
            "skipped": None,
            "truncated": None,
        },
        "confidence": {"level": 0.9, "track": 0.8, "role_family": 0.6},
        "extractor_version": version,
    }  # fmt: skip
    description = POSTINGS[0]["description_text"]
    assert [description[s["start"] : s["end"]] for s in read_output(tmp_path / "out.jsonl")[0]["skills"]] == [
        "retrieval-augmented generation",
        "LangChain",
        "Python",
        "SQL",
        "Terraform",
    ]


def test_research_untitled_and_html_postings(tmp_path: Path) -> None:
    extract_file(write_input(tmp_path / "in.jsonl"), tmp_path / "out.jsonl", taxonomy_dir=TAXONOMY)
    research, untitled, html = (read_output(tmp_path / "out.jsonl")[i] for i in (1, 3, 4))
    assert (research["role_family"], research["education_min"], research["education_requirement"]) == (
        "ai_researcher",
        "phd",
        "required",
    )
    assert (research["publications_required"], research["publication_venues"]) == ("required", ["NeurIPS", "ICML"])
    # a missing title is not a bad line: the description is still tagged, with no title-based label
    assert (untitled["title"], untitled["level"], untitled["years_experience_min"]) == (None, "ii", 2)
    assert [s["name"] for s in untitled["skills"]] == ["Python", "Kafka"]
    assert (html["role_family"], html["education_min"], html["remote"], html["salary"]) == (
        "data_engineer",
        "bachelor",
        "hybrid",
        None,
    )
    assert [s["name"] for s in html["skills"]] == ["Airflow", "dbt"]


def test_lines_that_are_not_postings(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        'not json\n[1, 2]\n{"id": 7, "title": "x"}\n\n{"id": "ok", "title": "x", "description_text": "y"}\n'
    )
    summary = extract_file(path, tmp_path / "out" / "tags.jsonl", taxonomy_dir=TAXONOMY)
    out = read_output(tmp_path / "out" / "tags.jsonl")
    assert out[:3] == [
        {"id": None, "line": 1, "error": "invalid JSON: Expecting value (column 1)"},
        {"id": None, "line": 2, "error": "expected a JSON object, got list"},
        {"id": None, "line": 3, "error": "id: Input should be a valid string"},
    ]
    assert out[3]["id"] == "ok"
    assert (summary.lines, summary.tagged, summary.errors) == (4, 1, 3)


def test_two_workers_write_exactly_what_one_writes(tmp_path: Path) -> None:
    lines = []
    for copy in range(12):  # 12 x 5 lines in chunks of 4: many chunks in flight at once
        for posting in [*POSTINGS, MALFORMED]:
            lines.append(json.dumps({**posting, "id": f"{posting['id']}-{copy}"}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    progress: list[tuple[int, int]] = []
    one = extract_file(path, tmp_path / "one.jsonl", taxonomy_dir=TAXONOMY, workers=1, chunk_size=4)
    two = extract_file(
        path,
        tmp_path / "two.jsonl",
        taxonomy_dir=TAXONOMY,
        workers=2,
        chunk_size=4,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()
    assert (two.lines, two.tagged, two.errors) == (one.lines, one.tagged, one.errors) == (60, 48, 12)
    assert progress[-1] == (60, 60) and len(progress) == 15


def test_workers_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers must be at least 1"):
        extract_file(write_input(tmp_path / "in.jsonl"), tmp_path / "out.jsonl", taxonomy_dir=TAXONOMY, workers=0)


def test_a_posting_the_extractor_fails_on_becomes_an_error_line(
    extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_extract = extractor.extract

    def failing_many(postings: Iterable[Posting], *, batch_size: int = 64) -> Iterator[Extraction]:
        raise RuntimeError("batch failed")

    def failing_one(posting: Posting) -> Extraction:
        if posting.id == "t:2":
            raise RuntimeError("boom")
        return real_extract(posting)

    monkeypatch.setattr(extractor, "extract_many", failing_many)
    monkeypatch.setattr(extractor, "extract", failing_one)
    out = tag_lines(extractor, [(1, json.dumps(POSTINGS[0])), (2, json.dumps(POSTINGS[1]))])
    assert out[0]["id"] == "t:1" and "error" not in out[0]
    assert out[1] == {"id": "t:2", "line": 2, "error": "extraction failed: RuntimeError: boom"}
