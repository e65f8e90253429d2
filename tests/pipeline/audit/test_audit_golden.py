"""Golden tests: project-written job descriptions through the whole audit, with and without market figures."""

from __future__ import annotations

import pytest
from audit_samples import (
    AS_OF,
    JUNIOR_SEVEN_YEARS,
    LANGCHAIN_YEARS,
    RESEARCH_IN_DISGUISE,
    TOOL_OVERLOAD,
    WELL_WRITTEN,
    extractor,
    posting,
    snapshot,
    wordlists,
)

from pipeline.analysis.market import MarketSnapshot, Segment
from pipeline.audit.document import read_document
from pipeline.audit.findings import Severity
from pipeline.audit.report import AuditReport, MarketComparison
from pipeline.audit.run import build_report, run_audit


def audit(text: str, market: MarketSnapshot | None = None) -> AuditReport:
    if market is None:
        return run_audit(
            posting(text), extractor=extractor(), wordlists=wordlists(), session=None, as_of=AS_OF, source="test"
        )
    comparison = MarketComparison(status="compared", segment=market.segment.label, postings=market.postings)
    return build_report(
        read_document(posting(text), extractor()),
        wordlists=wordlists(),
        market=market,
        comparison=comparison,
        as_of=AS_OF,
        source="test",
    )


def severities(report: AuditReport) -> dict[str, str]:
    return {f.id: f.severity.value for f in report.findings}


MARKET = snapshot(
    postings=40,
    p90=12.0,
    skills={"Python": (38, 37), "LLMs": (30, 28), "RAG": (20, 18), "Docker": (16, 9), "PyTorch": (1, 1)},
    with_salary=30,
    with_location=39,
    with_remote_policy=25,
    with_preferred_skills=28,
    years_histogram={4: 10, 5: 12, 6: 8, 7: 2},
)


@pytest.mark.parametrize("market", [None, MARKET], ids=["no market", "market"])
def test_an_ai_engineer_asking_a_phd_and_neurips_papers_is_a_research_role_in_disguise(
    market: MarketSnapshot | None,
) -> None:
    report = audit(RESEARCH_IN_DISGUISE, market)
    finding = next(f for f in report.findings if f.id == "research.engineer-title")
    assert finding.severity is Severity.HIGH
    assert [span.text for span in finding.evidence] == [
        "PhD in Computer Science, Machine Learning or a related field",
        "First-author papers at NeurIPS, ICML or ICLR",
    ]
    assert "NeurIPS, ICML, ICLR" in finding.message
    assert report.findings[0] == finding  # highest severity first
    if market is not None:
        assert [figure.label for figure in finding.market] == ["require a PhD", "ask for publications"]


JUNIOR_MARKET = snapshot(postings=40, segment=Segment("ai_engineer", "i"), years_histogram={0: 10, 1: 20, 2: 8, 7: 2})


@pytest.mark.parametrize("market", [None, JUNIOR_MARKET], ids=["no market", "market"])
def test_a_junior_title_asking_seven_years_is_high(market: MarketSnapshot | None) -> None:
    report = audit(JUNIOR_SEVEN_YEARS, market)
    finding = next(f for f in report.findings if f.id == "level.years-above-title")
    assert finding.severity is Severity.HIGH
    assert finding.title == "AI Engineer I ('Junior') title asking 7+ years"
    assert [span.text for span in finding.evidence] == ["7+ years"]
    if market is not None:
        assert finding.market[0].describe() == "5% of 40 postings (AI engineer · I) ask 7+ years"


@pytest.mark.parametrize("market", [None, MARKET], ids=["no market", "market"])
def test_twenty_five_must_have_tools_is_high_overload(market: MarketSnapshot | None) -> None:
    report = audit(TOOL_OVERLOAD, market)
    finding = next(f for f in report.findings if f.id == "overload.required-skills")
    assert finding.severity is Severity.HIGH
    assert finding.title == "25 must-have skills"
    assert len(finding.evidence) == 25
    assert "wording.no-preferred" in severities(report)
    if market is not None:
        assert finding.market[0].value == 12.0 and finding.market[0].sample_size == 40


def test_five_years_of_langchain_is_an_impossible_ask() -> None:
    report = audit(LANGCHAIN_YEARS)
    finding = next(f for f in report.findings if f.id == "tool-years.impossible")
    assert finding.severity is Severity.HIGH
    assert finding.title == "5+ years of LangChain: longer than it exists"
    assert [span.text for span in finding.evidence] == ["5+ years", "LangChain"]
    assert "first released in 2022" in finding.message


@pytest.mark.parametrize("market", [None, MARKET], ids=["no market", "market"])
def test_a_well_written_description_has_no_high_finding(market: MarketSnapshot | None) -> None:
    report = audit(WELL_WRITTEN, market)
    assert not report.fails(Severity.HIGH)
    assert not report.fails(Severity.MEDIUM), severities(report)
    assert report.profile.level == "senior"
    assert report.input.salary == "- Salary: CA$165,000 - CA$195,000 per year, plus equity"


def test_the_report_counts_and_summary_agree_with_the_findings() -> None:
    report = audit(TOOL_OVERLOAD)
    counts = report.counts
    assert counts.high + counts.medium + counts.low + counts.info == len(report.findings)
    assert report.summary() == f"{counts.high} high, {counts.medium} medium, {counts.low} low, {counts.info} info"
    assert report.highest is Severity.HIGH
    assert report.market.status == "skipped" and report.market.reason == "no store to compare with"
    ranks = [f.severity.rank for f in report.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_every_evidence_span_points_into_the_audited_description() -> None:
    for text in (RESEARCH_IN_DISGUISE, JUNIOR_SEVEN_YEARS, TOOL_OVERLOAD, LANGCHAIN_YEARS):
        report = audit(text, MARKET)
        description = report.input.description
        for finding in report.findings:
            for span in finding.evidence:
                assert description[span.start : span.end] == span.text
                assert description.count("\n", 0, span.start) + 1 == span.line
