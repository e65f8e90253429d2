"""Capturing what a flow run logs (Prefect's ``prefect.flow_runs`` logger) in a test."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def flow_run_records() -> Iterator[list[logging.LogRecord]]:
    """The records the flow runs inside the block log, in order."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("prefect.flow_runs")
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
