"""Which postings a description is compared with, read from the store; or why it is not compared at all."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from pipeline.analysis.market import (
    MIN_SAMPLE,
    MarketSnapshot,
    Segment,
    market_snapshot,
    segment_counts,
    tagged_postings,
)
from pipeline.analysis.queries import has_schema
from pipeline.audit.report import MarketComparison
from pipeline.domain import Extraction


def choose_segment(
    role_family: str | None, level: str | None, counts: dict[tuple[str, str], int]
) -> tuple[Segment, Segment | None]:
    """The segment to compare with, and the description's own segment when it had to be widened.

    The description's own segment (role family x level) when it holds ``MIN_SAMPLE`` postings; else the role
    family at every level when that does; else the own segment if it holds any posting (small: figures carry a
    warning), else the role family, else every posting.

    >>> counts = {("ai_engineer", "senior"): 12, ("ai_engineer", "ii"): 25, ("ml_engineer", "senior"): 40}
    >>> [segment.label for segment in choose_segment("ai_engineer", "senior", counts)]
    ['AI engineer', 'AI engineer · Senior']
    >>> choose_segment("ml_engineer", "senior", counts)[0].label, choose_segment("ml_engineer", "i", counts)[0].label
    ('ML engineer · Senior', 'ML engineer')
    >>> choose_segment("data_engineer", None, counts)[0].label
    'all postings'
    """
    own = Segment(role_family, level)
    family = Segment(role_family)

    def size(segment: Segment) -> int:
        return sum(
            n
            for (f, lvl), n in counts.items()
            if (segment.role_family is None or f == segment.role_family)
            and (segment.level is None or lvl == segment.level)
        )

    if size(own) >= MIN_SAMPLE:
        return own, None
    if own != family and size(family) >= MIN_SAMPLE:
        return family, own
    if size(own):
        return own, None
    if size(family):
        return family, own
    return Segment(), own


def load_market(
    extraction: Extraction, *, session: Session, since: date | None = None
) -> tuple[MarketSnapshot | None, MarketComparison]:
    """The market snapshot for the description's segment and how it was chosen; a store without a schema, without
    tagged postings or that cannot be read gives no snapshot and a comparison that says why."""
    try:
        if not has_schema(session=session):
            return None, MarketComparison.skipped(
                "the store has no schema yet (run `jobatlas db upgrade`, or `jobatlas run` to load postings)"
            )
        total = tagged_postings(session=session, since=since)
        if not total:
            window = f" since {since.isoformat()}" if since else ""
            return None, MarketComparison.skipped(
                f"the store holds no tagged postings{window} (run `jobatlas run` to load some)"
            )
        segment, widened = choose_segment(
            extraction.role_family.value, extraction.level.value, segment_counts(session=session, since=since)
        )
        snapshot = market_snapshot(segment, session=session, since=since)
    except SQLAlchemyError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, MarketComparison.skipped(f"cannot read the store: {first}")
    comparison = MarketComparison(
        status="compared",
        segment=segment.label,
        postings=snapshot.postings,
        store_postings=total,
        widened_from=widened.label if widened is not None else None,
        first_day=snapshot.profile.first_day,
        last_day=snapshot.profile.last_day,
        warning=snapshot.warning,
    )
    return snapshot, comparison
