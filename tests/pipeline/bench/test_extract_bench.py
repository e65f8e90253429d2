"""The extraction benchmark's figures from repeated runs: medians and the ratio to bare tokenization."""

import pytest

from pipeline.bench.extract import ExtractBench, ExtractRun


def bench(tokenize: list[float], runs: list[ExtractRun]) -> ExtractBench:
    return ExtractBench(
        lines=100, words=1_000, tokenize_runs=tokenize, runs=runs, peak_rss_mb=1.0, peak_worker_rss_mb=0.0
    )


def test_the_median_run_and_tokenization_make_the_ratio() -> None:
    runs = [ExtractRun(1, 100, 4.0), ExtractRun(2, 100, 3.0), ExtractRun(1, 100, 2.0), ExtractRun(2, 100, 2.5)]
    runs += [ExtractRun(1, 100, 3.0), ExtractRun(2, 100, 9.0)]
    result = bench([1.0, 3.0, 1.5], runs)
    assert result.worker_counts == [1, 2]
    assert result.tokenize_seconds == 1.5
    assert result.median_run(1) == ExtractRun(1, 100, 3.0)
    assert result.median_run(2) == ExtractRun(2, 100, 3.0)
    assert result.ratio_to_tokenization(result.median_run(1)) == pytest.approx(2.0)
    assert result.ratio_to_tokenization(result.median_run(2)) == pytest.approx(4.0)  # two processes' time


def test_an_even_count_of_runs_takes_the_faster_middle_one() -> None:
    result = bench([2.0, 1.0], [ExtractRun(1, 100, 5.0), ExtractRun(1, 100, 4.0)])
    assert result.median_run(1).seconds == 4.0 and result.tokenize_seconds == 1.5
