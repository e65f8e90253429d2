"""Readable text from HTML job descriptions."""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, PreformattedString, Tag

_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_BLOCKS = frozenset(
    str.split(
        "p div section article header footer main aside nav blockquote pre figure figcaption table thead tbody tfoot tr"
        " ul ol dl dt dd h1 h2 h3 h4 h5 h6 hr address details summary form fieldset legend caption center"
    )
)
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_LOOKS_LIKE_HTML = re.compile(r"<[A-Za-z!/?]")


class _Lines:
    """Text split into lines: block boundaries end a line, whitespace inside a line collapses to one space."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.prefix = ""

    def add(self, text: str) -> None:
        self.parts.append(text)

    def end_line(self) -> None:
        content = " ".join(_INVISIBLE.sub("", "".join(self.parts)).split())
        self.parts = []
        if content:
            self.lines.append(self.prefix + content)
            self.prefix = ""

    def start_item(self, prefix: str) -> None:
        self.end_line()
        self.prefix = prefix


def _walk(root: Tag, out: _Lines) -> None:
    """Depth-first walk without recursion (deeply nested markup must not hit the recursion limit)."""
    lists: list[list[int] | None] = []  # one entry per open <ol> (a counter) or <ul> (None)
    pre_depth = 0
    stack: list[tuple[PageElement, bool]] = [(child, False) for child in reversed(root.contents)]
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, NavigableString):
            if isinstance(node, PreformattedString):  # comments, doctypes, CDATA, processing instructions
                continue
            if pre_depth:
                for index, piece in enumerate(str(node).split("\n")):
                    if index:
                        out.end_line()
                    out.add(piece)
            else:
                out.add(str(node))
            continue
        if not isinstance(node, Tag) or node.name in _SKIPPED:
            continue
        name = node.name
        if leaving:
            if name in ("ul", "ol") and lists:
                lists.pop()
            if name == "pre":
                pre_depth -= 1
            if name in ("td", "th"):
                out.add(" ")
            if name == "li":
                out.end_line()
                out.prefix = ""
            elif name in _BLOCKS:
                out.end_line()
            continue
        if name in ("br", "hr"):
            out.end_line()
        elif name == "li":
            counter = lists[-1] if lists else None
            if counter is None:
                out.start_item("- ")
            else:
                counter[0] += 1
                out.start_item(f"{counter[0]}. ")
        elif name in _BLOCKS:
            out.end_line()
        if name == "ul":
            lists.append(None)
        elif name == "ol":
            start = str(node.get("start") or "1").strip()
            lists.append([int(start) - 1 if start.isdigit() and len(start) < 7 else 0])
        elif name == "pre":
            pre_depth += 1
        elif name in ("td", "th"):
            out.add(" ")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))


def _plain_lines(text: str) -> str:
    lines = (" ".join(_INVISIBLE.sub("", line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_to_text(html_text: str) -> str:
    """Readable text of an HTML fragment, one line per block; never raises.

    Headings and paragraphs get their own line, ``<li>`` becomes ``- item`` (``1. item`` in an ``<ol>``),
    ``<br>`` a line break; scripts and styles go; entities are decoded once; whitespace collapses and there are
    no blank lines. Text without any tag keeps its own line breaks.

    >>> html_to_text("<h3>You have</h3><ul><li>Python &amp; SQL</li><li>Docker</li></ul>")
    'You have\\n- Python & SQL\\n- Docker'
    >>> html_to_text("<p><strong>Steps</strong></p><ol><li>Apply</li><li>Talk<br>to us</li></ol>")
    'Steps\\n1. Apply\\n2. Talk\\nto us'
    """
    if not _LOOKS_LIKE_HTML.search(html_text):
        return _plain_lines(html.unescape(html_text))
    try:
        soup = BeautifulSoup(html_text, "html.parser")
        out = _Lines()
        _walk(soup, out)
        out.end_line()
        return "\n".join(out.lines)
    except Exception:  # the parser rejected the markup: fall back to dropping anything tag-like
        stripped = re.sub(r"(?is)<(script|style|noscript)\b.*?(?:</\1\s*>|$)|<[^>]*>?", "\n", html_text)
        return _plain_lines(html.unescape(stripped))
