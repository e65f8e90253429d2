"""Which stored tags are stale, and stored postings read back for re-tagging."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Label, Posting
from pipeline.refresh import plan_changes
from pipeline.store import loads, tags

CURRENT = "rules-1.0.0+taxonomy-t2"


def posting(pid: str, description: str = "Python and SQL", **extra: object) -> Posting:
    return Posting(id=pid, source_id="s", raw_hash=f"h-{pid}", title="AI Engineer", description=description, **extra)  # type: ignore[arg-type]


def tag(pid: str, version: str) -> Extraction:
    null = Label(value=None, confidence=0.0)
    return Extraction(
        posting_id=pid,
        extractor_version=version,
        skills=(),
        level=null,
        track=null,
        role_family=null,
        specializations={},
        years_min=None,
    )


def load(engine: sa.Engine, postings: list[Posting], tagged: dict[str, str], taxonomy_version: str = "t2") -> None:
    """Store the postings, and a rule tag made by the given extractor version for each id of ``tagged``."""
    with Session(engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        loads.upsert_postings(postings, raw_ids={}, seen_on=date(2026, 11, 2), session=session)
        loads.save_extractions(
            [tag(pid, version) for pid, version in tagged.items()],
            content_hashes={p.id: p.content_hash for p in postings},
            skill_ids={},
            taxonomy_version=taxonomy_version,
            session=session,
        )


def test_stale_tags_are_missing_old_made_from_other_content_or_made_before_the_new_columns(
    migrated_engine: sa.Engine,
) -> None:
    stored = [posting(pid) for pid in "abcdef"]
    load(migrated_engine, stored, {"a": CURRENT, "b": "rules-0.9.0+taxonomy-t2", "c": CURRENT, "d": CURRENT})
    load(migrated_engine, [posting("c", "Python, SQL and Go")], {})  # new content, the tag still of the old one
    with migrated_engine.begin() as conn:  # d: a tag made before migration 0003 (no taxonomy version)
        conn.execute(sa.text("update posting_tags set taxonomy_version = null where posting_id = 'd'"))
    load(migrated_engine, [posting("f")], {"f": CURRENT}, taxonomy_version="t2")
    with Session(migrated_engine) as session:
        assert tags.count_postings(session=session) == 6
        assert tags.stale_posting_ids(CURRENT, session=session) == ["b", "c", "d", "e"]
        assert tags.stale_posting_ids("rules-1.0.0+taxonomy-t3", session=session) == list("abcdef")
        assert tags.stale_posting_ids(CURRENT, everything=True, session=session) == list("abcdef")
        state = loads.stored_state(list("abcdef"), session=session)
    # the weekly refresh agrees: it extracts the same postings again when it sees them
    current = [posting(pid) for pid in "abdef"] + [posting("c", "Python, SQL and Go")]
    plan = plan_changes(current, state, CURRENT)
    assert sorted(p.id for p in plan.to_extract) == ["b", "c", "d", "e"]
    assert (state["d"].tagged_version, state["e"].tagged_version) == (None, None)


def test_stored_postings_come_back_as_they_were_loaded(migrated_engine: sa.Engine) -> None:
    rich = posting(
        "r",
        company="Acme",
        location="Berlin",
        remote="hybrid",
        salary_min=85000.0,
        salary_max=99999.99,
        salary_currency="EUR",
        salary_period="year",
        salary_text="€85k - €99,999.99",
        salary_annual_min=85000.0,
        salary_annual_max=99999.99,
        employment_type="full_time",
        posted_on=date(2026, 11, 1),
        url="https://jobs.example.com/r?ref=x",
        canonical_url="https://jobs.example.com/r",
    )
    load(migrated_engine, [rich, posting("p")], {})
    with Session(migrated_engine) as session:
        postings, hashes = tags.stored_postings(["r", "missing", "p"], session=session)
    assert [p.id for p in postings] == ["p", "r"]
    assert postings[1] == rich.model_copy(update={"raw_hash": ""})
    assert hashes == {"p": posting("p").content_hash, "r": rich.content_hash}
    assert postings[1].content_hash == rich.content_hash
