"""``jobatlas dashboard``: Streamlit over the store."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import console, load_settings

DASHBOARD_APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


def dashboard(
    port: Annotated[int | None, typer.Option(help="Port (default: JOBATLAS_DASHBOARD_PORT or 8501).")] = None,
    address: Annotated[str | None, typer.Option(help="Listen address (default 127.0.0.1).")] = None,
) -> None:
    """Start the Streamlit dashboard over the store and keep it running (Ctrl+C stops it)."""
    settings = load_settings()
    port = port or settings.dashboard_port
    address = address or settings.dashboard_address
    command = [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", address,
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    console.print(f"dashboard on http://{address}:{port}")
    sys.stdout.flush()
    os.execv(sys.executable, command)  # Streamlit takes over this process: signals reach it directly
