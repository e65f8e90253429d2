"""Bulk loads: COPY into a staging table and one merge store exactly what the batched upserts store, and like them
write nothing for an unchanged row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Label, Posting, Requirement, SkillMention
from pipeline.store import bulk, loads
from pipeline.store.models import Skill

TRICKY = (
    "Zürich café — naïve 数据 🚀",
    'He said "ship it" and it\'s done',
    "tab\there, newline\nthere, CRLF\r\nend",
    "back\\slash \\N \\t \\\\ literal",
    "",
    "comma, {brace} [bracket] NULL null",
)
SKILLS = ("Python", "SQL", "PyTorch", "Kubernetes")
DAY = date(2026, 11, 2)


def tricky_posting(i: int, description: str | None = None) -> Posting:
    text = TRICKY[i % len(TRICKY)]
    return Posting(
        id=f"s:{i:05d}",
        source_id="s",
        raw_hash=f"h{i}",
        title=f"AI Engineer {text}",
        company=None if i % 3 == 0 else text,
        location=None if i % 2 else "Zürich",
        remote=None if i % 4 == 0 else "remote",
        salary_min=None if i % 5 == 0 else 100_000.5 + i,
        salary_max=None if i % 5 == 0 else 150_000.25,
        salary_currency=None if i % 5 == 0 else "CHF",
        posted_on=None if i % 7 == 0 else date(2026, 10, 1 + i % 28),
        url=f"https://example.com/{i}?q={text}",
        description=description if description is not None else f"Description {i}: {text}",
    )


def tricky_extraction(i: int) -> Extraction:
    text = TRICKY[i % len(TRICKY)]
    return Extraction(
        posting_id=f"s:{i:05d}",
        extractor_version="rules-9.9.9+taxonomy-t1",
        skills=tuple(
            SkillMention(
                skill=SKILLS[(i + k) % len(SKILLS)],
                requirement=Requirement.REQUIRED if k % 2 else Requirement.PREFERRED,
                evidence=text,
                start=k,
                end=k + 5,
            )
            for k in range(i % 3)
        ),
        level=Label(value=None if i % 4 == 0 else "senior", confidence=0.5, evidence=text or None),
        track=Label(value="ic", confidence=0.75),
        role_family=Label(value="ai_engineer", confidence=1.0, evidence=f"title: {text}"),
        specializations={} if i % 2 else {"rag": 0.5, "agents": 0.25},
        years_min=None if i % 3 else i % 10,
        evidence={"quote": text, "nested": {"list": [text, None, 1.5, True]}, "null": None},
        publication_venues=("NeurIPS", text) if i % 2 else (),
    )


@pytest.fixture
def store(migrated_engine: sa.Engine) -> sa.Engine:
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([("s", "jsonl_file", "s.jsonl", {})], session=session)
        session.add_all(Skill(name=name, category="language", taxonomy_version="t1") for name in SKILLS)
    return migrated_engine


def load(engine: sa.Engine, postings: list[Posting], extractions: list[Extraction], seen_on: date = DAY) -> None:
    with Session(engine) as session, session.begin():
        skill_ids = {name: sid for name, sid in session.execute(sa.select(Skill.name, Skill.id))}
        loads.upsert_postings(postings, raw_ids={}, seen_on=seen_on, session=session)
        loads.save_extractions(
            extractions,
            content_hashes={p.id: p.content_hash for p in postings},
            skill_ids=skill_ids,
            taxonomy_version="t1",
            session=session,
        )


def contents(engine: sa.Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the loaded tables (all columns but the write time), in key order."""
    queries = {
        "postings": "select * from postings order by id",
        "posting_tags": "select * from posting_tags order by posting_id, method",
        "posting_skills": "select * from posting_skills order by posting_id, skill_id",
        "posting_facts": "select * from posting_facts order by posting_id",
    }
    out = {}
    with engine.connect() as conn:
        for table, query in queries.items():
            result = conn.execute(sa.text(query))
            keep = [i for i, name in enumerate(result.keys()) if name != "updated_at"]
            out[table] = [tuple(row[i] for i in keep) for row in result]
    return out


def versions(engine: sa.Engine, table: str, key: str) -> dict[str, tuple[str, Any]]:
    """Row key -> (xmin, updated_at or None): what changes when a row is rewritten."""
    stamp = "updated_at" if table == "postings" else "null"
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"select {key}, xmin::text, {stamp} from {table}"))
        return {k: (x, u) for k, x, u in rows}


def count_calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    calls: list[int] = []
    original: Callable[..., int] = getattr(bulk, name)

    def spy(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(bulk, name, spy)
    return calls


def test_copy_path_stores_exactly_what_the_batched_upserts_store(
    store: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    postings = [tricky_posting(i) for i in range(40)]
    extractions = [tricky_extraction(i) for i in range(40)]
    merges, copies = count_calls(monkeypatch, "merge_rows"), count_calls(monkeypatch, "copy_into")

    monkeypatch.setattr(bulk, "COPY_MIN_ROWS", 10**9)
    load(store, postings, extractions)
    batched = contents(store)
    assert (merges, copies) == ([], [])
    with store.begin() as conn:
        conn.execute(sa.text("delete from postings"))  # cascades to tags, skills, facts

    monkeypatch.setattr(bulk, "COPY_MIN_ROWS", 1)
    load(store, postings, extractions)
    copied = contents(store)
    assert (len(merges), len(copies)) == (2, 1)  # postings and tags merged, skills copied

    assert {table: len(rows) for table, rows in copied.items()} == {
        "postings": 40,
        "posting_tags": 40,
        "posting_skills": 39,
        "posting_facts": 40,
    }
    assert copied == batched
    with store.connect() as conn:
        stored = dict(conn.execute(sa.text("select id, row(company, description)::text from postings")).all())
        raw = {pid: tuple(r) for pid, *r in conn.execute(sa.text("select id, company, description from postings"))}
    assert raw["s:00003"] == (None, f"Description 3: {TRICKY[3]}")  # backslashes and a literal \\N stay text
    assert raw["s:00004"][0] == ""  # an empty string is not NULL
    assert raw["s:00002"][0] == TRICKY[2]  # tab, newline, CR
    assert stored["s:00000"].startswith("(,")  # company NULL, not the string "None"


def test_second_bulk_load_writes_nothing_and_a_change_keeps_first_seen(store: sa.Engine) -> None:
    count = bulk.COPY_MIN_ROWS + 200  # the COPY path without lowering the threshold
    postings = [tricky_posting(i) for i in range(count)]
    extractions = [tricky_extraction(i) for i in range(count)]
    with Session(store) as session, session.begin():  # two merges of one table in one transaction
        loads.upsert_postings(postings[:1_100], raw_ids={}, seen_on=DAY, session=session)
        loads.upsert_postings(postings[100:], raw_ids={}, seen_on=DAY, session=session)
    load(store, postings, extractions)
    posting_versions = versions(store, "postings", "id")
    tag_versions = versions(store, "posting_tags", "posting_id")
    before = contents(store)

    load(store, postings, extractions)  # all unchanged
    assert versions(store, "postings", "id") == posting_versions
    assert versions(store, "posting_tags", "posting_id") == tag_versions
    assert contents(store) == before
    assert len(before["postings"]) == count

    edited = [tricky_posting(i, "Rewritten: Python, SQL") if i % 100 == 0 else p for i, p in enumerate(postings)]
    later = date(2026, 11, 9)
    load(store, edited[:1_000], extractions[:1_000], seen_on=DAY)
    after = versions(store, "postings", "id")
    rewritten = {pid for pid in after if after[pid] != posting_versions[pid]}
    assert rewritten == {p.id for i, p in enumerate(postings) if i % 100 == 0 and i < 1_000}
    assert all(after[pid][1] > posting_versions[pid][1] for pid in rewritten)  # updated_at moved

    load(store, edited, extractions, seen_on=later)
    with store.connect() as conn:
        seen = conn.execute(
            sa.text("select first_seen_on, last_seen_on, description from postings where id = 's:00100'")
        ).one()
    assert tuple(seen) == (DAY, later, "Rewritten: Python, SQL")
