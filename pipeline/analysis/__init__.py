"""Analysis: pure Polars transforms for the weekly aggregates, and the read queries the dashboard uses."""
