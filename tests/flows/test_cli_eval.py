"""``jobatlas eval`` on three project-written postings: the tables print, --json writes the report, and a missing
input ends with one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from flows.cli.evaluate import evaluate

runner = CliRunner()
app = typer.Typer()
app.command("eval")(evaluate)


@app.callback()
def _group() -> None:
    """Registered as a sub-command, as in the jobatlas app."""


POSTINGS = [
    {
        "id": "t:1",
        "title": "Senior Machine Learning Engineer",
        "company": "Example Labs",
        "description_text": "Requirements\n- 5+ years of experience training models with Python and PyTorch\n"
        "- Deploy models on Kubernetes\nNice to have\n- Experience with Spark",
    },
    {
        "id": "t:2",
        "title": "AI Engineer II",
        "company": "Example Labs",
        "description_text": "Responsibilities\n- Build retrieval-augmented generation (RAG) features on LLMs\n"
        "Requirements\n- 2+ years of Python\n- A bachelor's degree in computer science",
    },
    {
        "id": "t:3",
        "title": "Data Analyst",
        "company": "Example Shop",
        "description_text": "Requirements\n- Strong SQL and Excel\n- Build dashboards in Tableau",
    },
]


def gold_row(
    posting_id: str, level: str | None, family: str, skills: dict[str, str], **more: object
) -> dict[str, object]:
    base: dict[str, object] = {"specializations": [], "years_min": None, "education_min": None, "track": "ic"}
    return {**base, "id": posting_id, "level": level, "role_family": family, "skills": skills, **more}


GOLD = [
    gold_row(
        "t:1",
        "senior",
        "ml_engineer",
        {"Python": "required", "PyTorch": "required", "Kubernetes": "required", "Spark": "preferred"},
        years_min=5,
    ),
    gold_row(
        "t:2",
        "ii",
        "ai_engineer",
        {"Python": "required", "RAG": "required", "LLMs": "required"},
        specializations=["rag"],
        years_min=2,
        education_min="bachelor",
    ),
    gold_row("t:3", None, "other", {"SQL": "required", "Excel": "required", "Tableau": "required"}),
    gold_row("t:absent", None, "other", {}),
]
CORE = "Name | counts when\n--- | ---\n" + "".join(
    f"{name} | {name}\n" for name in ("Python", "PyTorch", "Kubernetes", "Spark", "RAG", "LLMs", "SQL", "Excel")
)  # Tableau is not core: it is ignored on both sides


def write_inputs(folder: Path) -> tuple[Path, Path]:
    gold = folder / "gold.jsonl"
    gold.write_text("".join(json.dumps(row) + "\n" for row in GOLD), encoding="utf-8")
    (folder / "CORE_SKILLS.md").write_text(CORE, encoding="utf-8")
    postings = folder / "postings.jsonl"
    postings.write_text("".join(json.dumps(row) + "\n" for row in POSTINGS), encoding="utf-8")
    return gold, postings


def test_eval_prints_tables_and_writes_json(tmp_path: Path) -> None:
    gold, postings = write_inputs(tmp_path)
    out = tmp_path / "report.json"
    result = runner.invoke(
        app, ["eval", "--gold", str(gold), "--postings", str(postings), "--per-skill", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "gold rows 4 · postings found 3" in result.output
    assert "t:absent (not in the postings files)" in result.output
    for title in ("targets", "skills (core names only)", "per skill", "level confusion", "role family confusion"):
        assert title in result.output
    for text in ("specializations", "macro-F1", "years", "education"):
        assert text in result.output
    assert "✓" in result.output or "✗" in result.output
    assert "Tableau" not in result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {
        "gold_rows",
        "postings_found",
        "not_found",
        "rejected",
        "extractor_version",
        "skills",
        "level",
        "track",
    } <= (set(report))
    assert {"role_family", "specializations", "years", "education", "targets", "skillspan"} <= set(report)
    assert report["gold_rows"] == 4 and report["postings_found"] == 3 and report["not_found"] == ["t:absent"]
    assert report["skillspan"] is None
    assert report["skills"]["micro"]["tp"] + report["skills"]["micro"]["fn"] == 9
    assert report["targets"][0]["metric"] == "skills micro-F1" and "met" in report["targets"][0]
    assert sum(map(sum, report["level"]["confusion"]["counts"])) == 3


def test_missing_gold_file_is_one_line(tmp_path: Path) -> None:
    _, postings = write_inputs(tmp_path)
    result = runner.invoke(app, ["eval", "--gold", str(tmp_path / "nope.jsonl"), "--postings", str(postings)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "gold file" in lines[0] and "not found" in lines[0]


def test_malformed_gold_is_one_line(tmp_path: Path) -> None:
    gold, postings = write_inputs(tmp_path)
    gold.write_text('{"id": "t:1", "skills": {"Python": "sometimes"}}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", "--gold", str(gold), "--postings", str(postings)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and "gold.jsonl:1" in result.output
