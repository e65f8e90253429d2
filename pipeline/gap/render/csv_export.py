"""The gap report as CSV: one row per skill (every skill the segment asks, the user's skills it does not ask,
and the prerequisites of the learning order), each with the segment, its data window and sample warning."""

from __future__ import annotations

import csv
import io

from pipeline.gap.report import GapReport

WEEKS = 4
COLUMNS = (
    "skill",
    "category",
    "status",
    "rank",
    "asked",
    "required",
    "preferred",
    "postings",
    "share_asked",
    "share_required",
    *(f"week{i}_share" for i in range(1, WEEKS + 1)),
    "trend",
    "order",
    "prerequisites",
    "segment",
    "first_day",
    "last_day",
    "sample_warning",
)


def render_csv(report: GapReport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    seg = report.segment
    window = [seg.label, seg.first_day or "", seg.last_day or "", seg.warning or ""]
    for r in report.skills:
        weeks = [("" if s is None else f"{s:.4f}") for s in r.weekly_share][:WEEKS]
        weeks += [""] * (WEEKS - len(weeks))
        writer.writerow(
            [
                r.skill,
                r.category,
                r.status,
                "" if r.rank is None else r.rank,
                r.asked,
                r.required,
                r.preferred,
                r.postings,
                f"{r.share_asked:.4f}",
                f"{r.share_required:.4f}",
                *weeks,
                r.trend or "",
                "" if r.order is None else r.order,
                ";".join(r.prerequisites),
                *window,
            ]
        )
    return buffer.getvalue()
