"""``jobatlas llm``: the LLM tagger's endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from flows.cli.common import console, fail, load_settings
from pipeline.domain import Posting, RawRecord, Reject

llm_app = typer.Typer(help="The LLM tagger: check the configured OpenAI-compatible endpoint.", no_args_is_help=True)


def read_posting(path: Path, posting_id: str | None) -> Posting:
    """The first posting of a JSONL file, or the one with ``posting_id``; typer.Exit with one line otherwise."""
    from pipeline.sources.jsonl_file import parse_posting_line

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if posting_id is not None:
            try:
                if json.loads(line).get("id") != posting_id:
                    continue
            except (json.JSONDecodeError, AttributeError):
                continue
        parsed = parse_posting_line(RawRecord(source_id="file", locator=f"{path}:{number}", payload=line))
        if isinstance(parsed, Reject):
            raise fail(parsed.describe())
        return parsed
    raise fail(f"no posting with id {posting_id} in {path}" if posting_id else f"no posting in {path}")


@llm_app.command("check")
def llm_check(
    input_path: Annotated[
        Path | None, typer.Option("--input", "-i", help="Postings JSONL (default: the bundled sample).")
    ] = None,
    posting_id: Annotated[str | None, typer.Option("--id", help="The posting to send (default: the first).")] = None,
) -> None:
    """Send one posting to the configured endpoint and print the parsed answer, latency, tokens and cost."""
    from pipeline.llm.client import Outcome
    from pipeline.llm.prompt import build_prompt
    from pipeline.llm.setup import build_client, public_url, run_budget, skill_vocabulary

    settings = load_settings()
    if not settings.llm_base_url:
        raise fail("no LLM endpoint configured: set JOBATLAS_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama)")
    posting = read_posting(input_path or settings.sample_postings_path, posting_id)
    try:
        client = build_client(settings, budget=run_budget(settings))
        skills = skill_vocabulary(settings)
    except (OSError, ValueError) as exc:
        raise fail(" ".join(str(exc).split())) from None
    endpoint = public_url(settings.llm_base_url)
    messages = build_prompt(posting, skills, max_description_chars=settings.llm_max_description_chars)
    try:
        result = client.tag(messages, posting, skill_names=skills)
    finally:
        client.close()
    if result.outcome is Outcome.ERROR:
        raise fail(f"the LLM endpoint at {endpoint} failed: {result.error}")
    if result.outcome is Outcome.BUDGET:
        raise fail(f"JOBATLAS_LLM_BUDGET_USD={settings.llm_budget_usd} is too small for one request")
    if result.parsed is None:
        raise fail(f"{settings.llm_model} at {endpoint} gave no usable answer: {result.error}")
    price = client.price
    console.print(f"{posting.id}: {posting.title} -> {settings.llm_model} at {endpoint} ({client.response_format})")
    console.print_json(result.parsed.answer.model_dump_json())
    dropped = ", ".join(item.name for item in result.parsed.hallucinated) or "none"
    unknown = ", ".join(result.parsed.unknown) or "none"
    console.print(
        f"latency {result.latency_seconds:.2f} s; tokens {result.usage.prompt_tokens:,} in / "
        f"{result.usage.completion_tokens:,} out in {result.requests} request(s); cost ${result.cost_usd:.6f} "
        f"({price.basis} price: ${price.input_per_million:g} / ${price.output_per_million:g} per million tokens)",
        highlight=False,
    )
    console.print(f"skills dropped: hallucinated evidence: {dropped}; not in the taxonomy: {unknown}", highlight=False)


@llm_app.command("disagreements")
def llm_disagreements(
    field: Annotated[
        str | None,
        typer.Option(
            help="Only this field: level, role_family, track, years_min, specializations, skill:NAME, or "
            "skill: for every skill."
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many.")] = 50,
) -> None:
    """List where the rules and the model disagreed (stored by the llm and hybrid modes) and which value the final
    tag kept, for review."""
    from rich.table import Table
    from sqlalchemy.orm import Session

    from flows.cli.common import store
    from pipeline.store import llm_cache, migrate

    settings = load_settings()
    with store(settings) as engine:
        if migrate.current_revision(engine) is None:
            raise fail("the store has no schema yet: run `jobatlas run` or `jobatlas db upgrade` first")
        with Session(engine) as session:
            found = llm_cache.disagreements(session=session, field=field)
    if not found:
        console.print("no disagreements stored" + (f" for {field}" if field else ""), highlight=False)
        return
    table = Table(
        title=f"rules vs model: {len(found)} disagreement(s) in {len({d.posting_id for d in found})} posting(s)"
    )
    for column in ("posting", "field", "rules", "model", "kept"):
        table.add_column(column, overflow="fold")
    for d in found[:limit]:
        table.add_row(d.posting_id, d.field, _shown(d.rules_value), _shown(d.llm_value), d.chosen)
    console.print(table)
    if len(found) > limit:
        console.print(f"... and {len(found) - limit} more (--limit)", highlight=False)


def _shown(value: object) -> str:
    return "-" if value is None else value if isinstance(value, str) else json.dumps(value)
