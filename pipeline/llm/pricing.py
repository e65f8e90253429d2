"""What a model's tokens cost: the price table of ``data/pricing.yaml`` and the cost of one answer.

See the comments of ``data/pricing.yaml`` for how a model name finds its price; models on local or private
hosts that the table does not list cost nothing.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field

PER_MILLION = 1_000_000
_SEPARATORS = ("-", ":", "@", ".")


class ListedPrice(BaseModel):
    """One model of the price table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    input: float = Field(ge=0, description="USD per million prompt tokens")
    output: float = Field(ge=0, description="USD per million completion tokens")
    checked: date
    source: str = Field(min_length=1)


class UnlistedPrice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)


class PriceTable(BaseModel):
    """The contents of ``data/pricing.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unlisted: UnlistedPrice
    models: tuple[ListedPrice, ...]


@dataclass(frozen=True)
class Price:
    """The price a model is charged at, and why: ``listed`` (its entry), ``local`` (an unlisted model on a local
    or private host: free) or ``unlisted`` (the table's deliberately high fallback)."""

    model: str
    input_per_million: float
    output_per_million: float
    basis: Literal["listed", "local", "unlisted"]

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        """USD for one request's tokens.

        >>> Price("gpt-4o-mini", 0.15, 0.60, "listed").cost(2_000, 500)
        0.0006
        """
        return round(
            (prompt_tokens * self.input_per_million + completion_tokens * self.output_per_million) / PER_MILLION, 9
        )


FREE = Price("local", 0.0, 0.0, "local")


def load_price_table(path: Path) -> PriceTable:
    """Read and validate a price table (``data/pricing.yaml``)."""
    return PriceTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def is_local_host(base_url: str | None) -> bool:
    """Whether an endpoint runs on this machine or a private network (its unlisted models are free).

    >>> [is_local_host(u) for u in ("http://localhost:11434/v1", "http://10.0.0.7:8000/v1", "http://vllm:8000/v1")]
    [True, True, True]
    >>> is_local_host("https://api.openai.com/v1"), is_local_host(None)
    (False, False)
    """
    host = (urlsplit(base_url).hostname or "") if base_url else ""
    if not host:
        return False
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan")) or "." not in host:
        return ":" not in host or _private_ip(host)
    return _private_ip(host)


def _private_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_unspecified


def model_key(model: str) -> str:
    """The model name as the table spells it: lower case, without a provider prefix.

    >>> model_key("openai/GPT-4o-mini"), model_key("models/gemini-2.5-flash")
    ('gpt-4o-mini', 'gemini-2.5-flash')
    """
    return model.strip().lower().rsplit("/", 1)[-1]


def price_for(model: str, base_url: str | None, table: PriceTable) -> Price:
    """The price of ``model`` served at ``base_url``.

    >>> table = PriceTable.model_validate({"unlisted": {"input": 15, "output": 75}, "models": [
    ...     {"name": "gpt-4o", "input": 2.5, "output": 10, "checked": "2025-08-01", "source": "x"},
    ...     {"name": "gpt-4o-mini", "input": 0.15, "output": 0.6, "checked": "2025-08-01", "source": "x"}]})
    >>> price_for("gpt-4o-mini-2024-07-18", "https://api.openai.com/v1", table)
    Price(model='gpt-4o-mini', input_per_million=0.15, output_per_million=0.6, basis='listed')
    >>> price_for("llama3.1:8b", "http://localhost:11434/v1", table).basis
    'local'
    >>> price_for("mystery-model", "https://api.example.com/v1", table).input_per_million
    15.0
    """
    key = model_key(model)
    matches = [
        entry
        for entry in table.models
        if key == entry.name.lower() or any(key.startswith(entry.name.lower() + sep) for sep in _SEPARATORS)
    ]
    if matches:
        best = max(matches, key=lambda entry: len(entry.name))
        return Price(best.name, best.input, best.output, "listed")
    if is_local_host(base_url):
        return Price(model, 0.0, 0.0, "local")
    return Price(model, table.unlisted.input, table.unlisted.output, "unlisted")
