"""The Skill gap page with Streamlit's AppTest over the flow-filled store and over an empty one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

GAP = Path(__file__).resolve().parents[2] / "dashboard" / "views" / "gap.py"


def gap(skills: str) -> AppTest:
    at = AppTest.from_file(str(GAP), default_timeout=120).run()
    at.text_input(key="skills").input(skills)
    return at.run()


def plain(markdown: str) -> str:
    """Markdown escaped by ``markdown_text``, as shown."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture
def populated(populated_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", populated_url)
    return populated_url


def test_python_and_sql_show_what_is_missing(populated: str) -> None:
    at = gap("python, sql")
    assert not at.exception
    assert [t.value for t in at.title] == ["Skill gap"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Coverage (demand-weighted)"].endswith("%")
    have, missing = at.dataframe[0].value, at.dataframe[1].value
    assert set(have["skill"]) == {"Python", "SQL"}
    assert len(missing) > 0 and not {"Python", "SQL"} & set(missing["skill"])
    assert len(at.dataframe[2].value) > 0  # the learning order
    assert len(at.get("vega_lite_chart")) == 1
    labels = {d.proto.label for d in at.get("download_button")}
    assert labels == {f"Download {n}" for n in ("Markdown", "HTML", "CSV", "JSON", "PDF")}


def test_segment_selects_and_unknown_names(populated: str) -> None:
    at = gap("python, pyhton, sql")
    at.selectbox(key="level").select("senior").run()
    assert not at.exception
    assert plain(at.header[0].value) == "AI engineer · Senior"
    assert any("'pyhton' is not in the taxonomy" in plain(w.value) for w in at.warning)


def test_empty_store_says_there_is_no_market(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    at = gap("python, sql")
    assert not at.exception
    assert any(plain(i.value).startswith("No market data:") for i in at.info)
    assert len(at.get("download_button")) == 5
