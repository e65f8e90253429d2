"""``jobatlas schedule``: serve the weekly refresh deployment on its cron, or run it once now."""

from __future__ import annotations

from typing import Annotated

import typer

from flows.cli.common import console, fail, load_settings, prefect_defaults, store
from flows.cli.refresh import preflight, run_refresh
from pipeline.settings import LlmMode

NEEDS_SERVER = (
    "serving a schedule needs a Prefect server: start one (`prefect server start`) and set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api, or run once now with --once"
)


def schedule(
    cron: Annotated[
        str | None, typer.Option(help="Cron of the runs. Default: JOBATLAS_SCHEDULE_CRON (Mondays 06:00).")
    ] = None,
    sources: Annotated[
        str, typer.Option(help="Registry sources each run reads: offline, live, all, none, or ids a,b.")
    ] = "all",
    llm_mode: Annotated[
        LlmMode | None, typer.Option(help="Tagger mode of the runs: rules, llm or hybrid. Default: JOBATLAS_LLM_MODE.")
    ] = None,
    llm_budget: Annotated[
        float | None,
        typer.Option(min=0, help="Most each run spends on the model (USD). Default: JOBATLAS_LLM_BUDGET_USD."),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Run the deployment's flow once now and exit.")] = False,
) -> None:
    """Serve the weekly_refresh deployment (flow scheduled_refresh, deployment weekly) on its cron until stopped,
    or with --once run it now, with the exit codes of `jobatlas run`."""
    settings = load_settings()
    prefect_defaults()
    from flows.deployment import build_deployment, deployment_parameters, scheduled_refresh

    parameters = deployment_parameters(sources, llm_mode, llm_budget)
    if once:
        preflight(settings)
        run_refresh(lambda: scheduled_refresh(**parameters))
        return
    with store(settings):  # fail fast, in one line, before Prefect starts
        pass
    from prefect import serve
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise fail(NEEDS_SERVER)
    try:
        deployment = build_deployment(settings, cron=cron, parameters=parameters)
    except ValueError as exc:
        raise fail(f"invalid schedule: {exc}") from None
    console.print(
        f"serving {deployment.flow_name}/{deployment.name}: cron {cron or settings.schedule_cron!r} "
        f"({settings.schedule_timezone}), parameters {parameters}; Ctrl-C stops",
        highlight=False,
    )
    serve(deployment)
