"""The jobatlas command line: every command documented, clear one-line errors, the real commands working."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import typer
from pg_server import free_port
from typer.testing import CliRunner

from flows.cli import app

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def command_paths(command: Any, prefix: str = "jobatlas") -> list[str]:
    """Every leaf command of a (typer/click) command group, as typed on the command line."""
    subcommands = getattr(command, "commands", None)
    if subcommands:
        return [p for name, sub in subcommands.items() for p in command_paths(sub, f"{prefix} {name}")]
    return [prefix]


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = command_paths(typer.main.get_command(app))
    assert {"jobatlas run", "jobatlas dashboard", "jobatlas db upgrade"} <= set(commands)
    missing = [c for c in commands if f"`{c}" not in readme]
    assert missing == [], f"commands missing from the README's CLI reference: {missing}"


def jobatlas(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        cwd=REPO,
    )


@pytest.mark.parametrize("args", [["run"], ["reextract"], ["db", "current"], ["db", "upgrade"]])
def test_unreachable_database_gives_one_clear_line(args: list[str]) -> None:
    port = free_port()
    result = jobatlas(
        *args,
        env={
            "JOBATLAS_DATABASE_URL": f"postgresql+psycopg://bob:hunter2@127.0.0.1:{port}/x",
            "JOBATLAS_CONNECT_TIMEOUT_SECONDS": "2",
        },
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"error: cannot connect to the database at postgresql+psycopg://bob:***@127.0.0.1:{port}/x"
    )
    assert "hunter2" not in result.stderr + result.stdout


def test_a_non_postgresql_url_is_refused_in_one_line() -> None:
    result = jobatlas("db", "current", env={"JOBATLAS_DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode == 1
    assert result.stderr.strip() == "error: jobatlas needs PostgreSQL, got 'sqlite' in sqlite:///x.db"


def test_db_commands_upgrade_report_and_downgrade(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    assert "behind 0011" in runner.invoke(app, ["db", "current"]).output
    assert runner.invoke(app, ["db", "upgrade"]).output.strip() == "store schema at 0011"
    assert "store schema at 0011 (up to date)" in runner.invoke(app, ["db", "current"]).output
    assert runner.invoke(app, ["db", "downgrade", "base"]).output.strip() == "store schema at base (empty)"


@pytest.mark.usefixtures("prefect_harness")
def test_run_prints_the_summary_and_exit_codes(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    mine = tmp_path / "mine.jsonl"
    mine.write_text('{"id": "m:1", "title": "AI Engineer", "description_text": "Python and RAG"}\n{oops\n')
    result = runner.invoke(app, ["ingest", "--file", str(mine)])
    assert result.exit_code == 0, result.output
    assert "run 1: succeeded" in result.output
    assert "file:mine" in result.output and "time per step:" in result.output
    assert f"rejected {mine}:2: invalid JSON" in result.output
    partial = runner.invoke(app, ["run", "--sources", "none", "--file", str(tmp_path / "missing.jsonl")])
    assert partial.exit_code == 3
    assert "run 2: partial" in partial.output


def test_dashboard_command_serves_the_app(populated_url: str) -> None:
    port = free_port()
    env = {**os.environ, "JOBATLAS_DATABASE_URL": populated_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "dashboard", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).text == "ok":
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            pytest.fail("the dashboard did not become healthy within 60 s")
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
