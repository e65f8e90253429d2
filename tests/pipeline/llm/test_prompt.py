"""The prompt: trimming by section priority, the exact user message, and instructions that restate the labeling
guide rather than copy it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from llm_samples import POSTING, SKILL_NAMES

from pipeline.llm.prompt import PROMPT_VERSION, build_prompt, system_message, trim_description, user_message

LONG = """About us
We are a fast-growing company building software for hospitals, with offices in five countries and customers everywhere.
What you'll do
- Ship LLM features
- Own evaluation
Requirements
- 3+ years of Python
- SQL
Nice to have
- Kubernetes
Benefits
- Unlimited vacation and a generous learning budget for every engineer on the team"""


def test_short_descriptions_are_sent_whole() -> None:
    assert trim_description(LONG, len(LONG)).text == LONG
    assert trim_description(LONG, len(LONG)).omitted == 0


def test_requirements_go_in_first_then_responsibilities_then_nice_to_haves() -> None:
    requirements = "Requirements\n- 3+ years of Python\n- SQL"
    assert trim_description(LONG, len(requirements)).text == requirements
    with_duties = trim_description(LONG, 100)
    assert with_duties.text == "What you'll do\n- Ship LLM features\n- Own evaluation\n" + requirements
    assert with_duties.omitted == len(LONG) - len(with_duties.text)
    assert trim_description(LONG, 124).text == with_duties.text + "\nNice to have\n- Kubernetes"


def test_about_and_benefits_go_last() -> None:
    without_benefits = len(LONG) - len(
        "\nBenefits\n- Unlimited vacation and a generous learning budget for every engineer on the team"
    )
    trimmed = trim_description(LONG, without_benefits)
    assert trimmed.text == LONG[:without_benefits]
    assert "Benefits" not in trimmed.text and "About us" in trimmed.text


def test_a_line_that_does_not_fit_is_cut_at_a_space_when_there_is_room() -> None:
    text = "Requirements\n" + " ".join(f"skill{n}" for n in range(100))
    trimmed = trim_description(text, 200)
    assert trimmed.text == "Requirements\n" + " ".join(f"skill{n}" for n in range(24))  # the words that fit
    assert len(trimmed.text) <= 200


def test_one_enormous_line_is_cut_never_sent_whole() -> None:
    text = "word " * 200_000
    trimmed = trim_description(text, 12_000)
    assert 11_900 <= len(trimmed.text) <= 12_000 and trimmed.text.startswith("word word")


@pytest.mark.parametrize("budget", [0, 1, 20, 57, 90, 150, 333])
def test_the_trimmed_text_never_exceeds_the_budget(budget: int) -> None:
    assert len(trim_description(LONG, budget).text) <= budget


def test_the_user_message_names_the_posting_and_says_what_was_trimmed() -> None:
    posting = POSTING.model_copy(update={"description": LONG, "location": "Berlin"})
    assert user_message(posting, max_description_chars=40) == (
        "Title: Senior AI Engineer, Retrieval\n"
        "Company: Acme Search\n"
        "Location: Berlin\n"
        "\n"
        f"Description (trimmed: {len(LONG) - 39} of {len(LONG)} characters of lower-priority sections left out):\n"
        "Requirements\n- 3+ years of Python\n- SQL"
    )


def test_build_prompt_is_a_system_and_a_user_message() -> None:
    messages = build_prompt(POSTING, SKILL_NAMES, max_description_chars=10_000)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[1]["content"] == user_message(POSTING, max_description_chars=10_000)
    assert messages[0]["content"].endswith("\n\nSkill list: Kubernetes, LLMs, pgvector, Python, RAG")
    assert "JSON" in messages[0]["content"]  # JSON mode requires the word in the messages
    assert build_prompt(POSTING, list(reversed(SKILL_NAMES)), max_description_chars=10_000) == messages
    assert PROMPT_VERSION


def test_the_instructions_cover_every_label() -> None:
    text = system_message([])
    for name in ("level", "track", "role_family", "specializations", "skills", "years_min", "education_min"):
        assert f"- {name}" in text
    for value in ("ai_engineer", "ml_engineer", "data_scientist", "ai_researcher", "data_engineer", "other"):
        assert f'"{value}"' in text
    for value in ("rag", "agents", "infrastructure", "safety", "multimodal", "i", "ii", "senior", "staff"):
        assert f'"{value}"' in text


def test_the_instructions_restate_the_guide_rather_than_copy_it(shared_dir: Path) -> None:
    guide = (shared_dir / "gold" / "GUIDE.md").read_text(encoding="utf-8")
    words = re.findall(r"[\w'/+-]+", guide.lower())
    prompt = " ".join(re.findall(r"[\w'/+-]+", system_message([]).lower()))
    ours = prompt.split()
    copied = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)} & {
        " ".join(ours[i : i + 8]) for i in range(len(ours) - 7)
    }
    assert copied == set()  # no run of 8 words of the guide appears in the prompt
