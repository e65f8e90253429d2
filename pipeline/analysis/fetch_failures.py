"""Sources failing lately: those with a failed fetch among their last few (``jobatlas status``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class FailingSource:
    source: str
    failures: int
    fetches: int  # the last ``last`` fetches, or fewer when the source has fewer
    last_status: str
    last_fetch: datetime
    last_error: str | None  # of its latest failed fetch


def failing_sources(*, session: Session, last: int) -> list[FailingSource]:
    """Every source with a failed fetch among its ``last`` latest, most failures first."""
    rows = session.execute(
        sa.text("""
        with ranked as (
            select f.source_id, f.status, f.error, r.started_at,
                   row_number() over (partition by f.source_id order by r.started_at desc, f.run_id desc) as n
            from source_fetches f join ingest_runs r on r.id = f.run_id
        )
        select source_id, count(*) filter (where status = 'failed') as failures, count(*) as fetches,
               (array_agg(status order by n))[1] as last_status, max(started_at) as last_fetch,
               (array_agg(error order by n) filter (where status = 'failed'))[1] as last_error
        from ranked where n <= :last
        group by source_id
        having count(*) filter (where status = 'failed') > 0
        order by failures desc, source_id
        """),
        {"last": last},
    )
    return [FailingSource(*row) for row in rows]
