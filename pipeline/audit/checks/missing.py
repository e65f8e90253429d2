"""Missing information: a salary range (with a pay-transparency note), the location and remote policy, the
level."""

from __future__ import annotations

import re

from pipeline.analysis.market import MarketSnapshot
from pipeline.audit.checks.level import LEVEL_TITLES, stated_level
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity, Span
from pipeline.domain import Level
from pipeline.normalize import SalaryRange, parse_salary, remote_policy

_PAY_WORDS = re.compile(
    r"\b(salary|salaries|compensation|pay|paid|base|wage|ote|range|per\s+(?:year|annum|hour|month)|annual(?:ly)?|"
    r"/\s*(?:yr|year|hr|hour|month))\b|[$€£]|\b(?:usd|eur|gbp|cad|chf|inr)\b",
    re.I,
)
_LOCATION_LINE = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?:\*\*)?(?:job\s+|work\s+|office\s+)?(?:locations?|based|office|where|city)(?:\*\*)?"
    r"\s*[:\-–—]\s*\S",
    re.I,
)
_PLACE = r"[A-Z][\w.'’-]+(?:,? [A-Z][\w.'’-]+){0,2}"  # a capitalised place name: "Toronto", "New York, NY"
_LOCATION_PHRASE = re.compile(
    rf"\b(?i:based|located|headquartered|offices?|hub|on[\s-]?site|relocate|relocation)\s+(?i:in|at|to)\s+"
    rf"(?i:our\s+)?{_PLACE}|\b(?i:in|at)\s+(?i:our\s+)?{_PLACE}\s+(?i:office|offices|hub|headquarters|hq|studio)\b"
)
PAY_TRANSPARENCY = (
    "Pay-transparency laws require a good-faith pay range in job postings in several places (among them Colorado, "
    "California, Washington, New York, Illinois and British Columbia), and the EU Pay Transparency Directive "
    "(2023/970, applying from June 2026) requires employers to tell applicants the pay range before the interview."
)


def salary_in_text(doc: AuditDocument) -> tuple[SalaryRange, Span] | None:
    """The first line of the description that states pay (a pay word and an amount that parses as a salary)."""
    for line in doc.lines:
        if _PAY_WORDS.search(line.text) and (found := parse_salary(line.text)) is not None:
            return found, doc.line_span(line)
    return None


def location_in_text(doc: AuditDocument) -> Span | None:
    """A line that states where the job is ("Location: Berlin", "based in Toronto", "office in Austin")."""
    for line in doc.lines:
        if _LOCATION_LINE.match(line.text) or _LOCATION_PHRASE.search(line.text):
            return doc.line_span(line)
    return None


def remote_in_text(doc: AuditDocument) -> tuple[str, Span] | None:
    """The remote policy the description states (remote, hybrid or onsite) and the line that states it."""
    for line in doc.lines:
        if (policy := remote_policy(line.text)) is not None:
            return policy, doc.line_span(line)
    return None


def _share(market: MarketSnapshot | None, label: str, count: int) -> tuple[MarketFigure, ...]:
    if market is None or not market.postings:
        return ()
    return (
        MarketFigure(
            label=label,
            value=count / market.postings,
            unit="share",
            sample_size=market.postings,
            segment=market.segment.label,
            warning=market.warning,
        ),
    )


def check_missing_information(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """Medium for a missing salary range or level; low for a missing location or remote policy."""
    posting = doc.posting
    profile = market.profile if market is not None else None
    findings: list[Finding] = []
    has_salary = posting.salary_min is not None or posting.salary_max is not None or salary_in_text(doc) is not None
    if not has_salary:
        findings.append(
            Finding(
                id="missing.salary",
                check="missing",
                severity=Severity.MEDIUM,
                title="No salary range",
                message=f"The description states no pay range. {PAY_TRANSPARENCY}",
                advice="State the base salary range (currency and period), and equity or bonus if any.",
                market=_share(market, "state a salary", profile.with_salary if profile else 0),
            )
        )
    remote = posting.remote or (found[0] if (found := remote_in_text(doc)) else None)
    if not posting.location and location_in_text(doc) is None and remote != "remote":
        findings.append(
            Finding(
                id="missing.location",
                check="missing",
                severity=Severity.LOW,
                title="No location",
                message="The description does not say where the job is; candidates filter on location first.",
                advice="Name the city or country (for a remote role: the countries or time zones it is open to).",
                market=_share(market, "state a location", profile.with_location if profile else 0),
            )
        )
    if remote is None:
        findings.append(
            Finding(
                id="missing.remote-policy",
                check="missing",
                severity=Severity.LOW,
                title="No remote policy",
                message="The description does not say whether the role is remote, hybrid or on-site.",
                advice="Say remote, hybrid (how many days in the office) or on-site.",
                market=_share(market, "state a remote policy", profile.with_remote_policy if profile else 0),
            )
        )
    level = doc.extraction.level
    if stated_level(doc) is None:
        if level.value is None:
            findings.append(
                Finding(
                    id="missing.level",
                    check="missing",
                    severity=Severity.MEDIUM,
                    title="No level",
                    message=(
                        "Neither the title nor the description says the level (no level word, no years of "
                        "experience, no scope such as mentoring or owning the architecture), so candidates cannot "
                        "tell whether the role is for them."
                    ),
                    advice="Put the level in the title (e.g. 'Senior AI Engineer') and state the years expected.",
                )
            )
        else:
            implied = LEVEL_TITLES[Level(level.value)]
            findings.append(
                Finding(
                    id="missing.level-in-title",
                    check="missing",
                    severity=Severity.LOW,
                    title="The title names no level",
                    message=(
                        f"The title names no level; the description reads as {implied} from "
                        f"'{level.evidence}'. A level in the title lets candidates self-select."
                    ),
                    advice="Put the level in the title ('Senior ...', '... II') so it matches what the text asks.",
                    evidence=(span,) if (span := doc.find(_evidence_text(level.evidence))) is not None else (),
                )
            )
    return findings


def _evidence_text(evidence: str | None) -> str | None:
    """The description's words of a level's evidence ("scope: Mentor other engineers" -> "Mentor other engineers")."""
    if evidence is None:
        return None
    return evidence.split(": ", 1)[1] if evidence.startswith(("scope: ", "title: ", "role listed: ")) else evidence
