"""The small protocol every source adapter follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pipeline.domain import Posting, RawRecord, Reject


class SourceFetchError(RuntimeError):
    """A source could not be read at all (file missing, host down); other sources still run."""


class SourceAdapter(Protocol):
    """A place postings come from. ``fetch`` does all the I/O and may raise SourceFetchError; ``parse`` is pure
    and turns one fetched record (a file line, an API response, a page) into postings and rejects."""

    @property
    def source_id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str: ...

    def fetch(self) -> Iterator[RawRecord]: ...

    def parse(self, record: RawRecord) -> list[Posting | Reject]: ...
