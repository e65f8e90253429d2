"""Structured run logs: one JSON line per step of a refresh through Prefect's run logger, and one for the run.

{"run": 12, "step": "load", "status": "done", "seconds": 0.41, "closed": 3}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prefect import get_run_logger

from pipeline.summary import RunSummary


def log_json(fields: dict[str, Any]) -> None:
    get_run_logger().info(json.dumps(fields, default=str))


@contextmanager
def logged_step(summary: RunSummary, name: str) -> Iterator[dict[str, Any]]:
    """Time the step into the summary and log its line; the block adds its counts to the yielded dict."""
    fields: dict[str, Any] = {}
    status = "failed"
    try:
        with summary.step(name):
            yield fields
        status = "done"
    finally:
        line = {"run": summary.run_id, "step": name, "status": status, "seconds": summary.step_seconds.get(name)}
        log_json(line | fields)
