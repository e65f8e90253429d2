"""Live sources end to end: the flow fetches ATS APIs served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from http_server import LocalHttpServer, Reply

from flows.weekly_refresh import reprocess, weekly_refresh
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sources"
ERROR_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as running:
        yield running


def registry(tmp_path: Path, server: LocalHttpServer) -> Path:
    root = server.url("/v1/boards")
    path = tmp_path / "sources.yaml"
    path.write_text(
        f"""version: 1
sources:
  - {{id: greenhouse:acme, kind: greenhouse, board: acme, company: Acme, url: "{root}"}}
  - {{id: greenhouse:down, kind: greenhouse, board: down, company: Down, url: "{root}"}}
  - {{id: greenhouse:garbage, kind: greenhouse, board: garbage, company: Garbage, url: "{root}"}}
""",
        encoding="utf-8",
    )
    return path


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(sa.text(sql))]
    engine.dispose()
    return rows


def test_live_run_conditional_refetch_and_reprocess(server: LocalHttpServer, tmp_path: Path, database_url: str) -> None:
    board = (FIXTURES / "greenhouse" / "board.json").read_text(encoding="utf-8")
    jobs = json.loads(board)["jobs"]
    server.route(
        "/v1/boards/acme/jobs",
        Reply(body=board, content_type="application/json", headers={"ETag": '"v1"'}),
        Reply(status=304, headers={"ETag": '"v1"'}),
    )
    server.route("/v1/boards/down/jobs", Reply(status=503))
    server.route("/v1/boards/garbage/jobs", Reply(body=ERROR_PAGE, content_type="text/html"))
    settings = Settings(  # type: ignore[call-arg]
        database_url=database_url,
        generated_dir=tmp_path / "generated",
        sources_file=registry(tmp_path, server),
        http_max_attempts=2,
        http_requests_per_second=50,
        _env_file=None,
    )

    first = weekly_refresh(settings=settings, sources="live")
    assert first.status == "partial"
    by_id = {s.source_id: s for s in first.sources}
    acme = by_id["greenhouse:acme"]
    assert acme.error is None and acme.fetched == 1 and acme.postings + acme.rejected == len(jobs)
    assert acme.postings >= 2
    assert by_id["greenhouse:down"].error is not None and "HTTP 503 after 2 attempts" in by_id["greenhouse:down"].error
    assert by_id["greenhouse:garbage"].error is not None
    assert by_id["greenhouse:garbage"].error.startswith("answered no postings, only rejects: ")
    fetch_log = dict(query(database_url, "select source_id, status from source_fetches order by source_id"))
    assert fetch_log == {"greenhouse:acme": "ok", "greenhouse:down": "failed", "greenhouse:garbage": "failed"}
    archived = query(database_url, "select source_id, http_status, content_type from raw_postings order by 1")
    assert [(s, c) for s, c, _ in archived] == [("greenhouse:acme", 200), ("greenhouse:garbage", 200)]
    agent = server.requests_for("/v1/boards/acme/jobs")[0].headers["user-agent"]
    assert "jobatlas" in agent and "http" in agent

    second = weekly_refresh(settings=settings, sources="greenhouse:acme")
    assert second.status == "succeeded"
    assert server.requests_for("/v1/boards/acme/jobs")[1].headers.get("if-none-match") == '"v1"'
    acme2 = second.sources[0]
    assert (acme2.raw_new, acme2.new, acme2.updated, acme2.unchanged) == (0, 0, 0, acme.postings)
    assert second.extracted == 0

    requests_before = len(server.requests)
    again = reprocess(settings=settings)
    assert len(server.requests) == requests_before  # nothing fetched
    assert again.status == "partial"  # the two broken sources never had a good fetch to reprocess
    reprocessed = {s.source_id: s for s in again.sources}
    assert reprocessed["greenhouse:acme"].unchanged == acme.postings
    assert reprocessed["greenhouse:down"].error == "no successful fetch archived yet"
