"""Every export of the gap report parses: HTML (with the chart), CSV columns, JSON against the shipped schema, PDF
pages (pypdf), Markdown sections; names carry the segment and the day; the window and sample sizes are stated."""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import pytest
from bs4 import BeautifulSoup
from gap_samples import AS_OF, REPO, SENIOR_RAG, extractor
from pypdf import PdfReader

from pipeline.analysis.market import Segment, SegmentProfile, SkillDemand, SkillPair, WeekCounts
from pipeline.gap import GapReport, UnknownSkill, UserSkills
from pipeline.gap.build import assemble
from pipeline.gap.render import FORMATS, export_name, render
from pipeline.gap.render.csv_export import COLUMNS
from pipeline.gap.report import json_schema

N = 40
USER = UserSkills(source="resume.md", skills=("Python", "Docker", "C#"), unknown=(UnknownSkill("pyhton", ("Python",)),))
DEMAND = [
    SkillDemand("Python", "language", 36, 34, N),
    SkillDemand("RAG", "concept", 30, 25, N),
    SkillDemand("LLMs", "concept", 28, 20, N),
    SkillDemand("Docker", "mlops_infra", 12, 5, N),
    *(SkillDemand(f"Skill {i}", "concept", 1, 0, N) for i in range(30)),  # more than the readable exports list
]


def make(segment: Segment = SENIOR_RAG, demand: list[SkillDemand] = DEMAND, postings: int = N) -> GapReport:
    first = AS_OF.replace(day=1)
    weeks = [WeekCounts(first, first, 10, {"RAG": 5, "Python": 9}), WeekCounts(first, first, 0)] * 2
    return assemble(
        USER,
        segment,
        taxonomy=extractor().taxonomy,
        as_of=AS_OF,
        profile=SegmentProfile(postings=postings, first_day=first, last_day=AS_OF),
        demand=[SkillDemand(d.skill, d.category, d.asked, d.required, postings) for d in demand],
        weeks=weeks,
        pairs=[SkillPair("Python", "RAG", 28, postings)] if demand else [],
        store_pairs=[],
        store_postings=postings,
    )


def test_file_names_carry_the_segment_and_the_day() -> None:
    assert export_name(make(), "md") == "gap_ai_engineer_senior_rag_2026-11-28.md"
    assert export_name(make(Segment("ml_engineer")), "pdf") == "gap_ml_engineer_all_all_2026-11-28.pdf"


def test_html_is_a_page_with_the_chart_and_every_section() -> None:
    soup = BeautifulSoup(render(make(), "html").decode("utf-8"), "html.parser")
    assert soup.title is not None and soup.title.text == "Skill gap: AI engineer · Senior · rag"
    svg = soup.select_one("figure.chart svg")
    assert svg is not None and "Python" in svg.text  # the static chart, drawn with the skill names
    assert not soup.find_all("script")  # works offline
    headings = [h.text for h in soup.find_all("h2")]
    assert headings[:3] == ["Most asked skills", "What you have (2, by demand)", "What is missing (32, by demand)"]
    text = soup.get_text(" ")
    assert "40 postings of AI engineer · Senior · rag (posted or first seen 2026-11-01 to 2026-11-28)" in text
    assert "'pyhton' is not in the taxonomy; did you mean Python?" in text
    assert "90% (36 of 40)" in text and "Python: asked by 36 of 40 postings" in text
    assert soup.select_one("#sample-warning") is None  # 40 postings: no warning


def test_html_of_an_empty_segment_warns_and_has_no_chart() -> None:
    soup = BeautifulSoup(render(make(demand=[], postings=0), "html").decode("utf-8"), "html.parser")
    warning = soup.select_one("#sample-warning")
    assert warning is not None and "only 0 postings (fewer than 30)" in warning.text
    assert soup.select_one("figure.chart") is None


def test_csv_has_one_row_per_skill_with_the_columns() -> None:
    rows = list(csv.DictReader(io.StringIO(render(make(), "csv").decode("utf-8"))))
    assert tuple(rows[0]) == COLUMNS
    python = next(r for r in rows if r["skill"] == "Python")
    assert (python["status"], python["rank"], python["asked"], python["postings"]) == ("have", "1", "36", "40")
    assert (python["share_asked"], python["week1_share"], python["week2_share"], python["trend"]) == (
        "0.9000",
        "0.9000",
        "",
        "steady",
    )
    rag = next(r for r in rows if r["skill"] == "RAG")
    assert (rag["status"], rag["order"], rag["prerequisites"]) == ("missing", "3", "Embeddings;LLMs")
    assert next(r for r in rows if r["skill"] == "Embeddings")["status"] == "prerequisite"
    assert {r["first_day"] for r in rows} == {"2026-11-01"} and {r["segment"] for r in rows} == {SENIOR_RAG.label}
    assert len(rows) == len(make().skills) == 34 + 1 + 1  # asked, C# (have, not asked), Embeddings


def test_json_validates_against_the_shipped_schema() -> None:
    report = make()
    data = json.loads(render(report, "json"))
    shipped = (REPO / "data" / "gap" / "report.schema.json").read_text(encoding="utf-8")
    assert shipped == json_schema(), "regenerate data/gap/report.schema.json (see pipeline.gap.report.json_schema)"
    jsonschema.validate(data, json.loads(shipped))
    assert GapReport.model_validate(data) == report
    assert data["segment"]["postings"] == 40 and data["coverage"]["met"] == 36 + 12


@pytest.mark.parametrize("postings", [40, 0])
def test_pdf_pages(postings: int) -> None:
    data = render(make(demand=DEMAND if postings else [], postings=postings), "pdf")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Skill gap: AI engineer" in text
    if postings:
        assert len(reader.pages) == 2  # the chart and two tables of up to 25 skills, then the rest
        assert "Learning order" in text and "40 postings of AI engineer" in text
    else:
        assert len(reader.pages) == 1
        assert "only 0 postings (fewer than 30)" in text


def test_markdown_and_text_state_the_window_and_the_sample_sizes() -> None:
    md = render(make(), "md").decode("utf-8")
    assert md.startswith("# Skill gap: AI engineer · Senior · rag\n")
    assert "| 2 | RAG | 75% (30 of 40) | 62% | 50%, n/a, 50%, n/a (steady) |" in md
    assert "... and 7 more (see the CSV or JSON export)" in md
    assert "| Python + RAG | 28 | 70% |" in md
    small = [SkillDemand("Python", "language", 10, 9, 12), SkillDemand("RAG", "concept", 6, 6, 12)]
    text = render(make(demand=small, postings=12), "text").decode("utf-8")
    assert "warning: only 12 postings (fewer than 30): read as indicative" in text
    assert "  1. Embeddings: not asked; needed for RAG\n  2. LLMs: not asked; needed for RAG\n" in text
    assert "  3. RAG: 50% (6 of 12; required 50%); after Embeddings, LLMs\n" in text


def test_every_format_renders() -> None:
    report = make()
    assert all(render(report, fmt) for fmt in FORMATS)
