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


NO_MATCH = {"company": "No Such Company"}


def opened(name: str, **params: str | list[str]) -> AppTest:
    """Page ``name`` run with ``params`` in its URL."""
    at = page(name)
    at.query_params.update(params)
    return at.run()


def unique_postings(url: str, **fields: tuple[str, ...]) -> int:
    """The unique postings matching the filters ``fields``, as the explorer's own query counts them."""
    from sqlalchemy.orm import Session

    from pipeline.analysis.explorer import count_postings
    from pipeline.analysis.filters import PostingFilters
    from pipeline.store.database import create_store_engine

    engine = create_store_engine(url)
    try:
        with Session(engine) as session:
            return count_postings(PostingFilters(**fields), session=session)
    finally:
        engine.dispose()


def says_nothing_matches(at: AppTest) -> bool:
    return not at.exception and any(i.value.startswith("No postings match these filters") for i in at.info)


def test_overview_shows_counts_chart_and_sources(populated: str) -> None:
    at = page("overview").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Postings"] == "97" and metrics["Open postings"] == "97"
    assert metrics["Matching postings"] == "97" and metrics["Matching companies"] == metrics["Companies"]
    assert len(at.get("vega_lite_chart")) == 1
    health, sources = at.dataframe[0].value, at.dataframe[1].value
    assert list(health["source"]) == ["sample"] and list(health["last_status"]) == ["ok"]
    assert list(sources["source"]) == ["sample"] and list(sources["postings"]) == [97]
    assert any("Last refresh: run" in c.value for c in at.caption)


def test_overview_follows_the_filters(populated: str) -> None:
    at = opened("overview", level="staff", family="ai_engineer")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    expected = unique_postings(populated, levels=("staff",), role_families=("ai_engineer",))
    assert 0 < expected < 97 and metrics["Matching postings"] == f"{expected:,}"
    assert metrics["Postings"] == "97"  # the store's totals do not move
    assert metrics["With a level"] == "100.0%"
    at.multiselect(key="filter_families").set_value([]).run()
    assert at.query_params["level"] == "staff" and "family" not in at.query_params
    widened = {m.label: m.value for m in at.metric}["Matching postings"]
    assert widened == f"{unique_postings(populated, levels=('staff',)):,}" and int(widened) > expected
    nothing = opened("overview", **NO_MATCH)
    assert says_nothing_matches(nothing)
    assert not nothing.get("vega_lite_chart") and {m.label: m.value for m in nothing.metric}["Postings"] == "97"


def test_levels_page_shows_the_ladder(populated: str) -> None:
    at = page("levels").run()
    assert not at.exception and len(at.get("vega_lite_chart")) == 4  # levels, years, pay, rising skills
    table = at.dataframe[0].value
    assert {"ai_engineer", "ml_engineer", "other"} <= set(table["role_family"])
    assert table.drop(columns="role_family").to_numpy().sum() == 97
    assert [b.proto.label for b in at.get("download_button")] == [
        f"Download {name} (CSV)"
        for name in ("levels_by_role_family", "years_by_level", "salary_bands", "rising_skills")
    ]


def test_levels_page_follows_the_filters(populated: str) -> None:
    at = page("levels").run()
    at.multiselect(key="filter_families").set_value(["data_engineer"]).run()
    assert not at.exception and at.query_params["family"] == "data_engineer"
    table = at.dataframe[0].value
    assert list(table["role_family"]) == ["data_engineer"]
    assert table.drop(columns="role_family").to_numpy().sum() == unique_postings(
        populated, role_families=("data_engineer",)
    )
    senior = opened("levels", level="senior")
    assert not senior.exception and list(senior.dataframe[0].value.columns) == ["role_family", "senior"]
    assert any("rises from level I to staff" in i.value for i in senior.info)  # no level I or staff postings
    nothing = opened("levels", **NO_MATCH)
    assert says_nothing_matches(nothing) and not nothing.get("vega_lite_chart")


def test_specializations_page_has_share_trend_skills_and_overlap(populated: str) -> None:
    at = page("specializations").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4  # share per level, per week, top skills, overlap
    share = at.dataframe[0].value
    assert set(share["name"]) == {
        "RAG & retrieval",
        "Agents & autonomy",
        "AI infrastructure",
        "AI safety & security",
        "Multimodal",
    }
    assert list(share["postings"]) == sorted(share["postings"], reverse=True)
    assert len(at.get("download_button")) == 5


def test_specializations_page_follows_the_filters(populated: str) -> None:
    rag = opened("specializations", spec="rag")
    assert not rag.exception and rag.multiselect(key="filter_specs").value == ["rag"]
    share = rag.dataframe[0].value
    assert share["name"][0] == "RAG & retrieval" and share["share_pct"][0] == 100.0
    assert share["postings"][0] == unique_postings(populated, specializations=("rag",))
    nothing = opened("specializations", **NO_MATCH)
    assert says_nothing_matches(nothing) and not nothing.get("vega_lite_chart")


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
