"""The gap report as text, Markdown, HTML (chart embedded), CSV, JSON or PDF, and the file names of the exports."""

from __future__ import annotations

from typing import Literal

from pipeline.gap.render.common import file_name
from pipeline.gap.report import GapReport

Format = Literal["text", "md", "html", "csv", "json", "pdf"]
FORMATS: tuple[Format, ...] = ("text", "md", "html", "csv", "json", "pdf")
EXTENSIONS: dict[Format, str] = {"text": "txt", "md": "md", "html": "html", "csv": "csv", "json": "json", "pdf": "pdf"}


def render(report: GapReport, fmt: Format) -> bytes:
    """The report in ``fmt``, as the bytes of its file (UTF-8 for the text formats)."""
    if fmt == "pdf":
        from pipeline.gap.render.pdf import render_pdf

        return render_pdf(report)
    if fmt == "json":
        text = report.model_dump_json(indent=2) + "\n"
    elif fmt == "md":
        from pipeline.gap.render.markdown import render_markdown

        text = render_markdown(report)
    elif fmt == "html":
        from pipeline.gap.render.html_page import render_html

        text = render_html(report)
    elif fmt == "csv":
        from pipeline.gap.render.csv_export import render_csv

        text = render_csv(report)
    else:
        from pipeline.gap.render.text import render_text

        text = render_text(report)
    return text.encode("utf-8")


def export_name(report: GapReport, fmt: Format) -> str:
    """e.g. ``gap_ai_engineer_senior_rag_2026-11-29.pdf``."""
    return file_name(report, EXTENSIONS[fmt])


__all__ = ["EXTENSIONS", "FORMATS", "Format", "export_name", "render"]
