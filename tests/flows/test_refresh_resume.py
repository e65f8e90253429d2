"""An incremental, resumable refresh on the real PostgreSQL and the real flow: nothing rewritten on unchanged input,
postings gone from a complete listing closed, a SIGKILLed run and a database restart mid-run followed by a run that
finishes with no duplicate and nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from gated_server import GatedServer
from http_server import Reply
from pg_server import TestPostgres

from flows.weekly_refresh import weekly_refresh
from pipeline.bench.refresh import base_postings, write_postings
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine
from pipeline.store.run_lock import ABANDONED
from pipeline.summary import RunSummary

pytestmark = pytest.mark.usefixtures("prefect_harness")
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample" / "postings.jsonl"
BOARD = REPO / "tests" / "fixtures" / "sources" / "greenhouse" / "board.json"
BOARD_POSTINGS = 3  # the board's fourth job has no title: quarantined


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_store_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


def scalar(url: str, sql: str) -> object:
    return query(url, sql)[0][0]


def file_ids(path: Path) -> set[str]:
    return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def registry(tmp_path: Path, server: GatedServer) -> Path:
    path = tmp_path / "sources.yaml"
    url = server.url("/v1/boards")
    path.write_text(
        f'version: 1\nsources:\n  - {{id: "greenhouse:acme", kind: greenhouse, board: acme, url: "{url}"}}\n'
    )
    return path


@pytest.fixture
def gated() -> Iterator[GatedServer]:
    with GatedServer() as server:
        server.route(
            "/v1/boards/acme/jobs", Reply(body=BOARD.read_text(encoding="utf-8"), content_type="application/json")
        )
        yield server
        server.release.set()


def live_settings(tmp_path: Path, database_url: str, server: GatedServer) -> Settings:
    return Settings(
        database_url=database_url,
        generated_dir=tmp_path / "generated",
        sources_file=registry(tmp_path, server),
        http_requests_per_second=50,
        _env_file=None,
    )


def assert_complete_and_unique(url: str, expected_ids: set[str]) -> None:
    """Every expected posting stored once with one rule tag, no tag repeated, no run left running."""
    stored = {str(row[0]) for row in query(url, "select id from postings")}
    assert expected_ids <= stored, sorted(expected_ids - stored)[:5]
    assert scalar(url, "select count(*) from postings") == scalar(url, "select count(distinct id) from postings")
    repeated = "select count(*) from (select 1 from posting_tags group by posting_id, method having count(*) > 1) r"
    assert scalar(url, repeated) == 0
    assert scalar(url, "select count(*) from posting_tags where method = 'rules'") == len(stored)
    assert scalar(url, "select count(*) from raw_postings") == scalar(
        url, "select count(distinct content_hash) from raw_postings"
    )
    assert scalar(url, "select sum(postings) from weekly_segment_counts") == len(stored)
    assert scalar(url, "select count(*) from ingest_runs where status = 'running'") == 0


def test_a_second_run_on_unchanged_input_extracts_and_writes_nothing(settings: Settings, database_url: str) -> None:
    first = weekly_refresh(settings=settings, sources="none", files=[SAMPLE])
    lines = len(file_ids(SAMPLE))
    assert (first.status, first.total("new"), first.extracted) == ("succeeded", lines, lines)
    stamps = "select id, updated_at, xmin::text from postings order by id"
    tags = "select posting_id, method, xmin::text from posting_tags order by 1, 2"
    before = (query(database_url, stamps), query(database_url, tags))

    second = weekly_refresh(settings=settings, sources="none", files=[SAMPLE])
    assert second.status == "succeeded"
    assert (second.total("new"), second.total("updated"), second.total("unchanged")) == (0, 0, lines)
    assert (second.extracted, second.skills_found, second.total("raw_new"), second.total("closed")) == (0, 0, 0, 0)
    assert (query(database_url, stamps), query(database_url, tags)) == before  # not one posting or tag rewritten
    stored = query(database_url, "select counts from ingest_runs order by id")
    assert [c[0]["extracted"] for c in stored] == [lines, 0]  # type: ignore[index]


def test_a_posting_gone_from_a_complete_listing_is_closed_and_reopens(settings: Settings, database_url: str) -> None:
    path = settings.output_dir / "listing.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    base = base_postings([SAMPLE])
    write_postings(path, base, 6)
    ids = sorted(file_ids(path))
    assert weekly_refresh(settings=settings, sources="none", files=[path]).status == "succeeded"
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if json.loads(line)["id"] != ids[0]]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")

    shorter = weekly_refresh(settings=settings, sources="none", files=[path])
    assert (shorter.status, shorter.total("closed"), shorter.total("unchanged")) == ("succeeded", 1, 5)
    open_ids = "select id from postings where closed_on is null order by id"
    assert [row[0] for row in query(database_url, open_ids)] == ids[1:]
    assert shorter.open_postings == 5

    write_postings(path, base, 6)  # back in the listing: open again, not extracted again
    back = weekly_refresh(settings=settings, sources="none", files=[path])
    assert (back.total("closed"), back.extracted, back.open_postings) == (0, 0, 6)
    assert [row[0] for row in query(database_url, open_ids)] == ids


def test_a_run_killed_mid_fetch_is_finished_by_the_next_run(
    gated: GatedServer, tmp_path: Path, database_url: str
) -> None:
    settings = live_settings(tmp_path, database_url, gated)
    env = os.environ | {
        "JOBATLAS_DATABASE_URL": database_url,
        "JOBATLAS_SOURCES_FILE": str(settings.sources_file),
        "JOBATLAS_GENERATED_DIR": str(tmp_path / "generated"),
        "JOBATLAS_HTTP_REQUESTS_PER_SECOND": "50",
    }
    env.pop("PREFECT_API_URL", None)  # the child starts its own ephemeral API, in its session: killed with it
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    command = [sys.executable, "-m", "flows.cli", "run", "--sources", "live", "--file", str(SAMPLE)]
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        assert gated.arrived.wait(180), "the run never fetched"
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(60)
    assert query(database_url, "select id, status from ingest_runs") == [(1, "running")]

    gated.release.set()
    again = weekly_refresh(settings=settings, sources="live", files=[SAMPLE])
    assert again.status == "succeeded", again
    [(status, error)] = query(database_url, "select status, errors->>'run' from ingest_runs where id = 1")
    assert (status, error) == ("failed", ABANDONED)
    assert_complete_and_unique(database_url, file_ids(SAMPLE))
    assert scalar(database_url, "select count(*) from postings") == len(file_ids(SAMPLE)) + BOARD_POSTINGS


def restart_server(server: TestPostgres) -> None:
    """Stop the suite's server (``fast``: every session is disconnected) and start it again on the same port."""
    data = str(server.root / "data")
    pg_ctl = str(server.bin_dir / "pg_ctl")
    options = (
        f"-p {server.port} -c listen_addresses=127.0.0.1 -k {server.root} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    try:
        server._run(pg_ctl, "-D", data, "-m", "fast", "-w", "stop")
    finally:  # the rest of the session needs it: -w waits until it accepts connections
        server._run(pg_ctl, "-D", data, "-o", options, "-l", str(server.root / "server.log"), "-w", "-t", "60", "start")


def test_a_database_restart_mid_run_then_a_rerun_loses_nothing(
    gated: GatedServer, postgres: TestPostgres, tmp_path: Path, database_url: str
) -> None:
    settings = live_settings(tmp_path, database_url, gated)
    outcome: dict[str, RunSummary | BaseException] = {}

    def held_run() -> None:
        try:
            outcome["run"] = weekly_refresh(settings=settings, sources="live", files=[SAMPLE])
        except BaseException as exc:  # judged by the main thread
            outcome["run"] = exc

    thread = threading.Thread(target=held_run)
    thread.start()
    try:
        assert gated.arrived.wait(180), "the run never fetched"
        restart_server(postgres)
    finally:
        gated.release.set()
        thread.join(300)
    assert not thread.is_alive()
    first = outcome["run"]
    [(status, errors)] = query(database_url, "select status, errors from ingest_runs where id = 1")
    if isinstance(first, RunSummary):
        assert first.status == status == "succeeded", (first, errors)
    else:  # failed cleanly: the store says so, with the error
        assert status == "failed" and isinstance(errors, dict) and errors.get("run"), (first, errors)

    again = weekly_refresh(settings=settings, sources="live", files=[SAMPLE])
    assert again.status == "succeeded", again
    assert_complete_and_unique(database_url, file_ids(SAMPLE))
    assert scalar(database_url, "select count(*) from postings") == len(file_ids(SAMPLE)) + BOARD_POSTINGS
