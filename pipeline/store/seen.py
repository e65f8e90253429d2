"""Which postings a listing still shows: mark the unchanged ones seen (one set-based update per batch, no upsert)
and close the open postings of a fully listed source that it no longer shows.

Both take any number of ids: the ids travel as one array parameter (``mark_seen``) or through COPY into a
temporary table (``close_missing``), never as one bind parameter each (PostgreSQL's limit is 65,535 per
statement). Functions take the session as a keyword argument; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from pipeline.store import bulk

_MARK_SEEN = sa.text(
    """
    update postings p
    set last_seen_on = :seen_on, closed_on = null, raw_posting_id = s.raw_id, updated_at = now()
    from unnest(:ids, :raw_ids) as s (id, raw_id)
    where p.id = s.id
      and (p.last_seen_on is distinct from :seen_on or p.closed_on is not null
           or p.raw_posting_id is distinct from s.raw_id)
    """
).bindparams(
    sa.bindparam("ids", type_=ARRAY(sa.String())),
    sa.bindparam("raw_ids", type_=ARRAY(sa.BigInteger())),
    sa.bindparam("seen_on", type_=sa.Date()),
)


def mark_seen(seen: Sequence[tuple[str, int | None]], *, seen_on: date, session: Session) -> int:
    """Mark stored postings whose content did not change as seen on ``seen_on``, open, and made from the raw
    payload ``raw_id``, given as (posting id, raw id) pairs; a row already so is not written. Returns the rows
    written.

    On a later day than the last refresh every posting still listed is written (its ``last_seen_on``); none of
    these columns is one the posting facts are made of, so the facts trigger writes nothing and no posting is
    marked for the cubes (migration 0009), and none is indexed, so with the room the fillfactor leaves on each
    page the update is HOT: a new version beside the old one, no index entry (migration 0010).
    ``source_company_counts`` follows the new last-seen days."""
    if not seen:
        return 0
    result = session.execute(
        _MARK_SEEN, {"ids": [pid for pid, _ in seen], "raw_ids": [rid for _, rid in seen], "seen_on": seen_on}
    )
    return int(cast("CursorResult[Any]", result).rowcount or 0)


def close_missing(source_id: str, *, seen_ids: Sequence[str], closed_on: date, session: Session) -> int:
    """Close the open postings of a fully listed source that were not seen in this listing (the seen ids are
    copied into a temporary table dropped at commit)."""
    conn = bulk.driver_connection(session)
    with conn.cursor() as cursor:
        cursor.execute("drop table if exists pg_temp.seen_posting_ids")
        cursor.execute("create temp table seen_posting_ids (id text primary key) on commit drop")
        with cursor.copy("copy seen_posting_ids (id) from stdin") as copy:
            for posting_id in dict.fromkeys(seen_ids):
                copy.write_row((posting_id,))
        cursor.execute("analyze seen_posting_ids")
        cursor.execute(
            "update postings p set closed_on = %s, updated_at = now() "
            "where p.source_id = %s and p.closed_on is null "
            "and not exists (select 1 from seen_posting_ids s where s.id = p.id)",
            (closed_on, source_id),
        )
        closed = cursor.rowcount
        cursor.execute("drop table seen_posting_ids")
    return max(closed, 0)
