"""Sentences every rendering of the report shares."""

from __future__ import annotations

from pipeline.analysis.market import FAMILY_NAMES
from pipeline.audit.checks.level import LEVEL_TITLES
from pipeline.audit.findings import Finding, Span
from pipeline.audit.report import AuditReport
from pipeline.domain import Level

MAX_EVIDENCE = 12  # evidence spans shown per finding (the JSON keeps them all)


def read_as(report: AuditReport) -> str:
    """How the extractor read the description, in one line."""
    p = report.profile
    family = FAMILY_NAMES.get(p.role_family or "", p.role_family or "no role family")
    level = LEVEL_TITLES[Level(p.level)] if p.level else "no level"
    parts = [family, level if not p.level_evidence else f"{level} ({p.level_evidence})"]
    if p.years_min is not None and f"{p.years_min}" not in (p.level_evidence or ""):
        parts.append(f"{p.years_min}+ years")
    parts.append(f"{len(p.required_skills)} required and {len(p.preferred_skills)} preferred skills")
    if p.specializations:
        parts.append("specializations: " + ", ".join(p.specializations))
    return " · ".join(parts)


def market_sentence(report: AuditReport) -> str:
    m = report.market
    if m.status == "skipped":
        return f"not compared: {m.reason}"
    window = f", {m.first_day} to {m.last_day}" if m.first_day and m.last_day else ""
    text = f"compared with {m.postings} {m.segment} postings (of {m.store_postings} in the store{window})"
    if m.widened_from:
        text += f"; the description's own segment, {m.widened_from}, has too few"
    return text


def evidence_lines(finding: Finding) -> list[str]:
    """ "line N: «text»" for each span (at most MAX_EVIDENCE, then a count of the rest)."""
    shown = [_evidence(span) for span in finding.evidence[:MAX_EVIDENCE]]
    rest = len(finding.evidence) - MAX_EVIDENCE
    if rest > 0:
        shown.append(f"... and {rest} more")
    return shown


def _evidence(span: Span) -> str:
    text = " ".join(span.text.split())
    return f"line {span.line}: “{text}”"
