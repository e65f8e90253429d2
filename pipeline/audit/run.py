"""Run every check over one job description and assemble the report: the library entry point of the JD audit
(the CLI and, later, the dashboard call ``run_audit``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from pipeline.analysis.market import MarketSnapshot
from pipeline.audit.checks.level import check_level
from pipeline.audit.checks.market_skills import check_market_skills
from pipeline.audit.checks.missing import check_missing_information, salary_in_text
from pipeline.audit.checks.overload import check_overload, check_unicorn
from pipeline.audit.checks.research import check_research_role
from pipeline.audit.checks.role_family import check_role_family
from pipeline.audit.checks.tool_years import check_tool_years
from pipeline.audit.checks.wording import (
    check_exclusionary_phrases,
    check_gendered_wording,
    check_requirement_distinctions,
)
from pipeline.audit.document import AuditDocument, read_document
from pipeline.audit.findings import Finding, ordered
from pipeline.audit.market_context import load_market
from pipeline.audit.report import AuditedInput, AuditReport, JobProfile, MarketComparison, count
from pipeline.audit.wordlists import Wordlists
from pipeline.domain import Posting
from pipeline.extraction.extractor import Extractor


def all_findings(
    doc: AuditDocument, *, wordlists: Wordlists, market: MarketSnapshot | None, as_of: date
) -> list[Finding]:
    """Every check's findings, highest severity first (the checks' order within a severity)."""
    return ordered(
        [
            *check_level(doc, market),
            *check_research_role(doc, market),
            *check_role_family(doc, market),
            *check_overload(doc, market),
            *check_unicorn(doc, market),
            *check_tool_years(doc, as_of=as_of),
            *check_missing_information(doc, market),
            *check_exclusionary_phrases(doc, wordlists.phrases),
            *check_gendered_wording(doc, wordlists.gendered),
            *check_requirement_distinctions(doc, market),
            *check_market_skills(doc, market),
        ]
    )


def _salary(doc: AuditDocument) -> str | None:
    posting = doc.posting
    if posting.salary_text:
        return posting.salary_text
    found = salary_in_text(doc)
    return found[1].text if found is not None else None


def build_report(
    doc: AuditDocument,
    *,
    wordlists: Wordlists,
    market: MarketSnapshot | None,
    comparison: MarketComparison,
    as_of: date,
    source: str,
    notes: Sequence[str] = (),
) -> AuditReport:
    findings = tuple(all_findings(doc, wordlists=wordlists, market=market, as_of=as_of))
    ex = doc.extraction
    posting = doc.posting
    return AuditReport(
        generated_on=as_of,
        input=AuditedInput(
            source=source,
            title=posting.title,
            company=posting.company,
            location=posting.location,
            remote=posting.remote,
            salary=_salary(doc),
            description=doc.text,
        ),
        profile=JobProfile(
            extractor_version=ex.extractor_version,
            role_family=ex.role_family.value,
            role_family_evidence=ex.role_family.evidence,
            level=ex.level.value,
            level_evidence=ex.level.evidence,
            years_min=ex.years_min,
            required_skills=tuple(doc.required_skills()),
            preferred_skills=tuple(doc.preferred_skills()),
            specializations=tuple(sorted(ex.specializations)),
            education=ex.education.value,
            education_requirement=ex.education_requirement,
            publications=ex.publications.value,
            publication_venues=ex.publication_venues,
        ),
        market=comparison,
        findings=findings,
        counts=count(findings),
        notes=tuple(notes),
    )


def run_audit(
    posting: Posting,
    *,
    extractor: Extractor,
    wordlists: Wordlists,
    session: Session | None,
    as_of: date,
    source: str,
    since: date | None = None,
    skip_reason: str | None = None,
    notes: Sequence[str] = (),
) -> AuditReport:
    """Audit one posting. With a ``session`` the description is compared with the stored postings (of its role
    family and level, see ``choose_segment``; posted or first seen on or after ``since`` when given); without one
    only the market-independent checks run and the report says why (``skip_reason``).

    Raises ``UnreadableDescriptionError`` for an empty or non-English description."""
    doc = read_document(posting, extractor)
    if session is None:
        market: MarketSnapshot | None = None
        comparison = MarketComparison.skipped(skip_reason or "no store to compare with")
    else:
        market, comparison = load_market(doc.extraction, session=session, since=since)
    return build_report(
        doc, wordlists=wordlists, market=market, comparison=comparison, as_of=as_of, source=source, notes=notes
    )
