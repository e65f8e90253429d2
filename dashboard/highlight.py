"""Posting text with its skills highlighted, as HTML that no posting can inject into.

Every piece of the posting is escaped with ``html.escape`` first; only then are the skill spans wrapped in
``<mark>`` tags whose attributes are escaped too. Nothing else of the posting becomes markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

REQUIREMENT_STYLES = {
    # Okabe-Ito sky blue / orange, light enough to read black text on
    "required": "background-color: #9fd3f2;",
    "preferred": "background-color: #f6d699;",
}


@dataclass(frozen=True)
class Span:
    """A stretch of the text to mark: ``text[start:end]``, with a tooltip and the kind of ask."""

    start: int
    end: int
    title: str
    requirement: str = "required"


def highlight(text: str, spans: Iterable[Span]) -> str:
    """``text`` escaped, with each span in a ``<mark>``; spans out of range, empty or overlapping an earlier one
    are left unmarked.

    >>> highlight("Use <b>Python</b> & SQL", [Span(7, 13, "Python"), Span(20, 23, "SQL", "preferred")])
    'Use &lt;b&gt;<mark title="Python" style="background-color: #9fd3f2;">Python</mark>&lt;/b&gt; &amp; \
<mark title="SQL" style="background-color: #f6d699;">SQL</mark>'
    """
    out: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position or span.start >= span.end or span.end > len(text):
            continue
        style = REQUIREMENT_STYLES.get(span.requirement, REQUIREMENT_STYLES["required"])
        out.append(html.escape(text[position : span.start]))
        out.append(
            f'<mark title="{html.escape(span.title)}" style="{style}">{html.escape(text[span.start : span.end])}</mark>'
        )
        position = span.end
    out.append(html.escape(text[position:]))
    return "".join(out)


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()<>#+-.!|~$:"})


def markdown_text(text: str) -> str:
    """``text`` with every Markdown (and Streamlit directive) character escaped, for headers and captions: it shows
    as written and makes no link, image, HTML or formula.

    >>> print(markdown_text("<b>[x](javascript:y)</b> $1"))
    \\<b\\>\\[x\\]\\(javascript\\:y\\)\\</b\\> \\$1
    """
    return text.translate(_MARKDOWN)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (the only kind a posting may link to), else None."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


def as_block(body: str) -> str:
    """An already escaped ``body`` in a block that keeps its line breaks."""
    return f'<div style="white-space: pre-wrap; line-height: 1.5;">{body}</div>'
