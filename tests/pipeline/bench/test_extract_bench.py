"""The extraction benchmark's figures from repeated runs: medians and the ratio to bare tokenization by as many
processes; and bare tokenization split over processes."""

import pytest

from pipeline.bench.extract import ExtractBench, ExtractRun, TokenizeRun, bare_tokenization


def bench(tokenize: list[TokenizeRun], runs: list[ExtractRun]) -> ExtractBench:
    return ExtractBench(
        lines=100, words=1_000, tokenize_runs=tokenize, runs=runs, peak_rss_mb=1.0, peak_worker_rss_mb=0.0
    )


def test_the_median_runs_with_as_many_processes_make_the_ratio() -> None:
    runs = [ExtractRun(1, 100, 4.0), ExtractRun(2, 100, 3.0), ExtractRun(1, 100, 2.0), ExtractRun(2, 100, 2.5)]
    runs += [ExtractRun(1, 100, 3.0), ExtractRun(2, 100, 9.0)]
    tokenize = [TokenizeRun(1, 1.0), TokenizeRun(2, 0.5), TokenizeRun(1, 3.0), TokenizeRun(2, 2.0)]
    tokenize += [TokenizeRun(1, 1.5), TokenizeRun(2, 0.75)]
    result = bench(tokenize, runs)
    assert result.worker_counts == [1, 2]
    assert result.tokenize_seconds(1) == 1.5 and result.tokenize_seconds(2) == 0.75
    assert result.tokenize_per_second(2) == pytest.approx(100 / 0.75 / 2)
    assert result.median_run(1) == ExtractRun(1, 100, 3.0)
    assert result.median_run(2) == ExtractRun(2, 100, 3.0)
    assert result.ratio_to_tokenization(result.median_run(1)) == pytest.approx(2.0)
    assert result.ratio_to_tokenization(result.median_run(2)) == pytest.approx(4.0)


def test_an_even_count_of_runs_takes_the_faster_middle_one() -> None:
    result = bench([TokenizeRun(1, 2.0), TokenizeRun(1, 1.0)], [ExtractRun(1, 100, 5.0), ExtractRun(1, 100, 4.0)])
    assert result.median_run(1).seconds == 4.0 and result.tokenize_seconds(1) == 1.5


def test_bare_tokenization_by_several_processes_tokenizes_every_text_once() -> None:
    texts = ["Python and SQL", "Kubernetes", "C++/Go, e.g. gRPC", "", "one two three"]
    seconds, tokens = bare_tokenization(texts, 1)
    assert tokens == 3 + 1 + 4 + 0 + 3 and seconds > 0  # blank English keeps "C++/Go" and "e.g." whole
    for processes in (2, 3, 7):  # 7: more processes than texts, some get none
        assert bare_tokenization(texts, processes)[1] == tokens
