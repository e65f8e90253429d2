"""Benchmarks behind ``jobatlas bench``: plain functions that measure and return figures."""
