"""The weekly refresh as a Prefect deployment: an entry flow taking JSON parameters, and its deployment.

``weekly_refresh`` takes a :class:`Settings` object, which a deployment cannot pass (its parameters are JSON,
stored on the server). ``scheduled_refresh`` takes plain parameters, reads the settings once from the
environment of the process running it (the worker's or ``jobatlas schedule``'s ``JOBATLAS_*`` variables and
``.env``), applies the overrides and runs ``weekly_refresh`` as a subflow. ``prefect.yaml`` at the repository
root describes the same deployment for ``prefect deploy``; ``jobatlas schedule`` serves it with ``serve``.
"""

from __future__ import annotations

from typing import Any, cast

from prefect import flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.task_runner import on_task_runner
from flows.weekly_refresh import weekly_refresh
from pipeline.settings import LlmMode, Settings
from pipeline.summary import RunSummary

DEPLOYMENT_NAME = "weekly"
ENTRYPOINT = "flows/deployment.py:scheduled_refresh"
DEFAULT_SOURCES = "all"


def deployment_settings(llm_mode: LlmMode | None = None, llm_budget_usd: float | None = None) -> Settings:
    """The settings of the environment, with the deployment's overrides (None keeps the environment's value)."""
    overrides: dict[str, Any] = {"llm_mode": llm_mode, "llm_budget_usd": llm_budget_usd}
    return Settings(**{name: value for name, value in overrides.items() if value is not None})


@flow(name="scheduled_refresh")
def scheduled_refresh(
    sources: str = DEFAULT_SOURCES, llm_mode: LlmMode | None = None, llm_budget_usd: float | None = None
) -> RunSummary:
    """Run weekly_refresh on ``sources`` (offline, live, all, none or comma-separated ids), tagging with
    ``llm_mode`` (rules, llm, hybrid) and spending at most ``llm_budget_usd`` on the model; unset parameters
    take ``JOBATLAS_LLM_MODE`` and ``JOBATLAS_LLM_BUDGET_USD``. Its ingest and extract tasks run on the Dask
    cluster of ``JOBATLAS_DASK_ADDRESS`` when that is set."""
    settings = deployment_settings(llm_mode, llm_budget_usd)
    return on_task_runner(weekly_refresh, settings)(settings=settings, sources=sources)


def deployment_parameters(
    sources: str = DEFAULT_SOURCES, llm_mode: LlmMode | None = None, llm_budget_usd: float | None = None
) -> dict[str, Any]:
    """The parameters a deployment run passes (the unset ones are left to the environment)."""
    given = {"sources": sources, "llm_mode": llm_mode, "llm_budget_usd": llm_budget_usd}
    return {name: value for name, value in given.items() if value is not None}


def build_deployment(
    settings: Settings,
    *,
    cron: str | None = None,
    parameters: dict[str, Any] | None = None,
    name: str = DEPLOYMENT_NAME,
) -> RunnerDeployment:
    """The deployment of ``scheduled_refresh``: the cron (default ``JOBATLAS_SCHEDULE_CRON``) in
    ``JOBATLAS_SCHEDULE_TIMEZONE``, the parameters, and one run at a time (a run due while one is running is
    cancelled, not queued). Raises ValueError for an invalid cron."""
    deployment = scheduled_refresh.to_deployment(
        name=name,
        schedules=[Cron(cron or settings.schedule_cron, timezone=settings.schedule_timezone)],
        parameters=parameters if parameters is not None else deployment_parameters(),
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        description="Refresh the jobatlas store from its sources (ingest -> ... -> aggregate).",
        tags=["jobatlas"],
    )
    return cast(RunnerDeployment, deployment)  # to_deployment is sync here (no event loop running)
