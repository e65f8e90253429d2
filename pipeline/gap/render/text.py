"""The gap report as plain text for the terminal."""

from __future__ import annotations

from pipeline.gap.render.common import (
    coverage_sentence,
    demand,
    market_sentence,
    step_text,
    trend_text,
    unknown_lines,
    weeks_sentence,
)
from pipeline.gap.report import GapReport, SkillRow

SHOWN = 12  # skills per list in the terminal


def _list(rows: tuple[SkillRow, ...]) -> list[str]:
    width = max((len(r.skill) for r in rows[:SHOWN]), default=0)
    lines = [f"  {r.rank:>3}. {r.skill:<{width}}  {demand(r)}  trend {trend_text(r)}" for r in rows[:SHOWN]]
    if len(rows) > SHOWN:
        lines.append(f"       ... and {len(rows) - SHOWN} more")
    return lines or ["  none"]


def render_text(report: GapReport) -> str:
    s = report.segment
    lines = [
        f"Skill gap: {s.label}",
        f"Skills    {', '.join(report.user.skills) or 'none recognised'} (from {report.user.source})",
        f"Market    {market_sentence(report)}",
    ]
    if s.warning:
        lines.append(f"          warning: {s.warning}")
    lines += [f"Unknown   {line}" for line in unknown_lines(report)]
    lines += [f"Coverage  {coverage_sentence(report)}", ""]
    lines += [f"What you have ({len(report.have)}, by demand)", *_list(report.have), ""]
    lines += [f"What is missing ({len(report.missing)}, by demand)", *_list(report.missing), ""]
    lines.append("Skills that transfer")
    for t in report.transfers[:SHOWN]:
        said = f"asked by {t.asked} of {s.postings}" if t.asked else "not asked"
        lines.append(f"  {t.skill}: {said}" + (f"; close to {', '.join(t.towards)}" if t.towards else ""))
    if not report.transfers:
        lines.append("  none found")
    lines += ["", f"Asked together (of {s.postings} postings)"]
    lines += [f"  {p.first} + {p.second}: {p.together}" for p in report.pairs] or ["  no pair asked by 2+ postings"]
    lines += ["", f"Trend weeks: {weeks_sentence(report)}", "", "Learning order"]
    lines += [f"  {step_text(report, i)}" for i in range(1, min(len(report.learning_order), SHOWN) + 1)]
    if len(report.learning_order) > SHOWN:
        lines.append(f"  ... and {len(report.learning_order) - SHOWN} more")
    if not report.learning_order:
        lines.append("  nothing to learn for this segment")
    lines += [f"Note      {note}" for note in report.notes]
    return "\n".join(lines) + "\n"
