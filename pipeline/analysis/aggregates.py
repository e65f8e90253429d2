"""Weekly aggregates for the dashboard as pure LazyFrame -> LazyFrame transforms.

Inputs are frames read from the store; a posting's week is the Monday of the week it was posted (or first
seen, when the source gives no date). A missing level is counted as ``unknown``. Duplicates of another posting
are left out before these transforms run.
"""

from __future__ import annotations

import polars as pl

UNKNOWN = "unknown"


def with_week(postings: pl.LazyFrame) -> pl.LazyFrame:
    """Add ``week_start`` (Monday) from ``posted_on``, falling back to ``first_seen_on``; fill null levels.

    Expects columns: posting_id, posted_on, first_seen_on, level, role_family.
    """
    return postings.with_columns(
        week_start=pl.coalesce("posted_on", "first_seen_on").dt.truncate("1w"),
        level=pl.col("level").fill_null(UNKNOWN),
        role_family=pl.col("role_family").fill_null("other"),
    )


def weekly_segments(postings: pl.LazyFrame) -> pl.LazyFrame:
    """Postings per week, role family and level."""
    return (
        with_week(postings)
        .group_by("week_start", "role_family", "level")
        .agg(postings=pl.len().cast(pl.Int32))
        .sort("week_start", "role_family", "level")
    )


def weekly_specializations(postings: pl.LazyFrame, specializations: pl.LazyFrame) -> pl.LazyFrame:
    """Postings per week, specialization and level, with the mean specialization score.

    ``specializations`` has one row per (posting_id, specialization, score).
    """
    return (
        with_week(postings)
        .join(specializations, on="posting_id", how="inner")
        .group_by("week_start", "specialization", "level")
        .agg(postings=pl.len().cast(pl.Int32), mean_score=pl.col("score").mean())
        .sort("week_start", "specialization", "level")
    )


def weekly_skills(postings: pl.LazyFrame, posting_skills: pl.LazyFrame) -> pl.LazyFrame:
    """Postings asking for each skill per week, level and role family, and how many of them require it.

    ``posting_skills`` has one row per (posting_id, skill_id, requirement).
    """
    return (
        with_week(postings)
        .join(posting_skills, on="posting_id", how="inner")
        .group_by("week_start", "skill_id", "level", "role_family")
        .agg(
            postings=pl.len().cast(pl.Int32),
            required=(pl.col("requirement") == "required").sum().cast(pl.Int32),
        )
        .sort("week_start", "skill_id", "level", "role_family")
    )
