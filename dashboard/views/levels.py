"""Career ladder of the postings the sidebar filters select: postings per level and role family, the years of
experience asked per level (box plots), the annual pay stated per level and the skills that rise with seniority."""

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from dashboard.filters import sidebar
from pipeline.analysis.ladder import LADDER
from pipeline.analysis.market import FAMILY_NAMES
from pipeline.analysis.queries import LEVEL_NAMES, LEVEL_ORDER

RISING_LIMIT, RISING_MIN_POSTINGS = 8, 3
ORDER = [LEVEL_NAMES[level] for level in LEVEL_ORDER]


def named(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with ``level_name``, the level as the page shows it."""
    return frame.with_columns(level_name=pl.col("level").replace_strict(LEVEL_NAMES, default=pl.col("level")))


require_data()
filters = sidebar(query("filter_options"))
st.title("Career ladder")
st.caption("AI Engineer I (0-2 years), II (2-4), Senior (4-7), Staff (7+), from title words and years asked.")

levels = query("level_distribution", filters=filters)
if levels.is_empty():
    st.info("No postings match these filters. Remove a filter or widen the date range to see the ladder.")
    st.stop()

st.subheader("Postings per level and role family")
shown = named(levels).with_columns(
    family=pl.col("role_family").replace_strict(FAMILY_NAMES, default=pl.col("role_family"))
)
st.altair_chart(
    alt.Chart(shown)
    .mark_bar()
    .encode(
        x=alt.X("level_name:N", sort=ORDER, title="Level", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("postings:Q", title="Postings"),
        color=alt.Color("family:N", scale=alt.Scale(range=PALETTE), title="Role family"),
        xOffset="family:N",
        tooltip=["family:N", "level_name:N", "postings:Q"],
    ),
    width="stretch",
)
table = levels.pivot(on="level", index="role_family", values="postings").fill_null(0)
st.dataframe(table, hide_index=True, width="stretch")
download(levels, "levels_by_role_family")

st.subheader("Years of experience asked")
years = query("years_by_level", filters=filters)
if years.is_empty():
    st.info("None of the matching postings states the years of experience it asks for.")
else:
    base = alt.Chart(named(years)).encode(
        x=alt.X("level_name:N", sort=ORDER, title="Level", axis=alt.Axis(labelAngle=0))
    )
    tooltip = ["level_name:N", "n:Q", "min:Q", "q1:Q", "median:Q", "q3:Q", "max:Q"]
    st.altair_chart(
        alt.layer(
            base.mark_rule(color=PALETTE[0]).encode(y=alt.Y("min:Q", title="Years asked (minimum)"), y2="max:Q"),
            base.mark_bar(size=36, color=PALETTE[4]).encode(y="q1:Q", y2="q3:Q", tooltip=tooltip),
            base.mark_tick(size=36, thickness=3, color=PALETTE[5]).encode(y="median:Q", tooltip=tooltip),
        ),
        width="stretch",
    )
    st.caption(
        "Whiskers from the fewest to the most years asked, the box from the first to the third quartile, the line "
        "at the median."
    )
    download(years, "years_by_level")

st.subheader("Annual pay")
bands = query("salary_bands", filters=filters)
if bands.is_empty():
    st.info("None of the matching postings states its pay.")
else:
    currency = bands["currency"][0]
    st.caption(
        f"In {currency}, the most common currency of the matching postings that state pay ({bands['n'].sum():,} "
        "postings; those paying in another currency are left out). Each posting's pay is the middle of its range, "
        "or its one bound; the bar spans the 25th to the 75th percentile, the line marks the median."
    )
    base = alt.Chart(named(bands)).encode(
        x=alt.X("level_name:N", sort=ORDER, title="Level", axis=alt.Axis(labelAngle=0))
    )
    pay_tooltip: list[str | alt.Tooltip] = [
        "level_name:N",
        "currency:N",
        "n:Q",
        alt.Tooltip("p25:Q", format=",.0f"),
        alt.Tooltip("median:Q", format=",.0f"),
        alt.Tooltip("p75:Q", format=",.0f"),
    ]
    st.altair_chart(
        alt.layer(
            base.mark_bar(size=36, color=PALETTE[2]).encode(
                y=alt.Y("p25:Q", title=f"Annual pay ({currency})"), y2="p75:Q", tooltip=pay_tooltip
            ),
            base.mark_tick(size=36, thickness=3, color=PALETTE[7]).encode(y="median:Q", tooltip=pay_tooltip),
        ),
        width="stretch",
    )
    download(bands, "salary_bands")

st.subheader("Skills that rise with seniority")
rising = query("rising_skills", filters=filters, limit=RISING_LIMIT, min_postings=RISING_MIN_POSTINGS)
if rising.is_empty():
    st.info(
        "No skill's share rises from level I to staff in the matching postings (it takes postings at both levels "
        f"and skills asked by at least {RISING_MIN_POSTINGS} of them)."
    )
else:
    st.caption(
        "The skills whose share of postings grows most from level I to staff (percentage of each level's "
        f"postings asking them; skills asked by at least {RISING_MIN_POSTINGS} postings)."
    )
    shares = (
        rising.unpivot(
            index="skill", on=[f"share_{level}" for level in LADDER], variable_name="level", value_name="share"
        )
        .with_columns(pl.col("level").str.strip_prefix("share_"))
        .drop_nulls("share")
    )
    st.altair_chart(
        alt.Chart(named(shares))
        .mark_line(point=True)
        .encode(
            x=alt.X("level_name:N", sort=ORDER, title="Level", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("share:Q", title="Postings asking (%)"),
            color=alt.Color("skill:N", scale=alt.Scale(range=PALETTE), sort=rising["skill"].to_list(), title="Skill"),
            tooltip=["skill:N", "level_name:N", alt.Tooltip("share:Q", format=".1f")],
        ),
        width="stretch",
    )
    download(rising, "rising_skills")
