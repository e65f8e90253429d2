"""Extraction throughput: postings per second with 1 and more processes, peak memory, and the ratio to bare
spaCy tokenization of the same texts measured in the same run."""

from __future__ import annotations

import resource
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import spacy

from pipeline.domain import Posting, RawRecord
from pipeline.extraction.batch import extract_file
from pipeline.sources.jsonl_file import parse_posting_line


@dataclass(frozen=True)
class ExtractRun:
    workers: int
    postings: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.postings / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class ExtractBench:
    lines: int
    words: int
    tokenize_seconds: float
    runs: list[ExtractRun]
    peak_rss_mb: float
    peak_worker_rss_mb: float

    def ratio_to_tokenization(self, run: ExtractRun) -> float:
        """How many times the bare tokenization time one process spends per posting (workers scale it down)."""
        return run.seconds * run.workers / self.tokenize_seconds if self.tokenize_seconds else 0.0


def bench_input(corpus_files: Sequence[Path], min_lines: int, folder: Path) -> tuple[Path, list[str]]:
    """The corpus postings (lines that parse as a posting) repeated until there are at least ``min_lines``,
    written to a file; and their texts."""
    lines = [line for path in corpus_files for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    postings: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        parsed = parse_posting_line(RawRecord(source_id="bench", locator=f"bench:{number}", payload=line))
        if isinstance(parsed, Posting):
            postings.append((line, parsed.description))
    if not postings:
        raise ValueError("the corpus files hold no postings")
    repeated = (postings * (min_lines // len(postings) + 1))[: max(min_lines, len(postings))]
    path = folder / "bench_input.jsonl"
    path.write_text("\n".join(line for line, _ in repeated) + "\n", encoding="utf-8")
    return path, [text for _, text in repeated]


def run_extract_bench(
    corpus_files: Sequence[Path], *, taxonomy_dir: Path, min_lines: int = 5_000, workers: Sequence[int] = (1, 2)
) -> ExtractBench:
    """Tag the repeated corpus once per worker count, and tokenize the same texts with a blank English pipeline."""
    with tempfile.TemporaryDirectory(prefix="jobatlas-bench-") as tmp:
        folder = Path(tmp)
        path, texts = bench_input(corpus_files, min_lines, folder)
        nlp = spacy.blank("en")
        started = time.perf_counter()
        words = sum(len(nlp.make_doc(text)) for text in texts)
        tokenize_seconds = time.perf_counter() - started
        runs = []
        for count in workers:
            started = time.perf_counter()
            summary = extract_file(path, folder / f"out_{count}.jsonl", taxonomy_dir=taxonomy_dir, workers=count)
            runs.append(ExtractRun(count, summary.tagged, time.perf_counter() - started))
    kib = 1024.0
    return ExtractBench(
        lines=sum(1 for _ in texts),
        words=words,
        tokenize_seconds=tokenize_seconds,
        runs=runs,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib,
        peak_worker_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib,
    )
