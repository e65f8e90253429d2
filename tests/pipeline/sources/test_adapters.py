"""Adapters: files read from disk, HTTP sources through the shared client against a local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from http_server import LocalHttpServer, Reply

from pipeline.domain import Posting, Reject
from pipeline.http import HttpClient, HttpConfig
from pipeline.sources.adapters import build_adapter
from pipeline.sources.base import SourceFetchError
from pipeline.sources.health import check_source
from pipeline.sources.registry import SourceEntry
from pipeline.sources.selection import file_entry

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "sources"
FAST = HttpConfig(max_attempts=2, backoff_base=0.01, backoff_max=0.05, requests_per_second_per_host=100)


@pytest.fixture
def server() -> Iterator[LocalHttpServer]:
    with LocalHttpServer() as running:
        yield running


@pytest.fixture
def http() -> Iterator[HttpClient]:
    with HttpClient(FAST) as client:
        yield client


def test_a_folder_of_files_yields_one_record_per_jsonl_line_and_per_other_file(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x:1", "title": "AI Engineer", "description_text": "RAG"}\n\n{bad\n')
    (tmp_path / "b.txt").write_text("Staff ML Engineer\n\nTrain models with PyTorch.\n")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    source = build_adapter(
        file_entry(tmp_path / "a.jsonl").model_copy(update={"path": str(tmp_path)}), data_dir=tmp_path, http=None
    )
    records = list(source.fetch())
    assert [r.locator for r in records] == [f"{tmp_path}/a.jsonl:1", f"{tmp_path}/a.jsonl:3", f"{tmp_path}/b.txt"]
    parsed = [p for r in records for p in source.parse(r)]
    assert [type(p).__name__ for p in parsed] == ["Posting", "Reject", "Posting"]
    assert isinstance(parsed[2], Posting) and parsed[2].title == "Staff ML Engineer"


def test_a_missing_file_is_a_fetch_error_naming_it(tmp_path: Path) -> None:
    source = build_adapter(file_entry(tmp_path / "gone.jsonl"), data_dir=tmp_path, http=None)
    with pytest.raises(SourceFetchError, match=r"gone\.jsonl"):
        list(source.fetch())


def test_lever_pages_until_a_short_page(server: LocalHttpServer, http: HttpClient) -> None:
    postings = json.loads((FIXTURES / "lever" / "postings.json").read_text(encoding="utf-8"))
    server.route("/v0/postings/acme", Reply(body=postings), Reply(body=[]))
    entry = SourceEntry(id="lever:acme", kind="lever", board="acme", url=server.url("/v0/postings"))
    source = build_adapter(entry, data_dir=Path("."), http=http)
    source.page_size = len(postings)  # type: ignore[attr-defined]  # a full first page asks for a second
    records = list(source.fetch())
    skips = [r.query.get("skip") for r in server.requests_for("/v0/postings/acme")]
    assert skips == ["0", str(len(postings))]
    assert len(records) == 2
    assert records[1].payload == "[]"


def test_paging_stops_at_a_bound_when_pages_never_end(
    server: LocalHttpServer, http: HttpClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.sources.adapters.MAX_PAGES", 3)
    server.route("/v0/postings/loop", Reply(body=[{"id": "x", "text": "AI Engineer"}]))
    entry = SourceEntry(id="lever:loop", kind="lever", board="loop", url=server.url("/v0/postings"))
    source = build_adapter(entry, data_dir=Path("."), http=http)
    source.page_size = 1  # type: ignore[attr-defined]
    with pytest.raises(SourceFetchError, match="more than 3 pages"):
        list(source.fetch())
    assert len(server.requests_for("/v0/postings/loop")) == 3


def test_health_check_tells_good_broken_and_garbage_sources(server: LocalHttpServer, http: HttpClient) -> None:
    board = (FIXTURES / "greenhouse" / "board.json").read_text(encoding="utf-8")
    server.route("/v1/boards/good/jobs", Reply(body=board, content_type="application/json"))
    server.route("/v1/boards/down/jobs", Reply(status=500))
    server.route("/v1/boards/junk/jobs", Reply(body="<html>oops</html>", content_type="text/html"))
    server.route("/v1/boards/empty/jobs", Reply(body={"jobs": [], "meta": {"total": 0}}))
    root = server.url("/v1/boards")

    def health(board_token: str) -> tuple[bool, str | None]:
        entry = SourceEntry(id=f"greenhouse:{board_token}", kind="greenhouse", board=board_token, url=root)
        result = check_source(build_adapter(entry, data_dir=Path("."), http=http))
        return result.ok, result.reason

    assert health("good")[0] is True
    assert health("down") == (False, f"{root}/down/jobs?content=true: HTTP 500 after 2 attempts")
    ok, reason = health("junk")
    assert ok is False and reason is not None and reason.startswith("only rejects: ")
    assert health("empty") == (True, "the listing is empty")


def test_reprocessing_adapters_never_fetch() -> None:
    entry = SourceEntry(id="greenhouse:acme", kind="greenhouse", board="acme")
    source = build_adapter(entry, data_dir=Path("."), http=None)
    with pytest.raises(SourceFetchError, match="no HTTP client"):
        list(source.fetch())
    assert all(
        isinstance(p, Reject)
        for p in source.parse(
            __import__("pipeline.domain", fromlist=["RawRecord"]).RawRecord(source_id="x", locator="l", payload="[]")
        )
    )
