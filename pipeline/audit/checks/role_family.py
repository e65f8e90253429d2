"""Role family mismatch: a title that names one family over content that asks for another (an "AI Engineer"
whose requirements are model training or data science, or the reverse)."""

from __future__ import annotations

import re

from pipeline.analysis.market import FAMILY_NAMES, MarketSnapshot
from pipeline.audit.document import AuditDocument
from pipeline.audit.findings import Finding, MarketFigure, Severity
from pipeline.domain import RoleFamily
from pipeline.extraction.rules import LLM_APP_SKILLS, MODEL_TRAINING_SKILLS, role_family

DATA_SCIENCE_SKILLS = frozenset(
    {
        "Statistics",
        "A/B testing",
        "Data analysis",
        "Exploratory data analysis",
        "Data visualization",
        "Product analytics",
        "Regression models",
        "Bayesian methods",
        "Business intelligence",
        "Data science",
        "Tableau",
        "Power BI",
        "Looker",
        "R",
    }
)
CONTENT_SKILLS = {
    RoleFamily.AI_ENGINEER: LLM_APP_SKILLS,
    RoleFamily.ML_ENGINEER: MODEL_TRAINING_SKILLS,
    RoleFamily.DATA_SCIENTIST: DATA_SCIENCE_SKILLS,
}
NAMES = {
    RoleFamily.AI_ENGINEER: "building applications on foundation models (AI engineering)",
    RoleFamily.ML_ENGINEER: "training and serving custom models (ML engineering)",
    RoleFamily.DATA_SCIENTIST: "statistics and analysis (data science)",
}
MIXED_TITLE = re.compile(r"\b(ai\s*/\s*ml|ml\s*/\s*ai|ai\s*(&|and)\s*(ml|machine learning))\b", re.I)
MIN_SKILLS = 3  # the content must require at least this many skills of its family...
MARGIN = 2  # ...and this many more than of any other family
# Which content contradicts which title ("the reverse" included); a data scientist training models is common.
CONFLICTS = {
    RoleFamily.AI_ENGINEER: (RoleFamily.ML_ENGINEER, RoleFamily.DATA_SCIENTIST),
    RoleFamily.ML_ENGINEER: (RoleFamily.AI_ENGINEER, RoleFamily.DATA_SCIENTIST),
    RoleFamily.DATA_SCIENTIST: (RoleFamily.AI_ENGINEER,),
}


def content_family(required: frozenset[str]) -> tuple[RoleFamily, list[str]] | None:
    """The family the required skills clearly belong to, with those skills (sorted); None when the balance is
    close or too few skills of any family are required.

    >>> content_family(frozenset({"PyTorch", "Distributed training", "CUDA", "JAX", "LLMs"}))
    (<RoleFamily.ML_ENGINEER: 'ml_engineer'>, ['CUDA', 'JAX', 'PyTorch'])
    >>> content_family(frozenset({"PyTorch", "LLMs", "RAG"})) is None
    True
    """
    counts = {family: sorted(required & skills) for family, skills in CONTENT_SKILLS.items()}
    best = max(counts, key=lambda family: len(counts[family]))
    others = max(len(skills) for family, skills in counts.items() if family is not best)
    if len(counts[best]) >= MIN_SKILLS and len(counts[best]) >= others + MARGIN:
        return best, counts[best]
    return None


def check_role_family(doc: AuditDocument, market: MarketSnapshot | None = None) -> list[Finding]:
    """Medium when the title alone (read by the extractor's rule without any skills) names an AI-engineer,
    ML-engineer or data-scientist role and the required skills clearly belong to a conflicting family. A title
    that names both ("AI/ML Engineer") leaves the family to the skills and is never a mismatch."""
    titled, _ = role_family(doc.title, frozenset())
    if titled not in CONFLICTS or MIXED_TITLE.search(doc.title):
        return []
    found = content_family(frozenset(doc.required_skills()))
    if found is None or found[0] not in CONFLICTS[titled]:
        return []
    content, skills = found
    filed = FAMILY_NAMES.get(doc.extraction.role_family.value or "other", "other roles")
    evidence = tuple(span for skill in skills if (span := doc.skill_span(skill)) is not None)
    figures: tuple[MarketFigure, ...] = ()
    if market is not None and market.postings:
        figures = tuple(
            MarketFigure(
                label=f"ask {skill}",
                value=market.demand(skill).share_asked,
                unit="share",
                sample_size=market.postings,
                segment=market.segment.label,
                warning=market.warning,
            )
            for skill in skills
        )
    return [
        Finding(
            id="role-family.mismatch",
            check="role-family",
            severity=Severity.MEDIUM,
            title=f"Titled {FAMILY_NAMES[titled.value]}, reads as {FAMILY_NAMES[content.value]}",
            message=(
                f"The title names {NAMES[titled]}, but the requirements are mostly {NAMES[content]}: "
                f"{', '.join(skills)}. Candidates search by title, so the people who fit the content may not find "
                f"the role, and those who find it may not fit (jobatlas files it as {filed})."
            ),
            advice="Retitle the role to match the work, or rewrite the requirements for the titled role.",
            evidence=tuple(sorted(set(evidence), key=lambda span: span.start)),
            market=figures,
        )
    ]
