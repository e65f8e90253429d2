"""Streamlit dashboard: pages laid out over cached query functions from pipeline.analysis.queries."""
