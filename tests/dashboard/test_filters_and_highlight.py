"""The pure parts of the dashboard's URL filters and posting highlighting (and their doctests)."""

from __future__ import annotations

import doctest
from datetime import date

import pytest

from dashboard import filters, highlight
from dashboard.filters import from_params, to_params
from dashboard.highlight import Span, markdown_text, safe_url
from pipeline.analysis.filters import PostingFilters


@pytest.mark.parametrize("module", [filters, highlight])
def test_doctests(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_filters_round_trip_through_the_url() -> None:
    chosen = PostingFilters(
        since=date(2026, 9, 1),
        sources=("greenhouse:anthropic",),
        companies=("Evil & Co", "A=B"),
        location="Berlin",
        remote=("remote", "unknown"),
        role_families=("ai_engineer",),
        levels=("senior", "staff"),
        specializations=("rag",),
    )
    params = to_params(chosen)
    assert params["since"] == "2026-09-01" and params["level"] == ["senior", "staff"] and "until" not in params
    assert from_params(params) == chosen
    assert to_params(PostingFilters()) == {} and from_params({}) == PostingFilters()


def test_bad_values_in_a_link_are_ignored() -> None:
    assert from_params({"level": ["boss", "i", "i"], "spec": "crypto", "since": "2026-13-01", "location": " "}) == (
        PostingFilters(levels=("i",))
    )


def test_highlight_escapes_everything_and_skips_bad_spans() -> None:
    text = '<script>x</script> Python "&" SQL'
    marked = highlight.highlight(
        text,
        [Span(19, 25, 'Py"thon'), Span(20, 22, "inside"), Span(30, 99, "past the end"), Span(5, 5, "empty")],
    )
    assert marked == (
        '&lt;script&gt;x&lt;/script&gt; <mark title="Py&quot;thon" style="background-color: #9fd3f2;">Python</mark>'
        " &quot;&amp;&quot; SQL"
    )


def test_markdown_and_links_from_postings_are_inert() -> None:
    assert markdown_text("**x** [a](b) :red[c]") == "\\*\\*x\\*\\* \\[a\\]\\(b\\) \\:red\\[c\\]"
    assert safe_url("javascript:alert(1)") is None and safe_url("https://example.com/j") == "https://example.com/j"
