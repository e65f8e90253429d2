"""The LLM tagger's tables on a real PostgreSQL: the answer cache answering a second run, usage per run and per
month, and the provenance and disagreements of hybrid tags; every write idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from llm_samples import POSTING, SKILL_NAMES, answer, answer_text
from openai_server import OpenAIServer, completion
from sqlalchemy.orm import Session

from pipeline.domain import Extraction, Label
from pipeline.llm.client import ClientConfig, LlmClient
from pipeline.llm.pricing import Price
from pipeline.llm.prompt import PROMPT_VERSION
from pipeline.llm.reconcile import Disagreement, Reconciled
from pipeline.llm.schema import Answer
from pipeline.llm.tagger import CachedAnswer, CacheKey, TaggingReport, tag_postings
from pipeline.store import llm_cache
from pipeline.store.models import LlmAnswer, LlmUsage, TagDisagreement

MINI = Price("gpt-4o-mini", 0.15, 0.60, "listed")
NULL = Label(value=None, confidence=0.0)
TAG = Extraction(  # save_review reads only the provenance and the disagreements
    posting_id="p",
    extractor_version="rules-x",
    method="hybrid",
    skills=(),
    level=NULL,
    track=NULL,
    role_family=NULL,
    specializations={},
    years_min=None,
)


def count(engine: sa.Engine, model: type[LlmAnswer] | type[LlmUsage] | type[TagDisagreement]) -> int:
    with Session(engine) as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_a_second_run_is_answered_from_the_store_and_costs_nothing(migrated_engine: sa.Engine) -> None:
    postings = [POSTING.model_copy(update={"id": f"test:{n}", "title": f"AI Engineer {n}"}) for n in range(3)]
    with OpenAIServer() as server:
        server.default = completion(answer_text(), prompt_tokens=1_000, completion_tokens=200)

        def run() -> TaggingReport:
            config = ClientConfig(base_url=server.base_url, api_key=None, model="gpt-4o-mini")
            client = LlmClient(config, price=MINI, sleep=lambda _: None)  # a new client: as a new process would
            _, report = tag_postings(
                postings,
                client=client,
                cache=llm_cache.StoreAnswerCache(migrated_engine),
                skill_names=SKILL_NAMES,
                max_description_chars=5_000,
            )
            return report

        first, second = run(), run()
        assert len(server.requests) == 3
    assert (first.cache_hits, first.requests) == (0, 3) and first.cost_usd == pytest.approx(3 * MINI.cost(1_000, 200))
    assert (second.cache_hits, second.requests, second.cost_usd, second.hit_rate) == (3, 0, 0.0, 1.0)
    assert count(migrated_engine, LlmAnswer) == 3
    with Session(migrated_engine) as session:
        row = session.scalars(sa.select(LlmAnswer).order_by(LlmAnswer.posting_id)).first()
    assert row is not None
    assert (row.model, row.prompt_version, row.posting_id) == ("gpt-4o-mini", PROMPT_VERSION, "test:0")
    assert (row.prompt_tokens, row.completion_tokens, float(row.cost_usd)) == (1_000, 200, 0.00027)
    assert Answer.model_validate(row.answer).level == "senior"


def test_saving_an_answer_twice_keeps_the_first(migrated_engine: sa.Engine) -> None:
    key = CacheKey("m", PROMPT_VERSION, "h" * 64)
    first = CachedAnswer(Answer.model_validate(answer()), 10, 5, 0.001, 1)
    second = CachedAnswer(Answer.model_validate(answer(level="staff")), 20, 6, 0.002, 0)
    for entry in (first, second):
        with Session(migrated_engine) as session, session.begin():
            llm_cache.save_answer(key, entry, posting_id="p", session=session)
    with Session(migrated_engine) as session:
        assert llm_cache.cached_answers({key, CacheKey("m", PROMPT_VERSION, "x")}, session=session) == {key: first}


def test_an_answer_cached_under_an_older_schema_counts_as_missing(migrated_engine: sa.Engine) -> None:
    with migrated_engine.begin() as conn:
        conn.execute(
            sa.insert(LlmAnswer).values(
                model="m",
                prompt_version="old",
                content_hash="h",
                answer={"level": "senior"},
                prompt_tokens=1,
                completion_tokens=1,
                cost_usd=0,
                hallucinations=0,
            )
        )
    with Session(migrated_engine) as session:
        assert llm_cache.cached_answers([CacheKey("m", "old", "h")], session=session) == {}


def report(cost: float, *, failures: dict[str, int] | None = None) -> TaggingReport:
    return TaggingReport(
        model="gpt-4o-mini",
        postings=10,
        cache_hits=4,
        requests=7,
        prompt_tokens=7_000,
        completion_tokens=1_400,
        cost_usd=cost,
        hallucinations=2,
        answered=5,
        failures=Counter(failures or {"budget": 1}),
    )


def test_usage_is_stored_per_run_idempotently_and_totalled_per_month(migrated_engine: sa.Engine) -> None:
    runs = [
        ("run-1", datetime(2026, 11, 2, 6, tzinfo=UTC), report(0.25)),
        ("run-2", datetime(2026, 11, 9, 6, tzinfo=UTC), report(0.5, failures={"error": 2, "invalid": 1})),
        ("run-3", datetime(2026, 12, 7, 6, tzinfo=UTC), report(0.125)),
    ]
    for _ in range(2):  # the second pass rewrites nothing
        with Session(migrated_engine) as session, session.begin():
            for key, started, totals in runs:
                llm_cache.record_usage(
                    totals,
                    run_key=key,
                    mode="hybrid",
                    prompt_version=PROMPT_VERSION,
                    started_at=started,
                    session=session,
                )
    assert count(migrated_engine, LlmUsage) == 3
    with Session(migrated_engine) as session:
        months = llm_cache.usage_by_month(session=session)
        one = llm_cache.usage_of_run("run-2", session=session)
        none = llm_cache.usage_of_run("run-9", session=session)
        errors = session.scalar(sa.select(LlmUsage.errors).where(LlmUsage.run_key == "run-2"))
    assert [(m.period, m.runs, m.requests, m.cost_usd, m.failures) for m in months] == [
        ("2026-11", 2, 14, 0.75, 4),
        ("2026-12", 1, 7, 0.125, 1),
    ]
    assert months[0].prompt_tokens == 14_000 and months[0].cache_hits == 8 and months[0].hallucinations == 4
    assert one is not None and (one.runs, one.cost_usd, one.failures) == (1, 0.5, 3)
    assert none is None
    assert errors == {"error": 2, "invalid": 1}


def test_provenance_and_disagreements_are_kept_for_review(migrated_engine: sa.Engine) -> None:
    with migrated_engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        conn.execute(
            sa.text(
                "insert into postings (id, source_id, content_hash, title, description, first_seen_on, last_seen_on)"
                " values ('p', 's', 'h', 'AI/ML Engineer', 'Python', '2026-11-02', '2026-11-02')"
            )
        )
    first = Reconciled(
        extraction=TAG,
        provenance={"level": "llm", "role_family": "rules", "skills": {"Python": "rules", "RAG": "llm"}},
        disagreements=(
            Disagreement("level", "ii", "senior", "llm"),
            Disagreement("specializations", [], ["rag"], "llm"),
            Disagreement("skill:RAG", None, "required", "llm"),
        ),
    )
    second = Reconciled(
        extraction=TAG,
        provenance={"level": "llm"},
        disagreements=(Disagreement("level", "ii", "staff", "llm"),),
    )

    def save(reconciled: Reconciled) -> None:
        with Session(migrated_engine) as session, session.begin():
            llm_cache.save_review(
                "p",
                reconciled,
                reasons=["level: none found"],
                model="gpt-4o-mini",
                prompt_version=PROMPT_VERSION,
                content_hash="h",
                session=session,
            )

    save(first)
    save(first)
    with Session(migrated_engine) as session:
        assert [(d.field, d.rules_value, d.llm_value) for d in llm_cache.disagreements(session=session)] == [
            ("level", "ii", "senior"),
            ("skill:RAG", None, "required"),
            ("specializations", [], ["rag"]),
        ]
        assert [d.field for d in llm_cache.disagreements(session=session, field="skill:")] == ["skill:RAG"]
        assert llm_cache.provenance_of("p", session=session) == first.provenance
    save(second)
    with Session(migrated_engine) as session:
        assert [(d.field, d.llm_value) for d in llm_cache.disagreements(session=session)] == [("level", "staff")]
        assert llm_cache.provenance_of("p", session=session) == {"level": "llm"}
        assert llm_cache.provenance_of("q", session=session) is None
    with migrated_engine.begin() as conn:  # deleting the posting deletes its review rows
        conn.execute(sa.text("delete from postings where id = 'p'"))
    assert count(migrated_engine, TagDisagreement) == 0


LLM_TABLES = {"llm_answers", "llm_usage", "tag_provenance", "tag_disagreements"}


def test_0004_adds_the_llm_tables_beside_existing_rows_and_removes_them_again(engine: sa.Engine) -> None:
    from pipeline.store import migrate

    migrate.upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('s', 'jsonl_file', 's', '{}')"))
        conn.execute(
            sa.text(
                "insert into postings (id, source_id, content_hash, title, description, first_seen_on, last_seen_on)"
                " values ('p', 's', 'h', 'AI Engineer', 'Python', '2026-11-02', '2026-11-02')"
            )
        )
    assert not LLM_TABLES & set(sa.inspect(engine).get_table_names())
    migrate.upgrade(engine, "0004")
    assert migrate.current_revision(engine) == "0004"
    assert set(sa.inspect(engine).get_table_names()) >= LLM_TABLES
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into tag_disagreements (posting_id, field, chosen, model, prompt_version)"
                " values ('p', 'level', 'both', 'm', 'v')"
            )
        )
    migrate.downgrade(engine, "0003")
    assert not LLM_TABLES & set(sa.inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(sa.text("select title from postings")).scalar_one() == "AI Engineer"
