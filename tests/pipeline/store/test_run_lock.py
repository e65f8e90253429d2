"""The refresh lock on a real PostgreSQL server: exclusive, named, per database, released on exit and on a crash;
the runs a crash left ``running`` are closed; the sources failing lately."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pg_server
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.analysis.fetch_failures import failing_sources
from pipeline.store import archive, loads
from pipeline.store.database import create_store_engine
from pipeline.store.run_lock import RefreshLockedError, close_abandoned_runs, current_holder, refresh_lock

HOLD_UNTIL_KILLED = textwrap.dedent("""
    import sys, time
    from pipeline.store.database import create_store_engine
    from pipeline.store.run_lock import refresh_lock

    with refresh_lock(create_store_engine(sys.argv[1]), label="run 7 (flow run doomed-process)"):
        print("held", flush=True)
        time.sleep(600)
""")


def test_a_second_holder_is_refused_with_the_first_named_until_it_releases(engine: sa.Engine) -> None:
    assert current_holder(engine) is None
    with refresh_lock(engine, label="a refresh starting") as lock:
        lock.label("run 12 (flow run clever-fox)")
        holder = current_holder(engine)
        assert holder is not None and holder.label == "run 12 (flow run clever-fox)"
        with pytest.raises(RefreshLockedError) as refused, refresh_lock(engine, label="the second"):
            pytest.fail("the second holder got the lock")
        assert "another refresh is running (run 12 (flow run clever-fox), since " in str(refused.value)
        assert refused.value.holder == holder.describe()
    assert current_holder(engine) is None
    with refresh_lock(engine, label="after"):  # released on exit, so it can be taken again
        assert current_holder(engine) is not None


def test_the_lock_is_released_when_the_block_raises(engine: sa.Engine) -> None:
    with pytest.raises(ZeroDivisionError), refresh_lock(engine, label="failing"):
        _ = 1 / 0
    assert current_holder(engine) is None


def test_locks_of_different_databases_are_independent(engine: sa.Engine, postgres: pg_server.TestPostgres) -> None:
    other = create_store_engine(postgres.url)
    try:
        with refresh_lock(engine, label="here"), refresh_lock(other, label="there"):
            assert current_holder(engine) is not None and current_holder(other) is not None
    finally:
        other.dispose()


def test_the_lock_of_a_killed_process_is_released(engine: sa.Engine, database_url: str) -> None:
    child = subprocess.Popen([sys.executable, "-c", HOLD_UNTIL_KILLED, database_url], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        with (
            pytest.raises(RefreshLockedError, match=r"run 7 \(flow run doomed-process\)"),
            refresh_lock(engine, label="second"),
        ):
            pytest.fail("the second holder got the lock")
    finally:
        child.kill()
        child.wait(timeout=30)
    # the server notices the dead client when its socket closes: the lock goes with the session
    with engine.connect() as conn:
        for _ in range(100):
            if current_holder(engine) is None:
                break
            conn.execute(sa.text("select pg_sleep(0.1)"))
    with refresh_lock(engine, label="after the crash"):
        pass


def test_runs_left_running_by_a_crash_are_closed_as_failed(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        crashed = loads.start_run(["a"], flow_run_id=None, session=session)
        done = loads.start_run(["a"], flow_run_id=None, session=session)
        loads.finish_run(done, status="succeeded", counts={}, step_seconds={}, errors={}, session=session)
    with Session(migrated_engine) as session, session.begin():
        assert close_abandoned_runs(session=session) == 1
    with Session(migrated_engine) as session:
        rows = {r.id: r.status for r in session.execute(sa.text("select id, status from ingest_runs"))}
        error = session.scalar(sa.text("select errors->>'run' from ingest_runs where id = :id"), {"id": crashed})
    assert rows == {crashed: "failed", done: "succeeded"}
    assert error is not None and "ended without finishing" in error


def test_failing_sources_look_at_their_last_fetches_only(migrated_engine: sa.Engine) -> None:
    # source a: failed, failed, ok (newest last); b: always ok; c: ok then failed
    outcomes: dict[str, list[str | None]] = {
        "a": ["boom 1", "boom 2", None],
        "b": [None] * 3,
        "c": [None, None, "gone"],
    }
    with Session(migrated_engine) as session, session.begin():
        loads.upsert_sources([(s, "jsonl_file", s, {}) for s in outcomes], session=session)
        for i in range(3):
            run = loads.start_run(list(outcomes), flow_run_id=None, session=session)
            session.execute(
                sa.text("update ingest_runs set started_at = :t where id = :id"),
                {"t": datetime(2026, 11, 2 + 7 * i, 6, tzinfo=UTC), "id": run},
            )
            for source, errors in outcomes.items():
                archive.log_fetch(source, run_id=run, error=errors[i], raw_ids=[], seconds=0.1, session=session)
    with Session(migrated_engine) as session:
        last_three = failing_sources(session=session, last=3)
        last_one = failing_sources(session=session, last=1)
    assert [(f.source, f.failures, f.fetches, f.last_status, f.last_error) for f in last_three] == [
        ("a", 2, 3, "ok", "boom 2"),
        ("c", 1, 3, "failed", "gone"),
    ]
    assert [(f.source, f.failures, f.last_fetch) for f in last_one] == [("c", 1, datetime(2026, 11, 16, 6, tzinfo=UTC))]
