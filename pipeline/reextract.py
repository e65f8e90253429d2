"""Tag stored postings again (``jobatlas reextract``) after the extractor or the taxonomy changed, from what the
store holds: nothing is fetched or normalized. ``flows/reextract.py`` wires these steps into a Prefect flow."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field
from sqlalchemy.orm import Session

from pipeline.domain import Extraction
from pipeline.extraction.extractor import Extractor
from pipeline.store import loads, tags
from pipeline.summary import StepTimer


class ReextractSummary(StepTimer):
    """What a re-extraction did: postings checked, re-tagged and left as they were, and time per step."""

    extractor_version: str = ""
    everything: bool = Field(default=False, description="every posting was re-tagged, stale or not")
    checked: int = 0
    retagged: int = 0
    skills_found: int = Field(default=0, description="skill mentions in the new tags")
    aggregate_rows_written: int = 0
    llm_lines: list[str] = Field(default_factory=list, description="what the model did (llm and hybrid modes)")

    @property
    def unchanged(self) -> int:
        """Postings whose tag was already current and was left untouched."""
        return self.checked - self.retagged


def select_stale(extractor_version: str, *, everything: bool = False, session: Session) -> tuple[int, list[str]]:
    """How many postings the store holds, and the ids of those to tag again (all of them with ``everything``)."""
    checked = tags.count_postings(session=session)
    return checked, tags.stale_posting_ids(extractor_version, everything=everything, session=session)


def retag(
    extractor: Extractor, posting_ids: Sequence[str], *, skill_ids: dict[str, int], session: Session
) -> list[Extraction]:
    """Extract the stored postings of ``posting_ids`` again and replace their rule tags and skills.

    ``skill_ids`` maps canonical skill names to ids (``loads.upsert_skills`` of the extractor's taxonomy)."""
    postings, hashes = tags.stored_postings(posting_ids, session=session)
    extractions = list(extractor.extract_many(postings))
    loads.save_extractions(
        extractions,
        content_hashes=hashes,
        skill_ids=skill_ids,
        taxonomy_version=extractor.taxonomy.version,
        session=session,
    )
    return extractions
