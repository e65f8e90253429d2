"""The one settings object of jobatlas, read from the environment (prefix ``JOBATLAS_``) and ``.env``.

Settings are read once by an entry point (the CLI, the dashboard app) and passed in; library code never
reads them on its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

LlmMode = Literal["rules", "llm", "hybrid"]


class Settings(BaseSettings):
    """Configuration for every jobatlas command, flow and page."""

    model_config = SettingsConfigDict(
        env_prefix="JOBATLAS_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of a PostgreSQL server (postgresql+psycopg://user:pass@host/db). "
        "Unset: jobatlas starts its own embedded PostgreSQL under the data directory.",
    )
    data_dir: Path = Field(
        default=REPO_DATA_DIR,
        description="Bundled data (taxonomy, sample postings) and, under generated/, what jobatlas writes.",
    )
    generated_dir: Path | None = Field(
        default=None,
        description="Where generated data goes (embedded database, exports). Default: <data_dir>/generated.",
    )
    connect_timeout_seconds: int = Field(default=5, ge=1, description="Database connect timeout.")
    sources_file: Path | None = Field(
        default=None, description="The curated list of sources to follow. Default: <data_dir>/sources.yaml."
    )
    http_user_agent: str = Field(
        default="jobatlas/0.1 (+https://github.com/jobatlas/jobatlas; job-market research)",
        description="User-Agent of every request: names jobatlas and a contact URL.",
    )
    http_requests_per_second: float = Field(default=1.0, gt=0, description="Per-host request rate limit.")
    http_timeout_seconds: float = Field(default=30.0, gt=0, description="Read timeout of one HTTP request.")
    http_max_attempts: int = Field(default=4, ge=1, description="Tries per request on 429, 5xx and timeouts.")
    http_max_bytes: int = Field(default=20_000_000, ge=1_000, description="Largest response accepted.")
    dashboard_port: int = Field(default=8501, ge=1, le=65535, description="Port of `jobatlas dashboard`.")
    dashboard_address: str = Field(default="127.0.0.1", description="Address the dashboard listens on.")
    llm_mode: LlmMode = Field(
        default="rules",
        description="rules: the spaCy rules only (no model needed); llm: the model tags every posting; hybrid: the "
        "model only for postings whose rule labels are low-confidence or conflicting.",
    )
    llm_base_url: str | None = Field(
        default=None,
        description="Base URL of an OpenAI-compatible chat-completions API, e.g. https://api.openai.com/v1 or "
        "http://localhost:11434/v1 (Ollama). Unset: no model is called.",
    )
    llm_api_key: SecretStr | None = Field(
        default=None, description="API key sent as a bearer token (kept as a secret, never logged or printed)."
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Model name as the endpoint knows it.")
    llm_temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature (0: repeatable).")
    llm_timeout_seconds: float = Field(default=60.0, gt=0, description="Timeout of one model request.")
    llm_max_attempts: int = Field(default=4, ge=1, description="Tries per request on 429, 5xx and timeouts.")
    llm_max_concurrency: int = Field(default=4, ge=1, description="Model requests in flight at once.")
    llm_requests_per_minute: float = Field(default=60.0, gt=0, description="Model requests started per minute.")
    llm_budget_usd: float = Field(
        default=5.0, ge=0, description="Most a run may spend on the model; then it falls back to the rules."
    )
    llm_hybrid_max_postings: int = Field(
        default=200, ge=0, description="hybrid mode: at most this many postings per run go to the model."
    )
    llm_max_description_chars: int = Field(
        default=12_000,
        ge=500,
        description="Longest description sent; a longer one is trimmed by section priority (requirements first).",
    )
    llm_max_output_tokens: int = Field(default=1_500, ge=100, description="Most tokens the model may answer with.")
    schedule_cron: str = Field(
        default="0 6 * * 1", description="When the weekly_refresh deployment runs (cron; default Mondays 06:00)."
    )
    schedule_timezone: str = Field(default="UTC", description="IANA timezone of `schedule_cron`, e.g. Europe/Paris.")
    source_host_fetches: int = Field(
        default=1, ge=1, description="Sources of one host fetched at once (a Prefect global concurrency limit)."
    )
    dask_address: str | None = Field(
        default=None,
        description="Scheduler of an existing Dask cluster (tcp://HOST:PORT) running the refresh's ingest and "
        "extract tasks. Unset: threads of the flow's process.",
    )

    @property
    def output_dir(self) -> Path:
        """Directory for generated data (git-ignored)."""
        return self.generated_dir or self.data_dir / "generated"

    @property
    def embedded_pgdata(self) -> Path:
        """Data directory of the embedded PostgreSQL server."""
        return self.output_dir / "postgres"

    @property
    def sample_postings_path(self) -> Path:
        return self.data_dir / "sample" / "postings.jsonl"

    @property
    def sources_path(self) -> Path:
        return self.sources_file or self.data_dir / "sources.yaml"

    @property
    def taxonomy_dir(self) -> Path:
        return self.data_dir / "taxonomy"
