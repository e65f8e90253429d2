"""Each dashboard page rendered with Streamlit's AppTest over a store filled by the real flow."""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_server import free_port
from streamlit.testing.v1 import AppTest

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def free_port_url() -> str:
    """A PostgreSQL URL on a loopback port where nothing listens."""
    return f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/nothing"


def page(name: str) -> AppTest:
    return AppTest.from_file(str(DASHBOARD / "views" / f"{name}.py"), default_timeout=60)


@pytest.fixture
def populated(populated_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", populated_url)
    return populated_url


def test_app_navigation_opens_on_the_overview(populated: str) -> None:
    at = AppTest.from_file(str(DASHBOARD / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["jobatlas overview"]


def test_overview_shows_counts_chart_and_sources(populated: str) -> None:
    at = page("overview").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Postings"] == "97" and metrics["Open postings"] == "97"
    assert len(at.get("vega_lite_chart")) == 1
    sources = at.dataframe[0].value
    assert list(sources["source"]) == ["sample"] and list(sources["postings"]) == [97]
    assert any("Last refresh: run" in c.value for c in at.caption)


def test_levels_page_filters_by_role_family(populated: str) -> None:
    at = page("levels").run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 1
    shown = set(at.dataframe[0].value["role_family"])
    assert "other" not in shown and {"ai_engineer", "ml_engineer"} <= shown
    at.multiselect[0].set_value(["data_engineer"]).run()
    assert set(at.dataframe[0].value["role_family"]) == {"data_engineer"}
    at.multiselect[0].set_value([]).run()
    assert [w.value for w in at.warning] == ["No postings for this selection: choose at least one role family."]


def test_specializations_page_has_share_and_trend(populated: str) -> None:
    at = page("specializations").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2


def test_skills_page_changes_with_the_level(populated: str) -> None:
    at = page("skills").run()
    assert not at.exception
    everyone = at.dataframe[0].value
    assert everyone["skill"][0] == "Python"
    at.selectbox[0].select("staff").run()
    staff = at.dataframe[0].value
    assert list(staff["skill"]) != list(everyone["skill"])
    python_everyone = everyone.set_index("skill").loc["Python", "postings"]
    assert 0 < staff.set_index("skill").loc["Python", "postings"] < python_everyone


def test_empty_store_shows_the_first_run_page(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    for name in ("overview", "levels", "specializations", "skills"):
        at = page(name).run()
        assert not at.exception
        assert [t.value for t in at.title] == ["Welcome to jobatlas"]
        assert [c.value for c in at.code] == ["jobatlas run"]


def test_unreachable_store_shows_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", free_port_url())
    monkeypatch.setenv("JOBATLAS_CONNECT_TIMEOUT_SECONDS", "2")
    at = page("overview").run()
    assert not at.exception
    assert len(at.error) == 1 and "cannot connect to the database" in at.error[0].value
