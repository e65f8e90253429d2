"""Every output format parses: HTML (html.parser and BeautifulSoup), JSON (validates against the model and the
shipped schema), Markdown (the sections), text; description text is escaped everywhere."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from audit_samples import AS_OF, REPO, TOOL_OVERLOAD, extractor, posting, snapshot, wordlists
from bs4 import BeautifulSoup

from pipeline.audit.document import read_document
from pipeline.audit.render import FORMATS, render
from pipeline.audit.report import AuditReport, MarketComparison, json_schema
from pipeline.audit.run import build_report

HOSTILE = (
    "Senior AI <script>alert('x')</script> Engineer | *rockstar*\n"
    "Requirements\n- 12+ years of Python <b>bold</b> & [link](http://x.example)\n- Be a rockstar ninja"
)
MARKET = snapshot(postings=12, skills={"Python": (11, 10), "LLMs": (9, 8)}, with_salary=6)


def report_of(text: str) -> AuditReport:
    comparison = MarketComparison(
        status="compared", segment=MARKET.segment.label, postings=12, store_postings=50, warning=MARKET.warning
    )
    return build_report(
        read_document(posting(text), extractor()),
        wordlists=wordlists(),
        market=MARKET,
        comparison=comparison,
        as_of=AS_OF,
        source="jd <1>.txt",
        notes=("a note with <tags>",),
    )


class Collector(HTMLParser):
    """Strict enough: collects start tags and text, fails on a stray end tag."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("meta", "br", "link", "img", "input", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (tag, self.open[-3:])
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_parses_escapes_everything_and_has_the_sections() -> None:
    report = report_of(HOSTILE)
    page = render(report, "html")
    parser = Collector()
    parser.feed(page)
    parser.close()
    assert parser.open == [] and "script" not in parser.tags and "b" not in parser.tags
    soup = BeautifulSoup(page, "html.parser")
    assert soup.title is not None and soup.title.get_text() == f"JD audit: {report.input.title}"
    assert [h.get("id") for h in soup.find_all("h2")] == ["summary", "findings", "market", "read", "notes"]
    sections = soup.select("section.finding")
    assert [s["data-id"] for s in sections] == [f.id for f in report.findings]
    assert [s["data-severity"] for s in sections] == [f.severity.value for f in report.findings]
    assert "<script>alert('x')</script>" in soup.get_text()  # shown as text, never run
    assert "a note with <tags>" in soup.get_text()


def test_json_validates_against_the_model_and_the_shipped_schema() -> None:
    report = report_of(TOOL_OVERLOAD)
    text = render(report, "json")
    assert AuditReport.model_validate_json(text) == report
    data = json.loads(text)
    assert data["schema_version"] == "1"
    assert {f["severity"] for f in data["findings"]} <= {"high", "medium", "low", "info"}
    assert data["findings"][0]["evidence"][0].keys() == {"text", "start", "end", "line"}
    assert data["findings"][0]["market"][0].keys() == {"label", "value", "unit", "sample_size", "segment", "warning"}


def test_the_shipped_json_schema_is_the_models() -> None:
    shipped = (REPO / "data" / "audit" / "report.schema.json").read_text(encoding="utf-8")
    assert shipped == json_schema(), "regenerate data/audit/report.schema.json (see pipeline.audit.report.json_schema)"
    assert json.loads(shipped)["title"] == "AuditReport"


def test_markdown_has_the_sections_and_escapes_description_text() -> None:
    report = report_of(HOSTILE)
    text = render(report, "md")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0].startswith("# JD audit: ")
    assert [h for h in headings if h.startswith("## ")] == [
        "## Summary",
        "## Findings",
        "## Market comparison",
        "## What jobatlas read",
        "## Notes",
    ]
    assert sum(h.startswith("### ") for h in headings) == len(report.findings)
    assert "<script>" not in text and "\\<script\\>" in text
    assert "| Findings | " + report.summary() + " |" in text
    assert "only 12 postings (fewer than 30)" in text


def test_text_report_lists_every_finding_with_evidence_and_market() -> None:
    report = report_of(HOSTILE)
    text = render(report, "text", width=100)
    assert text.splitlines()[:2] == [f"JD audit: {report.input.title}", "Source    jd <1>.txt"]
    assert all(len(line) <= 100 for line in text.splitlines())
    for finding in report.findings:
        assert finding.title in text
    assert "evidence line 2: “12+ years”" in text
    assert "market   " in text and "warning: only 12 postings" in text
    assert "\x1b[" not in text  # no colour codes


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_without_findings_renders(fmt: str) -> None:
    report = report_of(
        "Senior AI Engineer\nRequirements\n- 5 years of Python\nSalary: $150k-$170k per year\nRemote (US)"
    )
    empty = report.model_copy(
        update={
            "findings": (),
            "counts": report.counts.model_copy(update={"low": 0, "info": 0, "medium": 0, "high": 0}),
        }
    )
    assert render(empty, fmt)  # type: ignore[arg-type]
