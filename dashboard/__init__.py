"""Streamlit dashboard: pages laid out over cached query functions of pipeline.analysis (queries, explorer,
operations), with filters kept in the URL (filters.py)."""
