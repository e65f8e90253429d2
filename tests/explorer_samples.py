"""A small store for the explorer and Pipeline tests: four postings tagged by the real extractor (one with HTML and
a script in its description, one a duplicate, one with a final tag from an LLM answer), two refresh runs (one
partial, with a failed source), quarantined records and LLM usage. Everything written here is project-made."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from llm_samples import POSTING, answer
from pg_server import seeded_database
from sqlalchemy.orm import Session

from pipeline.domain import Posting
from pipeline.extraction.extractor import Extractor, build_extractor
from pipeline.llm.modes import finalize
from pipeline.llm.prompt import PROMPT_VERSION
from pipeline.llm.schema import Answer
from pipeline.settings import REPO_DATA_DIR
from pipeline.store import final_tags, loads, tags
from pipeline.store.duplicates import set_duplicates
from pipeline.store.models import IngestRun, LlmUsage, QuarantinedRecord, SourceFetch

HOSTILE_DESCRIPTION = """Requirements
- <script>alert(1)</script> 3+ years of Python and PyTorch, <b>bold</b> ideas
- Experience with Kubernetes is a plus"""

HOSTILE = Posting(
    id="x:hostile",
    source_id="x",
    raw_hash="",
    title="ML Engineer <img src=x onerror=alert(2)>",
    company="Evil & Co",
    location="Berlin, Germany",
    description=HOSTILE_DESCRIPTION,
    posted_on=date(2026, 11, 2),
)
DATA = Posting(
    id="y:data",
    source_id="y",
    raw_hash="",
    title="Senior Data Engineer",
    company="Streamworks",
    location="Remote (EU)",
    remote="remote",
    description="Requirements\n- 6+ years building pipelines with Spark, Airflow and SQL\n- Python",
    posted_on=date(2026, 10, 5),
)
COPY = DATA.model_copy(update={"id": "y:copy", "location": "Remote, EU"})  # linked as a duplicate of y:data
FINAL = POSTING.model_copy(update={"source_id": "x", "posted_on": date(2026, 11, 16)})  # test:1, LLM-tagged
POSTINGS = (HOSTILE, DATA, COPY, FINAL)


def _extractor() -> Extractor:
    return build_extractor(REPO_DATA_DIR / "taxonomy")


def _runs(session: Session) -> None:
    session.add_all(
        [
            IngestRun(
                id=1,
                started_at=datetime(2026, 11, 1, 6, tzinfo=UTC),
                finished_at=datetime(2026, 11, 1, 6, 0, 30, tzinfo=UTC),
                status="succeeded",
                source_ids=["x", "y"],
                counts={"fetched": 3, "new": 3, "updated": 0, "unchanged": 0, "rejected": 1, "closed": 0},
                step_seconds={"ingest": 10.0, "extract": 15.5, "load": 4.5},
            ),
            IngestRun(
                id=2,
                started_at=datetime(2026, 11, 20, 6, tzinfo=UTC),
                finished_at=datetime(2026, 11, 20, 6, 1, tzinfo=UTC),
                status="partial",
                source_ids=["x", "y"],
                counts={"fetched": 1, "new": 1, "updated": 0, "unchanged": 2, "rejected": 1, "closed": 0},
                step_seconds={"ingest": 40.0, "extract": 12.0, "load": 8.0},
                errors={"y": "HTTP 503 from boards.example"},
            ),
        ]
    )
    session.flush()
    session.add_all(
        [
            SourceFetch(run_id=1, source_id="x", status="ok", records=2, seconds=1.5),
            SourceFetch(run_id=1, source_id="y", status="ok", records=2, seconds=2.5),
            SourceFetch(run_id=2, source_id="x", status="ok", records=2, seconds=0.5),
            SourceFetch(run_id=2, source_id="y", status="failed", error="HTTP 503", records=0, seconds=9.5),
            QuarantinedRecord(
                source_id="x",
                locator="x.jsonl:3",
                reason="missing title",
                payload='{"description": "<script>alert(3)</script>"}',
                content_hash="q1",
                run_id=1,
                created_at=datetime(2026, 11, 1, 6, 0, 5, tzinfo=UTC),
            ),
            QuarantinedRecord(
                source_id="y",
                locator="y.jsonl:7",
                reason="invalid JSON: Expecting ',' delimiter",
                payload='{"title": "broken',
                content_hash="q2",
                run_id=2,
                created_at=datetime(2026, 11, 20, 6, 0, 5, tzinfo=UTC),
            ),
            LlmUsage(
                run_key="run-2",
                run_id=2,
                started_at=datetime(2026, 11, 20, 6, 0, 40, tzinfo=UTC),
                mode="hybrid",
                model="m",
                prompt_version=PROMPT_VERSION,
                postings=4,
                requests=1,
                cache_hits=3,
                prompt_tokens=3000,
                completion_tokens=400,
                cost_usd=0.0125,
                hallucinations=1,
                failures=0,
            ),
        ]
    )


def seed(engine: sa.Engine) -> None:
    """Fill a migrated store with the sample postings, their tags, runs, quarantine and LLM usage."""
    extractor = _extractor()
    with Session(engine) as session, session.begin():
        loads.upsert_sources([(s, "jsonl_file", f"{s}.jsonl", {}) for s in ("x", "y")], session=session)
        loads.upsert_postings(list(POSTINGS), raw_ids={}, seen_on=date(2026, 11, 20), session=session)
        skill_ids = loads.upsert_skills(extractor.taxonomy, session=session)
        loads.save_extractions(
            list(extractor.extract_many(list(POSTINGS))),
            content_hashes={p.id: p.content_hash for p in POSTINGS},
            skill_ids=skill_ids,
            taxonomy_version=extractor.taxonomy.version,
            session=session,
        )
        set_duplicates({COPY.id: DATA.id}, session=session)
        _runs(session)
    with Session(engine) as session, session.begin():
        rules = tags.stored_rule_tags([FINAL.id], session=session)[FINAL.id]
        reconciled = finalize(rules, Answer.model_validate(answer()), FINAL, mode="llm", model="m")
        final_tags.save_final(
            reconciled,
            reasons=["level: none found"],
            model="m",
            prompt_version=PROMPT_VERSION,
            content_hash=FINAL.content_hash,
            taxonomy_version=extractor.taxonomy.version,
            skill_ids=skill_ids,
            session=session,
        )


def sample_database(server_url: str) -> str:
    """A new database on the test server (``server_url``), migrated and seeded; returns its URL."""
    return seeded_database(server_url, seed)
