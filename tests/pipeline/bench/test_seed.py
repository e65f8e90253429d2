"""``jobatlas bench seed`` on a small scale: counts, determinism, distributions that follow the source, the
dashboard's queries on the seeded store, and the refusal to mix with real postings."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.bench.dashboard import PAGES, run_dashboard_bench, sample_of, variants
from pipeline.bench.seed import Progress, SeedResult, StoreNotEmptyError, sample_file, seed_store
from pipeline.bench.seed_model import MarketModel, learn_model
from pipeline.settings import Settings

REPO = Path(__file__).resolve().parents[3]
TAXONOMY = Settings(_env_file=None).taxonomy_dir  # type: ignore[call-arg]
POSTINGS = 2_000


@pytest.fixture(scope="module")
def model() -> MarketModel:
    """The distributions of the shared corpus, or of the bundled sample when ../shared is absent."""
    source = sample_file(REPO.parent / "shared" / "corpus", REPO / "data")
    return learn_model(source, TAXONOMY, sample_size=200)


def seed(
    engine: sa.Engine,
    model: MarketModel,
    *,
    postings: int = POSTINGS,
    seed: int = 7,
    force: bool = False,
    progress: Progress | None = None,
) -> SeedResult:
    return seed_store(
        engine,
        postings=postings,
        seed=seed,
        taxonomy_dir=TAXONOMY,
        source_file=Path(model.origin),
        force=force,
        progress=progress,
        model=model,
    )


def scalar(engine: sa.Engine, sql: str) -> object:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql)).scalar_one()


FINGERPRINT = """
select md5(string_agg(concat_ws('|', p.id, p.source_id, p.title, p.company, p.location, p.posted_on, p.description,
                                 p.salary_annual_min, t.level, t.role_family, t.specializations::text, t.years_min,
                                 (select string_agg(concat_ws(':', k.skill_id, k.requirement, k.start_char), ','
                                                    order by k.skill_id)
                                  from posting_skills k where k.posting_id = p.id)), ',' order by p.id))
from postings p join posting_tags t on t.posting_id = p.id
"""


def test_seed_writes_a_market_that_follows_the_source_and_is_the_same_for_the_same_seed(
    migrated_engine: sa.Engine, model: MarketModel
) -> None:
    result = seed(migrated_engine, model, progress=lambda done, total: None)
    assert (result.postings, result.tags) == (POSTINGS, POSTINGS)
    assert scalar(migrated_engine, "select count(*) from postings") == POSTINGS
    assert scalar(migrated_engine, "select count(*) from posting_tags where method = 'rules'") == POSTINGS
    assert scalar(migrated_engine, "select count(*) from posting_skills") == result.skills
    assert scalar(migrated_engine, "select count(*) from posting_facts") == POSTINGS
    assert scalar(migrated_engine, "select sum(postings) from weekly_segment_counts") == POSTINGS
    assert scalar(migrated_engine, "select count(*) from sources where kind <> 'seed'") == 0

    with migrated_engine.connect() as conn:
        families = set(conn.execute(sa.text("select distinct role_family from posting_tags")).scalars())
        levels = set(conn.execute(sa.text("select distinct level from posting_tags")).scalars())
        per_posting = conn.execute(
            sa.text(
                "select min(n), max(n) from (select count(k.skill_id) as n from postings p "
                "left join posting_skills k on k.posting_id = p.id group by p.id) c"
            )
        ).one()
        weeks = conn.execute(sa.text("select count(distinct date_trunc('week', posted_on)) from postings")).scalar_one()
        # every skill's offsets point at its name in the description, so search and highlighting work
        wrong = conn.execute(
            sa.text(
                "select count(*) from posting_skills k join postings p on p.id = k.posting_id "
                "join skills s on s.id = k.skill_id "
                "where substr(p.description, k.start_char + 1, k.end_char - k.start_char) <> s.name"
            )
        ).scalar_one()
    assert families == {family for family, _ in model.cells}  # every role family of the source
    assert levels == {level for _, level in model.cells}  # every level, and postings without one
    sizes = [p.skills for protos in model.prototypes for p in protos]
    assert min(sizes) <= per_posting[0] and per_posting[1] <= max(sizes)
    assert weeks >= 50  # spread over the year
    assert wrong == 0

    first = scalar(migrated_engine, FINGERPRINT)
    seed(migrated_engine, model)  # seeding again replaces the seeded market with the same one
    assert scalar(migrated_engine, "select count(*) from postings") == POSTINGS
    assert scalar(migrated_engine, FINGERPRINT) == first
    seed(migrated_engine, model, seed=8)
    assert scalar(migrated_engine, FINGERPRINT) != first


def test_every_dashboard_query_runs_on_the_seeded_store(migrated_engine: sa.Engine, model: MarketModel) -> None:
    from pipeline.analysis.registry import QUERIES

    seed(migrated_engine, model, postings=500)
    result = run_dashboard_bench(migrated_engine, QUERIES, repeat=2)
    assert result.missing == []
    assert [t.page for t in result.pages] == list(PAGES)
    with Session(migrated_engine) as session:
        sample = sample_of(session)
    expected = [(page, 2 * len(variants(call, sample))) for page, calls in PAGES.items() for call in calls]
    assert [(t.page, t.runs) for t in result.queries] == expected
    for timing in (*result.queries, *result.pages):
        assert 0 <= timing.p50_ms <= timing.p95_ms <= timing.max_ms
        assert timing.too_slow == (timing.p95_ms > 300)


def same(left: object, right: object) -> bool:
    """Equal answers: frames equal row for row (nulls included), dicts key by key."""
    if isinstance(left, pl.DataFrame) and isinstance(right, pl.DataFrame):
        return left.equals(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(same(left[k], right[k]) for k in left)
    return left == right


def test_the_seeded_cubes_answer_as_the_posting_tables_do(migrated_engine: sa.Engine, model: MarketModel) -> None:
    from pipeline.analysis.registry import QUERIES
    from pipeline.store.cube import cubes_current, rebuild_source_counts

    seed(migrated_engine, model, postings=400)
    with Session(migrated_engine) as session:
        sample = sample_of(session)
        assert cubes_current(session=session)
        calls = [(page, call) for page, calls in PAGES.items() for call in calls if call.takes == "filters"]

        def answers() -> list[object]:
            return [
                QUERIES[call.query](session=session, **kwargs)
                for _, call in calls
                for kwargs in variants(call, sample).values()
            ]

        from_cubes = answers()
        session.execute(sa.text("insert into cube_dirty select posting_id from posting_facts limit 1"))
        assert not cubes_current(session=session)  # a change not counted yet: the posting tables answer
        from_tables = answers()
        for cube_answer, table_answer in zip(from_cubes, from_tables, strict=True):
            assert same(cube_answer, table_answer), (cube_answer, table_answer)
        session.rollback()
        kept = session.execute(sa.text("select * from source_company_counts order by 1, 2")).all()
        rebuild_source_counts(session=session)
        assert session.execute(sa.text("select * from source_company_counts order by 1, 2")).all() == kept


def test_seeding_refuses_a_store_with_real_postings_unless_forced(
    migrated_engine: sa.Engine, model: MarketModel
) -> None:
    with migrated_engine.begin() as conn:
        conn.execute(sa.text("insert into sources (id, kind, name, config) values ('real', 'jsonl_file', 'r', '{}')"))
        conn.execute(
            sa.text(
                "insert into postings (id, source_id, content_hash, title, description, first_seen_on, last_seen_on)"
                " values ('real:1', 'real', 'h', 'ML Engineer', 'PyTorch', '2026-11-02', '2026-11-02')"
            )
        )
    with pytest.raises(StoreNotEmptyError, match="1 postings that were not seeded"):
        seed(migrated_engine, model, postings=100)
    assert scalar(migrated_engine, "select count(*) from postings") == 1
    seed(migrated_engine, model, postings=100, force=True)
    seed(migrated_engine, model, postings=100, force=True)  # replaces its own postings, keeps the real one
    assert scalar(migrated_engine, "select count(*) from postings") == 101
    assert scalar(migrated_engine, "select count(*) from posting_facts") == 101
    assert scalar(migrated_engine, "select count(*) from postings where id = 'real:1'") == 1
