"""The sidebar filters, kept in the URL's query parameters so that a link reproduces the view.

Parameters: ``since`` / ``until`` (ISO days), and repeatable ``source``, ``company``, ``remote``, ``family``,
``level``, ``spec``; ``location`` is a substring. An unknown or malformed value is ignored. The URL wins when it
names a filter; otherwise the filters last chosen in this session carry over from page to page (Streamlit clears
the query parameters when the page changes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

import streamlit as st

from pipeline.analysis.filters import LEVELS, REMOTE_POLICIES, ROLE_FAMILIES, SPECIALIZATIONS, PostingFilters
from pipeline.analysis.market import FAMILY_NAMES
from pipeline.analysis.queries import LEVEL_NAMES, SPECIALIZATION_NAMES

# field of PostingFilters -> query parameter
PARAMS = {
    "since": "since",
    "until": "until",
    "sources": "source",
    "companies": "company",
    "location": "location",
    "remote": "remote",
    "role_families": "family",
    "levels": "level",
    "specializations": "spec",
}
ALLOWED: dict[str, tuple[str, ...]] = {
    "remote": REMOTE_POLICIES,
    "role_families": ROLE_FAMILIES,
    "levels": LEVELS,
    "specializations": SPECIALIZATIONS,
}
POSTING_FIELDS = tuple(PARAMS)
RUN_FIELDS = ("since", "until", "sources")  # what the Pipeline page filters by
_STATE = "jobatlas_filters"
_KEY = "filter_"


def _values(params: Any, name: str) -> list[str]:
    if hasattr(params, "get_all"):
        return [str(v) for v in params.get_all(name)]
    value = params.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


def _day(values: list[str]) -> date | None:
    try:
        return date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def from_params(params: Mapping[str, Any] | Any) -> PostingFilters:
    """The filters a URL's query parameters name (``st.query_params`` or a plain mapping).

    >>> from_params({"level": ["senior", "bogus"], "since": "2026-10-01", "until": "soon", "company": "Acme"})
    PostingFilters(since=datetime.date(2026, 10, 1), until=None, sources=(), companies=('Acme',), location=None, \
remote=(), role_families=(), levels=('senior',), specializations=())
    """
    found: dict[str, Any] = {}
    for field, param in PARAMS.items():
        values = [v.strip() for v in _values(params, param) if v.strip()]
        if field in ("since", "until"):
            found[field] = _day(values)
        elif field == "location":
            found[field] = values[0] if values else None
        else:
            allowed = ALLOWED.get(field)
            found[field] = tuple(dict.fromkeys(v for v in values if allowed is None or v in allowed))
    return PostingFilters(**found)


def to_params(filters: PostingFilters) -> dict[str, str | list[str]]:
    """The query parameters of ``filters`` (only those that filter something)."""
    out: dict[str, str | list[str]] = {}
    for field, value in filters.active().items():
        param = PARAMS[field]
        out[param] = (
            value.isoformat() if isinstance(value, date) else list(value) if isinstance(value, tuple) else value
        )
    return out


def _names_in_url() -> bool:
    return any(param in st.query_params for param in PARAMS.values())


def current() -> PostingFilters:
    """The filters of this view: from the URL when it names any, else the last ones chosen in this session."""
    if _names_in_url():
        return from_params(st.query_params)
    saved = st.session_state.get(_STATE)
    return saved if isinstance(saved, PostingFilters) else PostingFilters()


def _write_url(filters: PostingFilters) -> None:
    wanted = to_params(filters)
    for param in PARAMS.values():
        if param not in wanted and param in st.query_params:
            del st.query_params[param]
    for param, value in wanted.items():
        if _values(st.query_params, param) != (value if isinstance(value, list) else [value]):
            st.query_params[param] = value


def _seed(name: str, value: Any) -> str:
    key = _KEY + name
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def _multi(
    label: str, name: str, options: Iterable[str], chosen: tuple[str, ...], fmt: Callable[[str], str]
) -> tuple[str, ...]:
    choices = list(dict.fromkeys([*options, *chosen]))
    key = _seed(name, [c for c in chosen if c in choices])
    return tuple(st.sidebar.multiselect(label, choices, key=key, format_func=fmt, placeholder="All"))


def _family(value: str) -> str:
    return FAMILY_NAMES.get(value, value)


def _level(value: str) -> str:
    return LEVEL_NAMES.get(value, value)


def _specialization(value: str) -> str:
    return SPECIALIZATION_NAMES.get(value, value)


def sidebar(options: Mapping[str, Any], *, fields: tuple[str, ...] = POSTING_FIELDS) -> PostingFilters:
    """Render the filters of ``fields`` in the sidebar (seeded from the URL), write the choice back to the URL and
    return it. ``options`` is ``pipeline.analysis.filters.filter_options``; fields not shown keep their value."""
    start = current()
    found: dict[str, Any] = {}
    st.sidebar.header("Filters")
    if "since" in fields:
        first = options.get("first_day") or date.today()
        last = options.get("last_day") or first
        key = _seed("days", (start.since or first, start.until or last))
        days = st.sidebar.date_input("Posted between", key=key, format="YYYY-MM-DD")
        picked = tuple(days) if isinstance(days, list | tuple) else (days,)
        found["since"] = picked[0] if picked and picked[0] != first else None
        found["until"] = picked[1] if len(picked) > 1 and picked[1] != last else None
    if "sources" in fields:
        found["sources"] = _multi("Source", "sources", options.get("sources", ()), start.sources, str)
    if "companies" in fields:
        found["companies"] = _multi("Company", "companies", options.get("companies", ()), start.companies, str)
    if "location" in fields:
        text = st.sidebar.text_input("Location contains", key=_seed("location", start.location or ""))
        found["location"] = text.strip() or None
    if "remote" in fields:
        found["remote"] = _multi("Remote policy", "remote", REMOTE_POLICIES, start.remote, str)
    if "role_families" in fields:
        found["role_families"] = _multi("Role family", "families", ROLE_FAMILIES, start.role_families, _family)
    if "levels" in fields:
        found["levels"] = _multi("Level", "levels", LEVELS, start.levels, _level)
    if "specializations" in fields:
        found["specializations"] = _multi(
            "Specialization", "specs", SPECIALIZATIONS, start.specializations, _specialization
        )
    chosen = replace(start, **found)
    st.session_state[_STATE] = chosen
    _write_url(chosen)
    if not chosen.is_empty:
        st.sidebar.caption("The filters are in the address bar: copy the link to share this view.")
    return chosen
