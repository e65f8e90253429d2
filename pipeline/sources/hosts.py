"""The network host a source reads from: the key of the per-host limit on fetches at once."""

from __future__ import annotations

from urllib.parse import urlsplit

from pipeline.sources import ashby, greenhouse, hn_whoishiring, lever, remoteok, smartrecruiters
from pipeline.sources.registry import SourceEntry

API_ROOTS = {
    "greenhouse": greenhouse.API_ROOT,
    "lever": lever.API_ROOT,
    "ashby": ashby.API_ROOT,
    "smartrecruiters": smartrecruiters.API_ROOT,
    "remoteok": remoteok.REMOTEOK_URL,
    "hn_whoishiring": hn_whoishiring.ALGOLIA,
}


def source_host(entry: SourceEntry) -> str | None:
    """The host of the entry's URL (which replaces its API's root), else of its kind's API; None for files.

    >>> source_host(SourceEntry(id="greenhouse:acme", kind="greenhouse", board="acme"))
    'boards-api.greenhouse.io'
    >>> source_host(SourceEntry(id="c", kind="career_page", url="https://Jobs.Example.com:8443/ai"))
    'jobs.example.com'
    >>> source_host(SourceEntry(id="sample", kind="jsonl_file", path="s.jsonl")) is None
    True
    """
    if not entry.live:
        return None
    url = entry.url or API_ROOTS.get(entry.kind)
    return urlsplit(url).hostname if url else None
