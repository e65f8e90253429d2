"""Conditional GETs backed by the archive: the ETag / Last-Modified of a URL and the payload it answered."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pipeline.http import CachedResponse
from pipeline.store.models import HttpValidator, RawPosting


class StoreValidatorCache:
    """A ``ValidatorCache`` reading ``http_validators`` joined with the archived payload."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def lookup(self, url: str) -> CachedResponse | None:
        with Session(self.engine) as session:
            row = session.execute(
                sa.select(HttpValidator.etag, HttpValidator.last_modified, RawPosting.payload, RawPosting.content_type)
                .join(RawPosting, RawPosting.id == HttpValidator.raw_posting_id)
                .where(HttpValidator.url == url)
            ).first()
        if row is None:
            return None
        etag, last_modified, payload, content_type = row
        # the archive keeps the decoded text, so the cached body is UTF-8 whatever charset the server used
        mime = content_type.split(";")[0].strip() if content_type else None
        return CachedResponse(
            etag=etag,
            last_modified=last_modified,
            body=payload.encode("utf-8"),
            content_type=f"{mime}; charset=utf-8" if mime else None,
        )
