"""Skill gap: a career changer's skills (a list or a resume) against a segment of the market
(``pipeline.gap.gap_report``): coverage, what they have and miss, the learning order, the demand chart, and the
Markdown, HTML, CSV, JSON and PDF reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import polars as pl
import streamlit as st
from sqlalchemy.orm import Session

from dashboard.data import extractor, with_session
from dashboard.highlight import markdown_text
from pipeline.analysis.market import FAMILY_NAMES, LEVEL_NAMES, Segment
from pipeline.analysis.queries import SPECIALIZATION_NAMES
from pipeline.domain import Level, RoleFamily, Specialization
from pipeline.gap import GapInputError, GapReport, UserSkills, gap_report, parse_skill_list
from pipeline.gap.inputs import pdf_text, skills_in_text
from pipeline.gap.render import export_name, render
from pipeline.gap.render.chart import chart_spec

ALL = "all"
DOWNLOADS = (
    ("md", "Markdown", "text/markdown"),
    ("html", "HTML", "text/html"),
    ("csv", "CSV", "text/csv"),
    ("json", "JSON", "application/json"),
    ("pdf", "PDF", "application/pdf"),
)


def resume_skills(name: str, data: bytes) -> UserSkills:
    """The skills of an uploaded resume (text, Markdown or PDF), as ``read_resume`` reads a file."""
    if not data.strip():
        raise GapInputError(f"{name} is empty")
    if data.startswith(b"%PDF") or name.lower().endswith(".pdf"):
        text = pdf_text(data, source=name)
    elif b"\x00" in data:
        raise GapInputError(f"{name} is not a text file (a Word document?): save the resume as text, Markdown or PDF")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    found = skills_in_text(text, extractor(), source=name)
    if not found.skills:
        raise GapInputError(f"{name}: no skill of the taxonomy found in the resume")
    return found


def build(user: UserSkills, segment: Segment) -> GapReport:
    def run(session: Session | None, reason: str | None) -> GapReport:
        return gap_report(
            user, segment, taxonomy=extractor().taxonomy, session=session, as_of=date.today(), skip_reason=reason
        )

    return with_session(run)


def label(names: dict[str, str]) -> Callable[[str], str]:
    return lambda value: "All" if value == ALL else names.get(value, value)


def show_report(report: GapReport) -> None:
    segment = report.segment
    if segment.status == "skipped":
        st.info(markdown_text(f"No market data: {segment.reason}."))
    elif segment.warning:
        st.warning(markdown_text(f"{segment.label}: {segment.warning}"))
    for note in report.notes:
        st.caption(markdown_text(f"Note: {note}"))
    coverage = report.coverage
    left, middle, right = st.columns(3)
    left.metric("Coverage (demand-weighted)", "n/a" if coverage.score is None else f"{coverage.score:.0%}")
    middle.metric("Skills you have", f"{coverage.have} of {coverage.asked}")
    right.metric("Postings in the segment", segment.postings)
    spec = chart_spec(report)
    if spec is not None:
        st.vega_lite_chart(spec, width="stretch")
    columns = ["skill", "category", "asked", "share_asked", "share_required", "rank", "trend"]
    have, missing = st.columns(2)
    with have:
        st.subheader("You have")
        rows = [r.model_dump(include=set(columns)) for r in report.have]
        if rows:
            st.dataframe(pl.DataFrame(rows).select(columns), hide_index=True, width="stretch")
        else:
            st.caption("None of the segment's skills.")
    with missing:
        st.subheader("Missing")
        rows = [r.model_dump(include=set(columns)) for r in report.missing]
        if rows:
            st.dataframe(pl.DataFrame(rows).select(columns), hide_index=True, width="stretch")
        else:
            st.caption("Nothing: you have every skill the segment asks.")
    st.subheader("Learning order")
    if report.learning_order:
        st.dataframe(
            pl.DataFrame(
                [
                    {
                        "step": s.step,
                        "skill": s.skill,
                        "asked": s.asked,
                        "needs": ", ".join(s.needs),
                        "unlocks": ", ".join(s.unlocks),
                    }
                    for s in report.learning_order
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("Nothing to learn for this segment.")
    if report.transfers:
        st.subheader("What transfers")
        st.dataframe(
            pl.DataFrame(
                [{"skill": t.skill, "asked": t.asked, "towards": ", ".join(t.towards)} for t in report.transfers]
            ),
            hide_index=True,
            width="stretch",
        )
    st.subheader("Downloads")
    for column, (fmt, name, mime) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        column.download_button(
            f"Download {name}",
            render(report, fmt),  # type: ignore[arg-type]
            file_name=export_name(report, fmt),  # type: ignore[arg-type]
            mime=mime,
            key=f"download-gap-{fmt}",
            on_click="ignore",
        )


st.title("Skill gap")
st.caption(
    "Your skills against what a segment of the market asks: coverage weighted by demand, what you have and miss, "
    "what transfers and a learning order with prerequisites first."
)
skills = st.text_input("Your skills, separated by commas", placeholder="python, sql, docker", key="skills")
uploaded = st.file_uploader("Or upload your resume", type=["txt", "md", "pdf"], key="resume")
role, level, specialization = st.columns(3)
role_family = role.selectbox(
    "Role family", [r.value for r in RoleFamily] + [ALL], format_func=label(FAMILY_NAMES), key="role"
)
level_choice = level.selectbox("Level", [ALL] + [v.value for v in Level], format_func=label(LEVEL_NAMES), key="level")
specialization_choice = specialization.selectbox(
    "Specialization",
    [ALL] + [s.value for s in Specialization],
    format_func=label(SPECIALIZATION_NAMES),
    key="specialization",
)
if uploaded is None and not skills.strip():
    st.info("Type your skills (or upload a resume) to see your gap.")
    st.stop()
try:
    if uploaded is not None:
        user = resume_skills(uploaded.name, uploaded.getvalue())
    else:
        user = parse_skill_list(skills, extractor().taxonomy)
except GapInputError as exc:
    st.error(markdown_text(str(exc)))
    st.stop()
    raise  # unreachable: st.stop() ends the script
for unknown in user.unknown:
    hint = f"did you mean {', '.join(unknown.closest)}?" if unknown.closest else "no close name"
    st.warning(markdown_text(f"'{unknown.name}' is not in the taxonomy; {hint}"))
if not user.skills:
    st.error("None of these names is in the taxonomy.")
    st.stop()
st.caption(markdown_text("Your skills: " + ", ".join(user.skills)))
segment = Segment(
    role_family=None if role_family == ALL else role_family,
    level=None if level_choice == ALL else level_choice,
    specialization=None if specialization_choice == ALL else specialization_choice,
)
with st.spinner("Building the gap report…"):
    report = build(user, segment)
st.header(markdown_text(report.segment.label))
show_report(report)
