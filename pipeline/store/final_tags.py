"""Store a posting's ``final`` tag: the rule tag reconciled with the model's answer, the skills only the model
named (``posting_skills.source = 'llm'``) and the review rows (where each field came from, the disagreements).

The rule tag and the rule skills are never touched. Writes are idempotent upserts: storing the same final tag
again changes no row. ``loads.save_extractions`` removes all of it when it makes the rule tag again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from pipeline.llm.reconcile import Reconciled
from pipeline.store.llm_cache import save_review
from pipeline.store.loads import tag_row, upsert_tags
from pipeline.store.models import PostingSkill, Skill
from pipeline.store.tags import FINAL
from pipeline.store.upserts import changed, table_of

LLM = "llm"  # posting_skills.source of a skill the model added


def save_final(
    reconciled: Reconciled,
    *,
    reasons: Sequence[str],
    model: str,
    prompt_version: str,
    content_hash: str,
    taxonomy_version: str,
    skill_ids: Mapping[str, int],
    session: Session,
) -> int:
    """Store the final tag of one posting (made from the content of ``content_hash``) with its model-only skills
    and review rows; returns how many skills the model added."""
    final = reconciled.extraction
    posting_id = final.posting_id
    upsert_tags(
        [tag_row(final, method=FINAL, taxonomy_version=taxonomy_version, content_hash=content_hash)],
        session=session,
    )
    sources = reconciled.provenance.get("skills", {})
    added = [m for m in final.skills if sources.get(m.skill) == LLM and m.skill in skill_ids]
    wanted = [skill_ids[m.skill] for m in added]
    session.execute(
        sa.delete(PostingSkill).where(
            PostingSkill.posting_id == posting_id,
            PostingSkill.source == LLM,
            PostingSkill.skill_id.not_in(wanted) if wanted else sa.true(),
        )
    )
    if added:
        table = table_of(PostingSkill)
        columns = ["requirement", "evidence", "start_char", "end_char", "extractor_version"]
        stmt = insert(table)
        session.execute(
            stmt.on_conflict_do_update(  # a rule skill of the same name is never overwritten
                index_elements=["posting_id", "skill_id"],
                set_={c: stmt.excluded[c] for c in columns},
                where=sa.and_(table.c.source == LLM, changed(table, columns)),
            ),
            [
                {
                    "posting_id": posting_id,
                    "skill_id": skill_ids[m.skill],
                    "requirement": m.requirement.value,
                    "evidence": m.evidence,
                    "start_char": m.start,
                    "end_char": m.end,
                    "extractor_version": final.extractor_version,
                    "source": LLM,
                }
                for m in added
            ],
        )
    save_review(
        posting_id,
        reconciled,
        reasons=reasons,
        model=model,
        prompt_version=prompt_version,
        content_hash=content_hash,
        session=session,
    )
    return len(added)


def skill_ids(*, session: Session) -> dict[str, int]:
    """Canonical skill name -> id of the skills the store knows."""
    return {name: sid for name, sid in session.execute(sa.select(Skill.name, Skill.id))}
