"""Postings explorer: search and filter postings, page through them, read one with its skills highlighted and every
label with its evidence and source. Search text, page and the open posting are in the URL (``q``, ``page``,
``posting``) beside the filters."""

import math

import altair as alt
import polars as pl
import streamlit as st

from dashboard.data import PALETTE, download, query, require_data
from dashboard.filters import sidebar
from dashboard.highlight import Span, as_block, highlight, markdown_text, safe_url
from pipeline.analysis.explorer import PAGE_SIZE, PostingDetail
from pipeline.analysis.match_counts import MatchCount, MatchesPerWeek

require_data()
filters = sidebar(query("filter_options"))
st.title("Postings explorer")


def _param(name: str, default: str = "") -> str:
    return str(st.query_params.get(name, default))


def _set_param(name: str, value: str) -> None:
    if value:
        if _param(name) != value:
            st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


if "q" not in st.session_state:
    st.session_state["q"] = _param("q")
text = st.text_input("Search titles, companies and descriptions", key="q", placeholder="e.g. pgvector").strip()
_set_param("q", text)

count: MatchCount = query("count_postings", filters=filters, text=text or None)
if count.postings == 0:
    st.info("No postings match these filters and search. Remove a filter or change the search to see postings.")
    st.stop()

weekly: MatchesPerWeek = query("matching_per_week", filters=filters, text=text or None)
if count.capped:
    st.caption(
        f"More than {count.postings:,} postings match (duplicates of another posting are left out): the count stops "
        "reading there. Narrow the search or the filters for an exact count and every page."
    )
else:
    st.caption(f"{count.postings:,} postings match (duplicates of another posting are left out).")
estimated = weekly.sample_percent is not None
st.altair_chart(
    alt.Chart(weekly.weeks)
    .mark_bar(color=PALETTE[0])
    .encode(
        x=alt.X("yearmonthdate(week_start):O", title="Week starting", axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("postings:Q", title="Matching postings (estimated)" if estimated else "Matching postings"),
        tooltip=["week_start:T", "postings:Q"],
    )
    .properties(height=220),
    width="stretch",
)
if weekly.sample_percent is not None:
    share = weekly.sample_percent
    st.caption(
        f"Weekly counts estimated from a sample: the matches among {share:.2g}% of the stored postings (whole table "
        f"pages drawn at random, the same pages each time), each multiplied by {100 / share:,.0f}: about "
        f"{int(weekly.weeks['postings'].sum()):,} matching postings in all. A week's bar can be off by a third or "
        "more; a week with no match in the sample has no bar."
    )
download(weekly.weeks, "matching_postings_per_week_estimated" if estimated else "matching_postings_per_week")

# with a capped count, the pages known to hold a posting: the one past the cap holds at least one
pages = math.ceil((count.postings + int(count.capped)) / PAGE_SIZE)
if "page" not in st.session_state:
    wanted = _param("page", "1")
    st.session_state["page"] = min(max(int(wanted), 1), pages) if wanted.isdigit() else 1
if st.session_state["page"] > pages:
    st.session_state["page"] = pages
of = f"at least {pages}" if count.capped else str(pages)
page = int(st.number_input(f"Page (of {of})", min_value=1, max_value=pages, step=1, key="page"))
_set_param("page", str(page) if page > 1 else "")

results = query("search_postings", filters=filters, text=text or None, page=page - 1)
st.dataframe(
    results,
    hide_index=True,
    width="stretch",
    column_config={"day": st.column_config.DateColumn("day", format="YYYY-MM-DD")},
)
download(results, f"postings_page_{page}")

ids = results["id"].to_list()
names = {row["id"]: f"{row['title']} · {row['company'] or 'unknown company'}" for row in results.iter_rows(named=True)}
# A posting named by the link stays open (even off this page) until the filters, search or page change.
view = (filters, text, page)
if "linked_posting" not in st.session_state:
    st.session_state["linked_posting"] = (_param("posting"), view)
linked, linked_view = st.session_state["linked_posting"]
linked = linked if linked_view == view else ""
options = [*ids, linked] if linked and linked not in ids else ids
if st.session_state.get("posting") not in options:
    st.session_state["posting"] = linked or ids[0]
chosen = st.selectbox("Open a posting", options, key="posting", format_func=lambda i: names.get(i, i))
_set_param("posting", chosen)

detail: PostingDetail | None = query("posting_detail", posting_id=chosen)
if detail is None:
    st.warning(f"No posting has the id {chosen!r}.")
    st.stop()

# Posting fields are shown as text only: Markdown characters escaped, links only to http(s) URLs.
st.header(markdown_text(detail.title))
facts = [detail.company or "unknown company", detail.location or "no location", detail.remote or "remote not stated"]
facts += [f"source {detail.source}", f"posted {detail.day or 'on an unknown day'}"]
st.caption(markdown_text(" · ".join(facts)))
if detail.duplicate_of:
    st.caption(markdown_text(f"Repeats posting {detail.duplicate_of}: left out of the counts."))
if detail.salary_text:
    st.caption(markdown_text(f"Salary: {detail.salary_text}"))
if url := safe_url(detail.url):
    st.link_button("Open the original posting", url)

labels, text_col = st.columns([2, 3])
with labels:
    st.subheader("Labels")
    if detail.method is None:
        st.info("This posting has not been tagged yet.")
    else:
        tag = "the rules" if detail.method == "rules" else "the rules reconciled with the LLM's answer (final tag)"
        st.caption(f"From {tag}.")
        label_table = pl.DataFrame([vars(label) for label in detail.labels])
        st.dataframe(label_table, hide_index=True, width="stretch")
        download(label_table, "posting_labels")
    st.subheader("Skills")
    skills = pl.DataFrame(
        [vars(skill) for skill in detail.skills],
        schema=["skill", "category", "requirement", "start", "end", "evidence", "source"],
        orient="row",
    )
    if skills.is_empty():
        st.info("No skill found in this posting.")
    else:
        st.dataframe(skills.drop("start", "end"), hide_index=True, width="stretch")
        download(skills, "posting_skills")
with text_col:
    st.subheader("Description")
    st.caption("Skills asked are marked: blue required, orange preferred.")
    spans = [Span(s.start, s.end, f"{s.skill} ({s.requirement}, {s.source})", s.requirement) for s in detail.skills]
    st.html(as_block(highlight(detail.description, spans)))
