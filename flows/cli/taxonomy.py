"""``jobatlas taxonomy``: look after the skill taxonomy (``suggest`` lists phrases it lacks)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows.cli.common import console, err_console, fail, load_settings, store

taxonomy_app = typer.Typer(help="Look after the skill taxonomy (data/taxonomy/skills.yaml).", no_args_is_help=True)


def file_descriptions(path: Path) -> Iterator[str]:
    """Descriptions of a postings JSONL file (corpus schema); bad lines are reported and skipped."""
    from pipeline.domain import Posting, RawRecord
    from pipeline.sources.jsonl_file import parse_posting_line

    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = RawRecord(source_id="input", locator=f"{path.name}:{number}", payload=line)
            parsed = parse_posting_line(record)
            if isinstance(parsed, Posting):
                yield parsed.description
            elif parsed.reason == "no title":  # a title is not needed to read the description
                titled = parse_posting_line(record.model_copy(update={"payload": json.dumps(_titled(line))}))
                if isinstance(titled, Posting):
                    yield titled.description
            else:
                err_console.print(f"[yellow]skipped {parsed.describe()}[/]", highlight=False)


def _titled(line: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(line)
    data["title"] = "untitled"
    return data


@taxonomy_app.command("suggest")
def suggest(
    input_path: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="Postings JSONL to read instead of the store (corpus schema)."),
    ] = None,
    days: Annotated[int, typer.Option(min=1, help="Store postings last seen within this many days.")] = 30,
    top: Annotated[int, typer.Option(min=1, help="How many phrases to list.")] = 30,
    min_postings: Annotated[int, typer.Option(min=1, help="Phrases used by fewer postings are left out.")] = 2,
) -> None:
    """List frequent phrases of recent postings' requirement and responsibility lines that no taxonomy skill
    covers, with the number of postings using each and an example line: candidates for skills.yaml."""
    from sqlalchemy.exc import SQLAlchemyError

    from pipeline.extraction.extractor import build_extractor
    from pipeline.extraction.skill_matcher import SkillMatcher
    from pipeline.extraction.suggest import suggest as suggest_phrases

    settings = load_settings()
    if input_path is not None and not input_path.is_file():
        raise fail(f"input file {input_path} not found")
    try:
        extractor = build_extractor(settings.taxonomy_dir)
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    nlp = extractor.nlp
    skills = nlp.get_pipe("jobatlas_skills")
    assert isinstance(skills, SkillMatcher)

    def is_known(phrase: str) -> bool:
        """Any surface form or pattern of a skill in the phrase (ambiguity rules aside)."""
        doc = nlp.make_doc(phrase)
        return bool(skills.candidates(doc) or skills.inferred(doc))

    if input_path is not None:
        try:
            descriptions = list(file_descriptions(input_path))
        except (OSError, UnicodeDecodeError) as exc:
            raise fail(f"cannot read {input_path}: {exc}") from None
        origin = str(input_path)
    else:
        from sqlalchemy.orm import Session

        from pipeline.store.recent import recent_descriptions

        with store(settings) as engine, Session(engine) as session:
            try:
                descriptions = recent_descriptions(session=session, days=days)
            except SQLAlchemyError as exc:  # e.g. a store without the postings table: run `jobatlas db upgrade`
                raise fail(f"cannot read postings from the store: {str(exc).splitlines()[0]}") from None
        origin = f"postings last seen in the past {days} days"
    found = suggest_phrases(descriptions, is_known, top=top, min_postings=min_postings)
    console.print(
        f"{len(descriptions)} postings ({origin}), taxonomy {extractor.taxonomy.version}: "
        f"{len(found)} phrases the taxonomy lacks",
        highlight=False,
    )
    if not found:
        return
    table = Table()
    table.add_column("phrase", no_wrap=True)
    table.add_column("postings", justify="right")
    table.add_column("example")
    for item in found:
        table.add_row(item.phrase, str(item.postings), item.example)
    console.print(table)
