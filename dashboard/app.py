"""jobatlas dashboard entry point: ``jobatlas dashboard`` (or ``streamlit run dashboard/app.py``)."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "views"  # not "pages/": Streamlit would also route that folder itself
# A page file is run with its folder first on sys.path: never name one like a package (pipeline.py would shadow
# the pipeline package), hence pipeline_runs.py for the Pipeline page.

st.set_page_config(page_title="jobatlas", page_icon=":material/explore:", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="Overview", icon=":material/explore:", default=True),
        st.Page(PAGES / "levels.py", title="Career ladder", icon=":material/stairs:"),
        st.Page(PAGES / "specializations.py", title="Specializations", icon=":material/hub:"),
        st.Page(PAGES / "skills.py", title="Skill demand", icon=":material/construction:"),
        st.Page(PAGES / "explorer.py", title="Postings explorer", icon=":material/search:"),
        st.Page(PAGES / "audit.py", title="JD audit", icon=":material/fact_check:"),
        st.Page(PAGES / "gap.py", title="Skill gap", icon=":material/school:"),
        st.Page(PAGES / "pipeline_runs.py", title="Pipeline", icon=":material/monitor_heart:", url_path="pipeline"),
    ]
)
st.sidebar.caption("jobatlas: the AI-engineering job market, from postings to skills.")
navigation.run()
