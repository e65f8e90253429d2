"""Source health: fetch a source's first page(s) and say whether it answers postings."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from pipeline.domain import Reject
from pipeline.sources.base import SourceAdapter, SourceFetchError


@dataclass(frozen=True)
class Health:
    ok: bool
    postings: int
    rejects: int
    reason: str | None = None


def check_source(source: SourceAdapter, max_records: int = 2) -> Health:
    """Read up to ``max_records`` records (stopping at the first that yields postings) and judge the source.

    Unhealthy: it cannot be fetched, or it answered only rejects (garbage, an error page). An empty listing is
    healthy (the company is not hiring).
    """
    postings = rejects = 0
    first_reject: str | None = None
    try:
        for record in islice(source.fetch(), max_records):
            for parsed in source.parse(record):
                if isinstance(parsed, Reject):
                    rejects += 1
                    first_reject = first_reject or parsed.reason
                else:
                    postings += 1
            if postings:
                break
    except SourceFetchError as exc:
        return Health(ok=False, postings=postings, rejects=rejects, reason=str(exc))
    if postings:
        return Health(ok=True, postings=postings, rejects=rejects, reason=first_reject)
    if first_reject:
        return Health(ok=False, postings=0, rejects=rejects, reason=f"only rejects: {first_reject}")
    return Health(ok=True, postings=0, rejects=0, reason="the listing is empty")
