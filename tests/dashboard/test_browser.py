"""The dashboard in a real browser: ``streamlit run dashboard/app.py`` on a free loopback port, driven by Playwright
in headless Chromium (Debian's ``chromium``; no browser download). Checks that the Postings explorer and Pipeline
pages draw their charts and tables, that a posting's script never runs, and saves screenshots.

Skipped when Playwright or a Chromium binary is missing (``pip install playwright``; ``apt-get install chromium``).
Screenshots go to ``JOBATLAS_SCREENSHOT_DIR`` when set, else to the test's tmp dir.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from explorer_samples import HOSTILE, sample_database
from pg_server import free_port

if TYPE_CHECKING:
    from pg_server import TestPostgres

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHART = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
TABLE = '[data-testid="stDataFrame"]'


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    pytest.skip("no Chromium binary (apt-get install chromium)")


@contextmanager
def dashboard(database_url: str) -> Iterator[str]:
    """The dashboard served over ``database_url``; yields its base URL."""
    port = free_port()
    env = {**os.environ, "JOBATLAS_DATABASE_URL": database_url, "PYTHONPATH": str(REPO)}
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"streamlit did not start: {output[-2000:]}")
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium()
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    explicit = os.environ.get("JOBATLAS_SCREENSHOT_DIR")
    folder = Path(explicit) if explicit else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser: Any, url: str) -> tuple[Any, list[str]]:
    """A new page at ``url``, and the list its dialogs (alert, confirm) are recorded in."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    page.goto(url, wait_until="domcontentloaded")
    return page, dialogs


def test_explorer_and_pipeline_pages_render(browser: Any, populated_url: str, screenshots: Path) -> None:
    with dashboard(populated_url) as base:
        page, _ = open_page(browser, f"{base}/explorer?level=staff")
        page.wait_for_selector(CHART, timeout=60_000)
        page.wait_for_selector(TABLE, timeout=60_000)
        page.wait_for_selector("mark", timeout=60_000)  # skills highlighted in the posting
        assert page.get_by_text("postings match").count() >= 1
        assert "level=staff" in page.url and "posting=" in page.url
        page.screenshot(path=str(screenshots / "explorer.png"), full_page=True)
        page.close()

        page, _ = open_page(browser, f"{base}/pipeline")
        page.wait_for_selector(CHART, timeout=60_000)
        page.wait_for_selector(TABLE, timeout=60_000)
        assert page.get_by_text("Time per step").count() == 1
        page.screenshot(path=str(screenshots / "pipeline.png"), full_page=True)
        page.close()
    assert (screenshots / "explorer.png").stat().st_size > 10_000
    assert (screenshots / "pipeline.png").stat().st_size > 10_000


def test_a_posting_script_never_runs(browser: Any, postgres: TestPostgres, screenshots: Path) -> None:
    with dashboard(sample_database(postgres.url)) as base:
        page, dialogs = open_page(browser, f"{base}/explorer?posting={HOSTILE.id}")
        posting = page.locator("[data-testid='stHtml']")
        posting.locator("mark").first.wait_for(timeout=60_000)
        posting.get_by_text("<script>alert(1)</script>", exact=False).wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        assert dialogs == []
        assert posting.locator("mark").count() >= 2
        assert posting.locator("script, b, img").count() == 0
        page.screenshot(path=str(screenshots / "explorer_hostile_posting.png"), full_page=True)
        page.close()
