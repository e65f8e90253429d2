"""The weekly refresh deployment: the object ``jobatlas schedule`` serves, prefect.yaml, the entry flow end to end
and ``jobatlas schedule``'s failures and exit codes."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from prefect import Flow
from prefect.cli.deploy._models import PrefectYamlModel
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment
from typer.testing import CliRunner

from flows.cli import app
from flows.deployment import build_deployment, deployment_parameters, deployment_settings, scheduled_refresh
from pipeline.settings import Settings
from pipeline.store.database import create_store_engine
from pipeline.store.run_lock import refresh_lock

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def schedule_of(deployment: RunnerDeployment) -> tuple[str | None, str | None]:
    [schedule] = deployment.schedules
    assert isinstance(schedule.schedule, CronSchedule)
    return schedule.schedule.cron, schedule.schedule.timezone


def test_the_deployment_has_the_settings_schedule_parameters_and_name() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    deployment = build_deployment(settings)
    assert (deployment.flow_name, deployment.name) == ("scheduled_refresh", "weekly")
    assert deployment.entrypoint == "flows/deployment.py:scheduled_refresh"
    assert schedule_of(deployment) == ("0 6 * * 1", "UTC")
    assert deployment.parameters == {"sources": "all"}
    assert deployment.concurrency_limit == 1
    schema = deployment._parameter_openapi_schema.properties
    assert set(schema) == {"sources", "llm_mode", "llm_budget_usd"}
    assert schema["llm_mode"]["anyOf"][0]["enum"] == ["rules", "llm", "hybrid"]

    paris = Settings(schedule_cron="30 5 * * 2", schedule_timezone="Europe/Paris", _env_file=None)  # type: ignore[call-arg]
    custom = build_deployment(
        paris, parameters=deployment_parameters("live", "hybrid", 2.5), name="weekly-live", cron="0 7 * * 3"
    )
    assert schedule_of(custom) == ("0 7 * * 3", "Europe/Paris")
    assert custom.parameters == {"sources": "live", "llm_mode": "hybrid", "llm_budget_usd": 2.5}
    assert custom.name == "weekly-live"
    assert schedule_of(build_deployment(paris)) == ("30 5 * * 2", "Europe/Paris")
    with pytest.raises(ValueError):
        build_deployment(settings, cron="every monday")


def test_prefect_yaml_names_the_entry_flow_and_the_settings_schedule() -> None:
    config = PrefectYamlModel.model_validate(yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8")))
    [deployment] = config.deployments
    assert deployment.entrypoint is not None
    path, name = deployment.entrypoint.split(":")
    spec = importlib.util.spec_from_file_location("entrypoint_module", REPO / path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entry = getattr(module, name)
    assert isinstance(entry, Flow) and entry.name == scheduled_refresh.name
    built = build_deployment(Settings(_env_file=None))  # type: ignore[call-arg]
    assert deployment.name == built.name
    assert deployment.parameters == built.parameters
    assert set(deployment.parameters) <= set(entry.parameters.properties)
    [schedule] = deployment.schedules or []
    defaults = Settings.model_fields
    assert (schedule.cron, schedule.timezone) == (
        defaults["schedule_cron"].default,
        defaults["schedule_timezone"].default,
    )
    assert deployment.work_pool is not None and deployment.work_pool.name == "jobatlas"


def test_deployment_settings_apply_only_the_given_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_LLM_MODE", "hybrid")
    monkeypatch.setenv("JOBATLAS_LLM_BUDGET_USD", "3")
    assert (deployment_settings().llm_mode, deployment_settings().llm_budget_usd) == ("hybrid", 3.0)
    overridden = deployment_settings("rules", 0.5)
    assert (overridden.llm_mode, overridden.llm_budget_usd) == ("rules", 0.5)


@pytest.mark.usefixtures("prefect_harness")
def test_the_entry_flow_runs_the_refresh_from_the_environment(
    settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    monkeypatch.setenv("JOBATLAS_GENERATED_DIR", str(settings.output_dir))
    monkeypatch.setenv("JOBATLAS_LLM_MODE", "hybrid")  # the parameter wins
    summary = scheduled_refresh(sources="offline", llm_mode="rules")
    lines = sum(1 for line in settings.sample_postings_path.read_text(encoding="utf-8").splitlines() if line.strip())
    assert (summary.status, summary.llm_mode, summary.total("new")) == ("succeeded", "rules", lines)
    engine = create_store_engine(database_url)
    with engine.connect() as conn:
        runs = conn.execute(sa.text("select status, source_ids from ingest_runs")).all()
    engine.dispose()
    assert [tuple(r) for r in runs] == [("succeeded", ["sample"])]


def test_schedule_without_a_prefect_server_says_how_to_get_one(database_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "schedule", "--cron", "0 6 * * 1"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env | {"JOBATLAS_DATABASE_URL": database_url},
        cwd=REPO,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: serving a schedule needs a Prefect server"), result.stderr


def test_schedule_once_exits_4_while_a_refresh_holds_the_lock(
    engine: sa.Engine, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBATLAS_DATABASE_URL", database_url)
    with refresh_lock(engine, label="run 41 (flow run busy-bee)"):
        result = runner.invoke(app, ["schedule", "--once", "--sources", "none"])
    assert result.exit_code == 4, result.output
    assert "locked: another refresh is running (run 41 (flow run busy-bee), since" in result.output
