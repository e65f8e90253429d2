"""Which stored postings need their rule tags made again, and those postings and their rule tags read back as
domain records.

A tag is stale when the posting has none, when it was made from other content (``content_hash``), by another
extractor version, or before the education and publication columns existed (``taxonomy_version`` null). Every
function takes the session as a keyword argument and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Label, Posting, Requirement, SkillMention
from pipeline.store.models import PostingRow, PostingSkill, PostingTag, Skill
from pipeline.store.upserts import table_of

RULES = "rules"  # the method of the tags the extractor makes
FINAL = "final"  # the method of a reconciled tag (rules + the model's answer), when the model answered
_CHUNK = 10_000


def tagged_version() -> sa.ColumnElement[str | None]:
    """SQL: the extractor version of a posting's rule tag; null when it has none, or when the tag predates the
    education and publication columns (migration 0003) and so must be made again whatever its version."""
    return sa.case((PostingTag.taxonomy_version.is_(None), sa.null()), else_=PostingTag.extractor_version)


def count_postings(*, session: Session) -> int:
    """How many postings the store holds (open, closed and duplicates alike: all of them carry tags)."""
    return int(session.scalar(sa.select(sa.func.count()).select_from(PostingRow)) or 0)


def stale_posting_ids(extractor_version: str, *, everything: bool = False, session: Session) -> list[str]:
    """Ids (sorted) of the stored postings whose rule tag is stale for ``extractor_version``; with
    ``everything``, of every stored posting."""
    stmt = (
        sa.select(PostingRow.id)
        .outerjoin(PostingTag, sa.and_(PostingTag.posting_id == PostingRow.id, PostingTag.method == RULES))
        .order_by(PostingRow.id)
    )
    if not everything:
        stmt = stmt.where(
            sa.or_(
                tagged_version().is_distinct_from(extractor_version),
                PostingTag.content_hash.is_distinct_from(PostingRow.content_hash),
            )
        )
    return list(session.scalars(stmt))


_POSTING_FIELDS = tuple(name for name in Posting.model_fields if name != "raw_hash")


def stored_postings(posting_ids: Sequence[str], *, session: Session) -> tuple[list[Posting], dict[str, str]]:
    """The stored postings of ``posting_ids`` (in id order; unknown ids are left out) as domain records, and
    their stored content hashes (what a tag made from them must record).

    ``raw_hash`` is left empty: the extractor does not read it, and the posting is not stored again."""
    table = table_of(PostingRow)
    postings: list[Posting] = []
    hashes: dict[str, str] = {}
    for start in range(0, len(posting_ids), _CHUNK):
        chunk = list(posting_ids[start : start + _CHUNK])
        stmt = (
            sa.select(*(table.c[name] for name in _POSTING_FIELDS), table.c.content_hash)
            .where(table.c.id.in_(chunk))
            .order_by(table.c.id)
        )
        for row in session.execute(stmt).mappings():
            postings.append(Posting(raw_hash="", **{name: row[name] for name in _POSTING_FIELDS}))
            hashes[row["id"]] = row["content_hash"]
    return postings, hashes


_LABELS = ("level", "track", "role_family", "education", "publications")


def _label(row: PostingTag, name: str, value: str | None) -> Label:
    confidence = row.confidence.get(name)
    evidence = row.evidence.get(name)
    return Label(
        value=value,
        confidence=float(confidence) if isinstance(confidence, int | float) else 0.0,
        evidence=evidence if isinstance(evidence, str) else None,
    )


def stored_rule_tags(posting_ids: Sequence[str], *, session: Session) -> dict[str, Extraction]:
    """The rule tags of ``posting_ids`` read back as the extractions that made them (postings without a rule tag
    are left out), with their rule skills; and only those whose tag was made from the posting's current
    content (a stale tag is about to be made again)."""
    out: dict[str, Extraction] = {}
    for start in range(0, len(posting_ids), _CHUNK):
        chunk = list(posting_ids[start : start + _CHUNK])
        skills: dict[str, list[SkillMention]] = {}
        mentions = (
            sa.select(PostingSkill, Skill.name)
            .join(Skill, Skill.id == PostingSkill.skill_id)
            .where(PostingSkill.posting_id.in_(chunk), PostingSkill.source == RULES)
            .order_by(PostingSkill.posting_id, PostingSkill.start_char, Skill.name)
        )
        for skill, name in session.execute(mentions):
            skills.setdefault(skill.posting_id, []).append(
                SkillMention(
                    skill=name,
                    requirement=Requirement(skill.requirement),
                    evidence=skill.evidence,
                    start=skill.start_char,
                    end=skill.end_char,
                )
            )
        stmt = (
            sa.select(PostingTag)
            .join(PostingRow, PostingRow.id == PostingTag.posting_id)
            .where(
                PostingTag.posting_id.in_(chunk),
                PostingTag.method == RULES,
                PostingTag.content_hash == PostingRow.content_hash,
            )
        )
        for row in session.scalars(stmt):
            extra: dict[str, Any] = {k: v for k, v in row.evidence.items() if k not in _LABELS[:3]}
            out[row.posting_id] = Extraction(
                posting_id=row.posting_id,
                extractor_version=row.extractor_version,
                method=RULES,
                skills=tuple(skills.get(row.posting_id, ())),
                level=_label(row, "level", row.level),
                track=_label(row, "track", row.track),
                role_family=_label(row, "role_family", row.role_family),
                specializations={k: float(v) for k, v in row.specialization_scores.items()},
                years_min=row.years_min,
                evidence=extra,
                education=_label(row, "education", row.education_min),
                education_requirement=row.education_requirement,
                publications=_label(row, "publications", row.publications_required),
                publication_venues=tuple(row.publication_venues),
            )
    return out


def with_final_tag(posting_ids: Sequence[str], *, session: Session) -> set[str]:
    """Which of ``posting_ids`` have a ``final`` tag made from their current content."""
    out: set[str] = set()
    for start in range(0, len(posting_ids), _CHUNK):
        chunk = list(posting_ids[start : start + _CHUNK])
        stmt = (
            sa.select(PostingTag.posting_id)
            .join(PostingRow, PostingRow.id == PostingTag.posting_id)
            .where(
                PostingTag.posting_id.in_(chunk),
                PostingTag.method == FINAL,
                PostingTag.content_hash == PostingRow.content_hash,
            )
        )
        out.update(session.scalars(stmt))
    return out
