"""JD audit: a job description checked against the ladder, good practice and the market in the store
(``pipeline.audit.run_audit``), its findings by severity, and the Markdown, HTML and JSON reports.

Everything the user typed or uploaded is shown as plain text (``st.text``) or with Markdown escaped: never as HTML."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

import streamlit as st
from sqlalchemy.orm import Session

from dashboard.data import extractor, with_session, wordlists
from dashboard.highlight import markdown_text
from pipeline.audit import (
    AuditInput,
    AuditInputError,
    AuditReport,
    Severity,
    UnreadableDescriptionError,
    read_text,
    run_audit,
)
from pipeline.audit.render import render
from pipeline.audit.render.common import evidence_lines, market_sentence, read_as

HTML_SUFFIXES = (".html", ".htm")
SEVERITY_ICONS = {
    Severity.HIGH: ":material/error:",
    Severity.MEDIUM: ":material/warning:",
    Severity.LOW: ":material/info:",
    Severity.INFO: ":material/lightbulb:",
}
DOWNLOADS = (("md", "Markdown", "text/markdown"), ("html", "HTML", "text/html"), ("json", "JSON", "application/json"))


def audit(text: str, title: str | None, source: str, html: bool | None) -> AuditReport | str:
    """The report of one description, or the message saying why it could not be read."""
    try:
        read: AuditInput = read_text(text, source=source, title=title, html=html)
    except AuditInputError as exc:
        return str(exc)

    def run(session: Session | None, reason: str | None) -> AuditReport:
        return run_audit(
            read.posting,
            extractor=extractor(),
            wordlists=wordlists(),
            session=session,
            as_of=date.today(),
            source=read.source,
            skip_reason=reason,
            notes=read.notes,
        )

    try:
        return with_session(run)
    except UnreadableDescriptionError as exc:
        return f"{read.source}: {exc}"


def show_report(report: AuditReport) -> None:
    st.header(markdown_text(report.input.title))
    st.caption(markdown_text(f"Read as: {read_as(report)}"))
    if report.market.status == "skipped":
        st.info(markdown_text(f"Market comparison skipped: {report.market.reason}. Only the other checks ran."))
    else:
        st.caption(markdown_text(f"Market: {market_sentence(report)}"))
        if report.market.warning:
            st.warning(markdown_text(report.market.warning))
    for note in report.notes:
        st.caption(markdown_text(f"Note: {note}"))
    counts = report.counts
    for column, severity in zip(st.columns(4), Severity, strict=True):
        column.metric(severity.value.capitalize(), getattr(counts, severity.value))
    if not report.findings:
        st.success("No findings: the description passed every check.")
    for severity in Severity:
        findings = [f for f in report.findings if f.severity is severity]
        if not findings:
            continue
        st.subheader(f"{SEVERITY_ICONS[severity]} {severity.value.capitalize()} ({len(findings)})")
        for finding in findings:
            with st.container(border=True):
                st.markdown(f"**{markdown_text(finding.title)}** · `{finding.id}`")
                st.text(finding.message)
                if finding.advice:
                    st.caption(markdown_text(f"Advice: {finding.advice}"))
                lines = evidence_lines(finding)
                if lines:
                    st.text("Evidence:\n" + "\n".join(f"  {line}" for line in lines))
                if finding.market:
                    st.text("Market:\n" + "\n".join(f"  {figure.describe()}" for figure in finding.market))
    with st.expander("The audited description"):
        st.text(report.input.description)
    stem = f"jd_audit_{report.generated_on.isoformat()}"
    for column, (fmt, name, mime) in zip(st.columns(len(DOWNLOADS)), DOWNLOADS, strict=True):
        column.download_button(
            f"Download {name}",
            render(report, fmt),  # type: ignore[arg-type]
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"download-audit-{fmt}",
            on_click="ignore",
        )


st.title("JD audit")
st.caption(
    "Check a job description against the career ladder, good practice and the postings in the store: level vs "
    "years, research roles in disguise, role-family mismatch, requirement overload, missing salary or location, "
    "exclusionary wording. Each finding names its evidence and the market figures behind it."
)
title = st.text_input("Job title (optional: else the first line of the text is the title)", key="title").strip()
uploaded = st.file_uploader("Or upload a job description", type=["txt", "md", "html", "htm"], key="upload")
text = st.text_area("Job description", height=260, key="jd")
if uploaded is not None:
    content = uploaded.getvalue().decode("utf-8-sig", errors="replace")
    source = uploaded.name
    html: bool | None = True if PurePath(uploaded.name).suffix.lower() in HTML_SUFFIXES else None
else:
    content, source, html = text, "the text area", None
if not content.strip():
    st.info("Paste a job description (or upload a file) to audit it.")
    st.stop()
with st.spinner("Auditing the description…"):
    result = audit(content, title or None, source, html)
if isinstance(result, str):
    st.error(markdown_text(result))
    st.stop()
show_report(result)
