"""Specializations: how many postings focus on each, per level and over time."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from pipeline.analysis.queries import LEVEL_NAMES, LEVEL_ORDER, SPECIALIZATION_NAMES

require_data()
st.title("Specializations")
st.caption(
    "RAG & retrieval, agents, AI infrastructure, safety & security, multimodal: a posting counts when the "
    "specialization is a real focus of it (see data/taxonomy/specializations.yaml for the threshold)."
)

by_level = query("specialization_by_level").with_columns(
    name=pl.col("specialization").replace_strict(SPECIALIZATION_NAMES, default=pl.col("specialization")),
    level_name=pl.col("level").replace_strict(LEVEL_NAMES, default=pl.col("level")),
    level_rank=pl.col("level").replace_strict({lv: i for i, lv in enumerate(LEVEL_ORDER)}, default=99),
)
if by_level.is_empty():
    st.info("No posting in the store has a specialization yet.")
    st.stop()
totals = by_level.group_by("name").agg(pl.col("postings").sum()).sort("postings", descending=True)
st.altair_chart(
    alt.Chart(by_level)
    .mark_bar()
    .encode(
        y=alt.Y("name:N", sort=totals["name"].to_list(), title=None),
        x=alt.X("postings:Q", title="Postings"),
        color=alt.Color(
            "level_name:N",
            scale=alt.Scale(domain=[LEVEL_NAMES[level] for level in LEVEL_ORDER], range=PALETTE),
            title="Level",
        ),
        order=alt.Order("level_rank:Q"),
        tooltip=["name:N", "level_name:N", "postings:Q"],
    ),
    width="stretch",
)
download(by_level.drop("name", "level_name", "level_rank"), "specializations_by_level")

st.subheader("Per week")
trend = query("specialization_trend").with_columns(
    name=pl.col("specialization").replace_strict(SPECIALIZATION_NAMES, default=pl.col("specialization"))
)
st.altair_chart(
    alt.Chart(trend)
    .mark_line(point=True)
    .encode(
        x=alt.X("week_start:T", title="Week"),
        y=alt.Y("postings:Q", title="Postings"),
        color=alt.Color("name:N", scale=alt.Scale(range=PALETTE), title="Specialization"),
        tooltip=["week_start:T", "name:N", "postings:Q"],
    ),
    width="stretch",
)
download(trend.drop("name"), "specializations_per_week")
