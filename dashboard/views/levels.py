"""Career ladder: the level distribution per role family."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from pipeline.analysis.queries import LEVEL_NAMES, LEVEL_ORDER

require_data()
st.title("Career ladder")
st.caption("AI Engineer I (0-2 years), II (2-4), Senior (4-7), Staff (7+), from title words and years asked.")

levels = query("level_distribution")
families = sorted(levels["role_family"].unique().to_list())
chosen = st.multiselect("Role families", families, default=[f for f in families if f != "other"] or families)
shown = levels.filter(pl.col("role_family").is_in(chosen)).with_columns(
    level_name=pl.col("level").replace_strict(LEVEL_NAMES, default=pl.col("level"))
)
if shown.is_empty():
    st.warning("No postings for this selection: choose at least one role family.")
    st.stop()
order = [LEVEL_NAMES[level] for level in LEVEL_ORDER]
st.altair_chart(
    alt.Chart(shown)
    .mark_bar()
    .encode(
        x=alt.X("level_name:N", sort=order, title="Level", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("postings:Q", title="Postings"),
        color=alt.Color("role_family:N", scale=alt.Scale(range=PALETTE), title="Role family"),
        xOffset="role_family:N",
        tooltip=["role_family:N", "level_name:N", "postings:Q"],
    ),
    width="stretch",
)
table = shown.pivot(on="level", index="role_family", values="postings").fill_null(0)
st.dataframe(table, hide_index=True, width="stretch")
download(shown.drop("level_name"), "levels_by_role_family")
