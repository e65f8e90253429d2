"""The dashboard in a real browser: ``streamlit run dashboard/app.py`` on a free loopback port, driven by Playwright
in headless Chromium (Debian's ``chromium``; no browser download). Checks that every page draws its charts and
tables (the market pages with a filter from the URL), that files uploaded to the JD audit and Skill gap pages give
their reports, that a posting's script never runs, and saves screenshots.

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


MARKET_PAGES = {  # url path -> a heading the page shows once its data is in, and how many charts it draws at least
    "?family=ai_engineer": ("Postings matching the filters", 1),
    "levels?family=ai_engineer": ("Years of experience asked", 3),
    "specializations?level=senior": ("Which specializations go together", 3),
    "skills?since=2020-01-01": ("Asked together", 3),
}


def test_market_pages_draw_their_charts(browser: Any, populated_url: str, screenshots: Path) -> None:
    with dashboard(populated_url) as base:
        for path, (heading, charts) in MARKET_PAGES.items():
            page, _ = open_page(browser, f"{base}/{path}")
            page.get_by_text(heading).first.wait_for(timeout=60_000)
            page.locator(CHART).nth(charts - 1).wait_for(timeout=60_000)
            name = path.split("?")[0] or "overview"
            page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
            assert page.locator("[data-testid='stException']").count() == 0, path
            assert path.split("?")[1] in page.url  # the filter stays in the link
            page.close()
    assert all((screenshots / f"{name}.png").stat().st_size > 10_000 for name in ("overview", "levels", "skills"))


def test_uploaded_files_give_reports(browser: Any, populated_url: str, tmp_path: Path, screenshots: Path) -> None:
    description = tmp_path / "jd.html"
    description.write_text(
        "<html><body><h1>Junior AI Engineer</h1><p>You will build retrieval-augmented generation features for our "
        "support product and evaluate them with our customers.</p><script>alert('jd')</script><h2>Requirements</h2>"
        "<ul><li>8+ years of Python</li><li>5+ years of LangChain</li><li>Experience with PostgreSQL</li></ul>"
        "</body></html>",
        encoding="utf-8",
    )
    resume = tmp_path / "resume.md"
    resume.write_text("# Ada\n\nSkills: Python, SQL, Docker\n", encoding="utf-8")
    with dashboard(populated_url) as base:
        page, dialogs = open_page(browser, f"{base}/audit")
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(description))
        page.get_by_text("Junior AI Engineer").first.wait_for(timeout=60_000)
        page.get_by_text("High (").first.wait_for(timeout=30_000)  # a junior title asking 8+ years
        page.get_by_role("button", name="Download Markdown").wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        assert dialogs == []
        page.screenshot(path=str(screenshots / "audit_upload.png"), full_page=True)
        page.close()

        page, _ = open_page(browser, f"{base}/gap")
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(resume))
        page.get_by_text("Your skills: ").first.wait_for(timeout=60_000)
        page.get_by_text("Missing").first.wait_for(timeout=60_000)
        assert page.get_by_text("Python").count() >= 1
        page.screenshot(path=str(screenshots / "gap_upload.png"), full_page=True)
        page.close()
