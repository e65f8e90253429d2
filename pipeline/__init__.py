"""jobatlas pipeline: plain-Python domain, store, extraction and analysis (no Prefect, no Streamlit)."""
