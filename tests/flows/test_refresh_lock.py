"""Faults and operations of real refreshes: a second run refused while one runs (the lock), the per-host limit on
fetches at once, one JSON log line per step, exit codes and ``jobatlas status``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flow_logs import flow_run_records
from gated_server import GatedServer
from http_server import Reply
from prefect import get_client
from typer.testing import CliRunner

from flows.cli import app
from flows.weekly_refresh import weekly_refresh
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine
from pipeline.store.run_lock import RefreshLockedError
from pipeline.summary import RunSummary

pytestmark = pytest.mark.usefixtures("prefect_harness")
BOARD = Path(__file__).resolve().parents[1] / "fixtures" / "sources" / "greenhouse" / "board.json"
runner = CliRunner()


def live_settings(tmp_path: Path, database_url: str, server: GatedServer, boards: list[str], **extra: int) -> Settings:
    registry = tmp_path / "sources.yaml"
    entries = "".join(
        f'  - {{id: "greenhouse:{b}", kind: greenhouse, board: {b}, url: "{server.url("/v1/boards")}"}}\n'
        for b in boards
    )
    registry.write_text(f"version: 1\nsources:\n{entries}", encoding="utf-8")
    return Settings(  # type: ignore[call-arg]
        database_url=database_url,
        generated_dir=tmp_path / "generated",
        sources_file=registry,
        http_requests_per_second=50,
        _env_file=None,
        **extra,
    )


def scalar(url: str, sql: str) -> object:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        value = conn.execute(sa.text(sql)).scalar()
    engine.dispose()
    return value


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    path = tmp_path / "mine.jsonl"
    path.write_text('{"id": "m:1", "title": "AI Engineer", "description_text": "Python and RAG"}\n')
    return path


@pytest.fixture
def gated() -> Iterator[GatedServer]:
    with GatedServer() as server:
        yield server
        server.release.set()


def test_a_second_refresh_is_refused_while_one_runs(
    gated: GatedServer, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gated.route("/v1/boards/acme/jobs", Reply(body=BOARD.read_text(encoding="utf-8"), content_type="application/json"))
    settings = live_settings(tmp_path, database_url, gated, ["acme"])
    outcome: dict[str, RunSummary | BaseException] = {}

    def first_run() -> None:
        try:
            outcome["first"] = weekly_refresh(settings=settings, sources="live")
        except BaseException as exc:  # reported by the main thread
            outcome["first"] = exc

    thread = threading.Thread(target=first_run)
    thread.start()
    try:
        assert gated.arrived.wait(120), "the first run never fetched"  # it holds the lock, mid-ingest
        with pytest.raises(RefreshLockedError, match=r"another refresh is running \(run 1 \(flow run [a-z-]+\), since"):
            weekly_refresh(settings=settings, sources="none")
        monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
        locked = runner.invoke(app, ["run", "--sources", "none"])
        assert locked.exit_code == 4, locked.output
        assert "locked: another refresh is running (run 1 (flow run " in locked.output
        status = runner.invoke(app, ["status"])
        assert status.exit_code == 0 and "running now: run 1 (flow run " in status.output
    finally:
        gated.release.set()
        thread.join(120)
    first = outcome["first"]
    assert isinstance(first, RunSummary) and first.status == "succeeded", first
    assert first.total("new") == 3
    assert scalar(database_url, "select count(*) from ingest_runs") == 1  # the refused runs left no trace
    again = weekly_refresh(settings=settings, sources="none")  # released: the next run goes ahead
    assert again.status == "succeeded"


def test_fetches_of_one_host_wait_for_its_limit(tmp_path: Path, database_url: str) -> None:
    # a fetch waits up to 5 s for the other board's: on a busy machine the second task can start seconds later
    with GatedServer(wait_for_company=5.0) as server:
        server.release.set()
        for board in ("acme", "beta"):
            server.route(f"/v1/boards/{board}/jobs", Reply(body={"jobs": []}))
        one_at_a_time = live_settings(tmp_path, database_url, server, ["acme", "beta"])
        assert weekly_refresh(settings=one_at_a_time, sources="live").status == "succeeded"
        assert server.most_in_flight == 1
        with get_client(sync_client=True) as client:
            assert client.read_global_concurrency_limit_by_name("jobatlas-host-127.0.0.1").limit == 1
            # the slots of the first run are given back through the API: wait for that (a busy machine can take a
            # moment), or the second run starts with a slot still held and its fetches go one at a time
            deadline = time.monotonic() + 30
            while client.read_global_concurrency_limit_by_name("jobatlas-host-127.0.0.1").active_slots:
                assert time.monotonic() < deadline, "the first run's fetch slots were never released"
                time.sleep(0.2)
        two_at_once = live_settings(tmp_path, database_url, server, ["acme", "beta"], source_host_fetches=2)
        assert weekly_refresh(settings=two_at_once, sources="live").status == "succeeded"
        assert server.most_in_flight == 2  # the limit was resized: both fetches met in the server


def test_each_step_logs_one_json_line(settings: Settings, mine: Path) -> None:
    with flow_run_records() as records:
        summary = weekly_refresh(settings=settings, sources="none", files=[mine])
    lines = []
    for record in records:
        try:
            lines.append(json.loads(record.getMessage()))
        except ValueError:
            continue
    steps = {line["step"]: line for line in lines if "step" in line}
    assert list(steps) == ["migrate", "ingest", "normalize", "extract", "load", "dedup", "aggregate"]
    assert all(line["status"] == "done" and line["seconds"] >= 0 for line in steps.values())
    assert (steps["ingest"]["records"], steps["ingest"]["failed"]) == (1, [])
    assert (steps["extract"]["new"], steps["extract"]["extracted"], steps["load"]["run"]) == (1, 1, summary.run_id)
    [run_line] = [line for line in lines if "step" not in line]
    assert run_line["status"] == "succeeded" and run_line["new"] == 1


def test_a_failed_run_exits_1_and_status_shows_it(
    database_url: str, mine: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import refresh

    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    assert runner.invoke(app, ["ingest", "--file", str(mine)]).exit_code == 0

    def broken(**_: object) -> dict[str, int]:
        raise RuntimeError("aggregates unavailable")

    monkeypatch.setattr(refresh, "aggregate", broken)
    failed = runner.invoke(app, ["ingest", "--file", str(mine), "--file", str(mine.parent / "missing.jsonl")])
    assert failed.exit_code == 1, failed.output
    assert "error: the refresh failed: RuntimeError: aggregates unavailable" in failed.output
    status = runner.invoke(app, ["status", "--runs", "5", "--fetches", "2"])
    assert status.exit_code == 0, status.output
    assert "RuntimeError: aggregates unavailable" in status.output
    assert " 2 " in status.output and " failed " in status.output and " succeeded " in status.output
    assert "sources failing in their last 2 fetches" in status.output
    assert "file:missing" in status.output and "1/1" in status.output


def test_status_of_an_empty_store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no runs yet: the store is empty (`jobatlas run` creates it)"
