"""Idempotent loads into the store: upserts keyed on stable ids and content hashes.

Every function takes the session as a keyword argument and leaves committing to the caller. Upserts only
touch a row when something in it differs, so a repeated load changes no row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Posting
from pipeline.extraction.taxonomy import Taxonomy
from pipeline.store import bulk
from pipeline.store.models import (
    IngestRun,
    PostingRow,
    PostingSkill,
    PostingTag,
    Skill,
    Source,
    TagDisagreement,
    TagProvenance,
)
from pipeline.store.tags import FINAL, RULES, tagged_version
from pipeline.store.upserts import batches, changed, table_of, upsert


def upsert_sources(sources: Iterable[tuple[str, str, str, dict[str, Any]]], *, session: Session) -> None:
    """Register sources given as (id, kind, name, config) tuples; config is the registry entry."""
    rows = [{"id": sid, "kind": kind, "name": name, "config": config} for sid, kind, name, config in sources]
    if not rows:
        return
    table = table_of(Source)
    stmt = insert(table).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=["id"],
        set_={"kind": stmt.excluded.kind, "name": stmt.excluded.name, "config": stmt.excluded.config},
        where=changed(table, ["kind", "name", "config"]),
    )
    session.execute(stmt)


def start_run(source_ids: Sequence[str], *, flow_run_id: str | None, session: Session) -> int:
    run = IngestRun(
        flow_run_id=flow_run_id, started_at=datetime.now(UTC), status="running", source_ids=list(source_ids)
    )
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    run_id: int,
    *,
    status: str,
    counts: dict[str, Any],
    step_seconds: dict[str, float],
    errors: dict[str, Any],
    session: Session,
) -> None:
    session.execute(
        sa.update(IngestRun)
        .where(IngestRun.id == run_id)
        .values(
            finished_at=datetime.now(UTC),
            status=status,
            counts=counts,
            step_seconds=step_seconds,
            errors=errors,
        )
    )


class StoredState(NamedTuple):
    content_hash: str
    tagged_hash: str | None
    tagged_version: str | None


def stored_state(posting_ids: Sequence[str], *, session: Session) -> dict[str, StoredState]:
    """For the ids already stored: the content hash, and the hash and extractor version of the rule tags (no
    version for a tag made before the education and publication columns, so that it is made again)."""
    state: dict[str, StoredState] = {}
    for start in range(0, len(posting_ids), 10_000):
        chunk = list(posting_ids[start : start + 10_000])
        rows = session.execute(
            sa.select(PostingRow.id, PostingRow.content_hash, PostingTag.content_hash, tagged_version())
            .outerjoin(PostingTag, sa.and_(PostingTag.posting_id == PostingRow.id, PostingTag.method == RULES))
            .where(PostingRow.id == sa.any_(sa.bindparam("ids", chunk, type_=ARRAY(sa.String()))))
        )
        state.update({pid: StoredState(h, th, tv) for pid, h, th, tv in rows})
    return state


_POSTING_CONTENT = (
    "source_id",
    "raw_posting_id",
    "content_hash",
    "title",
    "company",
    "location",
    "remote",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_text",
    "salary_annual_min",
    "salary_annual_max",
    "employment_type",
    "posted_on",
    "url",
    "canonical_url",
    "description",
)
_POSTING_CHANGED = ("content_hash", "last_seen_on", "closed_on")


def upsert_postings(
    postings: Sequence[Posting],
    *,
    raw_ids: dict[str, int],
    seen_on: date,
    session: Session,
    content_hashes: Mapping[str, str] | None = None,
) -> None:
    """Insert new postings, update changed ones, mark every given posting seen on ``seen_on`` (and open).

    A posting whose content, last-seen day and open state are unchanged is not written at all. Large batches go
    through COPY and one merge (:mod:`pipeline.store.bulk`), small ones through batched upserts. ``content_hashes``
    (posting id -> ``Posting.content_hash``), when the caller has them, saves hashing each posting again.
    """
    table = table_of(PostingRow)
    rows = []
    for posting in postings:
        row = posting.model_dump(exclude={"raw_hash"})
        row.update(
            raw_posting_id=raw_ids.get(posting.raw_hash),
            content_hash=content_hashes[posting.id] if content_hashes is not None else posting.content_hash,
            first_seen_on=seen_on,
            last_seen_on=seen_on,
            closed_on=None,
        )
        rows.append(row)
    upsert(
        session,
        table,
        rows,
        keys=["id"],
        update=[*_POSTING_CONTENT, "last_seen_on", "closed_on"],
        changed_columns=_POSTING_CHANGED,
        touch=["updated_at"],
    )


def upsert_skills(taxonomy: Taxonomy, *, session: Session) -> dict[str, int]:
    """Load the taxonomy into ``skills``; returns canonical name -> skill id."""
    table = table_of(Skill)
    rows = [
        {
            "name": s.name,
            "category": s.category,
            "aliases": sorted({*s.aliases, *s.exact}),
            "released": s.released,
            "specializations": [x.value for x in s.specializations],
            "taxonomy_version": taxonomy.version,
        }
        for s in taxonomy.skills
    ]
    columns = ["category", "aliases", "released", "specializations", "taxonomy_version"]
    for batch in batches(rows):
        stmt = insert(table)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["name"],
                set_={c: stmt.excluded[c] for c in columns},
                where=changed(table, columns),
            ),
            list(batch),
        )
    return {name: sid for name, sid in session.execute(sa.select(Skill.name, Skill.id))}


def tag_row(e: Extraction, *, method: str, taxonomy_version: str, content_hash: str) -> dict[str, Any]:
    """The ``posting_tags`` row of an extraction under ``method`` (``rules``, or ``final`` for a reconciled tag)."""
    return {
        "posting_id": e.posting_id,
        "method": method,
        "level": e.level.value,
        "track": e.track.value,
        "role_family": e.role_family.value,
        "specializations": sorted(e.specializations),
        "specialization_scores": e.specializations,
        "years_min": e.years_min,
        "confidence": {
            "level": e.level.confidence,
            "track": e.track.confidence,
            "role_family": e.role_family.confidence,
            "education": e.education.confidence,
            "publications": e.publications.confidence,
        },
        "evidence": {
            "level": e.level.evidence,
            "track": e.track.evidence,
            "role_family": e.role_family.evidence,
            "education": e.education.evidence,
            "publications": e.publications.evidence,
            **e.evidence,
        },
        "education_min": e.education.value,
        "education_requirement": e.education_requirement,
        "publications_required": e.publications.value,
        "publication_venues": list(e.publication_venues),
        "extractor_version": e.extractor_version,
        "taxonomy_version": taxonomy_version,
        "content_hash": content_hash,
    }


def upsert_tags(rows: Sequence[dict[str, Any]], *, session: Session) -> None:
    """Insert or update ``posting_tags`` rows (``tag_row``), touching only rows that differ."""
    if not rows:
        return
    table = table_of(PostingTag)
    columns = [c for c in rows[0] if c not in ("posting_id", "method")]
    upsert(session, table, rows, keys=["posting_id", "method"], update=columns, changed_columns=columns)


def save_extractions(
    extractions: Sequence[Extraction],
    *,
    content_hashes: dict[str, str],
    skill_ids: dict[str, int],
    taxonomy_version: str,
    session: Session,
) -> None:
    """Replace the rule tags and skills of the given postings with these extractions, made with the taxonomy of
    ``taxonomy_version`` from the content of ``content_hashes``.

    Whatever was built on the old rule tags goes with them: the ``final`` tags, the skills the model added and
    the review rows (provenance, disagreements); the LLM step makes them again (from its cache when the posting
    did not change)."""
    if not extractions:
        return
    ids = [e.posting_id for e in extractions]
    for start in range(0, len(ids), 10_000):
        chunk = ids[start : start + 10_000]
        session.execute(sa.delete(PostingSkill).where(PostingSkill.posting_id.in_(chunk)))
        session.execute(sa.delete(PostingTag).where(PostingTag.posting_id.in_(chunk), PostingTag.method == FINAL))
        session.execute(sa.delete(TagProvenance).where(TagProvenance.posting_id.in_(chunk)))
        session.execute(sa.delete(TagDisagreement).where(TagDisagreement.posting_id.in_(chunk)))
    skill_rows = [
        {
            "posting_id": e.posting_id,
            "skill_id": skill_ids[m.skill],
            "requirement": m.requirement.value,
            "evidence": m.evidence,
            "start_char": m.start,
            "end_char": m.end,
            "extractor_version": e.extractor_version,
            "source": RULES,
        }
        for e in extractions
        for m in e.skills
    ]
    if skill_rows and len(skill_rows) >= bulk.COPY_MIN_ROWS:  # their keys were just deleted: no merge
        bulk.copy_into(session, table_of(PostingSkill), list(skill_rows[0]), skill_rows)
    else:
        for batch in batches(skill_rows):
            session.execute(insert(table_of(PostingSkill)), list(batch))
    rows = [
        tag_row(e, method=e.method, taxonomy_version=taxonomy_version, content_hash=content_hashes[e.posting_id])
        for e in extractions
    ]
    upsert_tags(rows, session=session)
