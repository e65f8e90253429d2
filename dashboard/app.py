"""jobatlas dashboard entry point: ``jobatlas dashboard`` (or ``streamlit run dashboard/app.py``)."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent / "pages"

st.set_page_config(page_title="jobatlas", page_icon="🧭", layout="wide")
navigation = st.navigation(
    [
        st.Page(PAGES / "overview.py", title="Overview", icon="🧭", default=True),
        st.Page(PAGES / "levels.py", title="Career ladder", icon="🪜"),
        st.Page(PAGES / "specializations.py", title="Specializations", icon="🧩"),
        st.Page(PAGES / "skills.py", title="Skills by level", icon="🛠️"),
    ]
)
st.sidebar.caption("jobatlas: the AI-engineering job market, from postings to skills.")
navigation.run()
