"""A small store for the filter-aware market queries (career ladder, specializations, overview), written row by row
so that every expected figure can be counted by hand. Everything here is project-made.

Unique postings (effective tag: level, role family, specializations, years; annual pay; skills):

====  ======  =======  ==========  ======  =========  ==============  =====  =================  ========================
id    source  company  day         remote  family     level / specs   years  pay                skills
====  ======  =======  ==========  ======  =========  ==============  =====  =================  ========================
p1    a       Acme     2026-11-02  remote  ai_eng     i / rag         1      80-100k USD        Python, SQL
p2    a       Acme     2026-11-03  -       ai_eng     ii / rag agents 3      120k- USD          Python, LangChain
p3    b       Beta     2026-11-10  hybrid  ai_eng     senior / agents 5      150-170k USD       Python, LangChain, K8s
p4    b       Beta     2026-11-11  -       ml_eng     staff / ag inf  8      200-240k USD       Python, K8s, LangChain
p5    a       Gamma    2026-11-12  -       ml_eng     staff / inf     10     -90k EUR           Kubernetes, Python
p6    b       Delta    2026-11-16  -       (no tag: other / unknown)  -      -                  SQL
p8    b       Echo     2026-11-17  -       ai_eng     staff / inf     12     180-200k USD       Python, Kubernetes
====  ======  =======  ==========  ======  =========  ==============  =====  =================  ========================

p5's rules tag says level i, no specialization and 0 years; its ``final`` tag (above) is the effective one. p7
repeats p4 (``duplicate_of``): staff, agents, 20 years, 999,999 USD, Rust; it must never count.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import sqlalchemy as sa
from pg_server import seeded_database
from sqlalchemy.orm import Session

from pipeline.store.database import create_store_engine
from pipeline.store.models import PostingRow, PostingSkill, PostingTag, Skill, Source

SKILLS = {"Python": "language", "SQL": "language", "LangChain": "framework", "Kubernetes": "infrastructure"}
SKILLS_WITH_RUST = {**SKILLS, "Rust": "language"}
# id, source, company, day, remote, (low, high, currency), skills, duplicate_of
POSTINGS: list[tuple[str, str, str, date, str | None, tuple[Any, Any, Any], tuple[str, ...], str | None]] = [
    ("p1", "a", "Acme", date(2026, 11, 2), "remote", (80000, 100000, "USD"), ("Python", "SQL"), None),
    ("p2", "a", "Acme", date(2026, 11, 3), None, (120000, None, "USD"), ("Python", "LangChain"), None),
    (
        "p3",
        "b",
        "Beta",
        date(2026, 11, 10),
        "hybrid",
        (150000, 170000, "USD"),
        ("Python", "LangChain", "Kubernetes"),
        None,
    ),
    ("p4", "b", "Beta", date(2026, 11, 11), None, (200000, 240000, "USD"), ("Python", "Kubernetes", "LangChain"), None),
    ("p5", "a", "Gamma", date(2026, 11, 12), None, (None, 90000, "EUR"), ("Kubernetes", "Python"), None),
    ("p6", "b", "Delta", date(2026, 11, 16), None, (None, None, None), ("SQL",), None),
    ("p7", "a", "Beta", date(2026, 11, 11), None, (999999, 999999, "USD"), ("Rust",), "p4"),
    ("p8", "b", "Echo", date(2026, 11, 17), None, (180000, 200000, "USD"), ("Python", "Kubernetes"), None),
]
# posting, method, role family, level, specializations, years
TAGS: list[tuple[str, str, str, str, list[str], int]] = [
    ("p1", "rules", "ai_engineer", "i", ["rag"], 1),
    ("p2", "rules", "ai_engineer", "ii", ["rag", "agents"], 3),
    ("p3", "rules", "ai_engineer", "senior", ["agents"], 5),
    ("p4", "rules", "ml_engineer", "staff", ["agents", "infrastructure"], 8),
    ("p5", "rules", "ml_engineer", "i", [], 0),
    ("p5", "final", "ml_engineer", "staff", ["infrastructure"], 10),
    ("p7", "rules", "ml_engineer", "staff", ["agents"], 20),
    ("p8", "rules", "ai_engineer", "staff", ["infrastructure"], 12),
]


def seed(session: Session) -> None:
    """Write the sources, skills, postings, tags and posting skills above into a migrated store."""
    session.add_all([Source(id=s, kind="jsonl_file", name=f"{s}.jsonl") for s in ("a", "b")])
    skills = {name: Skill(name=name, category=cat, taxonomy_version="t") for name, cat in SKILLS_WITH_RUST.items()}
    session.add_all(skills.values())
    session.flush()  # the models declare no relationships: write the referenced rows first
    for pid, source, company, day, remote, (low, high, currency), _, duplicate_of in POSTINGS:
        session.add(
            PostingRow(
                id=pid,
                source_id=source,
                content_hash=pid,
                title=f"posting {pid}",
                company=company,
                remote=remote,
                salary_annual_min=low,
                salary_annual_max=high,
                salary_currency=currency,
                description="...",
                posted_on=day,
                first_seen_on=day,
                last_seen_on=date(2026, 11, 20),
                duplicate_of=duplicate_of,
            )
        )
    session.flush()
    for pid, method, family, level, specs, years in TAGS:
        session.add(
            PostingTag(
                posting_id=pid,
                method=method,
                role_family=family,
                level=level,
                specializations=specs,
                years_min=years,
                extractor_version="v",
                content_hash=pid,
            )
        )
    for pid, *_, names, _ in POSTINGS:
        for name in names:
            session.add(
                PostingSkill(
                    posting_id=pid,
                    skill_id=skills[name].id,
                    requirement="required",
                    evidence=name,
                    start_char=0,
                    end_char=len(name),
                    extractor_version="v",
                )
            )


def scope_database(server_url: str) -> str:
    """A new database on the test server (``server_url``), migrated and seeded; returns its URL."""

    def fill(engine: sa.Engine) -> None:
        with Session(engine) as session, session.begin():
            seed(session)

    return seeded_database(server_url, fill)


@contextmanager
def scope_session(server_url: str) -> Iterator[Session]:
    """A session on a new migrated and seeded database (:func:`scope_database`); the engine is disposed after."""
    engine = create_store_engine(scope_database(server_url))
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()
