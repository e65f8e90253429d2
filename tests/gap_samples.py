"""A tiny fixture market for the skill-gap tests (fictional postings), resumes written for these tests, and the
extractor built once.

The segment AI engineer · Senior · rag holds g1-g5 (g6 repeats g5: a duplicate, left out). The weeks of the trend
end on AS_OF: Nov 1-7 (g1, g2), Nov 8-14 (g3), Nov 15-21 (g4), Nov 22-28 (g5). Two ML engineer postings ask
PyTorch and TensorFlow together, which makes TensorFlow adjacent to PyTorch.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from pipeline.analysis.market import Segment
from pipeline.domain import Extraction, Label, Posting, Requirement, SkillMention
from pipeline.extraction.extractor import Extractor, build_extractor
from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.store import loads

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 28)
SENIOR_RAG = Segment("ai_engineer", "senior", "rag")
RAG = {"rag": 3.0}

# (id, role family, level, posted on, skills asked ("?": preferred, else required), specializations)
GAP_MARKET = (
    ("g1", "ai_engineer", "senior", date(2026, 11, 2), "Python, LLMs, RAG, Embeddings?", RAG),
    ("g2", "ai_engineer", "senior", date(2026, 11, 3), "Python, LLMs, RAG, Docker", RAG),
    ("g3", "ai_engineer", "senior", date(2026, 11, 9), "Python, RAG, LangChain", RAG),
    ("g4", "ai_engineer", "senior", date(2026, 11, 16), "Python, LLMs?, Kubernetes, Docker", RAG),
    ("g5", "ai_engineer", "senior", date(2026, 11, 23), "Python, RAG, PyTorch?", RAG),
    ("g6", "ai_engineer", "senior", date(2026, 11, 24), "Python, Rust", RAG),
    ("h1", "ml_engineer", "senior", date(2026, 11, 10), "PyTorch, TensorFlow, Python", {}),
    ("h2", "ml_engineer", "senior", date(2026, 11, 11), "PyTorch, TensorFlow?", {}),
    ("h3", "ai_engineer", "senior", date(2026, 11, 12), "Python, Go", {}),
)

RESUME = """\
Dana Okafor
Data analyst turned engineer

Experience
- Built reporting pipelines in Python and SQL on PostgreSQL for a logistics company
- Packaged internal tools with Docker and deployed them to AWS
- Trained small image classifiers with TensorFlow

Skills: pandas, Git, Tableau
"""


@cache
def extractor() -> Extractor:
    return build_extractor(REPO / "data" / "taxonomy")


def _extraction(
    pid: str, family: str, level: str, skills: list[tuple[str, str]], specs: dict[str, float]
) -> Extraction:
    return Extraction(
        posting_id=pid,
        extractor_version="rules-test",
        skills=tuple(
            SkillMention(
                skill=name.rstrip("?"),
                requirement=Requirement.PREFERRED if name.endswith("?") else Requirement.REQUIRED,
                evidence=name.rstrip("?"),
                start=10 * i,
                end=10 * i + 5,
            )
            for i, name in enumerate(skills.split(", "))
        ),
        level=Label(value=level, confidence=0.9),
        track=Label(value="ic", confidence=0.8),
        role_family=Label(value=family, confidence=0.8),
        specializations=specs,
        years_min=None,
    )


def seed_gap_market(session: Session) -> None:
    """Load the fixture market (the real taxonomy's skills, 9 postings, one duplicate) into a migrated store."""
    taxonomy = load_taxonomy(REPO / "data" / "taxonomy" / "skills.yaml")
    loads.upsert_sources([("g", "jsonl_file", "gap.jsonl", {})], session=session)
    skill_ids = loads.upsert_skills(taxonomy, session=session)
    postings = [
        Posting(id=pid, source_id="g", raw_hash=pid, title=f"{family} {level}", description="...", posted_on=day)
        for pid, family, level, day, _, _ in GAP_MARKET
    ]
    loads.upsert_postings(postings, raw_ids={}, seen_on=date(2026, 11, 25), session=session)
    loads.save_extractions(
        [_extraction(pid, family, level, skills, specs) for pid, family, level, _, skills, specs in GAP_MARKET],
        content_hashes={p.id: p.content_hash for p in postings},
        skill_ids=skill_ids,
        taxonomy_version=taxonomy.version,
        session=session,
    )
    from pipeline.store.duplicates import set_duplicates

    set_duplicates({"g6": "g5"}, session=session)
