"""Dashboard query latency (``jobatlas bench dashboard``): every page's queries, run straight against the store with
a fresh session per call and no caching, under a representative mix of filters.

``PAGES`` lists, per page of ``dashboard/views``, the registered queries (names of
``pipeline.analysis.registry.QUERIES``) the page calls and their arguments; keep it in step with the pages. A
filter-aware query runs once per filter of the mix (no filter, one level, one source, the last eight weeks, the
largest company; the explorer also with a rare and a common search text, ``SEARCH_TEXTS``, each alone and with a
level); the Pipeline page's queries run without a window, with the window and with one source. A page's time for one
filter is the sum of its queries' times (what a cold render waits for).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pipeline.analysis.filters import PostingFilters

LIMIT_MS = 300.0
NO_FILTER = "no filter"
# the explorer's search texts: a specific term (0.4% of seeded postings) and a common one (12%), whose count stops
# at ``pipeline.analysis.match_counts.QUICK_CAP`` and whose weekly counts are estimated from a sample
SEARCH_TEXTS = ("vllm", "kubernetes")
# how a call takes the filter of the mix: "filters" (a PostingFilters keyword), "text" (filters and the explorer's
# search text), "window" (since/until/sources keywords, the Pipeline page), "days" (since/until only), "sources"
# (sources only), or "" (no filter at all)
FILTERS, TEXT, WINDOW, DAYS, SOURCES, NONE = "filters", "text", "window", "days", "sources", ""
_WINDOW_KEYS = {WINDOW: {"since", "until", "sources"}, DAYS: {"since", "until"}, SOURCES: {"sources"}}


@dataclass(frozen=True)
class Call:
    """One query a page runs: its registered name, how it is filtered, its other arguments."""

    query: str
    takes: str = NONE
    kwargs: Mapping[str, Any] = field(default_factory=dict)


_START = (Call("has_schema"), Call("overview"), Call("filter_options"))  # every page: require_data() and the sidebar
PAGES: dict[str, tuple[Call, ...]] = {
    "Overview": (
        *_START,
        Call("filtered_totals", FILTERS),
        Call("postings_per_week", FILTERS),
        Call("source_health", SOURCES),
        Call("sources"),
        Call("recent_runs"),
    ),
    "Career ladder": (
        *_START,
        Call("level_distribution", FILTERS),
        Call("years_by_level", FILTERS),
        Call("salary_bands", FILTERS),
        Call("rising_skills", FILTERS, {"limit": 10, "min_postings": 3}),
    ),
    "Skills": (
        *_START,
        Call("skill_postings", FILTERS),
        Call("top_skills", FILTERS, {"limit": 20}),
        Call("skill_movers", FILTERS, {"limit": 15, "min_postings": 5}),
        Call("emerging_skills", FILTERS, {"recent_weeks": 4, "limit": 20, "min_postings": 3}),
        Call("skill_cooccurrence", FILTERS, {"top_n": 15}),
        Call("top_skills", FILTERS, {"limit": 200}),
        Call("skill_detail", FILTERS, {"skill_name": "$skill"}),
        Call("skill_examples", FILTERS, {"skill_name": "$skill", "limit": 10}),
    ),
    "Specializations": (
        *_START,
        Call("filtered_totals", FILTERS),
        Call("specialization_share", FILTERS),
        Call("specialization_by_level", FILTERS),
        Call("specialization_trend", FILTERS),
        Call("specialization_top_skills", FILTERS, {"limit": 10}),
        Call("specialization_overlap", FILTERS),
    ),
    "Explorer": (
        *_START,
        Call("count_postings", TEXT),
        Call("matching_per_week", TEXT),
        Call("search_postings", TEXT, {"page": 0}),
        Call("posting_detail", NONE, {"posting_id": "$posting"}),
    ),
    "Pipeline": (
        Call("has_schema"),
        Call("overview"),
        Call("filter_options"),
        Call("runs", DAYS),
        Call("step_durations", DAYS),
        Call("source_health", WINDOW),
        Call("quarantine_reasons", WINDOW),
        Call("quarantine_examples", WINDOW),
        Call("llm_totals", DAYS),
        Call("llm_usage", DAYS),
    ),
}


@dataclass(frozen=True)
class Sample:
    """Representative values read from the store: the filter mix and the arguments of the detail queries."""

    filters: dict[str, PostingFilters]
    windows: dict[str, dict[str, Any]]
    texts: dict[str, tuple[PostingFilters, str | None]]
    values: dict[str, Any]


def sample_of(session: Session) -> Sample:
    """The filter mix of this store: its largest source and company, its last eight weeks, one posting, the most
    asked skill."""
    unique = "from postings where duplicate_of is null"
    source = session.scalar(sa.text(f"select source_id {unique} group by 1 order by count(*) desc, 1 limit 1"))
    company = session.scalar(
        sa.text(f"select company {unique} and company is not null group by 1 order by count(*) desc, 1 limit 1")
    )
    last: date | None = session.scalar(sa.text(f"select max(coalesce(posted_on, first_seen_on)) {unique}"))
    posting = session.scalar(sa.text(f"select id {unique} order by id limit 1"))
    skill = session.scalar(
        sa.text(
            "select k.name from weekly_skill_counts w join skills k on k.id = w.skill_id "
            "group by k.name order by sum(w.postings) desc, k.name limit 1"
        )
    )
    since = (last or date.today()) - timedelta(weeks=8)
    filters = {
        NO_FILTER: PostingFilters(),
        "level senior": PostingFilters(levels=("senior",)),
        "one source": PostingFilters(sources=(source,) if source else ()),
        "last 8 weeks": PostingFilters(since=since, until=last),
        "largest company": PostingFilters(companies=(company,) if company else ()),
    }
    windows: dict[str, dict[str, Any]] = {
        NO_FILTER: {},
        "last 8 weeks": {"since": since, "until": last},
        "one source": {"sources": (source,) if source else ()},
    }
    texts: dict[str, tuple[PostingFilters, str | None]] = {name: (f, None) for name, f in filters.items()}
    for text in SEARCH_TEXTS:
        texts[f"text {text!r}"] = (PostingFilters(), text)
        texts[f"senior + text {text!r}"] = (filters["level senior"], text)
    return Sample(filters, windows, texts, {"$skill": skill or "Python", "$posting": posting or ""})


def variants(call: Call, sample: Sample) -> dict[str, dict[str, Any]]:
    """The keyword arguments of each run of ``call``, by filter name."""
    fixed = {k: sample.values.get(v, v) if isinstance(v, str) else v for k, v in call.kwargs.items()}
    if call.takes == FILTERS:
        return {name: {**fixed, "filters": f} for name, f in sample.filters.items()}
    if call.takes == TEXT:
        return {name: {**fixed, "filters": f, "text": t} for name, (f, t) in sample.texts.items()}
    if call.takes in _WINDOW_KEYS:
        keys = _WINDOW_KEYS[call.takes]
        return {name: {**fixed, **w} for name, w in sample.windows.items() if name == NO_FILTER or set(w) <= keys}
    return {NO_FILTER: fixed}


@dataclass(frozen=True)
class Timing:
    """Milliseconds of runs of one query (or one page): median, 95th percentile, maximum."""

    page: str
    name: str
    runs: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    slowest: str  # the filter of the slowest run

    @property
    def too_slow(self) -> bool:
        return self.p95_ms > LIMIT_MS


@dataclass
class DashboardBench:
    queries: list[Timing]
    pages: list[Timing]
    missing: list[str]  # queries a page calls that the registry does not have


def _timing(page: str, name: str, runs: list[tuple[str, float]]) -> Timing:
    ms = np.array([seconds * 1000 for _, seconds in runs])
    return Timing(
        page,
        name,
        len(runs),
        float(np.percentile(ms, 50)),
        float(np.percentile(ms, 95)),
        float(ms.max()),
        max(runs, key=lambda r: r[1])[0],
    )


def run_dashboard_bench(
    engine: Engine,
    queries: Mapping[str, Callable[..., Any]],
    *,
    repeat: int = 20,
    pages: Mapping[str, tuple[Call, ...]] = PAGES,
    on_page: Callable[[str], None] | None = None,
) -> DashboardBench:
    """Run every page's queries ``repeat`` times per filter of the mix; a fresh session per call."""
    with Session(engine) as session:
        sample = sample_of(session)
    result = DashboardBench([], [], sorted({c.query for calls in pages.values() for c in calls} - set(queries)))
    for page, calls in pages.items():
        if on_page is not None:
            on_page(page)
        per_call: list[dict[str, list[float]]] = []
        for call in calls:
            if call.query not in queries:
                continue
            times: dict[str, list[float]] = {}
            for name, kwargs in variants(call, sample).items():
                for _ in range(repeat):
                    with Session(engine) as session:
                        started = time.perf_counter()
                        queries[call.query](session=session, **kwargs)
                        times.setdefault(name, []).append(time.perf_counter() - started)
            per_call.append(times)
            label = call.query + (f" ({', '.join(f'{k}={v}' for k, v in call.kwargs.items())})" if call.kwargs else "")
            result.queries.append(_timing(page, label, [(n, s) for n, runs in times.items() for s in runs]))
        # one render under a filter: every query of the page, unfiltered ones with their only run
        names = dict.fromkeys(name for times in per_call for name in times)
        renders = [
            (name, sum(times.get(name, times[NO_FILTER])[n] for times in per_call))
            for name in names
            for n in range(repeat)
        ]
        if renders:
            result.pages.append(_timing(page, page, renders))
    return result
