"""The Skill demand page with Streamlit's AppTest: over the flow-filled store (filters and the chosen skill from the
URL, example postings linking to the explorer, a filter matching nothing) and over the sample store of
tests/explorer_samples.py (a posting title with HTML in it stays text)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pytest
from explorer_samples import HOSTILE, sample_database
from streamlit.testing.v1 import AppTest

if TYPE_CHECKING:
    from pg_server import TestPostgres

SKILLS = Path(__file__).resolve().parents[2] / "dashboard" / "views" / "skills.py"


def skills_page(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(SKILLS), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def matching(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if "postings match" in c.value)
    return int(caption.split()[0].replace(",", ""))


@pytest.fixture
def populated(populated_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", populated_url)
    return populated_url


def test_page_shows_demand_movers_pairs_and_one_skill(populated: str) -> None:
    at = skills_page()
    assert not at.exception
    assert [t.value for t in at.title] == ["Skill demand"]
    assert matching(at) == 97
    top = table(at, "share_pct")
    assert top["skill"][0] == "Python" and len(top) == 20
    assert (top["required"] + top["preferred"] == top["postings"]).all()
    assert top["share_pct"][0] == round(100 * top["postings"][0] / 97, 1)
    movers = table(at, "change_pts")
    week, previous = movers["week"][0], movers["previous_week"][0]
    assert set(movers["week"]) == {week} and week.weekday() == 0 and week > previous
    assert any(f"the week of {week.date()}" in c.value and str(previous.date()) in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) >= 5  # top, movers, heatmap, trend, by level, by family
    assert at.selectbox(key="skill").value == "Python" and at.query_params["skill"] == "Python"
    assert any(b.proto.label == "Download skill_cooccurrence (CSV)" for b in at.get("download_button"))


def test_url_filters_change_what_is_shown(populated: str) -> None:
    everyone = table(skills_page(), "share_pct").set_index("skill")
    at = skills_page(level="staff")
    assert not at.exception
    assert at.multiselect(key="filter_levels").value == ["staff"]
    assert 0 < matching(at) < 97
    staff = table(at, "share_pct").set_index("skill")
    assert 0 < staff.loc["Python", "postings"] < everyone.loc["Python", "postings"]
    assert list(staff.index) != list(everyone.index)


def test_skill_in_the_url_shows_its_examples_linked_to_the_explorer(populated: str) -> None:
    at = skills_page(skill="PyTorch", family="ml_engineer")
    assert not at.exception
    assert at.selectbox(key="skill").value == "PyTorch" and at.query_params["skill"] == "PyTorch"
    examples = table(at, "evidence")
    assert 0 < len(examples) <= 10
    assert list(examples["explorer"]) == [f"/explorer?posting={i.replace(':', '%3A')}" for i in examples["id"]]
    assert all("pytorch" in e.lower() for e in examples["evidence"])
    assert list(examples["day"]) == sorted(examples["day"], reverse=True)
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Postings asking"]) >= len(examples)


def test_a_filter_matching_nothing_says_so(populated: str) -> None:
    at = skills_page(company="No such company")
    assert not at.exception
    assert [i.value for i in at.info] == [
        "No postings match these filters. Remove a filter or widen the dates to see skill demand."
    ]
    assert not at.get("vega_lite_chart") and not at.dataframe


def test_unknown_skill_in_the_url(populated: str) -> None:
    at = skills_page(skill="<b>Cobol</b>")
    assert not at.exception
    assert [w.value for w in at.warning] == ["The taxonomy has no skill named \\<b\\>Cobol\\</b\\>."]


def test_posting_titles_stay_text(postgres: TestPostgres, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_database(postgres.url))
    at = skills_page(skill="PyTorch")
    assert not at.exception
    examples = table(at, "evidence")
    assert HOSTILE.title in list(examples["title"])  # the raw title, shown as a table cell
    assert not at.html
    shown = [e.value for e in [*at.markdown, *at.caption, *at.info, *at.warning, *at.header, *at.subheader]]
    assert not any("<img" in text or "<script" in text for text in shown)
