"""The summary a refresh returns and stores: counts per source, totals, rejects, time per step and, in ``llm`` and
``hybrid`` mode, what the model did and cost."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, Field


class StepTimer(BaseModel):
    """Time per named step of a run, in seconds."""

    step_seconds: dict[str, float] = Field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time a step into ``step_seconds`` (accumulating when a step runs once per source)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.step_seconds[name] = round(self.step_seconds.get(name, 0.0) + time.perf_counter() - started, 3)


class SourceSummary(BaseModel):
    source_id: str
    fetched: int = 0
    raw_new: int = 0
    postings: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    closed: int = 0
    error: str | None = None


class RunSummary(StepTimer):
    run_id: int | None = None
    status: str = "running"
    sources: list[SourceSummary] = Field(default_factory=list)
    extracted: int = 0
    skills_found: int = 0
    open_postings: int = 0
    unique_postings: int = Field(default=0, description="open postings that are not duplicates of another")
    rejects: list[str] = Field(default_factory=list, description="'file:line: reason' of each reject")
    aggregate_rows_written: int = 0
    llm_mode: str = Field(default="rules", description="the tagging mode of the run: rules, llm or hybrid")
    llm_final_tags: int = Field(default=0, description="postings given a final tag from the model's answer")
    llm_lines: list[str] = Field(
        default_factory=list, description="what the model did: postings, cache hit rate, tokens, cost, failures"
    )

    def total(self, field: str) -> int:
        return sum(int(getattr(source, field)) for source in self.sources)

    def counts(self) -> dict[str, int]:
        names = ("fetched", "raw_new", "postings", "new", "updated", "unchanged", "rejected", "closed")
        totals = {name: self.total(name) for name in names}
        totals.update(
            open_postings=self.open_postings,
            unique_postings=self.unique_postings,
            extracted=self.extracted,
            skills_found=self.skills_found,
            aggregate_rows_written=self.aggregate_rows_written,
        )
        if self.llm_mode != "rules":
            totals["llm_final_tags"] = self.llm_final_tags
        return totals
