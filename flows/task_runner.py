"""Where a refresh's submitted tasks (ingest per source, extract per chunk) run.

By default in threads of the flow's process (Prefect's default task runner). With ``JOBATLAS_DASK_ADDRESS`` (or
``jobatlas run --dask-address tcp://HOST:PORT``) on an existing Dask cluster, through prefect-dask's
``DaskTaskRunner``. The workers need this code and its dependencies installed, the same ``JOBATLAS_*`` settings
as far as they name the store and the data directory (they receive the flow's settings, so the database must be
reachable from them under the same URL), and a Prefect API they can reach (the flow's ``PREFECT_API_URL``; the
ephemeral API of a server-less run listens on 127.0.0.1, which only a cluster on the same machine reaches).
The flow itself (the refresh lock, the run's bookkeeping, load, dedup, aggregate) stays in its own process.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

from prefect import Flow
from prefect.task_runners import TaskRunner

from pipeline.settings import Settings

R = TypeVar("R")


def on_task_runner(flow: Flow[Any, R], settings: Settings, dask_address: str | None = None) -> Flow[Any, R]:
    """The flow with a Dask task runner on ``dask_address`` (default ``settings.dask_address``) when one is given,
    else the flow as it is."""
    address = dask_address or settings.dask_address
    if not address:
        return flow
    from prefect_dask.task_runners import DaskTaskRunner  # local import: only a Dask run needs it

    runner = cast(TaskRunner[Any], DaskTaskRunner(address=address))  # its futures are PrefectFutures
    return flow.with_options(task_runner=runner)
