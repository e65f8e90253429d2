"""Market comparison: the skills most postings of the segment ask that the description omits, and the skills it
requires that few of them ask."""

from __future__ import annotations

from pipeline.analysis.market import MarketSnapshot
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity

COMMON_SHARE = 0.5  # a skill asked by at least half the segment's postings is common
RARE_SHARE = 0.05  # a required skill asked by fewer than 5% of them is rare
MIN_POSTINGS = 10  # fewer postings than this say nothing about what is common or rare
MAX_LISTED = 8
SKIPPED_CATEGORIES = frozenset({"soft_skill"})  # "communication" is not a gap worth naming
# Umbrella terms a description of the field implies ("AI" in an AI engineer's posting): not worth naming as gaps.
UMBRELLA_SKILLS = frozenset({"Artificial intelligence", "Machine learning", "Data science", "Data engineering"})


def _figure(market: MarketSnapshot, skill: str) -> MarketFigure:
    return MarketFigure(
        label=f"ask {skill}",
        value=market.demand(skill).share_asked,
        unit="share",
        sample_size=market.postings,
        segment=market.segment.label,
        warning=market.warning,
    )


def check_market_skills(doc: AuditDocument, market: MarketSnapshot | None) -> list[Finding]:
    """Info findings: the commonly asked skills the description does not mention (asked by half the segment or
    more), and the required skills that fewer than 5% of the segment ask. Needs 10+ postings in the segment."""
    if market is None or market.postings < MIN_POSTINGS:
        return []
    mentioned = {m.skill for m in doc.extraction.skills}
    findings: list[Finding] = []
    omitted = [
        item
        for item in market.skills
        if item.share_asked >= COMMON_SHARE
        and item.skill not in mentioned
        and item.category not in SKIPPED_CATEGORIES
        and item.skill not in UMBRELLA_SKILLS
    ][:MAX_LISTED]
    if omitted:
        listed = ", ".join(f"{item.skill} ({item.share_asked:.0%})" for item in omitted)
        findings.append(
            Finding(
                id="market.common-skills-omitted",
                check="market",
                severity=Severity.INFO,
                title="Commonly asked skills the description does not mention",
                message=(
                    f"Most {market.segment.label} postings ask for {listed}; this description does not mention "
                    "them. Fine if the role does not need them; if it does, say so."
                ),
                market=tuple(_figure(market, item.skill) for item in omitted),
            )
        )
    rare = [
        skill
        for skill in doc.required_skills()
        if market.demand(skill).share_asked < RARE_SHARE
        and doc.taxonomy.get(skill) is not None
        and doc.taxonomy[skill].category not in SKIPPED_CATEGORIES
    ][:MAX_LISTED]
    if rare:
        findings.append(
            Finding(
                id="market.rare-asks",
                check="market",
                severity=Severity.INFO,
                title="Rare must-haves",
                message=(
                    f"Few {market.segment.label} postings ask for {', '.join(rare)}, which this description "
                    "requires: expect fewer candidates who have them, or make them nice to have."
                ),
                evidence=tuple(span for skill in rare if (span := doc.skill_span(skill)) is not None),
                market=tuple(_figure(market, skill) for skill in rare),
            )
        )
    return findings
