"""Prefect flows and tasks wiring the plain pipeline steps, and the ``jobatlas`` command line."""
