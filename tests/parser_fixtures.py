"""What the parser tests share: a saved payload parsed as its source's adapter would, and the fields of a posting
compared whole (without the hash, the source id and the long description, which tests check on their own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.domain import Posting, RawRecord, Reject


def fields(posting: Posting | Reject) -> dict[str, object]:
    assert isinstance(posting, Posting), posting
    return posting.model_dump(exclude={"raw_hash", "source_id", "description"})


@dataclass(frozen=True)
class SavedPayload:
    """A fixture file of one source and the parse function that reads it."""

    source_id: str
    path: Path
    parse: Callable[[RawRecord], list[Posting | Reject]]

    def record(self, payload: str, locator: str | None = None) -> RawRecord:
        return RawRecord(source_id=self.source_id, locator=locator or self.path.name, payload=payload)

    def results(self) -> list[Posting | Reject]:
        return self.parse(self.record(self.path.read_text(encoding="utf-8")))

    def posting_at(self, index: int) -> Posting:
        result = self.results()[index]
        assert isinstance(result, Posting), result
        return result
