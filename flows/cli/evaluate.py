"""``jobatlas eval``: measure a tagger (the rules, or the rules with the model: ``--tagger llm|hybrid``) against
hand-made gold labels and print the figures beside the targets, and with the model its usage and cost.

A measurement, not a gate: the exit code is 0 whatever the figures; 1 with one line when an input is missing or
``--tagger llm|hybrid`` has no endpoint configured.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from flows.cli.common import console, fail, load_settings

if TYPE_CHECKING:
    from pipeline.evaluation import EvaluationReport
    from pipeline.evaluation.metrics import PRF, Confusion
    from pipeline.evaluation.skillspan import SkillSpanScores

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DEFAULT_GOLD = SHARED / "gold" / "dev_labels.jsonl"
DEFAULT_POSTINGS = (SHARED / "corpus" / "postings.jsonl", SHARED / "corpus" / "postings_extra.jsonl")


class Tagger(StrEnum):
    RULES = "rules"
    LLM = "llm"
    HYBRID = "hybrid"


def evaluate(
    gold: Annotated[Path, typer.Option(help="Gold labels (JSONL, schema in the gold folder's GUIDE.md).")] = (
        DEFAULT_GOLD
    ),
    postings: Annotated[
        list[Path] | None,
        typer.Option("--postings", help="Corpus JSONL files holding the gold ids' postings (repeatable)."),
    ] = None,
    core_skills: Annotated[
        Path | None, typer.Option(help="Markdown table of core skill names. Default: CORE_SKILLS.md beside --gold.")
    ] = None,
    skillspan: Annotated[
        Path | None, typer.Option(help="SkillSpan postings (JSONL) for an external check of skill recall.")
    ] = None,
    per_skill: Annotated[bool, typer.Option("--per-skill", help="Also print P/R/F1 for each core skill.")] = False,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the whole report as JSON here.")] = None,
    tagger: Annotated[
        Tagger,
        typer.Option(
            help="rules: the extractor alone; llm: the model on every gold posting; hybrid: the model on the "
            "low-confidence ones (JOBATLAS_LLM_HYBRID_MAX_POSTINGS at most). Answers are cached in the store."
        ),
    ] = Tagger.RULES,
) -> None:
    """Score a tagger on gold-labelled postings: skills, level, track, role family, specializations,
    years and education, each beside its target; with the model, also its usage and cost."""
    from flows.cli.eval_llm import tag_gold_with_model
    from pipeline.evaluation import evaluate as run_evaluation
    from pipeline.evaluation import find_postings, load_core_skills, load_gold, parse_skillspan
    from pipeline.evaluation.gold import read_text
    from pipeline.extraction.extractor import build_extractor

    posting_paths = list(postings or DEFAULT_POSTINGS)
    core_path = core_skills or gold.parent / "CORE_SKILLS.md"
    inputs = [("gold", gold), ("core skills", core_path), *(("postings", p) for p in posting_paths)]
    for kind, path in [*inputs, *([("skillspan", skillspan)] if skillspan else [])]:
        if not path.is_file():
            raise fail(f"{kind} file {path} not found")
    settings = load_settings()
    if tagger is not Tagger.RULES and not settings.llm_base_url:
        raise fail(
            f"--tagger {tagger.value} needs an LLM endpoint: set JOBATLAS_LLM_BASE_URL (and JOBATLAS_LLM_MODEL, "
            "JOBATLAS_LLM_API_KEY as the endpoint needs)"
        )
    try:
        rows = load_gold(gold)
        core = load_core_skills(core_path)
        corpus = find_postings(posting_paths, [row.id for row in rows])
        spans = parse_skillspan(read_text(skillspan), name=str(skillspan)) if skillspan else None
        extractor = build_extractor(settings.taxonomy_dir)
    except ValueError as exc:  # EvaluationInputError, or an invalid taxonomy
        raise fail(str(exc)) from None
    tagged = None if tagger is Tagger.RULES else tag_gold_with_model(tagger.value, settings, extractor, rows, corpus)
    report = run_evaluation(extractor, rows, corpus, core, skillspan=spans, tagged=tagged)
    render(report, per_skill=per_skill)
    data = report.to_json()
    if tagged is not None and tagged.report is not None:
        from pipeline.evaluation.taggers import cost_lines
        from pipeline.llm.setup import model_price

        lines = [*tagged.report.summary_lines(), *cost_lines(tagged.report, model_price(settings))]
        for line in lines:
            console.print(line, highlight=False)
        data["llm"] = lines
    if json_out is not None:
        try:
            json_out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {json_out}: {exc.strerror or exc}") from None
        console.print(f"report written to {json_out}", highlight=False)


def render(report: EvaluationReport, *, per_skill: bool = False) -> None:
    """Print the report as rich tables."""
    tagger = "" if report.tagger == "rules" else f" · with {report.tagger}"
    console.print(
        f"gold rows {report.gold_rows} · postings found {report.postings_found} · "
        f"core skills {report.core_skills} · extractor {report.extractor_version}{tagger}",
        highlight=False,
    )
    for posting_id, reason in report.rejected.items():
        console.print(f"  not evaluated: {posting_id} (rejected by the parser: {reason})", highlight=False)
    for posting_id in report.not_found:
        console.print(f"  not evaluated: {posting_id} (not in the postings files)", highlight=False)

    targets = _table("targets", "metric", "value", "target", "met")
    for t in report.targets():
        sign = ">=" if t.higher_is_better else "<="
        targets.add_row(t.metric, _num(t.value), f"{sign} {t.threshold:g}", "[green]✓[/]" if t.met else "[red]✗[/]")
    console.print(targets)

    skills = report.skills
    table = _table(
        "skills (core names only)", "micro P", "micro R", "micro F1", "TP", "FP", "FN", "req. accuracy", labelled=False
    )
    m = skills.micro
    req = f"{_num(skills.requirement_accuracy)} (of {skills.requirement_compared})"
    table.add_row(_num(m.precision), _num(m.recall), _num(m.f1), str(m.tp), str(m.fp), str(m.fn), req)
    console.print(table)
    if per_skill:
        console.print(_prf_table("per skill, by support", "skill", skills.per_skill))

    level = _table("level", "accuracy", "within one level", labelled=False)
    level.add_row(_num(report.level.accuracy), _num(report.level.within_one))
    console.print(level)
    console.print(_confusion("level confusion (gold rows x predicted columns)", report.level.confusion))
    labels = _table("track and role family", "label", "accuracy")
    labels.add_row("track", _num(report.track.accuracy))
    labels.add_row("role family", _num(report.role_family.accuracy))
    console.print(labels)
    console.print(_confusion("role family confusion (gold rows x predicted columns)", report.role_family.confusion))

    specs = _prf_table("specializations", "specialization", report.specializations.per_label)
    specs.add_row("macro-F1", "", "", "", _num(report.specializations.macro_f1), "", "", "")
    console.print(specs)

    years = _table("years", "MAE", "compared", "coverage", "false positives", labelled=False)
    y = report.years
    years.add_row(_num(y.mae), str(y.compared), _num(y.coverage), str(y.false_positives))
    console.print(years)
    if report.education.extracted:
        console.print(f"education accuracy {_num(report.education.accuracy)}", highlight=False)
        console.print(_confusion("education confusion (gold rows x predicted columns)", report.education.confusion))
    else:
        console.print(
            f"education: not extracted (accuracy {_num(report.education.accuracy)} = share of gold rows without one)",
            highlight=False,
        )
    if report.skillspan is not None:
        _render_skillspan(report.skillspan)


def _render_skillspan(scores: SkillSpanScores) -> None:
    table = _table(
        "SkillSpan knowledge spans: taxonomy matcher recall (micro over spans)",
        "source",
        "postings",
        "spans",
        "recalled",
        "recall",
        "name a taxonomy skill (upper bound)",
        "recall of those",
    )
    for name, c in [*scores.by_source.items(), ("all", scores.overall)]:
        bound = f"{c.mappable} ({_num(c.upper_bound)})"
        table.add_row(
            name, str(c.postings), str(c.spans), str(c.recalled), _num(c.recall), bound, _num(c.recall_of_mappable)
        )
    console.print(table)
    for title, counts in (
        ("missed, naming a taxonomy skill", scores.missed_mappable),
        ("not a taxonomy skill", scores.unmappable),
    ):
        listed = ", ".join(f"{text} ({n})" for text, n in counts.items()) or "-"
        console.print(f"  {title}: {listed}", highlight=False)


def _table(title: str, *columns: str, labelled: bool = True) -> Table:
    """A table whose first column names the row (left-aligned) when ``labelled``; figures are right-aligned."""
    table = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        table.add_column(column, justify="left" if labelled and index == 0 else "right")
    return table


def _prf_table(title: str, label: str, scores: dict[str, PRF]) -> Table:
    table = _table(title, label, "support", "P", "R", "F1", "TP", "FP", "FN")
    for name, s in scores.items():
        counts = (str(s.tp), str(s.fp), str(s.fn))
        table.add_row(name, str(s.support), _num(s.precision), _num(s.recall), _num(s.f1), *counts)
    return table


def _confusion(title: str, matrix: Confusion) -> Table:
    names = [_label(label) for label in matrix.labels]
    table = _table(title, "gold \\ predicted", *names)
    for name, row in zip(names, matrix.counts, strict=True):
        table.add_row(name, *(str(count) if count else "·" for count in row))
    return table


def _label(value: str | None) -> str:
    return "null" if value is None else value


def _num(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"
