"""Skill demand: what the filtered postings ask for (required vs preferred), the week's movers, emerging skills, the
skills asked together and one skill in detail with example postings. The filters and the chosen skill (``skill``)
are in the URL."""

from urllib.parse import quote

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from dashboard.filters import sidebar
from dashboard.highlight import markdown_text
from pipeline.analysis.filters import LEVELS
from pipeline.analysis.skill_demand import EMERGING_MAX_EARLIER_SHARE, EMERGING_MIN_RISE

require_data()
filters = sidebar(query("filter_options"))
st.title("Skill demand")
total: int = query("skill_postings", filters=filters)
if total == 0:
    st.info("No postings match these filters. Remove a filter or widen the dates to see skill demand.")
    st.stop()
st.caption(f"{total:,} postings match (duplicates of another posting are left out). Shares are of these postings.")
UP, DOWN = PALETTE[0], PALETTE[5]  # Okabe-Ito blue and vermillion
EMERGING_MIN_POSTINGS = 3


def _week(value: object) -> str:
    return f"the week of {value}"


st.header("Most asked skills")
limit = st.slider("Skills shown", min_value=5, max_value=40, value=20, key="skills_shown")
top: pl.DataFrame = query("top_skills", filters=filters, limit=limit)
if top.is_empty():
    st.info("None of these postings asks for a skill of the taxonomy.")
    st.stop()
asks = top.unpivot(index=["skill", "share_pct"], on=["required", "preferred"], variable_name="ask", value_name="count")
st.altair_chart(
    alt.Chart(asks)
    .mark_bar()
    .encode(
        y=alt.Y("skill:N", sort=top["skill"].to_list(), title=None),
        x=alt.X("count:Q", title="Postings asking"),
        color=alt.Color("ask:N", scale=alt.Scale(domain=["required", "preferred"], range=PALETTE[:2]), title=None),
        tooltip=["skill:N", "ask:N", "count:Q", alt.Tooltip("share_pct:Q", title="share of postings (%)")],
    ),
    width="stretch",
)
st.dataframe(top, hide_index=True, width="stretch")
download(top, "top_skills")

st.header("Movers, week over week")
min_postings = int(st.number_input("Postings asking in either week, at least", 1, 50, value=2, key="movers_min"))
movers: pl.DataFrame = query("skill_movers", filters=filters, limit=15, min_postings=min_postings)
if movers.is_empty():
    st.info(
        "No movers: they need two complete weeks with matching postings and a skill asked by at least "
        f"{min_postings} postings in one of them."
    )
else:
    first = movers.row(0, named=True)
    st.caption(
        f"Share of the {first['total']} postings of {_week(first['week'])} (the last complete week with postings) "
        f"against the {first['previous_total']} of {_week(first['previous_week'])}, in percentage points."
    )
    st.altair_chart(
        alt.Chart(
            movers.with_columns(
                direction=pl.when(pl.col("change_pts") >= 0).then(pl.lit("up")).otherwise(pl.lit("down"))
            )
        )
        .mark_bar()
        .encode(
            y=alt.Y("skill:N", sort=alt.EncodingSortField("change_pts", order="descending"), title=None),
            x=alt.X("change_pts:Q", title="Change in share (points)"),
            color=alt.Color("direction:N", scale=alt.Scale(domain=["up", "down"], range=[UP, DOWN]), title=None),
            tooltip=[
                "skill:N",
                "previous_share_pct:Q",
                "share_pct:Q",
                "change_pts:Q",
                "previous_postings:Q",
                "postings:Q",
            ],
        ),
        width="stretch",
    )
    st.dataframe(movers, hide_index=True, width="stretch")
    download(movers, "skill_movers")

st.header("Emerging skills")
recent_weeks = st.slider("Recent weeks", min_value=1, max_value=12, value=4, key="emerging_weeks")
emerging: pl.DataFrame = query(
    "emerging_skills", filters=filters, recent_weeks=recent_weeks, limit=20, min_postings=EMERGING_MIN_POSTINGS
)
st.caption(
    f"Asked by {EMERGING_MIN_POSTINGS}+ postings of the last {recent_weeks} complete weeks, by at most "
    f"{EMERGING_MAX_EARLIER_SHARE:g}% of the earlier ones, and by at least {EMERGING_MIN_RISE:g} times the earlier "
    "share."
)
if emerging.is_empty():
    st.info(
        "No emerging skill: none meets this rule here, or the window lacks complete weeks with matching postings "
        "before or within the recent weeks."
    )
else:
    st.dataframe(emerging, hide_index=True, width="stretch")
    download(emerging, "emerging_skills")

st.header("Asked together")
top_n = st.slider("Among the most asked", min_value=5, max_value=25, value=12, key="pairs_top")
pairs: pl.DataFrame = query("skill_cooccurrence", filters=filters, top_n=top_n)
if pairs.is_empty():
    st.info("No two of the most asked skills are asked by the same posting.")
else:
    order = query("top_skills", filters=filters, limit=top_n)["skill"].to_list()
    swapped = pairs.rename(
        {"skill_a": "skill_b", "skill_b": "skill_a", "postings_a": "postings_b", "postings_b": "postings_a"}
    )
    matrix = pl.concat([pairs, swapped.select(pairs.columns)])
    st.altair_chart(
        alt.Chart(matrix)
        .mark_rect()
        .encode(
            x=alt.X("skill_a:N", sort=order, title=None),
            y=alt.Y("skill_b:N", sort=order, title=None),
            color=alt.Color("jaccard:Q", scale=alt.Scale(range=["#e8f1f8", UP]), title="Jaccard"),
            tooltip=["skill_a:N", "skill_b:N", "postings:Q", "jaccard:Q", "lift:Q"],
        )
        .properties(height=28 * len(order) + 80),
        width="stretch",
    )
    st.caption("Jaccard: postings asking both of those asking either. Lift above 1: asked together more than chance.")
    download(pairs, "skill_cooccurrence")

st.header("One skill")
names: list[str] = query("top_skills", filters=filters, limit=200)["skill"].to_list()
if "skill" not in st.session_state:
    st.session_state["skill"] = str(st.query_params.get("skill", "")) or names[0]
options = names if st.session_state["skill"] in names else [st.session_state["skill"], *names]
chosen = str(st.selectbox("Skill", options, key="skill"))
if st.query_params.get("skill") != chosen:
    st.query_params["skill"] = chosen
detail = query("skill_detail", skill_name=chosen, filters=filters)
if detail is None:
    st.warning(f"The taxonomy has no skill named {markdown_text(chosen)}.")
    st.stop()
if detail["asking"] == 0:
    st.info(f"None of these postings asks for {markdown_text(chosen)}.")
    st.stop()
cols = st.columns(3)
cols[0].metric("Postings asking", f"{detail['asking']:,}")
cols[1].metric("Share of postings", f"{detail['share_pct']}%")
cols[2].metric("Of them requiring it", f"{detail['required_share_pct']}%")
trend, split = st.columns(2)
with trend:
    weekly = detail["weekly"]
    st.altair_chart(
        alt.Chart(weekly)
        .mark_line(point=True, color=UP)
        .encode(
            x=alt.X("week_start:T", title="Week starting"),
            y=alt.Y("share_pct:Q", title="Share of postings (%)"),
            tooltip=["week_start:T", "asking:Q", "postings:Q", "share_pct:Q"],
        )
        .properties(height=260, title="Per week (the last week may be incomplete)"),
        width="stretch",
    )
    download(weekly, "skill_weekly")
with split:
    by_level, by_family = detail["by_level"], detail["by_family"]
    for frame, key, sort, name in (
        (by_level, "level", list(LEVELS), "skill_by_level"),
        (
            by_family,
            "role_family",
            by_family.sort("share_pct", descending=True)["role_family"].to_list(),
            "skill_by_family",
        ),
    ):
        st.altair_chart(
            alt.Chart(frame)
            .mark_bar(color=PALETTE[2])
            .encode(
                y=alt.Y(f"{key}:N", sort=sort, title=None),
                x=alt.X("share_pct:Q", title="Share asking (%)"),
                tooltip=[f"{key}:N", "asking:Q", "required:Q", "postings:Q", "share_pct:Q"],
            )
            .properties(height=30 * len(frame) + 40),
            width="stretch",
        )
        download(frame, name)
st.subheader("Asked beside it")
st.dataframe(detail["cooccurring"], hide_index=True, width="stretch")
download(detail["cooccurring"], "skill_cooccurring")
st.subheader("Example postings")
examples: pl.DataFrame = query("skill_examples", skill_name=chosen, filters=filters, limit=10)
linked = examples.with_columns(
    explorer=pl.col("id").map_elements(lambda i: f"/explorer?posting={quote(i, safe='')}", return_dtype=pl.String)
)
st.dataframe(
    linked,
    hide_index=True,
    width="stretch",
    column_config={
        "day": st.column_config.DateColumn("day", format="YYYY-MM-DD"),
        "explorer": st.column_config.LinkColumn("explorer", display_text="Open in the explorer"),
    },
)
download(examples, "skill_examples")
