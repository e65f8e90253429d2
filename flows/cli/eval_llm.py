"""``jobatlas eval --tagger llm|hybrid``: the gold postings tagged by the rules and the model, through the store's
answer cache, with what the model spent recorded in ``llm_usage`` like any run."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from flows.cli.common import err_console, fail
from pipeline.evaluation.gold import CorpusLookup, GoldRow
from pipeline.evaluation.report import gold_postings
from pipeline.evaluation.taggers import TaggedGold, tag_with_model
from pipeline.extraction.extractor import Extractor
from pipeline.llm.prompt import PROMPT_VERSION
from pipeline.llm.setup import build_client, run_budget
from pipeline.llm.tagger import AnswerCache, MemoryCache
from pipeline.settings import Settings
from pipeline.store import migrate
from pipeline.store.database import StoreUnavailableError, open_engine
from pipeline.store.llm_cache import StoreAnswerCache, record_usage


@contextmanager
def _answer_cache(settings: Settings) -> Iterator[AnswerCache]:
    """The store's answer cache (migrated first, as ``jobatlas run`` does); an in-memory one, with a warning, when
    the store cannot be reached."""
    with ExitStack() as stack:
        try:
            engine = stack.enter_context(open_engine(settings))
        except StoreUnavailableError as exc:
            err_console.print(f"[yellow]warning:[/] {exc}; the answers are not cached", highlight=False)
            yield MemoryCache()
            return
        if not migrate.is_up_to_date(engine):
            migrate.upgrade(engine)
        yield StoreAnswerCache(engine)


def tag_gold_with_model(
    mode: str, settings: Settings, extractor: Extractor, rows: list[GoldRow], corpus: CorpusLookup
) -> TaggedGold:
    """The gold postings tagged by the rules and the model in ``mode`` (the budget and cap of the
    settings; answers cached in the store)."""
    try:
        client = build_client(settings, budget=run_budget(settings))
    except (OSError, ValueError) as exc:  # the price table cannot be read
        raise fail(" ".join(str(exc).split())) from None
    try:
        with _answer_cache(settings) as cache:
            started_at = datetime.now(UTC)
            tagged = tag_with_model(
                extractor,
                gold_postings(rows, corpus),
                mode=mode,
                client=client,
                cache=cache,
                skill_names=[skill.name for skill in extractor.taxonomy.skills],
                max_description_chars=settings.llm_max_description_chars,
                limit=settings.llm_hybrid_max_postings,
            )
            if isinstance(cache, StoreAnswerCache) and tagged.report is not None:  # what it spent counts too
                _record_usage(cache, tagged, mode=mode, started_at=started_at)
            return tagged
    finally:
        client.close()


def _record_usage(cache: StoreAnswerCache, tagged: TaggedGold, *, mode: str, started_at: datetime) -> None:
    assert tagged.report is not None
    with Session(cache.engine) as session, session.begin():
        record_usage(
            tagged.report,
            run_key=f"eval:{uuid.uuid4()}",
            mode=mode,
            prompt_version=PROMPT_VERSION,
            started_at=started_at,
            session=session,
        )
