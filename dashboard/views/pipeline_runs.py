"""Pipeline: refresh runs and their time per step, each source's fetch health, quarantined records, and what the
LLM tagger asked and spent. The date window limits runs to those started in it; the source filter limits fetches
and quarantined records."""

import altair as alt
import streamlit as st

from dashboard.data import PALETTE, download, first_run, query, require_schema
from dashboard.filters import RUN_FIELDS, sidebar

if (counts := require_schema())["postings"] == 0 and counts["last_run"] is None:
    first_run()
chosen = sidebar(query("filter_options"), fields=RUN_FIELDS)
window = {"since": chosen.since, "until": chosen.until}
st.title("Pipeline")

runs = query("runs", **window)
if runs.is_empty():
    st.info("No refresh ran in this window. `jobatlas run` starts one; widen the date window to see older runs.")
    st.stop()

last = runs.row(0, named=True)
cols = st.columns(4)
cols[0].metric("Runs shown", f"{runs.height:,}")
cols[1].metric("Failed or partial", f"{runs.filter(runs['status'] != 'succeeded').height:,}")
cols[2].metric("Last run", f"{last['run']} {last['status']}")
cols[3].metric("Last run took", f"{last['seconds']:.1f} s" if last["seconds"] is not None else "running")

st.subheader("Time per step")
steps = query("step_durations", **window)
if steps.is_empty():
    st.info("No run in this window recorded its step times.")
else:
    st.altair_chart(
        alt.Chart(steps)
        .mark_bar()
        .encode(
            x=alt.X("run:O", title="Run", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("seconds:Q", title="Seconds"),
            color=alt.Color("step:N", scale=alt.Scale(range=PALETTE), title="Step"),
            tooltip=["run:O", "step:N", alt.Tooltip("seconds:Q", format=".2f")],
        ),
        width="stretch",
    )
    download(steps, "run_step_seconds")

st.subheader("Runs")
st.dataframe(runs, hide_index=True, width="stretch")
download(runs, "runs")

st.subheader("Sources")
health = query("source_health", **window, sources=chosen.sources)
if health.is_empty():
    st.info("No source was fetched in this window.")
else:
    st.dataframe(health, hide_index=True, width="stretch")
    download(health, "source_health")

st.subheader("Quarantined records")
reasons = query("quarantine_reasons", **window, sources=chosen.sources)
if reasons.is_empty():
    st.success("No record was quarantined in this window.")
else:
    st.altair_chart(
        alt.Chart(reasons.head(20))
        .mark_bar(color=PALETTE[5])
        .encode(
            y=alt.Y("reason:N", sort="-x", title=None, axis=alt.Axis(labelLimit=400)),
            x=alt.X("records:Q", title="Records"),
            tooltip=["reason:N", "records:Q", "latest:T"],
        ),
        width="stretch",
    )
    download(reasons, "quarantine_reasons")
    st.caption("Latest quarantined records (raw text cut short):")
    examples = query("quarantine_examples", **window, sources=chosen.sources)
    st.dataframe(examples, hide_index=True, width="stretch")
    download(examples, "quarantine_examples")

st.subheader("LLM tagger")
totals = query("llm_totals", **window)
if totals["runs"] == 0:
    st.info("The LLM tagger did not run in this window (`JOBATLAS_LLM_MODE` is `rules`, the default).")
    st.stop()
llm_cols = st.columns(5)
llm_cols[0].metric("Postings considered", f"{totals['postings']:,}")
llm_cols[1].metric("Requests", f"{totals['requests']:,}")
llm_cols[2].metric("Cache hit rate", f"{totals['hit_rate']:.0%}" if totals["hit_rate"] is not None else "n/a")
llm_cols[3].metric("Tokens", f"{totals['prompt_tokens'] + totals['completion_tokens']:,}")
llm_cols[4].metric("Cost", f"${totals['cost_usd']:,.4f}")
usage = query("llm_usage", **window)
st.altair_chart(
    alt.Chart(usage)
    .mark_bar(color=PALETTE[1])
    .encode(
        x=alt.X("started_at:T", title="Run started"),
        y=alt.Y("cost_usd:Q", title="Cost (USD)"),
        tooltip=["run_key:N", "model:N", "requests:Q", "cache_hits:Q", "hit_rate_pct:Q", "cost_usd:Q"],
    ),
    width="stretch",
)
st.dataframe(usage, hide_index=True, width="stretch")
download(usage, "llm_usage")
