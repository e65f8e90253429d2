"""Parse + normalize throughput over real payloads (the shared corpus): postings per second per payload kind."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.domain import Posting, RawRecord, Reject
from pipeline.sources.greenhouse import parse_greenhouse
from pipeline.sources.hn_whoishiring import parse_hn_thread
from pipeline.sources.jsonl_file import parse_posting_line
from pipeline.sources.remoteok import parse_remoteok

Parser = Callable[[RawRecord], list[Posting | Reject]]


@dataclass(frozen=True)
class PayloadBatch:
    name: str
    parser: Parser
    records: list[RawRecord]


@dataclass(frozen=True)
class BenchResult:
    name: str
    records: int
    bytes: int
    postings: int
    rejects: int
    seconds: float


def _hn_dump_as_thread(text: str) -> str:
    """The corpus keeps HN comments in a dump format; re-shape them as the Algolia item tree the parser reads."""
    dump = json.loads(text)
    children = [
        {"id": job["id"], "author": job.get("by"), "text": job.get("text"), "created_at_i": job.get("time")}
        for job in dump.get("jobs", [])
        if job.get("source") == "who_is_hiring"
    ]
    return json.dumps({"id": 0, "title": "Ask HN: Who is hiring?", "children": children})


def corpus_records(corpus: Path) -> list[PayloadBatch]:
    """Every payload of the corpus folder that a jobatlas parser reads, grouped by kind."""
    batches: list[PayloadBatch] = []
    lines = [
        RawRecord(source_id="corpus", locator=f"{path.name}:{number}", payload=line)
        for path in sorted(corpus.glob("postings*.jsonl"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.strip()
    ]
    batches.append(PayloadBatch("postings JSONL lines", lambda r: [parse_posting_line(r)], lines))
    samples = corpus / "api_samples"
    greenhouse = [
        RawRecord(source_id="greenhouse:bench", locator=str(p), payload=p.read_text(encoding="utf-8"))
        for p in sorted((samples / "greenhouse").glob("*.json"))
    ]
    batches.append(PayloadBatch("Greenhouse API responses", parse_greenhouse, greenhouse))
    remoteok = [
        RawRecord(source_id="remoteok", locator=str(p), payload=p.read_text(encoding="utf-8"))
        for p in sorted((samples / "remoteok").glob("*.json"))
    ]
    batches.append(PayloadBatch("RemoteOK API responses", parse_remoteok, remoteok))
    hn = [
        RawRecord(source_id="hn:whoishiring", locator=str(p), payload=_hn_dump_as_thread(p.read_text(encoding="utf-8")))
        for p in sorted((samples / "hn_whoishiring").glob("*.json"))
    ]
    batches.append(PayloadBatch("HN Who is hiring threads", parse_hn_thread, hn))
    return [b for b in batches if b.records]


def run_parse_bench(batches: Sequence[PayloadBatch], *, repeat: int = 3) -> list[BenchResult]:
    """Parse every batch ``repeat`` times and keep the fastest time of each."""
    results = []
    for batch in batches:
        best = float("inf")
        postings = rejects = 0
        for _ in range(repeat):
            started = time.perf_counter()
            parsed = [item for record in batch.records for item in batch.parser(record)]
            best = min(best, time.perf_counter() - started)
            rejects = sum(isinstance(item, Reject) for item in parsed)
            postings = len(parsed) - rejects
        size = sum(len(r.payload.encode("utf-8")) for r in batch.records)
        results.append(BenchResult(batch.name, len(batch.records), size, postings, rejects, best))
    if results:
        total = BenchResult(
            "all",
            sum(r.records for r in results),
            sum(r.bytes for r in results),
            sum(r.postings for r in results),
            sum(r.rejects for r in results),
            sum(r.seconds for r in results),
        )
        results.append(total)
    return results
