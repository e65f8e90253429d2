"""Extraction throughput: postings per second with 1 and more processes, peak memory, and the ratio to bare
spaCy tokenization of the same texts by as many processes, measured in the same run. On a shared machine one run
can move by a quarter from one minute to the next: ``repeat`` measures everything that many times, interleaved,
and the figures are medians with their range."""

from __future__ import annotations

import multiprocessing
import resource
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

import spacy

from pipeline.domain import Posting, RawRecord
from pipeline.extraction.batch import extract_file, start_method
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
class TokenizeRun:
    """Bare tokenization of all the texts by ``processes`` processes at once, each a share."""

    processes: int
    seconds: float  # wall time, from the moment all processes start tokenizing to the last one's end


@dataclass(frozen=True)
class ExtractBench:
    lines: int
    words: int
    tokenize_runs: list[TokenizeRun]  # every run of every repeat
    runs: list[ExtractRun]  # every run of every repeat, in the order they ran
    peak_rss_mb: float
    peak_worker_rss_mb: float

    @property
    def worker_counts(self) -> list[int]:
        return list(dict.fromkeys(run.workers for run in self.runs))

    def runs_with(self, workers: int) -> list[ExtractRun]:
        return [run for run in self.runs if run.workers == workers]

    def median_run(self, workers: int) -> ExtractRun:
        """The run of median time among the repeats with ``workers`` processes (the lower one of an even count)."""
        ordered = sorted(self.runs_with(workers), key=lambda run: run.seconds)
        return ordered[(len(ordered) - 1) // 2]

    def tokenize_seconds(self, processes: int) -> float:
        """The median bare tokenization time with ``processes`` processes."""
        return statistics.median(run.seconds for run in self.tokenize_runs if run.processes == processes)

    def tokenize_per_second(self, processes: int) -> float:
        """Bare tokenization's postings per second per process, with ``processes`` processes at once."""
        seconds = self.tokenize_seconds(processes)
        return self.lines / seconds / processes if seconds else 0.0

    def ratio_to_tokenization(self, run: ExtractRun) -> float:
        """How many times the (median) bare tokenization time by as many processes the run took."""
        seconds = self.tokenize_seconds(run.workers)
        return run.seconds / seconds if seconds else 0.0


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


def _tokenize(texts: Sequence[str], start: Barrier | None = None) -> tuple[float, int]:
    """Seconds and tokens to tokenize ``texts`` with a new blank English pipeline (its cache starts empty, as the
    tagger's does); building the pipeline is not timed. ``start``: wait there first, so that every process of a
    parallel run starts tokenizing at the same moment."""
    nlp = spacy.blank("en")
    if start is not None:
        start.wait()
    started = time.perf_counter()
    tokens = sum(len(nlp.make_doc(text)) for text in texts)
    return time.perf_counter() - started, tokens


def _tokenize_share(texts: Sequence[str], start: Barrier, results: Queue[tuple[float, int]]) -> None:
    results.put(_tokenize(texts, start))


def bare_tokenization(texts: Sequence[str], processes: int) -> tuple[float, int]:
    """Wall seconds for ``processes`` processes at once to tokenize ``texts`` (each a contiguous share, as the
    tagger's workers take chunks), and the tokens made: what the machine gives a tokenizer per process when that
    many run side by side.

    >>> seconds, tokens = bare_tokenization(["Python and SQL", "Kubernetes"], 2)
    >>> tokens
    4
    """
    if processes == 1:
        return _tokenize(texts)
    fork = start_method() == "fork"
    context = multiprocessing.get_context("fork") if fork else multiprocessing.get_context("spawn")
    start = context.Barrier(processes)
    results: Queue[tuple[float, int]] = context.Queue()
    size = max(1, -(-len(texts) // processes))
    children = [
        context.Process(target=_tokenize_share, args=(texts[first : first + size], start, results), daemon=True)
        for first in range(0, size * processes, size)
    ]
    for child in children:
        child.start()
    timings = [results.get() for _ in children]
    for child in children:
        child.join()
    return max(seconds for seconds, _ in timings), sum(tokens for _, tokens in timings)


def run_extract_bench(
    corpus_files: Sequence[Path],
    *,
    taxonomy_dir: Path,
    min_lines: int = 5_000,
    workers: Sequence[int] = (1, 2),
    repeat: int = 1,
) -> ExtractBench:
    """For each worker count: tokenize the repeated corpus bare with that many processes, then tag it with that
    many processes; all of it ``repeat`` times, interleaved."""
    if repeat < 1:
        raise ValueError(f"repeat must be at least 1, got {repeat}")
    with tempfile.TemporaryDirectory(prefix="jobatlas-bench-") as tmp:
        folder = Path(tmp)
        path, texts = bench_input(corpus_files, min_lines, folder)
        tokenize_runs: list[TokenizeRun] = []
        runs = []
        words = 0
        for _ in range(repeat):
            for count in workers:
                seconds, words = bare_tokenization(texts, count)
                tokenize_runs.append(TokenizeRun(count, seconds))
                started = time.perf_counter()
                summary = extract_file(path, folder / f"out_{count}.jsonl", taxonomy_dir=taxonomy_dir, workers=count)
                runs.append(ExtractRun(count, summary.tagged, time.perf_counter() - started))
    kib = 1024.0
    return ExtractBench(
        lines=len(texts),
        words=words,
        tokenize_runs=tokenize_runs,
        runs=runs,
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / kib,
        peak_worker_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / kib,
    )
