"""Overview: totals, postings per week, sources, last refresh."""

import altair as alt
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data

counts = require_data()
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

st.subheader("Postings per week")
weekly = query("postings_per_week")
st.altair_chart(
    alt.Chart(weekly)
    .mark_bar(color=PALETTE[0])
    .encode(
        x=alt.X("yearmonthdate(week_start):O", title="Week starting", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("postings:Q", title="Postings"),
        tooltip=["week_start:T", "postings:Q"],
    ),
    width="stretch",
)
download(weekly, "postings_per_week")

st.subheader("Sources")
source_table = query("sources")
st.dataframe(source_table, hide_index=True, width="stretch")
download(source_table, "sources")

st.subheader("Recent runs")
st.dataframe(query("recent_runs"), hide_index=True, width="stretch")
