"""Every query the dashboard pages run, by name: the one list the dashboard caches (``dashboard.data.query``) and
``jobatlas bench dashboard`` times. Each function takes the session as a keyword argument and only reads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.analysis import (
    explorer,
    filters,
    ladder,
    match_counts,
    operations,
    overview,
    queries,
    skill_demand,
    skill_detail,
    specialization_market,
)

QUERIES: dict[str, Callable[..., Any]] = {
    "has_schema": queries.has_schema,
    "overview": queries.overview,
    "filtered_totals": overview.totals,
    "postings_per_week": overview.postings_per_week,
    "sources": queries.sources,
    "recent_runs": queries.recent_runs,
    "level_distribution": ladder.level_distribution,
    "years_by_level": ladder.years_by_level,
    "salary_bands": ladder.salary_bands,
    "rising_skills": ladder.rising_skills,
    "specialization_share": specialization_market.specialization_share,
    "specialization_by_level": specialization_market.specialization_by_level,
    "specialization_trend": specialization_market.specialization_trend,
    "specialization_top_skills": specialization_market.specialization_top_skills,
    "specialization_overlap": specialization_market.specialization_overlap,
    "skill_postings": skill_demand.count_scoped,
    "top_skills": skill_demand.top_skills,
    "skill_movers": skill_demand.skill_movers,
    "emerging_skills": skill_demand.emerging_skills,
    "skill_cooccurrence": skill_detail.skill_cooccurrence,
    "skill_detail": skill_detail.skill_detail,
    "skill_examples": skill_detail.skill_examples,
    "filter_options": filters.filter_options,
    "count_postings": match_counts.count_matches,
    "search_postings": explorer.search_postings,
    "matching_per_week": match_counts.matches_per_week,
    "posting_detail": explorer.posting_detail,
    "runs": operations.runs,
    "step_durations": operations.step_durations,
    "source_health": operations.source_health,
    "quarantine_reasons": operations.quarantine_reasons,
    "quarantine_examples": operations.quarantine_examples,
    "llm_usage": operations.llm_usage,
    "llm_totals": operations.llm_totals,
}
