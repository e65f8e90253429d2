"""The report as Markdown: a summary table, the findings (evidence, market figures, advice), the market
comparison and what jobatlas read. Text from the description is escaped."""

from __future__ import annotations

import re

from pipeline.audit.findings import Severity
from pipeline.audit.render.common import evidence_lines, market_sentence, read_as
from pipeline.audit.report import AuditReport

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md_escape(text: str) -> str:
    """Inline Markdown text that renders as written (no emphasis, links, HTML or table breaks).

    >>> print(md_escape("C++ | *rockstar* <b> [x](y)"))
    C++ \\| \\*rockstar\\* \\<b\\> \\[x\\](y)
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(report: AuditReport) -> str:
    lines = [
        f"# JD audit: {md_escape(report.input.title)}",
        "",
        "| | |",
        "| --- | --- |",
        f"| Source | {md_escape(report.input.source)} |",
        f"| Read as | {md_escape(read_as(report))} |",
        f"| Market | {md_escape(market_sentence(report))} |",
        f"| Findings | {md_escape(report.summary())} |",
        f"| Audited on | {report.generated_on.isoformat()} ({md_escape(report.profile.extractor_version)}) |",
        "",
        "## Summary",
        "",
        "| severity | findings |",
        "| --- | ---: |",
        *(f"| {s.value} | {getattr(report.counts, s.value)} |" for s in Severity),
        "",
        "## Findings",
        "",
    ]
    if not report.findings:
        lines += ["No findings.", ""]
    for number, finding in enumerate(report.findings, start=1):
        lines += [
            f"### {number}. {finding.severity.value.upper()}: {md_escape(finding.title)}",
            "",
            f"`{finding.id}`: {md_escape(finding.message)}",
            "",
        ]
        lines += [f"- Evidence: {md_escape(line)}" for line in evidence_lines(finding)]
        lines += [f"- Market: {md_escape(figure.describe())}" for figure in finding.market]
        if finding.advice:
            lines.append(f"- Advice: {md_escape(finding.advice)}")
        lines.append("")
    m = report.market
    lines += ["## Market comparison", "", md_escape(market_sentence(report)) + ".", ""]
    if m.warning:
        lines += [f"Warning: {md_escape(m.warning)}.", ""]
    p = report.profile
    lines += [
        "## What jobatlas read",
        "",
        f"- Role family: {md_escape(p.role_family or 'none')} ({md_escape(p.role_family_evidence or '')})",
        f"- Level: {md_escape(p.level or 'none')} ({md_escape(p.level_evidence or 'no evidence')})",
        f"- Years: {p.years_min if p.years_min is not None else 'not stated'}",
        f"- Required skills: {md_escape(', '.join(p.required_skills) or 'none')}",
        f"- Preferred skills: {md_escape(', '.join(p.preferred_skills) or 'none')}",
        f"- Specializations: {md_escape(', '.join(p.specializations) or 'none')}",
        f"- Education: {md_escape(p.education or 'not stated')}"
        + (f" ({p.education_requirement})" if p.education_requirement else ""),
        f"- Publications: {md_escape(p.publications or 'not asked')}"
        + (f" ({md_escape(', '.join(p.publication_venues))})" if p.publication_venues else ""),
        "",
    ]
    if report.notes:
        lines += ["## Notes", "", *(f"- {md_escape(note)}" for note in report.notes), ""]
    return "\n".join(lines)
