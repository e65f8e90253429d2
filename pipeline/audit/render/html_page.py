"""The report as a standalone HTML page (a jinja2 template with autoescaping: every value is escaped)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from pipeline.audit.findings import Severity
from pipeline.audit.render.common import evidence_lines, market_sentence, read_as
from pipeline.audit.report import AuditReport

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every value, whatever the template's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: AuditReport) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(
        report=report,
        severities=list(Severity),
        read_as=read_as(report),
        market=market_sentence(report),
        items=[(finding, evidence_lines(finding)) for finding in report.findings],
    )
