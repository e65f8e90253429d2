"""The refresh in small batches: the same store and counts as in one batch, an id repeated across batches rejected,
and a run that fails in a later batch keeps the batches before it, which the next run finds unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flow_logs import flow_run_records

from flows.weekly_refresh import weekly_refresh
from pipeline import refresh_batches
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine

pytestmark = pytest.mark.usefixtures("prefect_harness")

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "postings.jsonl"
BATCH = 20  # the sample's 97 postings make 5 batches
COUNTED = ("postings", "posting_skills", "posting_tags", "raw_postings", "quarantine", "weekly_skill_counts")
FINGERPRINTS = {
    "skills": """select md5(string_agg(ps.posting_id || '/' || s.name || '/' || ps.requirement, ',' order by 1))
                 from posting_skills ps join skills s on s.id = ps.skill_id""",
    "postings": """select md5(string_agg(id || '/' || content_hash || '/' || coalesce(raw_posting_id::text, '-') || '/'
                   || coalesce(closed_on::text, 'open') || '/' || coalesce(duplicate_of, '-'), ',' order by id))
                   from postings""",
}


def store_contents(url: str) -> dict[str, Any]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        out: dict[str, Any] = {t: conn.execute(sa.text(f"select count(*) from {t}")).scalar() for t in COUNTED}
        out |= {name: conn.execute(sa.text(sql)).scalar() for name, sql in FINGERPRINTS.items()}
    engine.dispose()
    return out


def run_counts(url: str) -> list[dict[str, int]]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        rows = [row[0] for row in conn.execute(sa.text("select counts from ingest_runs order by id"))]
    engine.dispose()
    return rows


def test_batches_load_what_one_batch_loads(settings: Settings, database_url: str, populated_url: str) -> None:
    with flow_run_records() as records:
        summary = weekly_refresh(settings=settings, batch_postings=BATCH)
    assert summary.status == "succeeded"
    # populated_url: the same sources refreshed with the default batch size (all in one batch)
    assert store_contents(database_url) == store_contents(populated_url)
    assert run_counts(database_url) == run_counts(populated_url)[:1]
    lines = [json.loads(r.getMessage()) for r in records if r.getMessage().startswith("{")]
    steps = {line["step"]: line for line in lines if "step" in line}
    postings = summary.total("postings")
    assert (steps["normalize"]["batches"], steps["normalize"]["postings"]) == (-(-postings // BATCH), postings)
    assert (steps["extract"]["batches"], steps["extract"]["new"], steps["load"]["written"]) == (5, postings, postings)


def test_an_id_repeated_in_a_later_batch_is_rejected(settings: Settings, tmp_path: Path) -> None:
    rows = [
        {"id": f"u:{n}", "title": "AI Engineer", "posted_at": "2026-11-02", "description_text": f"Python {n}"}
        for n in range(30)
    ]
    rows.append({**rows[2], "title": "AI Engineer (again)"})  # line 31: in the second batch of 20
    path = tmp_path / "mine.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    summary = weekly_refresh(settings=settings, sources="none", files=[path], batch_postings=BATCH)
    assert (summary.total("new"), summary.total("rejected")) == (30, 1)
    assert summary.rejects == [f"{path}:31: duplicate posting id 'u:2' (first at {path}:3)"]


def test_a_run_failing_in_a_later_batch_keeps_the_earlier_batches(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = refresh_batches.load_batch
    calls: list[int] = []

    def fails_third(*args: Any, **kwargs: Any) -> refresh_batches.BatchLoad:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the store went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(refresh_batches, "load_batch", fails_third)
    with pytest.raises(RuntimeError, match="the store went away"):
        weekly_refresh(settings=settings, sources="none", files=[SAMPLE], batch_postings=BATCH)
    monkeypatch.undo()
    engine = create_store_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from postings")).scalar() == 2 * BATCH
        tagged = "select count(*) from postings p join posting_tags t on t.posting_id = p.id and t.method = 'rules'"
        assert conn.execute(sa.text(tagged)).scalar() == 2 * BATCH  # each batch whole: postings with their tags
        assert conn.execute(sa.text("select status from ingest_runs")).scalar() == "failed"
    engine.dispose()

    again = weekly_refresh(settings=settings, sources="none", files=[SAMPLE], batch_postings=BATCH)
    postings = again.total("postings")
    assert again.status == "succeeded"
    assert (again.total("unchanged"), again.total("new"), again.extracted) == (
        2 * BATCH,
        postings - 2 * BATCH,
        postings - 2 * BATCH,
    )
    engine = create_store_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from postings")).scalar() == postings
        assert conn.execute(sa.text("select count(*) from posting_tags where method = 'rules'")).scalar() == postings
        assert conn.execute(sa.text("select count(*) from postings where closed_on is not null")).scalar() == 0
    engine.dispose()
