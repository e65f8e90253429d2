"""Build the LLM tagger's parts from the settings: the client (priced from ``data/pricing.yaml``, with the run's
budget) and the skill vocabulary of the prompt. Entry points call these once per run."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.llm.budget import Budget
from pipeline.llm.client import ClientConfig, LlmClient
from pipeline.llm.pricing import Price, load_price_table, price_for
from pipeline.settings import Settings


def public_url(url: str) -> str:
    """A URL safe to print: any user name and password are left out.

    >>> public_url("https://user:secret@llm.example.com/v1"), public_url("http://localhost:11434/v1")
    ('https://llm.example.com/v1', 'http://localhost:11434/v1')
    """
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def model_price(settings: Settings) -> Price:
    """The price of the configured model at the configured endpoint."""
    table = load_price_table(settings.data_dir / "pricing.yaml")
    return price_for(settings.llm_model, settings.llm_base_url, table)


def build_client(settings: Settings, *, budget: Budget | None = None) -> LlmClient:
    """The client of the configured endpoint; ValueError when none is configured or the price table is broken."""
    config = ClientConfig.from_settings(settings)
    return LlmClient(config, price=model_price(settings), budget=budget)


def run_budget(settings: Settings) -> Budget:
    """A fresh budget for one run."""
    return Budget(settings.llm_budget_usd)


def skill_vocabulary(settings: Settings) -> list[str]:
    """The canonical skill names of the taxonomy, which the model must use."""
    return [skill.name for skill in load_taxonomy(settings.taxonomy_dir / "skills.yaml").skills]
