"""Overview: the store's totals and last refresh, then the postings the sidebar filters select (totals, postings per
week and level), each source's fetch health, the sources and the recent runs."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from dashboard.filters import sidebar
from pipeline.analysis.queries import LEVEL_NAMES, LEVEL_ORDER

counts = require_data()
filters = sidebar(query("filter_options"))
st.title("jobatlas overview")
cols = st.columns(6)
cols[0].metric("Postings", f"{counts['postings']:,}")
cols[1].metric("Open postings", f"{counts['open_postings']:,}")
cols[2].metric("Duplicates", f"{counts['duplicates']:,}", help="Repeats of another posting, left out of the charts")
cols[3].metric("Companies", f"{counts['companies']:,}")
cols[4].metric("Skill mentions", f"{counts['skill_mentions']:,}")
cols[5].metric("Quarantined records", f"{counts['quarantined']:,}")

last = counts["last_run"]
if last:
    finished = last["finished_at"].strftime("%Y-%m-%d %H:%M UTC") if last["finished_at"] else "not finished"
    st.caption(f"Last refresh: run {last['id']} {last['status']} at {finished}.")

st.subheader("Postings matching the filters" if not filters.is_empty else "Unique postings")
totals = query("filtered_totals", filters=filters)
if totals["postings"] == 0:
    st.info("No postings match these filters. Remove a filter or widen the date range to see postings.")
else:
    shares = st.columns(6)
    shares[0].metric("Matching postings", f"{totals['postings']:,}", help="Duplicates of another posting left out")
    shares[1].metric("Matching companies", f"{totals['companies']:,}")
    for col, (label, name) in zip(
        shares[2:],
        [
            ("With a level", "with_level"),
            ("With years asked", "with_years"),
            ("With pay stated", "with_salary"),
            ("With a specialization", "with_specialization"),
        ],
        strict=True,
    ):
        col.metric(label, f"{totals[f'{name}_pct']:.1f}%", help=f"{totals[name]:,} of the matching postings")

    weekly = query("postings_per_week", filters=filters)
    shown = weekly.with_columns(
        level_name=pl.col("level").replace_strict(LEVEL_NAMES, default=pl.col("level")),
        level_rank=pl.col("level").replace_strict({lv: i for i, lv in enumerate(LEVEL_ORDER)}, default=99),
    )
    st.altair_chart(
        alt.Chart(shown)
        .mark_bar()
        .encode(
            x=alt.X("yearmonthdate(week_start):O", title="Week starting", axis=alt.Axis(labelAngle=-45)),
            y=alt.Y("sum(postings):Q", title="Postings"),
            color=alt.Color(
                "level_name:N",
                scale=alt.Scale(domain=[LEVEL_NAMES[level] for level in LEVEL_ORDER], range=PALETTE),
                title="Level",
            ),
            order=alt.Order("level_rank:Q"),
            tooltip=["week_start:T", "level_name:N", "postings:Q"],
        ),
        width="stretch",
    )
    download(weekly, "postings_per_week")

st.subheader("Source health")
health = query("source_health", sources=filters.sources)
if health.is_empty():
    st.info("No fetch of these sources is recorded yet.")
else:
    st.dataframe(health, hide_index=True, width="stretch")
    download(health, "source_health")

st.subheader("Sources")
source_table = query("sources")
st.dataframe(source_table, hide_index=True, width="stretch")
download(source_table, "sources")

st.subheader("Recent runs")
runs = query("recent_runs")
st.dataframe(runs, hide_index=True, width="stretch")
download(runs, "recent_runs")
