"""The gap report as a standalone HTML page: a jinja2 template with autoescaping (every value escaped) and the
demand chart embedded as static SVG (no script, no network)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipeline.gap.render.chart import chart_svg
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
from pipeline.gap.report import GapReport

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, asked=asked, trend=trend_text)
    return env


def render_html(report: GapReport) -> str:
    svg = chart_svg(report)
    return (
        _environment()
        .get_template("gap.html.j2")
        .render(
            report=report,
            top=TOP,
            chart=Markup(svg) if svg else None,  # vl-convert's SVG: Vega escapes the text it draws
            market=market_sentence(report),
            coverage=coverage_sentence(report),
            unknown=unknown_lines(report),
            weeks=weeks_sentence(report),
            steps=[step_text(report, i) for i in range(1, min(len(report.learning_order), TOP) + 1)],
        )
    )
