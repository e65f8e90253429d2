"""Publication requirements and the venues named."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from pipeline.extraction.rules.education import snippet
from pipeline.extraction.rules.scan import Hint, ScannedLines
from pipeline.extraction.rules.sections import requirement_for

# Venue -> the words one of which its every match holds (a line without them skips its pattern), pattern. ACL, RSS,
# KDD, NIPS and CoRL match only in their exact case ("acl" is an access list, "RSS" a feed); they also count only on
# lines that ask for publications (see publications_requirement).
PUBLICATION_VENUES: tuple[tuple[str, Hint, re.Pattern[str]], ...] = tuple(
    (name, hint, re.compile(pattern, re.I))
    for name, hint, pattern in (
        ("NeurIPS", Hint.of("neurips", exact="NIPS"), r"\bneurips\b|(?-i:\bNIPS\b)"),
        ("ICML", Hint.of("icml"), r"\bicml\b"),
        ("ICLR", Hint.of("iclr"), r"\biclr\b"),
        ("ACL", Hint.of("", exact="ACL"), r"(?-i:\bACL\b)"),
        ("EMNLP", Hint.of("emnlp"), r"\bemnlp\b"),
        ("NAACL", Hint.of("naacl"), r"\bnaacl\b"),
        ("CVPR", Hint.of("cvpr"), r"\bcvpr\b"),
        ("ICCV", Hint.of("iccv"), r"\biccv\b"),
        ("ECCV", Hint.of("eccv"), r"\beccv\b"),
        ("AAAI", Hint.of("aaai"), r"\baaai\b"),
        ("IJCAI", Hint.of("ijcai"), r"\bijcai\b"),
        ("KDD", Hint.of("", exact="KDD"), r"(?-i:\bKDD\b|\bSIGKDD\b)"),
        ("SIGIR", Hint.of("sigir"), r"\bsigir\b"),
        ("CoRL", Hint.of("", exact="CoRL|CORL"), r"(?-i:\bCoRL\b|\bCORL\b)"),
        ("RSS", Hint.of("", exact="RSS"), r"(?-i:\bRSS\b)"),
        ("Interspeech", Hint.of("interspeech"), r"\binterspeech\b"),
        ("ICASSP", Hint.of("icassp"), r"\bicassp\b"),
    )
)
_PUBLICATION_ASK = re.compile(
    r"\bpublications?\b(?!-|\s+(?:team|industry|platforms?|tools?|dates?|process|pipelines?|workflows?)\b)|"
    r"\bpublish(?:ed|ing|es)?\b(?:\s+\w+)?\s+(?:research|papers?|work|results|findings|articles|at|in)\b|"
    r"\b(?:first|co|lead)[- ]authou?r(?:ed|ship|s)?\b|\bpeer[- ]reviewed\b|"
    r"\bpapers?\s+(?:at|in|published|accepted)\b|\bconference\s+papers?\b|"
    r"\b(?:top|top[- ]tier|leading|premier|major|relevant)\s+(?:(?:ml|ai|machine\s+learning|research|academic)\s+)?"
    r"(?:venues|conferences|journals)\b|\btrack\s+record\s+of\s+publish",
    re.I,
)
# Reading or following papers is not publishing them; "our team has published" describes the company.
_NOT_AN_ASK = re.compile(
    r"\b(?:stay(?:ing)?\s+(?:current|up[- ]to[- ]date|abreast|on\s+top)|keep(?:ing)?\s+up|follow(?:ing)?\s+the\s+"
    r"latest|(?:read|review)(?:ing)?\s+(?:and\s+\w+\s+)?(?:\w+\s+)?(?:papers|publications)|"
    r"\b(?:trade|industry|professional|marketing|media|news)\s+publications|implement(?:ing)?\s+(?:\w+\s+){0,3}from|"
    r"(?:our|we(?:['’]ve|\s+have)?)\s+(?:\w+\s+){0,3}(?:published|publish|publications))",
    re.I,
)
_STRONG_ASK = re.compile(
    r"\btrack\s+record|\bfirst[- ]author|\bpublication\s+record|\brecord\s+of\s+publi|\byour\s+(?:own\s+)?"
    r"(?:publications|papers)|\bauthored|\byou(?:['’]ve|\s+have)\s+published",
    re.I,
)
_PUBLICATION_SKIPPED_SECTIONS = frozenset({"about", "benefits"})


class PublicationsRequirement(NamedTuple):
    requirement: str | None  # "required" | "preferred"
    venues: list[str]
    evidence: str | None


def publication_venues(line: str) -> list[str]:
    """The publication venues a line names, canonical names in order of appearance.

    >>> publication_venues("Papers at NIPS, ICML or CVPR; an ACL-free ECCV")
    ['NeurIPS', 'ICML', 'CVPR', 'ACL', 'ECCV']
    """
    return list(dict.fromkeys(name for _, _, name in _venue_matches(line, line.lower())))


def _venue_matches(line: str, lowered: str) -> list[tuple[int, int, str]]:
    """``(start, end, venue)`` of each venue named in ``line`` (``lowered``: the line lower-cased), in order."""
    found: list[tuple[int, int, str]] = []
    for name, hint, pattern in PUBLICATION_VENUES:
        if hint.in_line(line, lowered):
            found.extend((match.start(), match.end(), name) for match in pattern.finditer(line))
    found.sort()
    return found


# Every publication cue contains one of these (and every venue its own): lines without any are skipped at once.
_CUE_HINT = Hint.of("publi|author|authour|peer|paper|venue|conference|journal")
_PUBLICATION_HINT = Hint.union([_CUE_HINT, *(hint for _, hint, _ in PUBLICATION_VENUES)])
_AMBIGUOUS_VENUES = frozenset({"ACL", "RSS", "KDD", "CoRL"})
# A line makes an ask only by a cue or by unambiguous venues: the lines with neither need not be found. (That holds
# when every letter a re.I cue matches lower-cases to the cue's own: not for these four, which it matches to i, i, s
# and k: a text holding any is scanned for every word.)
_ASK_HINT = Hint.union([_CUE_HINT, *(hint for name, hint, _ in PUBLICATION_VENUES if name not in _AMBIGUOUS_VENUES)])
_FOLDED_TO_ASCII = "\u0130\u0131\u017f\u212a"
# The cue on a lower-cased ASCII line: the same matches, twice as fast as re.I (which lower-cases every character).
_PUBLICATION_ASK_LOWER = re.compile(_PUBLICATION_ASK.pattern)


def _publication_ask(line: str) -> tuple[int, int] | None:
    lowered = line.lower()
    if not _PUBLICATION_HINT.in_line(line, lowered):
        return None
    ask = _hinted_ask(line, lowered)
    return ask[0] if ask else None


def _hinted_ask(line: str, lowered: str) -> tuple[tuple[int, int], list[tuple[int, int, str]]] | None:
    """The span that makes a line (holding a hint word) an ask, with the venues it names; None if it is none."""
    venues = _venue_matches(line, lowered)
    unambiguous = sorted({(s, e) for s, e, name in venues if name not in _AMBIGUOUS_VENUES})
    cue = _PUBLICATION_ASK_LOWER.search(lowered) if line.isascii() else _PUBLICATION_ASK.search(line)
    if cue is None and len(unambiguous) < 2:
        return None
    if _NOT_AN_ASK.search(line) and not _STRONG_ASK.search(line):
        return None
    return (cue.span() if cue else unambiguous[0]), venues


def is_publication_ask(line: str) -> bool:
    """Whether a line asks the candidate for publications: a publication cue (publications, first-author,
    peer-reviewed, papers at, top venues, track record of publishing) or two venues, and not a line about
    reading papers, trade publications or the company's own publications.

    >>> is_publication_ask("- First-author papers at NeurIPS or ICML"), is_publication_ask("Read papers at ICML")
    (True, False)
    """
    return _publication_ask(line) is not None


def publications_requirement(
    lines: Iterable[tuple[str, str | None]], *, scanned: ScannedLines | None = None
) -> PublicationsRequirement:
    """Whether the posting asks for publications, required or preferred (section and cue words, as for skills),
    with the venues it names on those lines and the deciding line as evidence (``scanned``: the lines, when the
    caller has them joined already).

    >>> publications_requirement([("Nice to have", "preferred"), ("- Papers at NeurIPS, ICML", "preferred")])
    PublicationsRequirement(requirement='preferred', venues=['NeurIPS', 'ICML'], evidence='- Papers at NeurIPS, ICML')
    """
    requirement: str | None = None
    evidence: str | None = None
    venues: list[str] = []
    pairs = list(lines)
    texts = scanned if scanned is not None else ScannedLines([line for line, _ in pairs])
    folded = not texts.joined.isascii() and any(char in texts.joined for char in _FOLDED_TO_ASCII)
    for line, section in (pairs[index] for index in (_PUBLICATION_HINT if folded else _ASK_HINT).lines(texts)):
        if section in _PUBLICATION_SKIPPED_SECTIONS:
            continue
        ask = _hinted_ask(line, line.lower())  # a line found holds a hint word (as lower-cased here) too
        if ask is None:
            continue
        span, matches = ask
        venues.extend(v for v in dict.fromkeys(name for _, _, name in matches) if v not in venues)
        found = requirement_for(section, line).value
        if requirement is None or (requirement == "preferred" and found == "required"):
            requirement, evidence = found, snippet(line, *span)
    return PublicationsRequirement(requirement, venues, evidence)
