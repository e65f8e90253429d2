"""The gap report as PDF (fpdf2): the same sections as the Markdown export, with the demand chart as an image.
The built-in Helvetica font covers Latin-1; other characters are replaced by their closest Latin-1 spelling."""

from __future__ import annotations

import io
import unicodedata

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from pipeline.gap.render.chart import chart_png
from pipeline.gap.render.common import (
    TOP,
    asked,
    coverage_sentence,
    market_sentence,
    pct,
    step_text,
    trend_text,
    unknown_lines,
    weeks_sentence,
)
from pipeline.gap.report import GapReport, SkillRow

_REPLACE = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "→": "->"})


def latin1(text: str) -> str:
    """Text the core fonts can show.

    >>> latin1("Skill gap: AI engineer · Senior – “rag” → ok ✓")
    'Skill gap: AI engineer · Senior - "rag" -> ok ?'
    """
    text = unicodedata.normalize("NFKC", text.translate(_REPLACE))
    return text.encode("latin-1", errors="replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self._footer_text = footer_text
        self.set_auto_page_break(auto=True, margin=15)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, latin1(f"{self._footer_text} - page {self.page_no()}"), align="C")


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)


def _para(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 4.5, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _skills(pdf: FPDF, rows: tuple[SkillRow, ...]) -> None:
    with pdf.table(col_widths=(12, 58, 35, 22, 63), text_align="LEFT", line_height=4.5) as table:
        table.row(["rank", "skill", "asked by", "required", "last 4 weeks"])
        for r in rows[:TOP]:
            table.row([str(r.rank), latin1(r.skill), asked(r), pct(r.share_required), trend_text(r)])
    if len(rows) > TOP:
        _para(pdf, f"... and {len(rows) - TOP} more (see the CSV or JSON export)")


def render_pdf(report: GapReport) -> bytes:
    s = report.segment
    pdf = _Pdf(f"jobatlas skill gap, {s.label}, {report.generated_on.isoformat()}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, latin1(f"Skill gap: {s.label}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=9)
    _para(pdf, f"Your skills: {', '.join(report.user.skills) or 'none recognised'} (from {report.user.source})")
    _para(pdf, f"Market: {market_sentence(report)}")
    _para(pdf, f"Coverage: {coverage_sentence(report)}")
    _para(pdf, f"Generated {report.generated_on.isoformat()} (taxonomy {report.taxonomy_version})")
    if s.warning:
        _para(pdf, f"Warning: {s.warning}.")
    for line in unknown_lines(report):
        _para(pdf, f"Unknown skill: {line}")
    png = chart_png(report)
    if png is not None:
        pdf.ln(2)
        pdf.image(io.BytesIO(png), w=150)
    _heading(pdf, f"What you have ({len(report.have)}, by demand)")
    if report.have:
        _skills(pdf, report.have)
    else:
        _para(pdf, "None of your skills is asked by this segment.")
    _heading(pdf, f"What is missing ({len(report.missing)}, by demand)")
    if report.missing:
        _skills(pdf, report.missing)
    else:
        _para(pdf, "Nothing: you have every skill the segment asks.")
    _heading(pdf, "Skills that transfer")
    for t in report.transfers:
        said = f"asked by {t.asked} of {s.postings} postings" if t.asked else "not asked by the segment"
        _para(pdf, f"- {t.skill}: {said}" + (f"; close to {', '.join(t.towards)}" if t.towards else ""))
    if not report.transfers:
        _para(pdf, "None found.")
    _heading(pdf, f"Skills asked together (of {s.postings} postings)")
    for p in report.pairs:
        _para(pdf, f"- {p.first} + {p.second}: {p.together} ({pct(p.share)})")
    if not report.pairs:
        _para(pdf, "No pair of skills is asked together by 2 or more postings.")
    _heading(pdf, "Trend")
    _para(pdf, f"Weekly share of postings asking each skill: {weeks_sentence(report)}.")
    _heading(pdf, "Learning order")
    for i in range(1, min(len(report.learning_order), TOP) + 1):
        _para(pdf, step_text(report, i))
    if not report.learning_order:
        _para(pdf, "Nothing to learn for this segment.")
    for note in report.notes:
        _para(pdf, f"Note: {note}")
    return bytes(pdf.output())
