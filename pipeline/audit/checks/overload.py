"""Requirement overload: more must-have skills than the market's 90th percentile for the segment, and "unicorn"
asks that span many specializations or areas of work."""

from __future__ import annotations

from pipeline.analysis.market import MarketSnapshot
from pipeline.audit.checks.role_family import DATA_SCIENCE_SKILLS
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity
from pipeline.extraction.rules import LLM_APP_SKILLS, MODEL_TRAINING_SKILLS

HIGH_REQUIRED = 20  # this many required skills is high when the market's p90 is lower (or unknown)
MEDIUM_REQUIRED = 10  # above the market's p90 and at least this many: medium
NO_MARKET_MEDIUM = 15  # without market figures, this many required skills is medium
UNICORN_SPECIALIZATIONS = 3
UNICORN_AREAS = 4
AREA_MIN_SKILLS = 2
AREAS: dict[str, frozenset[str]] = {
    "LLM applications": LLM_APP_SKILLS,
    "model training": MODEL_TRAINING_SKILLS,
    "data science": DATA_SCIENCE_SKILLS,
    "data engineering": frozenset(
        {"Spark", "Airflow", "Kafka", "dbt", "ETL", "Data warehousing", "Snowflake", "Databricks", "Flink"}
        | {"Stream processing", "Data modeling", "Hadoop", "Data engineering"}
    ),
    "frontend and mobile": frozenset(
        {"React", "Frontend development", "Next.js", "Angular", "TypeScript", "Mobile development", "Swift"}
        | {"Kotlin", "Flutter", "Tailwind CSS"}
    ),
    "platform and infrastructure": frozenset(
        {"Kubernetes", "Terraform", "Site reliability engineering", "DevOps", "Networking", "Linux"}
    ),
}


def overload_severity(required: int, p90: float | None) -> Severity | None:
    """The severity of asking ``required`` must-have skills where the market's 90th percentile is ``p90`` (None:
    no market figure).

    >>> overload_severity(25, 14.0), overload_severity(12, 9.0), overload_severity(25, 30.0)
    (<Severity.HIGH: 'high'>, <Severity.MEDIUM: 'medium'>, None)
    >>> overload_severity(25, None), overload_severity(16, None), overload_severity(12, None)
    (<Severity.HIGH: 'high'>, <Severity.MEDIUM: 'medium'>, None)
    """
    if p90 is None:
        if required >= HIGH_REQUIRED:
            return Severity.HIGH
        return Severity.MEDIUM if required >= NO_MARKET_MEDIUM else None
    if required <= p90:
        return None
    if required >= HIGH_REQUIRED:
        return Severity.HIGH
    return Severity.MEDIUM if required >= MEDIUM_REQUIRED else None


def check_overload(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """Too many must-have skills for the segment (see ``overload_severity``)."""
    required = doc.required_skills()
    p90 = market.required_counts.p90 if market is not None and market.required_counts.postings else None
    severity = overload_severity(len(required), p90)
    if severity is None:
        return []
    figures: tuple[MarketFigure, ...] = ()
    if market is not None and p90 is not None:
        counts = market.required_counts
        figures = (
            MarketFigure(
                label="90th percentile of required skills per posting",
                value=p90,
                unit="skills",
                sample_size=counts.postings,
                segment=market.segment.label,
                warning=market.warning,
            ),
            MarketFigure(
                label="median required skills per posting",
                value=counts.median or 0.0,
                unit="skills",
                sample_size=counts.postings,
                segment=market.segment.label,
                warning=market.warning,
            ),
        )
        compared = f"more than 90% of comparable postings (at most {p90:g})"
    else:
        compared = f"far more than most postings ask (jobatlas flags {NO_MARKET_MEDIUM}+ without market figures)"
    return [
        Finding(
            id="overload.required-skills",
            check="overload",
            severity=severity,
            title=f"{len(required)} must-have skills",
            message=(
                f"The description requires {len(required)} skills, {compared}. Long must-have lists discourage "
                "qualified people who do not tick every box, and they hide what really matters."
            ),
            advice="Keep the must-haves the role cannot start without; move the rest to 'nice to have'.",
            evidence=tuple(span for skill in required if (span := doc.skill_span(skill)) is not None),
            market=figures,
        )
    ]


def areas_asked(required: frozenset[str]) -> dict[str, list[str]]:
    """The areas of work with at least ``AREA_MIN_SKILLS`` required skills, each with those skills (sorted).

    >>> areas_asked(frozenset({"React", "TypeScript", "PyTorch", "LLMs"}))
    {'frontend and mobile': ['React', 'TypeScript']}
    """
    found = {name: sorted(required & skills) for name, skills in AREAS.items()}
    return {name: skills for name, skills in found.items() if len(skills) >= AREA_MIN_SKILLS}


def check_unicorn(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """Medium when the description asks for 3+ specializations (RAG, agents, infrastructure, safety, multimodal)
    or requires skills of 4+ distinct areas of work (LLM applications, model training, data science, data
    engineering, frontend and mobile, platform): several jobs in one."""
    specs = sorted(doc.extraction.specializations)
    areas = areas_asked(frozenset(doc.required_skills()))
    if len(specs) < UNICORN_SPECIALIZATIONS and len(areas) < UNICORN_AREAS:
        return []
    parts = []
    if len(specs) >= UNICORN_SPECIALIZATIONS:
        parts.append(f"{len(specs)} specializations ({', '.join(specs)})")
    if len(areas) >= UNICORN_AREAS:
        listed = "; ".join(f"{name}: {', '.join(skills)}" for name, skills in areas.items())
        parts.append(f"{len(areas)} areas of work ({listed})")
    skills = [skill for names in areas.values() for skill in names] if len(areas) >= UNICORN_AREAS else []
    figures: tuple[MarketFigure, ...] = ()
    if market is not None and market.postings and len(specs) >= UNICORN_SPECIALIZATIONS:
        figures = (
            MarketFigure(
                label=f"ask {len(specs)}+ specializations",
                value=market.profile.with_specializations_at_least(len(specs)) / market.postings,
                unit="share",
                sample_size=market.postings,
                segment=market.segment.label,
                warning=market.warning,
            ),
        )
    return [
        Finding(
            id="overload.unicorn",
            check="overload",
            severity=Severity.MEDIUM,
            title="A unicorn ask",
            message=f"The description asks for {' and '.join(parts)}: several jobs in one, which few people hold.",
            advice="Pick the one or two areas the role is for; the team can cover the rest.",
            evidence=tuple(dict.fromkeys(span for skill in skills if (span := doc.skill_span(skill)) is not None)),
            market=figures,
        )
    ]
