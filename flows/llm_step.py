"""The LLM step as a Prefect task, shared by ``weekly_refresh`` / ``reprocess`` and ``reextract``: it only wires
``pipeline.llm_tagging.tag_with_llm`` (which never fails the run because of the model) and logs its lines."""

from __future__ import annotations

import uuid

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from sqlalchemy.engine import Engine

from pipeline.llm_tagging import LlmStepResult, endpoint_line, tag_with_llm
from pipeline.settings import Settings


def llm_run_key(kind: str) -> str:
    """The ``llm_usage`` key of this flow run: ``<kind>:<flow run id>`` (a random id outside a flow run)."""
    context = FlowRunContext.get()
    flow_run = context.flow_run if context is not None else None
    return f"{kind}:{flow_run.id if flow_run is not None else uuid.uuid4()}"


@task(name="llm", cache_policy=NO_CACHE)
def llm_tag(
    settings: Settings, engine: Engine, posting_ids: list[str], run_key: str, run_id: int | None
) -> LlmStepResult:
    """Ask the model about the postings its mode picks among ``posting_ids`` and store their final tags."""
    logger = get_run_logger()
    logger.info("LLM step: %s, %d postings in scope", endpoint_line(settings), len(posting_ids))
    result = tag_with_llm(posting_ids, settings=settings, engine=engine, run_key=run_key, run_id=run_id)
    for line in result.summary_lines():
        logger.info(line)
    return result
