"""The user's skills: a list mapped onto the taxonomy (names, aliases, any case; unknown names with the closest
ones), a resume in text, Markdown or PDF through the extractor, and bad input with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF
from gap_samples import RESUME, extractor

from pipeline.gap.inputs import GapInputError, UnknownSkill, parse_skill_list, read_resume


def _pdf(path: Path, lines: list[str]) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    if not lines:
        pdf.rect(20, 20, 80, 40, style="F")  # a page with a picture only, like a scan
    pdf.output(str(path))
    return path


def test_a_list_maps_names_and_aliases_in_any_case() -> None:
    skills = parse_skill_list("python, SQL; k8s\nHF transformers, golang, Python", extractor().taxonomy)
    assert skills.skills == ("Python", "SQL", "Kubernetes", "Hugging Face", "Go")
    assert (skills.unknown, skills.source) == ((), "--skills")


def test_unknown_names_come_with_the_closest_taxonomy_names() -> None:
    skills = parse_skill_list("pyhton, docker, kubernets, underwater basket weaving", extractor().taxonomy)
    assert skills.skills == ("Docker",)
    assert skills.unknown[0].name == "pyhton" and skills.unknown[0].closest[0] == "Python"
    assert skills.unknown[1].closest[0] == "Kubernetes"
    assert skills.unknown[2] == UnknownSkill("underwater basket weaving", ())


def test_an_empty_list_is_refused() -> None:
    with pytest.raises(GapInputError, match="--skills is empty"):
        parse_skill_list(" , ;", extractor().taxonomy)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_text_resume_counts_every_skill_it_names(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"resume{suffix}"
    path.write_text(RESUME, encoding="utf-8")
    skills = read_resume(path, extractor())
    assert {"Python", "SQL", "PostgreSQL", "Docker", "AWS", "TensorFlow", "pandas", "Git", "Tableau"} <= set(
        skills.skills
    )
    assert skills.evidence is not None and skills.evidence["TensorFlow"] == "TensorFlow"
    assert skills.source == str(path)


def test_a_pdf_resume_is_read_through_pypdf(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "resume.pdf", ["Sam Rivera", "Skills: Python, PyTorch, Kubernetes", "SQL reporting"])
    assert {"Python", "PyTorch", "Kubernetes", "SQL"} <= set(read_resume(path, extractor()).skills)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.md", b" \n\n ", "is empty"),
        ("cv.docx", b"PK\x03\x04\x00\x00word", "not a text file"),
        ("broken.pdf", b"%PDF-1.7 garbage", "not a readable PDF"),
        ("nothing.txt", b"Gardening, cooking and long walks.", "no skill of the taxonomy found"),
    ],
)
def test_bad_resumes_say_what_is_wrong(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GapInputError, match=message):
        read_resume(path, extractor())


def test_a_pdf_without_text_says_so(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scan.pdf", [])
    with pytest.raises(GapInputError, match=r"the PDF has no text layer \(1 page\(s\) of images"):
        read_resume(path, extractor())


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GapInputError, match="no such file"):
        read_resume(tmp_path / "nope.txt", extractor())
