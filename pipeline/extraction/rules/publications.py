"""Publication requirements and the venues named."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from pipeline.extraction.rules.education import snippet
from pipeline.extraction.rules.scan import Hint, ScannedLines
from pipeline.extraction.rules.sections import requirement_for

# Venue -> pattern. ACL, RSS, KDD, NIPS and CoRL match only in their exact case ("acl" is an access list,
# "RSS" a feed); they also count only on lines that ask for publications (see publications_requirement).
PUBLICATION_VENUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        ("NeurIPS", r"\bneurips\b|(?-i:\bNIPS\b)"),
        ("ICML", r"\bicml\b"),
        ("ICLR", r"\biclr\b"),
        ("ACL", r"(?-i:\bACL\b)"),
        ("EMNLP", r"\bemnlp\b"),
        ("NAACL", r"\bnaacl\b"),
        ("CVPR", r"\bcvpr\b"),
        ("ICCV", r"\biccv\b"),
        ("ECCV", r"\beccv\b"),
        ("AAAI", r"\baaai\b"),
        ("IJCAI", r"\bijcai\b"),
        ("KDD", r"(?-i:\bKDD\b|\bSIGKDD\b)"),
        ("SIGIR", r"\bsigir\b"),
        ("CoRL", r"(?-i:\bCoRL\b|\bCORL\b)"),
        ("RSS", r"(?-i:\bRSS\b)"),
        ("Interspeech", r"\binterspeech\b"),
        ("ICASSP", r"\bicassp\b"),
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
    hits = sorted((match.start(), name) for name, pattern in PUBLICATION_VENUES for match in pattern.finditer(line))
    return list(dict.fromkeys(name for _, name in hits))


# Every publication cue and venue contains one of these: lines without any are skipped at once.
_PUBLICATION_HINT = Hint.of(
    "publi|author|peer|paper|venue|conference|journal|"
    "neurips|icml|iclr|emnlp|naacl|cvpr|iccv|eccv|aaai|ijcai|sigir|interspeech|icassp",
    exact="NIPS|ACL|KDD|CoRL|CORL|RSS",
)


def _publication_ask(line: str) -> tuple[int, int] | None:
    if not _PUBLICATION_HINT.in_line(line):
        return None
    venues = [(m.start(), m.end(), name) for name, pattern in PUBLICATION_VENUES for m in pattern.finditer(line)]
    unambiguous = sorted({(s, e) for s, e, name in venues if name not in ("ACL", "RSS", "KDD", "CoRL")})
    cue = _PUBLICATION_ASK.search(line)
    if cue is None and len(unambiguous) < 2:
        return None
    if _NOT_AN_ASK.search(line) and not _STRONG_ASK.search(line):
        return None
    return cue.span() if cue else unambiguous[0]


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
    hinted = _PUBLICATION_HINT.lines(scanned if scanned is not None else [line for line, _ in pairs])
    for line, section in (pairs[index] for index in hinted):
        if section in _PUBLICATION_SKIPPED_SECTIONS:
            continue
        ask = _publication_ask(line)
        if ask is None:
            continue
        venues.extend(v for v in publication_venues(line) if v not in venues)
        found = requirement_for(section, line).value
        if requirement is None or (requirement == "preferred" and found == "required"):
            requirement, evidence = found, snippet(line, *ask)
    return PublicationsRequirement(requirement, venues, evidence)
