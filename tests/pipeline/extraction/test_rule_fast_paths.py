"""The fast paths of the rules give what the plain forms give."""

import re

from hypothesis import given
from hypothesis import strategies as st

from pipeline.extraction.rules import classify_heading, education, publications_requirement
from pipeline.extraction.rules.education import _degrees


def test_a_cue_re_i_folds_still_finds_a_line_holding_only_an_ambiguous_venue() -> None:
    # "PUBLİCATIONS" lower-cases without "publi": the line is found by "ACL" alone, as before
    found = publications_requirement([("- ACL PUBLİCATIONS", "requirements")])
    assert (found.requirement, found.venues) == ("required", ["ACL"])
    assert publications_requirement([("- Papers at ACL", "requirements")]).venues == ["ACL"]
    assert publications_requirement([("- ACL lists on routers", "requirements")]).requirement is None


def test_rewritten_section_alternatives() -> None:
    assert [classify_heading(h) for h in ("Pay", "Pay:", "Repay", "About us", "Learn about", "PAY & PERKS")] == [
        "benefits",
        "benefits",
        None,
        "about",
        None,
        "benefits",
    ]


@given(st.text(alphabet="payboutxé _-\n", max_size=20))
def test_rewritten_alternatives_match_where_the_originals_do(text: str) -> None:
    for original, rewritten in ((r"\bpay\b", r"pay(?<!\wpay)\b"), (r"^about", r"about(?<=^about)")):
        spans = [m.span() for m in re.finditer(original, text)]
        assert [m.span() for m in re.finditer(rewritten, text)] == spans


@given(st.text(alphabet="BMSAa. -/'4fourye-degrchlmstGEDTPhDundvn", max_size=40))
def test_degrees_on_ascii_lines_are_those_of_every_pattern_tried(line: str) -> None:
    """On an ASCII line, the tighter words never skip a pattern that would find a degree."""
    fast = _degrees(line)
    tighter = dict(education._ASCII_HINTS)
    education._ASCII_HINTS.clear()
    try:
        assert _degrees(line) == fast
    finally:
        education._ASCII_HINTS.update(tighter)
