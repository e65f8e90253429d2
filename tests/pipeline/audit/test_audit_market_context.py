"""Which postings the audit compares with, read from a real store: skipped (no schema, no postings) or compared
(the segment widened to the role family when its own has too few postings)."""

from __future__ import annotations

import sqlalchemy as sa
from audit_samples import AS_OF, WELL_WRITTEN, extractor, posting, seed_market, wordlists
from sqlalchemy.orm import Session

from pipeline.audit.document import read_document
from pipeline.audit.market_context import load_market
from pipeline.audit.run import run_audit
from pipeline.domain import Extraction


def extraction() -> Extraction:
    return read_document(posting(WELL_WRITTEN), extractor()).extraction


def test_a_store_without_schema_is_skipped_with_the_reason(engine: sa.Engine) -> None:
    with Session(engine) as session:
        snapshot, comparison = load_market(extraction(), session=session)
    assert snapshot is None
    assert comparison.status == "skipped"
    assert comparison.reason == (
        "the store has no schema yet (run `jobatlas db upgrade`, or `jobatlas run` to load postings)"
    )


def test_an_empty_store_is_skipped_and_the_other_checks_still_run(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session:
        report = run_audit(
            posting(WELL_WRITTEN + "- Be a rockstar\n"),
            extractor=extractor(),
            wordlists=wordlists(),
            session=session,
            as_of=AS_OF,
            source="jd.txt",
        )
    assert report.market.status == "skipped"
    assert report.market.reason == "the store holds no tagged postings (run `jobatlas run` to load some)"
    assert [f.id for f in report.findings] == ["wording.coded-labels"]


def test_a_small_segment_is_widened_to_the_role_family(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        seed_market(session)
    with Session(migrated_engine) as session:
        snapshot, comparison = load_market(extraction(), session=session)
    assert snapshot is not None
    # AI engineer · Senior holds 4 postings and the family 5: both small, so the description's own segment is used
    assert comparison.model_dump(exclude={"first_day", "last_day"}) == {
        "status": "compared",
        "reason": None,
        "segment": "AI engineer · Senior",
        "postings": 4,
        "store_postings": 6,
        "widened_from": None,
        "warning": "only 4 postings (fewer than 30): read as indicative",
    }
    assert snapshot.segment.level == "senior"
