"""The small protocol every source adapter follows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pipeline.domain import Posting, RawRecord, Reject


class SourceFetchError(RuntimeError):
    """A source could not be read at all (file missing, host down); other sources still run."""


class SourceAdapter(Protocol):
    """A place postings come from. ``fetch`` does I/O and may raise SourceFetchError; ``parse`` is pure."""

    @property
    def source_id(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def name(self) -> str: ...

    def fetch(self) -> Iterator[RawRecord]: ...

    def parse(self, record: RawRecord) -> Posting | Reject: ...
