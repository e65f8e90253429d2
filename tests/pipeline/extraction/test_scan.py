import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extraction.rules.scan import Hint, ScannedLines, lines_with

WORDS = Hint.of("degree|ph d|ph.", exact="BS|M ")


def regex_lines(hint: Hint, lines: list[str]) -> list[int]:
    """What the hint's lines are by definition: one regex per case, tried on every line."""
    lower = re.compile("|".join(map(re.escape, hint.lower)))
    exact = re.compile("|".join(map(re.escape, hint.exact)))
    return [i for i, line in enumerate(lines) if lower.search(line.lower()) or exact.search(line)]


def test_hint_lines_exact() -> None:
    lines = ["BS in CS", "a Degree", "Python", "bs", "Ph.D. or PH D", "M Sc", "", "MS"]
    assert WORDS.lines(lines) == [0, 1, 4, 5]
    assert WORDS.lines(ScannedLines(lines)) == [0, 1, 4, 5]
    assert WORDS.lines([]) == []


def test_hint_in_line() -> None:
    assert [WORDS.in_line(line) for line in ("A DEGREE", "bs", "BSc", "ph d")] == [True, False, True, True]


def test_hint_words_must_be_lower_case_and_single_line() -> None:
    with pytest.raises(ValueError, match="lower-case"):
        Hint.of("Degree")
    with pytest.raises(ValueError, match="single-line"):
        Hint.of("a\nb")


def test_lower_keeps_offsets_when_a_character_lower_cases_to_two() -> None:
    scanned = ScannedLines(["İstanbul degree", "MASTER"])
    assert len(scanned.lower) == len(scanned.joined)
    assert Hint.of("degree|master").lines(scanned) == [0, 1]


@given(st.lists(st.text(alphabet="aBdDeEgGrRsS hp.Mİ\u00e9", max_size=30), max_size=12))
def test_hint_lines_equal_a_regex_per_line(lines: list[str]) -> None:
    assert WORDS.lines(lines) == regex_lines(WORDS, lines)


@given(st.lists(st.text(alphabet="aByYeEsrS +\u0130", max_size=30), max_size=12))
def test_lines_with_equals_a_regex_per_line(lines: list[str]) -> None:
    pattern = re.compile(r"years?|\+ ?e")
    assert lines_with(pattern, lines, lower=True) == [i for i, line in enumerate(lines) if pattern.search(line.lower())]
