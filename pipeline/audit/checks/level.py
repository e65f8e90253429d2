"""Title or level vs the years asked, on the ladder: AI Engineer I 0-2 years, II 2-4, Senior 4-7, Staff 7+."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.analysis.market import MarketSnapshot, sample_warning
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span
from pipeline.domain import Level
from pipeline.extraction.rules import level_from_role_lines, level_from_title, level_from_years, years_mentions

LADDER: dict[Level, tuple[int, int | None]] = {
    Level.I: (0, 2),
    Level.II: (2, 4),
    Level.SENIOR: (4, 7),
    Level.STAFF: (7, None),
}
_ORDER = (Level.I, Level.II, Level.SENIOR, Level.STAFF)
LEVEL_TITLES = {Level.I: "AI Engineer I", Level.II: "AI Engineer II", Level.SENIOR: "Senior", Level.STAFF: "Staff"}
FAR_ABOVE_YEARS = 5  # this many years over the rung's upper bound is high even one rung up ("Senior, 12+ years")


@dataclass(frozen=True)
class YearsAsked:
    years: int
    span: Span


def primary_years(doc: AuditDocument) -> YearsAsked | None:
    """The minimum years the description asks, with its span: the first mention of each asked line, the largest
    across lines (the extractor's rule, kept with offsets)."""
    best: YearsAsked | None = None
    for line in doc.asked_lines():
        mentions = years_mentions(line.text)
        if mentions and (best is None or mentions[0].years > best.years):
            first = mentions[0]
            best = YearsAsked(first.years, doc.span(line.start + first.start, line.start + first.end))
    return best


def stated_level(doc: AuditDocument) -> tuple[Level, str, Span | None] | None:
    """The level the title names (or, failing that, a role line of the description such as "Job Title: Junior
    Backend Engineer"), the word that names it, and where the description names it (None for the title)."""
    found = level_from_title(doc.title)
    if found is not None:
        return found[0], found[1], None
    listed = level_from_role_lines([line.text for line in doc.asked_lines()])
    if listed is not None:
        named = level_from_title(listed[1])
        word = named[1] if named is not None else listed[1]
        return listed[0], word, doc.find(listed[1])
    return None


def _years_figures(market: MarketSnapshot | None, years: int, rung: Level) -> tuple[MarketFigure, ...]:
    """What the postings of the titled level ask; none when the market compared with is not that level (a segment
    widened to every level would mix the rungs the check is about)."""
    if market is None or not market.postings or market.segment.level != rung.value:
        return ()
    profile = market.profile
    figures = [
        MarketFigure(
            label=f"ask {years}+ years",
            value=profile.asking_at_least(years) / profile.postings,
            unit="share",
            sample_size=profile.postings,
            segment=market.segment.label,
            warning=market.warning,
        )
    ]
    median = profile.median_years()
    if median is not None:
        figures.append(
            MarketFigure(
                label="median minimum years asked",
                value=median,
                unit="years",
                sample_size=profile.with_years,
                segment=market.segment.label,
                warning=sample_warning(profile.with_years),
            )
        )
    return tuple(figures)


def check_level(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """Years asked above the rung the title names ("Junior" asking 5+ years, "Senior" asking 12+) or below it
    ("Staff" asking 2 years). Two rungs or more apart, or five years past the rung's range, is high."""
    level = stated_level(doc)
    asked = primary_years(doc)
    if level is None or asked is None:
        return []
    rung, word, where = level
    low, high = LADDER[rung]
    implied = level_from_years(asked.years)
    gap = _ORDER.index(implied) - _ORDER.index(rung)
    named = f"title word '{word}'" if where is None else f"role '{where.text}' named in the description"
    evidence = (asked.span,) if where is None else (where, asked.span)
    titled = LEVEL_TITLES[rung] if word.lower() == LEVEL_TITLES[rung].lower() else f"{LEVEL_TITLES[rung]} ('{word}')"
    ladder = f"{LEVEL_TITLES[rung]} is {low}-{high} years on the ladder" if high else f"Staff is {low}+ years"
    if high is not None and asked.years > high:
        far = gap >= 2 or asked.years - high >= FAR_ABOVE_YEARS
        return [
            Finding(
                id="level.years-above-title",
                check="level",
                severity=Severity.HIGH if far else Severity.MEDIUM,
                title=f"{titled} title asking {asked.years}+ years",
                message=(
                    f"The {named} places the job at {LEVEL_TITLES[rung]}, but it asks for {asked.years}+ years "
                    f"({ladder}; {asked.years} years reads as {LEVEL_TITLES[implied]}). Candidates at the titled "
                    "level will rule themselves out, and those with the years will read the title as a step down."
                ),
                advice=f"Ask for {low}-{high} years, or retitle the role at the level the years describe.",
                evidence=evidence,
                market=_years_figures(market, asked.years, rung),
            )
        ]
    if asked.years < low:
        return [
            Finding(
                id="level.years-below-title",
                check="level",
                severity=Severity.MEDIUM if gap <= -2 else Severity.LOW,
                title=f"{titled} title asking only {asked.years}+ years",
                message=(
                    f"The {named} places the job at {LEVEL_TITLES[rung]} ({ladder}), but it asks for only "
                    f"{asked.years}+ years, which reads as {LEVEL_TITLES[implied]}: say which level the role is."
                ),
                advice="Make the title and the years agree.",
                evidence=evidence,
                market=_years_figures(market, asked.years, rung),
            )
        ]
    return []
