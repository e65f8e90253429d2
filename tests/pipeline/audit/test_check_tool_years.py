"""Exact output of the impossible-asks check (years of a tool vs its release year)."""

from __future__ import annotations

from datetime import date

import pytest
from audit_samples import AS_OF, document

from pipeline.audit.checks.tool_years import check_tool_years, tool_years
from pipeline.audit.findings import Finding, Severity, Span


def test_five_years_of_langchain_in_2026_is_impossible() -> None:
    doc = document("AI Engineer\nRequirements\n- 5+ years of LangChain")
    assert check_tool_years(doc, as_of=AS_OF) == [
        Finding(
            id="tool-years.impossible",
            check="tool-years",
            severity=Severity.HIGH,
            title="5+ years of LangChain: longer than it exists",
            message="LangChain was first released in 2022, about 4 years before 2026: nobody can have 5 years of it.",
            advice="Ask for experience with LangChain (or its kind of tool) without a number of years.",
            evidence=(
                Span(text="5+ years", start=15, end=23, line=2),
                Span(text="LangChain", start=27, end=36, line=2),
            ),
        )
    ]


def test_as_many_years_as_the_tool_exists_is_inflated() -> None:
    [finding] = check_tool_years(document("AI Engineer\nRequirements\n- 4 years of LangChain"), as_of=AS_OF)
    assert (finding.id, finding.severity, finding.title) == (
        "tool-years.inflated",
        Severity.MEDIUM,
        "4 years of LangChain",
    )
    assert check_tool_years(document("AI Engineer\nRequirements\n- 3 years of LangChain"), as_of=AS_OF) == []


def test_the_date_decides() -> None:
    doc = document("AI Engineer\nRequirements\n- 5+ years of LangChain")
    assert check_tool_years(doc, as_of=date(2028, 1, 1)) == []


@pytest.mark.parametrize(
    ("line", "asked"),
    [
        ("- 5+ years of hands-on experience with LangChain", [("LangChain", 5)]),
        ("- 3+ years with LlamaIndex, DSPy or CrewAI", [("LlamaIndex", 3), ("DSPy", 3), ("CrewAI", 3)]),
        ("- LangChain: 4 years", [("LangChain", 4)]),
        ("- LangChain (5+ years)", [("LangChain", 5)]),
        ("- 8+ years of software engineering, including 2+ years with vLLM", [("vLLM", 2)]),
        ("- 6+ years building backends; LangChain is a plus", []),  # the tool is not what the years count
        ("- 10 years of Python", [("Python", 10)]),
    ],
)
def test_which_tool_the_years_count(line: str, asked: list[tuple[str, int]]) -> None:
    doc = document(f"AI Engineer\nRequirements\n{line}")
    assert [(t.mention.skill, t.years) for t in tool_years(doc)] == asked


def test_tools_without_a_release_year_and_old_tools_are_fine() -> None:
    doc = document("AI Engineer\nRequirements\n- 10 years of Python\n- 6 years of RAG")
    assert check_tool_years(doc, as_of=AS_OF) == []  # Python is from 1991; RAG is a concept (no release year)
