"""jobatlas dashboard entry point: ``jobatlas dashboard`` (or ``streamlit run dashboard/app.py``)."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "views"  # not "pages/": Streamlit would also route that folder itself

st.set_page_config(page_title="jobatlas", page_icon=":material/explore:", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="Overview", icon=":material/explore:", default=True),
        st.Page(PAGES / "levels.py", title="Career ladder", icon=":material/stairs:"),
        st.Page(PAGES / "specializations.py", title="Specializations", icon=":material/hub:"),
        st.Page(PAGES / "skills.py", title="Skills by level", icon=":material/construction:"),
    ]
)
st.sidebar.caption("jobatlas: the AI-engineering job market, from postings to skills.")
navigation.run()
