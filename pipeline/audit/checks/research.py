"""A research role in disguise: an engineering title that requires a PhD and/or publications at NeurIPS, ICML,
ICLR and the like."""

from __future__ import annotations

import re

from pipeline.analysis.market import MarketSnapshot
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span

ENGINEERING_TITLE = re.compile(r"\b(engineers?|developers?|swes?|programmers?|architects?)\b", re.I)
RESEARCH_TITLE = re.compile(r"\b(research|researchers?|scientists?|phd|postdoc(toral)?|fellows?)\b", re.I)
_VENUES_SUFFIX = re.compile(r"\s*\[venues:[^\]]*\]\s*$")


def is_engineering_title(title: str) -> bool:
    """An engineering title that does not name research ("Research Engineer" is research; so is "Scientist").

    >>> is_engineering_title("Senior AI Engineer"), is_engineering_title("Research Engineer, LLMs")
    (True, False)
    """
    return bool(ENGINEERING_TITLE.search(title)) and not RESEARCH_TITLE.search(title)


def _figures(market: MarketSnapshot | None) -> tuple[MarketFigure, ...]:
    if market is None or not market.postings:
        return ()
    profile = market.profile
    return tuple(
        MarketFigure(
            label=label,
            value=count / profile.postings,
            unit="share",
            sample_size=profile.postings,
            segment=market.segment.label,
            warning=market.warning,
        )
        for label, count in (
            ("require a PhD", profile.phd_required),
            ("ask for publications", profile.publications_asked),
        )
    )


def check_research_role(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """High when an engineering title requires a PhD and asks for publications, or requires publications at named
    venues; medium for a required PhD or required publications alone; low when they are only preferred."""
    if not is_engineering_title(doc.title):
        return []
    ex = doc.extraction
    phd = ex.education.value == "phd"
    phd_required = phd and ex.education_requirement == "required"
    publications = ex.publications.value  # 'required', 'preferred' or None
    venues = list(ex.publication_venues)
    if not phd and publications is None:
        return []
    evidence: list[Span] = []
    if phd and (span := doc.find(ex.education.evidence)) is not None:
        evidence.append(span)
    if publications is not None:
        said = _VENUES_SUFFIX.sub("", ex.publications.evidence or "")
        span = doc.find(said)
        if span is not None and span not in evidence:
            evidence.append(span)
    if (phd_required and publications is not None) or (publications == "required" and venues):
        severity = Severity.HIGH
    elif phd_required or publications == "required":
        severity = Severity.MEDIUM
    else:
        severity = Severity.LOW
    asks = []
    if phd:
        asks.append(f"a PhD ({ex.education_requirement})")
    if publications is not None:
        where = f" at {', '.join(venues)}" if venues else ""
        asks.append(f"publications{where} ({publications})")
    return [
        Finding(
            id="research.engineer-title",
            check="research",
            severity=severity,
            title="A research role in disguise" if severity is not Severity.LOW else "Research credentials asked",
            message=(
                f"The title '{doc.title}' names an engineering role, but the description asks for "
                f"{' and '.join(asks)}. Engineers who build and ship systems rarely have these; researchers who do "
                "will not look for the role under an engineering title."
            ),
            advice=(
                "If the work is building products on models, ask for shipped systems instead of degrees and papers; "
                "if it is research, title it Research Engineer or Research Scientist."
            ),
            evidence=tuple(evidence),
            market=_figures(market),
        )
    ]
