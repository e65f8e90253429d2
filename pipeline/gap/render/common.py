"""Sentences and numbers every export of the gap report shares, and the file names."""

from __future__ import annotations

from pipeline.gap.report import GapReport, SkillRow

TOP = 25  # skills listed per section in the readable exports (CSV and JSON keep them all)
ARROWS = {"rising": "rising", "falling": "falling", "steady": "steady", None: "no trend"}


def pct(share: float | None) -> str:
    """
    >>> pct(0.4567), pct(None)
    ('46%', '-')
    """
    return "-" if share is None else f"{share:.0%}"


def file_name(report: GapReport, extension: str) -> str:
    """e.g. ``gap_ai_engineer_senior_rag_2026-11-29.md`` ("all" for a field the segment leaves open)."""
    s = report.segment
    parts = [s.role_family or "all", s.level or "all", s.specialization or "all"]
    return f"gap_{'_'.join(parts)}_{report.generated_on.isoformat()}.{extension}"


def market_sentence(report: GapReport) -> str:
    """What the figures rest on: the segment, its postings and the days they cover."""
    s = report.segment
    if s.status == "skipped":
        return f"no market data: {s.reason}"
    window = f"posted or first seen {s.first_day} to {s.last_day}" if s.first_day and s.last_day else "no postings"
    since = f", counting postings since {s.since}" if s.since else ""
    return f"{s.postings} posting{'s' if s.postings != 1 else ''} of {s.label} ({window}{since})"


def coverage_sentence(report: GapReport) -> str:
    c = report.coverage
    if c.score is None:
        return "no score: the segment asks no skill"
    return (
        f"{c.score:.0%}: you have {c.have} of the {c.asked} skills the segment asks, meeting {c.met} of its "
        f"{c.total} skill asks (each skill weighted by the postings asking it, of {report.segment.postings})"
    )


def demand(row: SkillRow) -> str:
    """e.g. "75% (3 of 4; required 50%)"."""
    if not row.postings or not row.asked:
        return "not asked"
    return f"{pct(row.share_asked)} ({row.asked} of {row.postings}; required {pct(row.share_required)})"


def asked(row: SkillRow) -> str:
    """e.g. "75% (3 of 4)", for a table with a column of its own for the required share."""
    return f"{pct(row.share_asked)} ({row.asked} of {row.postings})" if row.postings else "-"


def trend_text(row: SkillRow) -> str:
    """e.g. "20%, 25%, n/a, 40% (rising)": each week's share, n/a for a week without postings."""
    if not row.weekly_share:
        return "-"
    return ", ".join("n/a" if s is None else pct(s) for s in row.weekly_share) + f" ({ARROWS[row.trend]})"


def weeks_sentence(report: GapReport) -> str:
    """The weeks of the trend with their postings."""
    return "; ".join(
        f"{w.start} to {w.end}: {w.postings} posting{'s' if w.postings != 1 else ''}" for w in report.weeks
    )


def unknown_lines(report: GapReport) -> list[str]:
    return [
        f"'{u.name}' is not in the taxonomy"
        + (f"; did you mean {', '.join(u.closest)}?" if u.closest else "; no close name")
        for u in report.user.unknown
    ]


def step_text(report: GapReport, step_number: int) -> str:
    step = report.learning_order[step_number - 1]
    row = report.row(step.skill)
    asked = demand(row) if row is not None else "not asked"
    parts = [f"{step.step}. {step.skill}: {asked}"]
    if step.needs:
        parts.append(f"after {', '.join(step.needs)}")
    if step.unlocks:
        parts.append(f"needed for {', '.join(step.unlocks)}")
    return "; ".join(parts)
