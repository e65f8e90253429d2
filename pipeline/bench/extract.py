"""Extraction throughput: postings per second with 1 and more processes, peak memory, and the ratio to bare
spaCy tokenization of the same texts measured in the same run. On a shared machine one run can move by a quarter
from one minute to the next: ``repeat`` measures everything that many times, interleaved, and the figures are
medians with their range."""

from __future__ import annotations

import resource
import statistics
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
    tokenize_runs: list[float]  # seconds of each repeat
    runs: list[ExtractRun]  # every run of every repeat, in the order they ran
    peak_rss_mb: float
    peak_worker_rss_mb: float

    @property
    def tokenize_seconds(self) -> float:
        """The median bare tokenization time."""
        return statistics.median(self.tokenize_runs)

    @property
    def worker_counts(self) -> list[int]:
        return list(dict.fromkeys(run.workers for run in self.runs))

    def runs_with(self, workers: int) -> list[ExtractRun]:
        return [run for run in self.runs if run.workers == workers]

    def median_run(self, workers: int) -> ExtractRun:
        """The run of median time among the repeats with ``workers`` processes (the lower one of an even count)."""
        ordered = sorted(self.runs_with(workers), key=lambda run: run.seconds)
        return ordered[(len(ordered) - 1) // 2]

    def ratio_to_tokenization(self, run: ExtractRun) -> float:
        """How many times the (median) bare tokenization time one process spends per posting (workers scale it
        down)."""
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
    corpus_files: Sequence[Path],
    *,
    taxonomy_dir: Path,
    min_lines: int = 5_000,
    workers: Sequence[int] = (1, 2),
    repeat: int = 1,
) -> ExtractBench:
    """Tag the repeated corpus once per worker count, and tokenize the same texts with a blank English pipeline
    (a new one each time: its cache starts empty, as the tagger's does); all of it ``repeat`` times, interleaved."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    with tempfile.TemporaryDirectory(prefix="jobatlas-bench-") as tmp:
        folder = Path(tmp)
        path, texts = bench_input(corpus_files, min_lines, folder)
        tokenize_runs: list[float] = []
        runs = []
        words = 0
        for _ in range(repeat):
            nlp = spacy.blank("en")
            started = time.perf_counter()
            words = sum(len(nlp.make_doc(text)) for text in texts)
            tokenize_runs.append(time.perf_counter() - started)
            for count in workers:
                started = time.perf_counter()
                summary = extract_file(path, folder / f"out_{count}.jsonl", taxonomy_dir=taxonomy_dir, workers=count)
                runs.append(ExtractRun(count, summary.tagged, time.perf_counter() - started))
    kib = 1024.0
    return ExtractBench(
        lines=sum(1 for _ in texts),
        words=words,
        tokenize_runs=tokenize_runs,
        runs=runs,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib,
        peak_worker_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib,
    )
