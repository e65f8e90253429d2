"""The weekly_refresh flow on a Dask cluster (prefect-dask's DaskTaskRunner): a LocalCluster of 2 worker processes
started here, compared with a run on the default (threaded) task runner."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from typing import Any

import cloudpickle  # type: ignore[import-untyped]
import pytest
import sqlalchemy as sa

from flows import refresh_tasks
from flows.task_runner import on_task_runner
from flows.weekly_refresh import weekly_refresh
from flows.worker_resources import process_report, store_key
from pipeline import refresh
from pipeline.settings import Settings
from pipeline.sources.selection import resolve_sources
from pipeline.store.database import create_store_engine

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.usefixtures("prefect_harness")

CHUNK = 25  # the sample's 97 postings make 4 extract tasks
COUNTED = ("postings", "posting_skills", "posting_tags", "raw_postings", "weekly_skill_counts")
SKILL_FINGERPRINT = """
    select md5(string_agg(ps.posting_id || '/' || s.name || '/' || ps.requirement, ',' order by 1))
    from posting_skills ps join skills s on s.id = ps.skill_id
"""


@pytest.fixture(scope="module")
def cluster_address() -> Iterator[str]:
    """The scheduler of a 2-process LocalCluster, one thread each (one cluster for the whole module). Its workers
    are spawned: a child imports the parent's ``__main__`` by path, so that must be the test runner's, not a script
    another test executed as ``__main__`` (Streamlit's AppTest does; tests/dashboard/conftest.py puts it back)."""
    main_file = str(getattr(sys.modules["__main__"], "__file__", ""))
    assert "dashboard" not in main_file, f"__main__ is {main_file}: every worker process would run it"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def counts(url: str) -> dict[str, Any]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(sa.text(f"select count(*) from {t}")).scalar() for t in COUNTED}
        out["skills"] = conn.execute(sa.text(SKILL_FINGERPRINT)).scalar()
    engine.dispose()
    return out


def test_the_refresh_runs_on_the_dask_workers_like_on_threads(
    cluster_address: str, settings: Settings, database_url: str, populated_url: str
) -> None:
    dask_settings = settings.model_copy(update={"dask_address": cluster_address})
    on_dask = on_task_runner(weekly_refresh, dask_settings)
    assert type(on_dask.task_runner).__name__ == "DaskTaskRunner"

    summary = on_dask(settings=dask_settings, extract_chunk_size=CHUNK)

    assert summary.status == "succeeded"
    lines = summary.counts()["fetched"]
    assert lines == 97 and summary.extracted == lines and summary.total("new") == lines
    with distributed.Client(cluster_address) as client:
        reports: dict[str, dict[str, int]] = client.run(process_report)
    assert len(reports) == 2
    # every extract chunk asked its worker for the extractor (the flow's process asks its own, not theirs),
    # and the ingest task opened the store on a worker
    assert sum(r["extractor_calls"] for r in reports.values()) == -(-lines // CHUNK)
    assert all(r["extractors_built"] <= 1 for r in reports.values())
    assert sum(r["stores_opened"] for r in reports.values()) >= 1

    # populated_url: the session's store filled by the same flow on the default task runner (threads)
    assert on_task_runner(weekly_refresh, settings) is weekly_refresh  # no address: the flow as it is
    assert counts(populated_url) == counts(database_url)


def test_what_the_flow_submits_pickles(settings: Settings) -> None:
    """The arguments of the submitted tasks, and the tasks, survive cloudpickle (what Dask sends to a worker)."""
    selected = resolve_sources(settings, "offline", [], None)
    adapter = selected[0].adapter
    postings = refresh.normalize_records(adapter, list(itertools.islice(adapter.fetch(), 3))).postings
    assert len(postings) == 3
    submitted: list[tuple[Any, tuple[object, ...]]] = [
        (refresh_tasks.ingest, (selected[0].config, settings, 1, False)),
        (refresh_tasks.extract, (settings.taxonomy_dir, postings)),
    ]
    for task, arguments in submitted:
        copy: tuple[Any, tuple[object, ...]] = cloudpickle.loads(cloudpickle.dumps((task, arguments)))
        task_copy, copied = copy
        assert task_copy.name == task.name
        assert copied == arguments
    restored = cloudpickle.loads(cloudpickle.dumps(settings))
    assert store_key(restored) == store_key(settings) and restored.database_url is not None
