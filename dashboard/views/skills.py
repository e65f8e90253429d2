"""Top skills by level: what postings at each rung ask for, required vs preferred."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from pipeline.analysis.queries import LEVEL_NAMES, LEVEL_ORDER

require_data()
st.title("Skills by level")
options = ["all", *LEVEL_ORDER]
level = st.selectbox("Level", options, format_func=lambda v: "All levels" if v == "all" else LEVEL_NAMES[v])
limit = st.slider("Skills shown", min_value=5, max_value=40, value=20)
skills = query("top_skills", level=None if level == "all" else level, limit=limit)
if skills.is_empty():
    st.warning("No skills found for this level yet.")
    st.stop()
long = skills.unpivot(
    index=["skill", "share_pct"], on=["required", "preferred"], variable_name="ask", value_name="count"
)
st.altair_chart(
    alt.Chart(long)
    .mark_bar()
    .encode(
        y=alt.Y("skill:N", sort=skills["skill"].to_list(), title=None),
        x=alt.X("count:Q", title="Postings asking"),
        color=alt.Color("ask:N", scale=alt.Scale(domain=["required", "preferred"], range=PALETTE[:2]), title=None),
        tooltip=["skill:N", "ask:N", "count:Q", "share_pct:Q"],
    ),
    width="stretch",
)
st.dataframe(
    skills.with_columns(pl.col("share_pct").alias("share of postings (%)")).drop("share_pct"),
    hide_index=True,
    width="stretch",
)
download(skills, f"top_skills_{level}")
