"""The terminal report (rich): a header, then each finding with its evidence, market figures and advice."""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from pipeline.audit.findings import Finding, Severity
from pipeline.audit.render.common import evidence_lines, market_sentence, read_as
from pipeline.audit.report import AuditReport

STYLES = {Severity.HIGH: "bold red", Severity.MEDIUM: "bold yellow", Severity.LOW: "cyan", Severity.INFO: "dim"}


def _finding(finding: Finding) -> RenderableType:
    head = Text()
    head.append(f"{finding.severity.value.upper():<7}", style=STYLES[finding.severity])
    head.append(finding.title, style="bold")
    head.append(f"  [{finding.id}]", style="dim")
    body: list[RenderableType] = [Text(finding.message)]
    for line in evidence_lines(finding):
        body.append(Text.assemble(("evidence ", "dim"), line))
    for figure in finding.market:
        body.append(Text.assemble(("market   ", "dim"), figure.describe()))
    if finding.advice:
        body.append(Text.assemble(("advice   ", "dim"), finding.advice))
    return Group(head, Padding(Group(*body), (0, 0, 1, 7), expand=False))


def renderables(report: AuditReport) -> list[RenderableType]:
    """The report as rich renderables, for a console."""
    header = Text()
    header.append("JD audit: ", style="bold")
    header.append(report.input.title, style="bold")
    parts: list[RenderableType] = [
        header,
        Text.assemble(("Source    ", "dim"), report.input.source),
        Text.assemble(("Read as   ", "dim"), read_as(report)),
        Text.assemble(("Market    ", "dim"), market_sentence(report)),
    ]
    if report.market.warning:
        parts.append(Text.assemble(("          ", ""), (f"warning: {report.market.warning}", "yellow")))
    for note in report.notes:
        parts.append(Text.assemble(("Note      ", "dim"), note))
    parts.append(Text.assemble(("Findings  ", "dim"), report.summary()))
    parts.append(Text(""))
    parts.extend(_finding(f) for f in report.findings)
    if not report.findings:
        parts.append(Text("No findings.", style="green"))
    return parts


def render_text(report: AuditReport, *, width: int = 100) -> str:
    """The terminal report as plain text (no colour codes), e.g. for a file."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, soft_wrap=False)
    for part in renderables(report):
        console.print(part)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
