"""Final tags in the store on a real PostgreSQL: every reader's effective tag (final if present, else rules), rule
tags read back as the extractions that made them, the model's skills beside the rule skills, a new rule tag
sweeping the final one away, and migration 0005 on a store with rows."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from llm_samples import POSTING, answer
from sqlalchemy.orm import Session

from pipeline.extraction.extractor import build_extractor
from pipeline.llm.modes import finalize
from pipeline.llm.prompt import PROMPT_VERSION
from pipeline.llm.schema import Answer
from pipeline.settings import REPO_DATA_DIR
from pipeline.store import final_tags, loads, migrate, tags
from pipeline.store.effective import EFFECTIVE_TAGS_SQL, effective_tags
from pipeline.store.weekly import refresh_weekly

EXTRACTOR = build_extractor(REPO_DATA_DIR / "taxonomy")
UNSURE = POSTING.model_copy(update={"id": "test:2", "title": "AI Engineer"})  # its level comes from the years


def store_rule_tags(engine: sa.Engine) -> dict[str, int]:
    postings = [POSTING, UNSURE]
    with Session(engine) as session, session.begin():
        loads.upsert_sources([("test", "jsonl_file", "test", {})], session=session)
        loads.upsert_postings(postings, raw_ids={}, seen_on=date(2026, 11, 2), session=session)
        ids = loads.upsert_skills(EXTRACTOR.taxonomy, session=session)
        loads.save_extractions(
            list(EXTRACTOR.extract_many(postings)),
            content_hashes={p.id: p.content_hash for p in postings},
            skill_ids=ids,
            taxonomy_version=EXTRACTOR.taxonomy.version,
            session=session,
        )
    return ids


def save_final_of_unsure(engine: sa.Engine, skill_ids: dict[str, int], **overrides: object) -> int:
    with Session(engine) as session, session.begin():
        rules = tags.stored_rule_tags([UNSURE.id], session=session)[UNSURE.id]
        final = finalize(rules, Answer.model_validate(answer(**overrides)), UNSURE, mode="llm", model="m")
        return final_tags.save_final(
            final,
            reasons=["level: none found"],
            model="m",
            prompt_version=PROMPT_VERSION,
            content_hash=UNSURE.content_hash,
            taxonomy_version=EXTRACTOR.taxonomy.version,
            skill_ids=skill_ids,
            session=session,
        )


def effective(engine: sa.Engine) -> list[tuple[str, str, str | None]]:
    with Session(engine) as session:
        core = effective_tags()
        rows = session.execute(sa.select(core.c.posting_id, core.c.method, core.c.level).order_by(core.c.posting_id))
        text = session.execute(sa.text(f"select posting_id, method, level from ({EFFECTIVE_TAGS_SQL}) t order by 1"))
        as_core, as_text = [tuple(r) for r in rows], [tuple(r) for r in text]
    assert as_core == as_text  # the SQL text is the same query
    return as_core  # type: ignore[return-value]


def test_readers_count_the_final_tag_where_there_is_one(migrated_engine: sa.Engine) -> None:
    skill_ids = store_rule_tags(migrated_engine)
    assert effective(migrated_engine) == [("test:1", "rules", "senior"), ("test:2", "rules", "senior")]
    with Session(migrated_engine) as session, session.begin():
        refresh_weekly(session=session)
        levels = dict(session.execute(sa.text("select level, postings from weekly_segment_counts")).all())
    assert levels == {"senior": 2}

    save_final_of_unsure(migrated_engine, skill_ids, level="ii")
    assert effective(migrated_engine) == [("test:1", "rules", "senior"), ("test:2", "final", "ii")]
    with Session(migrated_engine) as session, session.begin():
        refresh_weekly(session=session)
        levels = dict(session.execute(sa.text("select level, postings from weekly_segment_counts")).all())
    assert levels == {"senior": 1, "ii": 1}  # the final level, not the rules' one


def skill_rows(engine: sa.Engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        return [
            tuple(r)  # type: ignore[misc]
            for r in conn.execute(
                sa.text(
                    "select k.name, s.requirement, s.source, s.xmin::text from posting_skills s"
                    " join skills k on k.id = s.skill_id where s.posting_id = 'test:2' order by k.name"
                )
            )
        ]


def test_the_models_skills_join_the_rule_skills_idempotently_and_leave_with_a_new_rule_tag(
    migrated_engine: sa.Engine,
) -> None:
    skill_ids = store_rule_tags(migrated_engine)
    rule_skills = [row[:3] for row in skill_rows(migrated_engine)]
    assert ("Python", "required", "rules") in rule_skills and ("Kubernetes", "preferred", "rules") in rule_skills
    skills = [
        {"name": "Python", "requirement": "preferred", "evidence": "Strong Python skills"},  # the rules' row stays
        {"name": "LLM evaluation", "requirement": "required", "evidence": "Own the evaluation of answer quality"},
        {"name": "Docker", "requirement": "required", "evidence": "Free lunch"},  # benefits: not an ask
    ]
    assert save_final_of_unsure(migrated_engine, skill_ids, skills=skills) == 1
    first = skill_rows(migrated_engine)
    assert [row[:3] for row in first] == sorted([*rule_skills, ("LLM evaluation", "required", "llm")])
    assert save_final_of_unsure(migrated_engine, skill_ids, skills=skills) == 1
    assert skill_rows(migrated_engine) == first  # no row written again
    with migrated_engine.connect() as conn:
        provenance = conn.execute(sa.text("select provenance from tag_provenance")).scalar_one()
    assert provenance["skills"]["LLM evaluation"] == "llm" and provenance["skills"]["Python"] == "rules"

    save_final_of_unsure(migrated_engine, skill_ids, skills=skills[:1])  # a later answer without it
    assert [row[:3] for row in skill_rows(migrated_engine)] == rule_skills

    save_final_of_unsure(migrated_engine, skill_ids, skills=skills)
    store_rule_tags(migrated_engine)  # the rule tag made again: the final tag and everything on it goes
    with migrated_engine.connect() as conn:
        counts = conn.execute(
            sa.text(
                "select (select count(*) from posting_tags where method = 'final'),"
                " (select count(*) from posting_skills where source = 'llm'),"
                " (select count(*) from tag_provenance), (select count(*) from tag_disagreements)"
            )
        ).one()
    assert tuple(counts) == (0, 0, 0, 0)


def test_rule_tags_read_back_as_the_extractions_that_made_them(migrated_engine: sa.Engine) -> None:
    store_rule_tags(migrated_engine)
    made = {e.posting_id: e for e in EXTRACTOR.extract_many([POSTING, UNSURE])}
    with Session(migrated_engine) as session:
        read = tags.stored_rule_tags([POSTING.id, UNSURE.id, "missing"], session=session)
        assert tags.with_final_tag([POSTING.id, UNSURE.id], session=session) == set()
    assert set(read) == {POSTING.id, UNSURE.id}
    for posting_id, extraction in made.items():
        back = read[posting_id]
        for field in ("skills", "level", "track", "role_family", "specializations", "years_min", "education"):
            assert getattr(back, field) == getattr(extraction, field), field
        assert back.evidence.items() >= extraction.evidence.items()
    with migrated_engine.begin() as conn:  # a tag made from older content is not read back
        conn.execute(sa.text("update posting_tags set content_hash = 'older' where posting_id = 'test:1'"))
    with Session(migrated_engine) as session:
        assert set(tags.stored_rule_tags([POSTING.id, UNSURE.id], session=session)) == {UNSURE.id}


def test_0005_adds_the_skill_source_and_cached_refusals_to_a_store_with_rows_and_back(engine: sa.Engine) -> None:
    migrate.upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        conn.execute(
            sa.text(
                "insert into postings (id, source_id, content_hash, title, description, first_seen_on, last_seen_on)"
                " values ('p', 's', 'h', 'AI Engineer', 'Python and RAG', '2026-11-02', '2026-11-02')"
            )
        )
        conn.execute(
            sa.text(
                "insert into skills (name, category, aliases, specializations, taxonomy_version)"
                " values ('Python', 'language', '{}', '{}', 't'), ('RAG', 'method', '{}', '{}', 't')"
            )
        )
        conn.execute(
            sa.text(
                "insert into posting_skills (posting_id, skill_id, requirement, evidence, start_char, end_char,"
                " extractor_version) select 'p', id, 'required', 'Python', 0, 6, 'r' from skills where name = 'Python'"
            )
        )
        conn.execute(
            sa.text(
                "insert into posting_tags (posting_id, method, level, specializations, specialization_scores,"
                " confidence, evidence, extractor_version, content_hash)"
                " values ('p', 'rules', null, '{}', '{}', '{}', '{}', 'r', 'h')"
            )
        )
        conn.execute(
            sa.text(
                "insert into llm_answers (model, prompt_version, content_hash, answer, prompt_tokens,"
                " completion_tokens, cost_usd, hallucinations) values ('m', 'v', 'a', '{}', 1, 1, 0, 0)"
            )
        )
    migrate.upgrade(engine, "0005")
    assert migrate.current_revision(engine) == "0005"
    with engine.connect() as conn:
        assert conn.execute(sa.text("select source from posting_skills")).scalar_one() == "rules"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into posting_skills (posting_id, skill_id, requirement, evidence, start_char, end_char,"
                " extractor_version, source) select 'p', id, 'required', 'RAG', 11, 14, 'r', 'llm' from skills"
                " where name = 'RAG'"
            )
        )
        conn.execute(
            sa.text(
                "insert into posting_tags (posting_id, method, level, specializations, specialization_scores,"
                " confidence, evidence, extractor_version, content_hash)"
                " values ('p', 'final', 'ii', '{}', '{}', '{}', '{}', 'r', 'h')"
            )
        )
        conn.execute(
            sa.text(
                "insert into llm_answers (model, prompt_version, content_hash, refusal, prompt_tokens,"
                " completion_tokens, cost_usd, hallucinations) values ('m', 'v', 'b', 'no', 1, 1, 0, 0)"
            )
        )
    for bad in (
        "update posting_skills set source = 'guess'",
        "insert into llm_answers (model, prompt_version, content_hash, prompt_tokens, completion_tokens, cost_usd,"
        " hallucinations) values ('m', 'v', 'c', 1, 1, 0, 0)",
    ):
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.text(bad))
    migrate.downgrade(engine, "0004")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("posting_skills")}
        assert "source" not in columns
        assert conn.execute(sa.text("select evidence from posting_skills")).scalars().all() == ["Python"]
        assert conn.execute(sa.text("select method from posting_tags")).scalars().all() == ["rules"]
        assert conn.execute(sa.text("select content_hash from llm_answers")).scalars().all() == ["a"]
    migrate.upgrade(engine)
    assert migrate.is_up_to_date(engine)
