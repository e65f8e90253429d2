"""The archive of everything fetched: raw payloads (immutable, stored once per source and content hash;
PostgreSQL compresses large values), quarantined rejects, the per-run fetch log of each source, and HTTP validators
for conditional GETs. Functions take the session as a keyword argument; the caller commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Session

from pipeline.domain import RawRecord, Reject
from pipeline.store.models import HttpValidator, QuarantinedRecord, RawPosting, SourceFetch
from pipeline.store.upserts import batches, changed, table_of


def save_raw(records: Sequence[RawRecord], *, run_id: int, session: Session) -> tuple[dict[str, int], int]:
    """Keep every fetched payload once per (source, hash); returns hash -> raw id and the number new.

    The hashes already stored are looked up first, so a payload archived before is not sent again."""
    now = datetime.now(UTC)
    table = table_of(RawPosting)
    by_source: dict[str, dict[str, RawRecord]] = {}
    for record in records:
        by_source.setdefault(record.source_id, {}).setdefault(record.content_hash, record)
    ids: dict[str, int] = {}
    for source_id, hashes in by_source.items():
        ids.update(_stored_ids(source_id, list(hashes), session=session))
    inserted = 0
    missing = [
        {
            "source_id": r.source_id,
            "locator": r.locator,
            "content_hash": content_hash,
            "payload": r.payload,
            "fetched_at": r.fetched_at or now,
            "run_id": run_id,
            "url": r.url,
            "http_status": r.http_status,
            "content_type": r.content_type,
        }
        for hashes in by_source.values()
        for content_hash, r in hashes.items()
        if content_hash not in ids
    ]
    for batch in batches(missing):
        result = session.execute(
            insert(table)
            .on_conflict_do_nothing(constraint="uq_raw_postings_source_hash")
            .returning(table.c.content_hash, table.c.id),
            list(batch),
        )
        rows = result.all()
        inserted += len(rows)
        ids.update({content_hash: raw_id for content_hash, raw_id in rows})
    for source_id, hashes in by_source.items():  # stored by a concurrent writer between lookup and insert
        late = [content_hash for content_hash in hashes if content_hash not in ids]
        if late:
            ids.update(_stored_ids(source_id, late, session=session))
    return ids, inserted


def _stored_ids(source_id: str, hashes: Sequence[str], *, session: Session) -> dict[str, int]:
    table = table_of(RawPosting)
    rows = session.execute(
        sa.select(table.c.content_hash, table.c.id).where(
            table.c.source_id == source_id,
            table.c.content_hash == sa.any_(sa.bindparam("hashes", list(hashes), type_=ARRAY(sa.String()))),
        )
    )
    return {content_hash: raw_id for content_hash, raw_id in rows}


def quarantine(rejects: Sequence[Reject], *, run_id: int, session: Session) -> int:
    """Quarantine rejected records with their raw text and reason; returns how many were new."""
    table = table_of(QuarantinedRecord)
    rows = [
        {
            "source_id": r.source_id,
            "locator": r.locator,
            "reason": r.reason,
            "payload": r.payload,
            "content_hash": r.content_hash,
            "run_id": run_id,
        }
        for r in rejects
    ]
    new = 0
    for batch in batches(rows):
        result = session.execute(
            insert(table).on_conflict_do_nothing(constraint="uq_quarantine_source_hash").returning(table.c.id),
            list(batch),
        )
        new += len(result.all())
    return new


def log_fetch(
    source_id: str,
    *,
    run_id: int,
    error: str | None,
    raw_ids: Sequence[int],
    seconds: float,
    session: Session,
) -> None:
    """Record how reading one source went in one run, and which raw records made up its listing."""
    session.add(
        SourceFetch(
            run_id=run_id,
            source_id=source_id,
            status="failed" if error else "ok",
            error=error,
            records=len(raw_ids),
            raw_ids=list(raw_ids),
            seconds=round(seconds, 3),
        )
    )


def listing_raw_ids(source_id: str, *, session: Session) -> list[int] | None:
    """The raw ids of the latest successful fetch of a source, in fetch order; None if it never succeeded."""
    raw_ids = session.scalar(
        sa.select(SourceFetch.raw_ids)
        .where(SourceFetch.source_id == source_id, SourceFetch.status == "ok")
        .order_by(SourceFetch.run_id.desc())
        .limit(1)
    )
    return None if raw_ids is None else list(raw_ids)


def raw_records(raw_ids: Sequence[int], *, session: Session) -> list[tuple[int, RawRecord]]:
    """The archived records of ``raw_ids`` with their ids, in the order given (an id given twice comes twice; an
    unknown id is left out). One statement with an array parameter, whatever the number of ids."""
    table = table_of(RawPosting)
    stmt = sa.select(
        table.c.id,
        table.c.source_id,
        table.c.locator,
        table.c.payload,
        table.c.url,
        table.c.http_status,
        table.c.content_type,
        table.c.fetched_at,
    ).where(table.c.id == sa.any_(sa.bindparam("ids", list(set(raw_ids)), type_=ARRAY(sa.BigInteger()))))
    rows = {row.id: row for row in session.execute(stmt)}
    return [
        (
            raw_id,
            RawRecord(
                source_id=row.source_id,
                locator=row.locator,
                payload=row.payload,
                url=row.url,
                http_status=row.http_status,
                content_type=row.content_type,
                fetched_at=row.fetched_at,
            ),
        )
        for raw_id in raw_ids
        if (row := rows.get(raw_id)) is not None
    ]


def archived_records(source_id: str, *, session: Session) -> list[RawRecord] | None:
    """The raw records of the latest successful fetch of a source, in fetch order; None if it never succeeded."""
    raw_ids = listing_raw_ids(source_id, session=session)
    if raw_ids is None:
        return None
    return [record for _, record in raw_records(raw_ids, session=session)]


def save_validators(records: Sequence[RawRecord], *, raw_ids: dict[str, int], session: Session) -> None:
    """Remember ETag / Last-Modified of fetched URLs so the next fetch can be conditional."""
    rows = [
        {"url": r.url, "etag": r.etag, "last_modified": r.last_modified, "raw_posting_id": raw_ids[r.content_hash]}
        for r in records
        if r.url and (r.etag or r.last_modified) and r.content_hash in raw_ids
    ]
    table = table_of(HttpValidator)
    columns = ["etag", "last_modified", "raw_posting_id"]
    for batch in batches(list({row["url"]: row for row in rows}.values())):
        stmt = insert(table)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["url"], set_={c: stmt.excluded[c] for c in columns}, where=changed(table, columns)
            ),
            list(batch),
        )


def mark_fetch_failed(source_id: str, *, run_id: int, reason: str, session: Session) -> None:
    """Mark a fetch that answered garbage as failed, with the reason (its payloads stay archived)."""
    session.execute(
        sa.update(SourceFetch)
        .where(SourceFetch.run_id == run_id, SourceFetch.source_id == source_id)
        .values(status="failed", error=reason)
    )
