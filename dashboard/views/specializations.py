"""Specializations of the postings the sidebar filters select: their share (overall and per level), per week, the
skills each asks most and how often two go together."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from dashboard.filters import sidebar
from pipeline.analysis.queries import LEVEL_NAMES, LEVEL_ORDER, SPECIALIZATION_NAMES

TOP_SKILLS = 8


def named(frame: pl.DataFrame, column: str = "specialization", to: str = "name") -> pl.DataFrame:
    """``frame`` with the specialization of ``column`` as the page shows it, in ``to``."""
    return frame.with_columns(pl.col(column).replace_strict(SPECIALIZATION_NAMES, default=pl.col(column)).alias(to))


require_data()
filters = sidebar(query("filter_options"))
st.title("Specializations")
st.caption(
    "RAG & retrieval, agents, AI infrastructure, safety & security, multimodal: a posting counts when the "
    "specialization is a real focus of it (see data/taxonomy/specializations.yaml for the threshold); one posting "
    "can focus on several."
)

total: int = query("filtered_totals", filters=filters)["postings"]
if total == 0:
    st.info("No postings match these filters. Remove a filter or widen the date range to see specializations.")
    st.stop()
share = query("specialization_share", filters=filters)
if share.is_empty():
    st.info(f"None of the {total:,} matching postings focuses on a specialization.")
    st.stop()

st.subheader("Share of the matching postings")
order = named(share)["name"].to_list()
by_level = named(query("specialization_by_level", filters=filters)).with_columns(
    level_name=pl.col("level").replace_strict(LEVEL_NAMES, default=pl.col("level")),
    level_rank=pl.col("level").replace_strict({lv: i for i, lv in enumerate(LEVEL_ORDER)}, default=99),
)
st.altair_chart(
    alt.Chart(by_level)
    .mark_bar()
    .encode(
        y=alt.Y("name:N", sort=order, title=None),
        x=alt.X("postings:Q", title=f"Postings (of {total:,} matching)"),
        color=alt.Color(
            "level_name:N",
            scale=alt.Scale(domain=[LEVEL_NAMES[level] for level in LEVEL_ORDER], range=PALETTE),
            title="Level",
        ),
        order=alt.Order("level_rank:Q"),
        tooltip=["name:N", "level_name:N", "postings:Q", alt.Tooltip("share_pct:Q", format=".1f", title="% of level")],
    ),
    width="stretch",
)
st.dataframe(named(share).select("name", "postings", "share_pct"), hide_index=True, width="stretch")
download(share, "specialization_share")
download(by_level.drop("name", "level_name", "level_rank"), "specializations_by_level")

st.subheader("Per week")
trend = named(query("specialization_trend", filters=filters))
st.altair_chart(
    alt.Chart(trend)
    .mark_line(point=True)
    .encode(
        x=alt.X("week_start:T", title="Week"),
        y=alt.Y("share_pct:Q", title="Share of the week's matching postings (%)"),
        color=alt.Color("name:N", scale=alt.Scale(range=PALETTE), sort=order, title="Specialization"),
        tooltip=["week_start:T", "name:N", "postings:Q", alt.Tooltip("share_pct:Q", format=".1f")],
    ),
    width="stretch",
)
download(trend.drop("name"), "specializations_per_week")

st.subheader("Top skills of each specialization")
top = named(query("specialization_top_skills", filters=filters, limit=TOP_SKILLS))
st.altair_chart(
    alt.Chart(top)
    .mark_bar(color=PALETTE[0])
    .encode(
        y=alt.Y("skill:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
        x=alt.X("share_pct:Q", title="Postings of the specialization asking (%)"),
        tooltip=["name:N", "skill:N", "category:N", "postings:Q", alt.Tooltip("share_pct:Q", format=".1f")],
    )
    .properties(width=220, height=200)
    .facet(facet=alt.Facet("name:N", sort=order, title=None), columns=3)
    .resolve_scale(y="independent"),
)
download(top.drop("name"), "specialization_top_skills")

st.subheader("Which specializations go together")
overlap = named(
    named(query("specialization_overlap", filters=filters), "specialization_a", "a"), "specialization_b", "b"
)
st.caption("Each cell: the postings focusing on both, and the Jaccard index (both / either) as the colour.")
cells = alt.Chart(overlap).encode(
    x=alt.X("a:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
    y=alt.Y("b:N", sort=order, title=None),
)
st.altair_chart(
    alt.layer(
        cells.mark_rect().encode(
            color=alt.Color("jaccard:Q", scale=alt.Scale(domain=[0, 1], scheme="blues"), title="Jaccard"),
            tooltip=["a:N", "b:N", "both:Q", alt.Tooltip("jaccard:Q", format=".2f")],
        ),
        cells.mark_text(baseline="middle").encode(
            text="both:Q",
            color=alt.condition(alt.datum.jaccard > 0.5, alt.value("#FFFFFF"), alt.value("#000000")),
        ),
    ).properties(height=320),
    width="stretch",
)
download(overlap.drop("a", "b"), "specialization_overlap")
