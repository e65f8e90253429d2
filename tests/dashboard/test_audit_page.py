"""The JD audit page with Streamlit's AppTest: a description over the flow-filled store (a research role in
disguise is a high finding, with market figures, and every report downloads), a hostile description shown as
text only, and an empty store (the market comparison is skipped, the other checks still run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

AUDIT = Path(__file__).resolve().parents[2] / "dashboard" / "views" / "audit.py"

RESEARCH_JD = """AI Engineer

We are looking for an AI Engineer to join our team.

Requirements:
- PhD in Computer Science, Machine Learning or a related field
- 3+ first-author papers at NeurIPS, ICML or ICLR
- Strong Python and PyTorch
- Experience training large language models
"""

HOSTILE_JD = """Senior AI Engineer

Build RAG systems with Python and LangChain. <script>alert(1)</script>
Requirements: 5+ years of Python, <b>bold</b> experience with vector databases.
"""


def audited(text: str, title: str = "") -> AppTest:
    at = AppTest.from_file(str(AUDIT), default_timeout=120).run()
    if title:
        at.text_input(key="title").input(title)
    at.text_area(key="jd").input(text)
    return at.run()


def plain(markdown: str) -> str:
    """Markdown escaped by ``markdown_text``, as shown."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def populated(populated_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", populated_url)
    return populated_url


def test_asks_for_a_description_first(populated: str) -> None:
    at = AppTest.from_file(str(AUDIT), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["JD audit"]
    assert [i.value for i in at.info] == ["Paste a job description (or upload a file) to audit it."]


def test_research_role_in_disguise_is_a_high_finding(populated: str) -> None:
    at = audited(RESEARCH_JD)
    assert not at.exception
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics["High"] >= 1
    assert any(s.value.startswith(":material/error: High") for s in at.subheader)
    assert any("Market: compared with" in plain(c.value) for c in at.caption)
    assert any(t.value.startswith("Market:\n") for t in at.text)  # market figures behind a finding
    assert any(t.value.startswith("Evidence:\n") for t in at.text)
    downloads = at.get("download_button")
    assert len(downloads) == 3
    assert {d.proto.label for d in downloads} == {"Download Markdown", "Download HTML", "Download JSON"}


def test_hostile_description_is_shown_as_text(populated: str) -> None:
    at = audited(HOSTILE_JD, title="AI Engineer <script>alert(2)</script>")
    assert not at.exception
    assert not at.html  # no st.html element at all
    assert "<script" not in at.header[0].value.replace("\\<", "")
    for element in (*at.markdown, *at.caption, *at.info, *at.warning):
        assert "<script" not in element.value.replace("\\<", "")
    assert any("<script>alert(1)</script>" in t.value for t in at.text)  # shown, as plain text


def test_empty_store_runs_the_other_checks(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    at = audited(RESEARCH_JD)
    assert not at.exception
    assert any(plain(i.value).startswith("Market comparison skipped:") for i in at.info)
    assert len(at.get("download_button")) == 3
