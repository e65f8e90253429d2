"""The demand chart of the gap report: the segment's most asked skills as horizontal bars, coloured by whether
the user has them. An Altair (Vega-Lite) chart rendered to a static SVG or PNG by vl-convert, so reports need no
network or JavaScript to show it."""

from __future__ import annotations

from typing import Any

import altair as alt

from pipeline.gap.report import GapReport

TOP = 15
COLOURS = {"have": "#009E73", "missing": "#D55E00"}  # Okabe-Ito: readable with colour-blindness


def chart_spec(report: GapReport, *, top: int = TOP) -> dict[str, Any] | None:
    """The Vega-Lite spec of the chart, or None when the segment asks no skill."""
    rows = [r for r in report.skills if r.rank is not None][:top]
    if not rows:
        return None
    values = [
        {
            "skill": r.skill,
            "share": r.share_asked,
            "asked": r.asked,
            "status": "you have it" if r.status == "have" else "missing",
        }
        for r in rows
    ]
    chart = (
        alt.Chart(alt.Data(values=values))  # type: ignore[no-untyped-call]
        .mark_bar()
        .encode(
            x=alt.X(
                "share:Q",
                title=f"share of {report.segment.postings} postings asking it",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            y=alt.Y("skill:N", sort=None, title=None),
            color=alt.Color(
                "status:N",
                scale=alt.Scale(domain=["you have it", "missing"], range=[COLOURS["have"], COLOURS["missing"]]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
        )
        .properties(width=420, title=f"Most asked skills: {report.segment.label}")
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def chart_svg(report: GapReport) -> str | None:
    """The chart as a standalone SVG element (None without skills)."""
    import vl_convert

    spec = chart_spec(report)
    return None if spec is None else vl_convert.vegalite_to_svg(spec)


def chart_png(report: GapReport, *, scale: float = 2.0) -> bytes | None:
    """The chart as PNG bytes (None without skills)."""
    import vl_convert

    spec = chart_spec(report)
    return None if spec is None else vl_convert.vegalite_to_png(spec, scale=scale)
