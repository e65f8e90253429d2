"""The gap report as Markdown: the market behind it, the coverage, what you have and miss, what transfers, the
skills asked together, the trend and the learning order. Every figure names its postings."""

from __future__ import annotations

import re

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

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def md(text: str) -> str:
    """Inline Markdown that renders as written.

    >>> print(md("C# | *x*"))
    C\\# \\| \\*x\\*
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _table(rows: tuple[SkillRow, ...]) -> list[str]:
    lines = ["| rank | skill | asked by | required by | last 4 weeks |", "| ---: | --- | --- | ---: | --- |"]
    lines += [
        f"| {r.rank} | {md(r.skill)} | {md(asked(r))} | {pct(r.share_required)} | {md(trend_text(r))} |"
        for r in rows[:TOP]
    ]
    if len(rows) > TOP:
        lines.append(f"| | ... and {len(rows) - TOP} more (see the CSV or JSON export) | | | |")
    return lines


def render_markdown(report: GapReport) -> str:
    s = report.segment
    lines = [
        f"# Skill gap: {md(s.label)}",
        "",
        "| | |",
        "| --- | --- |",
        f"| Your skills | {md(', '.join(report.user.skills) or 'none recognised')} (from {md(report.user.source)}) |",
        f"| Market | {md(market_sentence(report))} |",
        f"| Coverage | {md(coverage_sentence(report))} |",
        f"| Generated | {report.generated_on.isoformat()} (taxonomy {md(report.taxonomy_version)}) |",
        "",
    ]
    if s.warning:
        lines += [f"> **Warning**: {md(s.warning)}.", ""]
    for line in unknown_lines(report):
        lines += [f"> **Unknown skill**: {md(line)}", ""]
    lines += [f"## What you have ({len(report.have)}, by demand)", ""]
    lines += _table(report.have) if report.have else ["None of your skills is asked by this segment."]
    lines += ["", f"## What is missing ({len(report.missing)}, by demand)", ""]
    lines += _table(report.missing) if report.missing else ["Nothing: you have every skill the segment asks."]
    lines += ["", "## Skills that transfer", ""]
    if report.transfers:
        for t in report.transfers:
            said = f"asked by {t.asked} of {s.postings} postings" if t.asked else "not asked by the segment"
            towards = f"; close to {', '.join(t.towards)}" if t.towards else ""
            lines.append(f"- {md(t.skill)}: {md(said + towards)}")
        lines += [
            "",
            f"(close to: same category and asked together in 2+ of the {report.store_pairs_postings} postings of "
            "the store)",
        ]
    else:
        lines.append("None found.")
    lines += ["", f"## Skills asked together (of {s.postings} postings)", ""]
    if report.pairs:
        lines += ["| skills | postings | share |", "| --- | ---: | ---: |"]
        lines += [f"| {md(p.first)} + {md(p.second)} | {p.together} | {pct(p.share)} |" for p in report.pairs]
    else:
        lines.append("No pair of skills is asked together by 2 or more postings.")
    lines += ["", "## Trend", "", f"Weekly share of postings asking each skill: {md(weeks_sentence(report))}.", ""]
    lines += ["## Learning order", ""]
    if report.learning_order:
        lines += [md(step_text(report, i)) for i in range(1, min(len(report.learning_order), TOP) + 1)]
        if len(report.learning_order) > TOP:
            lines.append(f"... and {len(report.learning_order) - TOP} more (see the CSV or JSON export)")
        lines += ["", "(most demanded first; prerequisites recorded in the taxonomy before what needs them)"]
    else:
        lines.append("Nothing to learn for this segment.")
    lines.append("")
    if report.notes:
        lines += ["## Notes", "", *(f"- {md(note)}" for note in report.notes), ""]
    return "\n".join(lines)
