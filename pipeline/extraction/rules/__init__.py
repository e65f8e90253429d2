"""Pure extraction rules, each with a docstring example and exact-output tests.

Label semantics follow the labeling guide: the ladder I (0-2 years), II (2-4), Senior (4-7), Staff (7+).
One module per idea: sections, ladder (level and track), years, roles (role family and specializations),
language, education, publications, title cues.
"""

from pipeline.extraction.rules.education import (
    EDUCATION_LEVELS,
    EducationRequirement,
    degree_mentions,
    education_requirement,
    snippet,
)
from pipeline.extraction.rules.ladder import (
    level_from_role_lines,
    level_from_scope,
    level_from_title,
    level_from_years,
    listed_roles,
    track_from_title,
)
from pipeline.extraction.rules.language import non_english_reason
from pipeline.extraction.rules.publications import (
    PublicationsRequirement,
    publication_venues,
    publications_requirement,
)
from pipeline.extraction.rules.roles import (
    LLM_APP_SKILLS,
    MODEL_TRAINING_SKILLS,
    first_listed_role,
    role_family,
    specialization_scores,
)
from pipeline.extraction.rules.sections import classify_heading, requirement_for
from pipeline.extraction.rules.years import YearsMention, primary_years, years_mentions

__all__ = [
    "EDUCATION_LEVELS",
    "LLM_APP_SKILLS",
    "MODEL_TRAINING_SKILLS",
    "EducationRequirement",
    "PublicationsRequirement",
    "YearsMention",
    "classify_heading",
    "degree_mentions",
    "education_requirement",
    "first_listed_role",
    "level_from_role_lines",
    "level_from_scope",
    "level_from_title",
    "level_from_years",
    "listed_roles",
    "non_english_reason",
    "primary_years",
    "publication_venues",
    "publications_requirement",
    "requirement_for",
    "role_family",
    "snippet",
    "specialization_scores",
    "track_from_title",
    "years_mentions",
]
