"""``jobatlas gap``: a career changer's skills (a list or a resume) against what a segment of the market asks."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.common import console, err_console, fail, load_settings

if TYPE_CHECKING:
    from pipeline.analysis.market import Segment
    from pipeline.extraction.extractor import Extractor
    from pipeline.gap import GapReport, UserSkills
    from pipeline.settings import Settings


class Role(StrEnum):
    AI_ENGINEER = "ai_engineer"
    ML_ENGINEER = "ml_engineer"
    DATA_SCIENTIST = "data_scientist"
    AI_RESEARCHER = "ai_researcher"
    DATA_ENGINEER = "data_engineer"
    OTHER = "other"
    ALL = "all"


class Level(StrEnum):
    I = "i"  # noqa: E741 - the ladder's name for the rung
    II = "ii"
    SENIOR = "senior"
    STAFF = "staff"
    ALL = "all"


class Specialization(StrEnum):
    RAG = "rag"
    AGENTS = "agents"
    INFRASTRUCTURE = "infrastructure"
    SAFETY = "safety"
    MULTIMODAL = "multimodal"
    ALL = "all"


class GapFormat(StrEnum):
    TEXT = "text"
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    PDF = "pdf"
    ALL = "all"


def _user_skills(skills: str | None, resume: Path | None, extractor: Extractor) -> UserSkills:
    from pipeline.gap import GapInputError, parse_skill_list, read_resume

    if (skills is None) == (resume is None):
        raise fail("give your skills with either --skills 'python, sql, docker' or --resume FILE (one of them)")
    try:
        if resume is not None:
            return read_resume(resume, extractor)
        assert skills is not None
        return parse_skill_list(skills, extractor.taxonomy)
    except GapInputError as exc:
        raise fail(str(exc)) from None


def _report(
    user: UserSkills, segment: Segment, extractor: Extractor, settings: Settings, *, market: bool, since: date | None
) -> GapReport:
    from sqlalchemy.orm import Session

    from pipeline.gap import gap_report
    from pipeline.store.database import StoreUnavailableError, open_engine

    def build(session: Session | None, reason: str | None = None) -> GapReport:
        return gap_report(
            user,
            segment,
            taxonomy=extractor.taxonomy,
            session=session,
            as_of=date.today(),
            since=since,
            skip_reason=reason,
        )

    if not market:
        return build(None, "--no-market was given")
    try:
        with open_engine(settings) as engine, Session(engine) as session:
            return build(session)
    except StoreUnavailableError as exc:
        unreachable = str(exc)
    err_console.print(f"[yellow]warning:[/] no market data: {unreachable}", highlight=False)
    return build(None, f"the store cannot be reached ({unreachable})")


def gap(
    skills: Annotated[
        str | None, typer.Option(help="Your skills, separated by commas: 'python, sql, docker' (names or aliases).")
    ] = None,
    resume: Annotated[
        Path | None, typer.Option(help="Your resume: a .txt, .md or .pdf file; every skill it names counts.")
    ] = None,
    role: Annotated[Role, typer.Option(help="Target role family.")] = Role.AI_ENGINEER,
    level: Annotated[Level, typer.Option(help="Target level on the ladder.")] = Level.ALL,
    specialization: Annotated[Specialization, typer.Option(help="Target specialization.")] = Specialization.ALL,
    report_format: Annotated[
        list[GapFormat] | None,
        typer.Option(
            "--format", "-f", help="Report format (repeatable; 'all' for every one). text prints, the rest are files."
        ),
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Where the files go (named with the segment and the date).")
    ] = Path("."),
    market: Annotated[
        bool, typer.Option("--market/--no-market", help="Read the postings in the store, or report without them.")
    ] = True,
    days: Annotated[
        int | None, typer.Option(min=1, help="Count postings posted (or first seen) in the past N days. Default: all.")
    ] = None,
) -> None:
    """Skill gap for a career changer: what a segment (role family x level x specialization) asks, how much of it
    your skills cover (weighted by demand), what you have and miss ranked by demand, what transfers, the skills
    asked together, a 4-week trend per skill and a learning order with prerequisites first. Exit codes: 0 done;
    1 the skills could not be read or a file could not be written."""
    from pipeline.analysis.market import Segment
    from pipeline.extraction.extractor import build_extractor
    from pipeline.gap.render import FORMATS, export_name, render

    settings = load_settings()
    try:
        extractor = build_extractor(settings.taxonomy_dir)
    except (OSError, ValueError) as exc:
        raise fail(str(exc)) from None
    user = _user_skills(skills, resume, extractor)
    for unknown in user.unknown:
        hint = f"did you mean {', '.join(unknown.closest)}?" if unknown.closest else "no close name"
        err_console.print(f"[yellow]warning:[/] '{unknown.name}' is not in the taxonomy; {hint}", highlight=False)
    segment = Segment(
        role_family=None if role is Role.ALL else role.value,
        level=None if level is Level.ALL else level.value,
        specialization=None if specialization is Specialization.ALL else specialization.value,
    )
    since = date.today() - timedelta(days=days) if days else None
    report = _report(user, segment, extractor, settings, market=market, since=since)
    if report.segment.status == "compared" and report.segment.warning:
        err_console.print(f"[yellow]warning:[/] {report.segment.label}: {report.segment.warning}", highlight=False)
    chosen = report_format or [GapFormat.TEXT]
    formats = FORMATS if GapFormat.ALL in chosen else tuple(f for f in FORMATS if f in {c.value for c in chosen})
    if "text" in formats:
        typer.echo(render(report, "text").decode("utf-8"), nl=False)
    files = [f for f in formats if f != "text"]
    if files:
        try:
            output_dir.mkdir(parents=True, exist_ok=True)
            for fmt in files:
                path = output_dir / export_name(report, fmt)
                path.write_bytes(render(report, fmt))
                console.print(f"wrote {path}", highlight=False)
        except OSError as exc:
            raise fail(f"cannot write to {output_dir}: {exc.strerror or exc}") from None
