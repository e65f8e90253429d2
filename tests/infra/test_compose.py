"""The deployable stack as files: docker-compose.yml, the Dockerfile, the env examples and the settings table agree
with each other and with the code (Docker itself is not needed)."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from flows.cli import app
from pipeline.settings import Settings
from pipeline.settings_doc import env_name, is_secret, settings_table

REPO = Path(__file__).resolve().parents[2]
INFRA = REPO / "infra"
LONG_RUNNING = {"postgres", "prefect-server", "scheduler", "dashboard"}
SETTINGS = {env_name(name) for name in Settings.model_fields}
SECRETS = {env_name(name) for name, info in Settings.model_fields.items() if is_secret(info)} | {"POSTGRES_PASSWORD"}
JOBATLAS_SERVICES = {"migrate", "scheduler", "dashboard"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded = yaml.safe_load((INFRA / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose["services"]
    assert isinstance(found, dict)
    return found


def cli_commands() -> set[str]:
    """Every command and command group a jobatlas command line may start with."""
    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def healthcheck_text(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else str(test)


def test_every_service_is_there_and_the_long_running_ones_have_healthchecks(
    services: dict[str, dict[str, Any]],
) -> None:
    assert set(services) >= LONG_RUNNING | JOBATLAS_SERVICES
    for name, service in services.items():
        if service.get("restart") == "no":  # a one-shot job: done, not healthy
            continue
        check = service.get("healthcheck", {})
        assert not check.get("disable") and check.get("test"), f"{name} has no healthcheck"
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
    assert services["postgres"]["image"].startswith("postgres:15")
    assert "pg_isready" in healthcheck_text(services["postgres"])
    assert "/api/health" in healthcheck_text(services["prefect-server"])
    assert "/_stcore/health" in healthcheck_text(services["dashboard"])
    assert "/health" in healthcheck_text(services["scheduler"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in services["postgres"]["volumes"])


def test_services_wait_for_what_they_need_to_be_healthy(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{name} depends on a missing service {target}"
            one_shot = services[target].get("restart") == "no"
            wanted = "service_completed_successfully" if one_shot else "service_healthy"
            assert rule == {"condition": wanted}, f"{name} -> {target}: {rule}"
    needs = {
        "scheduler": {"postgres", "prefect-server", "migrate"},
        "dashboard": {"postgres", "migrate"},
        "migrate": {"postgres"},
    }
    for name, targets in needs.items():
        assert targets <= set(services[name]["depends_on"]), name


def test_the_jobatlas_services_run_real_commands_with_the_scheduler_serving_the_deployment(
    services: dict[str, dict[str, Any]],
) -> None:
    commands = cli_commands()
    for name in JOBATLAS_SERVICES:
        command = services[name]["command"]
        words = command if isinstance(command, list) else shlex.split(command)
        assert words[0] in commands, f"{name} runs `jobatlas {words[0]}`, which does not exist"
        assert services[name]["build"]["dockerfile"] == "infra/Dockerfile"
    assert services["scheduler"]["command"][0] == "schedule"
    assert services["scheduler"]["environment"]["PREFECT_API_URL"] == "http://prefect-server:4200/api"


def test_every_jobatlas_variable_of_the_compose_file_is_a_setting() -> None:
    text = (INFRA / "docker-compose.yml").read_text(encoding="utf-8")
    named = set(re.findall(r"\bJOBATLAS_[A-Z0-9_]+", text))
    assert named, "the compose file sets no JOBATLAS_* variable"
    assert named - SETTINGS == set()
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    assert [v for v in sorted(named) if f"`{v}`" not in readme] == []


def test_secrets_come_from_the_env_file_only(services: dict[str, dict[str, Any]]) -> None:
    for name in JOBATLAS_SERVICES | {"postgres"}:
        env_file = services[name]["env_file"]
        assert env_file == ".env" or env_file == [".env"], name
    for name, service in services.items():
        environment = service.get("environment", {})
        keys = set(environment) if isinstance(environment, dict) else {e.split("=", 1)[0] for e in environment}
        assert keys & SECRETS == set(), f"{name} sets a secret inline"
    text = (INFRA / "docker-compose.yml").read_text(encoding="utf-8")
    assert "postgresql+psycopg://" not in text and "${" not in text


def assignments(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of an env file, commented out (``# NAME=value``) or not."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"#?\s*([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


@pytest.mark.parametrize("path", [REPO / ".env.example", INFRA / "env.example"], ids=["root", "infra"])
def test_env_examples_name_only_settings_and_keep_secrets_empty(path: Path) -> None:
    values = assignments(path)
    assert {name for name in values if name.startswith("JOBATLAS_")} <= SETTINGS
    assert {name: values[name] for name in SECRETS & set(values) if values[name]} == {}


def test_the_root_env_example_has_every_setting() -> None:
    assert SETTINGS - set(assignments(REPO / ".env.example")) == set()


def test_the_infra_readme_table_is_generated_from_the_settings() -> None:
    readme = (INFRA / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- settings-table:start -->\n", 1)[1].split("\n<!-- settings-table:end -->", 1)[0]
    assert block == settings_table(), "stale settings table: run `python infra/settings_table.py`"
    rows = [line for line in block.splitlines()[2:] if line.startswith("| `JOBATLAS_")]
    assert [row.split("`")[1] for row in rows] == [env_name(name) for name in Settings.model_fields]


def instructions(dockerfile: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n\s*", " ", dockerfile)
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def test_the_dockerfile_is_multi_stage_slim_non_root_and_runs_a_real_command() -> None:
    steps = instructions((INFRA / "Dockerfile").read_text(encoding="utf-8"))
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) >= 2 and all(stage.startswith("python:3.11-slim") for stage in stages)
    final = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    users = [args for op, args in steps[final:] if op == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}
    assert any(op == "HEALTHCHECK" and "/_stcore/health" in args for op, args in steps[final:])
    entrypoint = next(args for op, args in steps if op == "ENTRYPOINT")
    cmd = next(args for op, args in steps if op == "CMD")
    assert yaml.safe_load(entrypoint) == ["jobatlas"]
    assert yaml.safe_load(cmd)[0] in cli_commands()
    healthcheck = next(args for op, args in steps if op == "HEALTHCHECK")
    probe = json.loads(healthcheck.split(" CMD ", 1)[1])
    assert probe[:2] == ["python", "-c"]
    compile(probe[2], "HEALTHCHECK", "exec")  # the probe is valid Python
    named = set(re.findall(r"\bJOBATLAS_[A-Z0-9_]+", " ".join(args for _, args in steps)))
    assert named and named <= SETTINGS
    installs = " ".join(args for op, args in steps if op == "RUN" and "pip install" in args)
    assert "pip install ." in installs and "[test]" not in installs
    ignore = (INFRA / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignore and "data/generated/" in ignore
