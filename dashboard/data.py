"""The dashboard's only way to the store: a cached engine and cached query results."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl
import streamlit as st
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pipeline.analysis.registry import QUERIES
from pipeline.settings import Settings
from pipeline.store.database import StoreUnavailableError, connect

if TYPE_CHECKING:
    from pipeline.audit import Wordlists
    from pipeline.extraction.extractor import Extractor

T = TypeVar("T")

# Okabe-Ito: distinguishable with every common form of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _db_key(settings: Settings) -> str:
    if settings.database_url is not None:
        return settings.database_url.get_secret_value()
    return f"embedded:{settings.embedded_pgdata}"


@st.cache_resource(show_spinner="Connecting to the store…")
def _engine(db_key: str, _settings: Settings) -> Engine:
    return connect(_settings)


@st.cache_data(ttl=60, show_spinner=False)
def _query(db_key: str, name: str, _settings: Settings, **params: Any) -> Any:
    with Session(_engine(db_key, _settings)) as session:
        return QUERIES[name](session=session, **params)


def query(name: str, **params: Any) -> Any:
    """Run a named query on the configured store (results cached for a minute)."""
    settings = Settings()
    return _query(_db_key(settings), name, settings, **params)


def with_session(work: Callable[[Session | None, str | None], T]) -> T:
    """``work(session, None)`` on the cached engine, or ``work(None, reason)`` when the store cannot be reached (for
    the library functions that compare with the market when they can: the JD audit, the skill gap)."""
    settings = Settings()
    try:
        engine = _engine(_db_key(settings), settings)
    except StoreUnavailableError as exc:
        return work(None, f"the store cannot be reached ({exc})")
    with Session(engine) as session:
        return work(session, None)


@st.cache_resource(show_spinner="Loading the skill extractor…")
def _extractor(taxonomy_dir: str) -> Extractor:
    from pathlib import Path

    from pipeline.extraction.extractor import build_extractor

    return build_extractor(Path(taxonomy_dir))


def extractor() -> Extractor:
    """The extractor of the configured taxonomy, built once per process."""
    return _extractor(str(Settings().taxonomy_dir))


@st.cache_resource(show_spinner=False)
def _wordlists(audit_dir: str) -> Wordlists:
    from pathlib import Path

    from pipeline.audit import load_wordlists

    return load_wordlists(Path(audit_dir))


def wordlists() -> Wordlists:
    """The JD audit's word lists, loaded once per process."""
    return _wordlists(str(Settings().data_dir / "audit"))


def require_data() -> dict[str, Any]:
    """The overview counts; stops the page with a friendly message when the store is down or empty."""
    counts = require_schema()
    if counts["postings"] == 0:
        first_run()
    return counts


def require_schema() -> dict[str, Any]:
    """The overview counts, even of a store without postings (whose runs may all have failed); stops the page with
    the first-run page when the store has no schema, or one clear message when it cannot be reached."""
    try:
        if not query("has_schema"):
            first_run()
        counts: dict[str, Any] = query("overview")
    except StoreUnavailableError as exc:
        st.error(f"The store is not reachable: {exc}")
        st.stop()
        raise  # unreachable: st.stop() ends the script
    return counts


def first_run() -> None:
    st.title("Welcome to jobatlas")
    st.info("The store holds no postings yet. Load the bundled sample (offline, about a minute):")
    st.code("jobatlas run", language="bash")
    st.markdown("Then reload this page. `jobatlas run --file my_postings.jsonl` loads your own postings.")
    st.stop()


def download(frame: pl.DataFrame, name: str) -> None:
    """A CSV download of a chart's or table's data."""
    st.download_button(
        f"Download {name} (CSV)",
        frame.write_csv(),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download-{name}",
    )
