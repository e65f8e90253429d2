"""The Postings explorer page with Streamlit's AppTest: over the flow-filled store (filters from the URL and from
the sidebar, search, paging, an empty result) and over the sample store of tests/explorer_samples.py (a posting
with HTML and a script in it is shown escaped; labels carry their source)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa
import streamlit as st
from explorer_samples import HOSTILE, sample_database
from streamlit.testing.v1 import AppTest

from dashboard.highlight import markdown_text
from pipeline.analysis import match_counts
from pipeline.store.database import create_store_engine

if TYPE_CHECKING:
    from pg_server import TestPostgres

EXPLORER = Path(__file__).resolve().parents[2] / "dashboard" / "views" / "explorer.py"


def explorer(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(EXPLORER), default_timeout=60)
    at.query_params.update(params)
    return at.run()


def matching(at: AppTest) -> int:
    caption = next(c.value for c in at.caption if "postings match" in c.value)
    return int(caption.split()[0].replace(",", ""))


@pytest.fixture
def populated(populated_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", populated_url)
    return populated_url


@pytest.fixture(scope="module")
def sample_url(postgres: TestPostgres) -> str:
    return sample_database(postgres.url)


def test_lists_every_posting_and_opens_the_first(populated: str) -> None:
    at = explorer()
    assert not at.exception
    assert [t.value for t in at.title] == ["Postings explorer"]
    assert matching(at) == 97
    assert len(at.get("vega_lite_chart")) == 1
    results = at.dataframe[0].value
    assert len(results) == 25  # one page
    assert at.query_params["posting"] == results["id"][0]
    assert "<mark title=" in at.html[0].proto.body
    labels = at.dataframe[1].value
    assert list(labels["label"]) == [
        "level",
        "track",
        "role family",
        "specializations",
        "years",
        "education",
        "publications",
    ]
    assert set(labels["source"]) == {"rules"}


def test_url_filters_change_what_is_shown(populated: str) -> None:
    staff = explorer(level="staff")
    assert not staff.exception
    assert 0 < matching(staff) < 97
    assert set(staff.dataframe[0].value["level"]) == {"staff"}
    assert staff.multiselect(key="filter_levels").value == ["staff"]
    narrower = explorer(level="staff", family="ml_engineer", q="pytorch")
    assert 0 < matching(narrower) < matching(staff)
    assert set(narrower.dataframe[0].value["role_family"]) == {"ml_engineer"}
    assert narrower.text_input(key="q").value == "pytorch"


def test_sidebar_choices_go_into_the_url(populated: str) -> None:
    at = explorer()
    at.multiselect(key="filter_families").set_value(["data_engineer"]).run()
    assert not at.exception
    assert at.query_params["family"] == "data_engineer"
    assert set(at.dataframe[0].value["role_family"]) == {"data_engineer"}
    at.text_input(key="q").set_value("spark").run()
    assert at.query_params["q"] == "spark"
    shown = matching(at)
    # the shared link reproduces the view
    again = explorer(**at.query_params)
    assert matching(again) == shown and again.query_params["posting"] == at.query_params["posting"]


def test_paging(populated: str) -> None:
    at = explorer()
    first_page = list(at.dataframe[0].value["id"])
    at.number_input(key="page").set_value(4).run()
    assert not at.exception and at.query_params["page"] == "4"
    last_page = list(at.dataframe[0].value["id"])
    assert len(last_page) == 97 - 3 * 25 and not set(first_page) & set(last_page)


def test_no_match_says_so_instead_of_drawing(populated: str) -> None:
    at = explorer(q="no posting says this", level="staff")
    assert not at.exception
    assert [i.value for i in at.info] == [
        "No postings match these filters and search. Remove a filter or change the search to see postings."
    ]
    assert not at.get("vega_lite_chart") and not at.dataframe


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def test_a_count_over_the_cap_says_more_than(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_url)
    st.cache_data.clear()  # answers of the same search under the default cap
    monkeypatch.setattr(match_counts, "COUNT_CAP", 2)  # "python": 3 unique postings
    at = explorer(q="python")
    assert not at.exception
    assert captions(at)[0] == (
        "More than 2 postings match (duplicates of another posting are left out): the count stops reading there. "
        "Narrow the search or the filters for an exact count and every page."
    )
    assert at.number_input(key="page").label == "Page (of at least 1)"
    assert len(at.dataframe[0].value) == 3  # the page lists every match it finds
    assert not any("estimated" in c for c in captions(at))  # 4 postings: every week read, exactly
    assert at.get("vega_lite_chart")[0].proto.spec.count('"postings"') >= 1

    st.cache_data.clear()
    engine = create_store_engine(sample_url)
    with engine.begin() as conn:
        conn.execute(sa.text("analyze postings"))  # pg_class counts the table's 4 postings
    engine.dispose()
    monkeypatch.setattr(match_counts, "SAMPLE_ROWS", 2)  # a sample of half the table's pages
    at = explorer(q="python")
    assert not at.exception
    assert captions(at)[0].startswith("More than 2 postings match")
    estimate = next(c for c in captions(at) if c.startswith("Weekly counts estimated"))
    assert estimate.startswith(
        "Weekly counts estimated from a sample: the matches among 50% of the stored postings (whole table pages "
        "drawn at random, the same pages each time), each multiplied by 2: about "
    )
    assert "Matching postings (estimated)" in at.get("vega_lite_chart")[0].proto.spec


def test_under_the_cap_the_count_is_exact(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_url)
    st.cache_data.clear()
    monkeypatch.setattr(match_counts, "COUNT_CAP", 3)
    at = explorer(q="python")
    assert not at.exception
    assert captions(at)[0] == "3 postings match (duplicates of another posting are left out)."
    assert at.number_input(key="page").label == "Page (of 1)"
    assert not any("estimated" in c for c in captions(at))


def test_posting_html_and_script_are_shown_escaped(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_url)
    at = explorer(posting=HOSTILE.id)
    assert not at.exception
    body = at.html[0].proto.body
    assert "<script" not in body and "<b>" not in body and "<img" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "&lt;b&gt;bold&lt;/b&gt;" in body
    assert '<mark title="Python (required, rules)" style="background-color: #9fd3f2;">Python</mark>' in body
    assert '">Kubernetes</mark>' in body  # preferred, in the other colour
    assert at.header[0].value == markdown_text(HOSTILE.title)
    assert all("<" not in c.value.replace("\\<", "") for c in at.caption)
    assert at.query_params["posting"] == HOSTILE.id


def test_final_tag_labels_name_the_llm(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_url)
    at = explorer(posting="test:1")
    assert not at.exception
    labels = at.dataframe[1].value.set_index("label")
    assert labels.loc["level", "source"] == "llm" and labels.loc["level", "evidence"].startswith("llm: ")
    assert any("reconciled with the LLM" in c.value for c in at.caption)


def test_unknown_posting_in_the_link(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", sample_url)
    at = explorer(posting="no:such")
    assert not at.exception
    assert [w.value for w in at.warning] == ["No posting has the id 'no:such'."]
