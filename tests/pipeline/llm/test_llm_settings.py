"""The LLM settings: defaults, the environment, and a key that never shows."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from pipeline.llm.client import ClientConfig
from pipeline.settings import Settings


def test_defaults_need_no_model() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.llm_mode, settings.llm_base_url, settings.llm_api_key) == ("rules", None, None)
    assert settings.llm_temperature == 0
    with pytest.raises(ValueError, match="JOBATLAS_LLM_BASE_URL"):
        ClientConfig.from_settings(settings)


def test_the_environment_configures_the_client_and_the_key_stays_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBATLAS_LLM_MODE", "hybrid")
    monkeypatch.setenv("JOBATLAS_LLM_BASE_URL", "http://localhost:11434/v1")
    monkeypatch.setenv("JOBATLAS_LLM_API_KEY", "sk-hidden")
    monkeypatch.setenv("JOBATLAS_LLM_MAX_CONCURRENCY", "2")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    config = ClientConfig.from_settings(settings)
    assert (settings.llm_mode, config.base_url, config.max_concurrency) == ("hybrid", "http://localhost:11434/v1", 2)
    assert config.api_key is not None and config.api_key.get_secret_value() == "sk-hidden"
    assert "sk-hidden" not in repr(settings) + str(settings) + repr(config)


@pytest.mark.parametrize(
    ("name", "value"),
    [("llm_mode", "smart"), ("llm_max_concurrency", 0), ("llm_requests_per_minute", 0), ("llm_budget_usd", -1)],
)
def test_invalid_values_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, **{name: value})  # type: ignore[arg-type]
