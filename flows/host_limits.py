"""At most ``JOBATLAS_SOURCE_HOST_FETCHES`` sources of one host fetched at once, across every flow run that talks
to the same Prefect API: a Prefect global concurrency limit per host (``jobatlas-host-<host>``), occupied around
each source's fetch.

The flow creates (or resizes) the limits of the hosts it is about to read before it fetches, so they work on the
ephemeral API as on a Prefect server, where ``prefect gcl ls`` shows them. Files have no host and no limit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from prefect import get_client, get_run_logger
from prefect.concurrency.sync import concurrency

from pipeline.sources.hosts import source_host
from pipeline.sources.registry import SourceEntry
from pipeline.sources.selection import SelectedSource

PREFIX = "jobatlas-host-"
SLOT_LEASE_SECONDS = 600  # renewed while the fetch runs; frees the slot of a crashed run after this long


def limit_name(host: str) -> str:
    """
    >>> limit_name("boards-api.greenhouse.io")
    'jobatlas-host-boards-api.greenhouse.io'
    """
    return PREFIX + host


def host_of(selected: SelectedSource) -> str | None:
    return source_host(SourceEntry.model_validate(selected.config))


def ensure_host_limits(selected: Iterable[SelectedSource], fetches_per_host: int) -> list[str]:
    """Create or resize the limit of every host among the sources; returns the limit names."""
    names = sorted({limit_name(host) for host in map(host_of, selected) if host})
    with get_client(sync_client=True) as client:
        for name in names:
            client.upsert_global_concurrency_limit_by_name(name, fetches_per_host)
    return names


@contextlib.contextmanager
def host_slot(selected: SelectedSource) -> Iterator[None]:
    """Hold one slot of the source's host limit (waiting for one) while the block runs."""
    host = host_of(selected)
    if host is None:
        yield
        return
    get_run_logger().debug("waiting for a fetch slot of %s", host)
    with concurrency(limit_name(host), occupy=1, lease_duration=SLOT_LEASE_SECONDS, strict=False):
        yield
