"""The audit report as a terminal report (rich), Markdown, HTML or JSON."""

from __future__ import annotations

from typing import Literal

from pipeline.audit.render.html_page import render_html
from pipeline.audit.render.markdown import render_markdown
from pipeline.audit.render.text import render_text
from pipeline.audit.report import AuditReport

Format = Literal["text", "md", "html", "json"]
FORMATS: tuple[Format, ...] = ("text", "md", "html", "json")


def render(report: AuditReport, fmt: Format, *, width: int = 100) -> str:
    """The report in ``fmt``: plain text (no colour codes), Markdown, a standalone HTML page or JSON."""
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "md":
        return render_markdown(report)
    if fmt == "html":
        return render_html(report)
    return render_text(report, width=width)


__all__ = ["FORMATS", "Format", "render", "render_html", "render_markdown", "render_text"]
