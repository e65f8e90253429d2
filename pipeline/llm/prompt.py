"""The versioned prompt of the LLM tagger: instructions, the skill vocabulary and one posting, trimmed to a budget.

Everything here is pure. ``PROMPT_VERSION`` is part of the answer cache key: change it whenever the wording, the
answer shape or the trimming changes, so that answers to an older prompt are not reused.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal, TypedDict

from pipeline.domain import Posting
from pipeline.extraction.components import line_sections
from pipeline.extraction.rules import classify_heading

PROMPT_VERSION = "tagger-1"

# Which sections survive trimming first: what is asked of the candidate, then what they will do, then the
# nice-to-haves, then untitled text; the company blurb and the benefits go first.
SECTION_PRIORITY: dict[str | None, int] = {
    "requirements": 0,
    "responsibilities": 1,
    "preferred": 2,
    None: 3,
    "about": 4,
    "benefits": 5,
}
_MIN_CUT = 80  # a line is cut to fit only when at least this much room is left; otherwise trimming stops


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Trimmed:
    """A description cut to a character budget; ``omitted`` counts the characters left out."""

    text: str
    omitted: int


def trim_description(text: str, max_chars: int) -> Trimmed:
    """Keep whole lines by section priority (requirements, responsibilities, preferred, untitled text, about,
    benefits; document order within a section) while they fit in ``max_chars``, and return them in document
    order. When a line does not fit and at least 80 characters are left, its beginning is kept (cut at a space)
    and trimming stops there. A heading none of whose lines are kept is left out too.

    >>> text = "About us\\nWe sell shoes.\\nRequirements\\n- Python\\n- SQL\\nBenefits\\n- Free lunch"
    >>> trim_description(text, 40)
    Trimmed(text='Requirements\\n- Python\\n- SQL', omitted=46)
    >>> trim_description("short", 100)
    Trimmed(text='short', omitted=0)
    """
    if len(text) <= max_chars:
        return Trimmed(text, 0)
    lines = line_sections(text)
    order = sorted(range(len(lines)), key=lambda i: (SECTION_PRIORITY.get(lines[i][2], 3), i))
    kept: dict[int, str] = {}
    room = max_chars + 1  # every kept line costs its length plus the newline that joins it; the first needs none
    for index in order:
        start, end, _ = lines[index]
        if end - start + 1 <= room:
            kept[index] = text[start:end]
            room -= end - start + 1
        elif room - 1 >= _MIN_CUT:
            piece = text[start : start + room - 1]
            cut = piece.rfind(" ")
            kept[index] = piece[:cut] if cut >= _MIN_CUT // 2 else piece
            break
    for index in [i for i in kept if classify_heading(kept[i]) is not None]:  # a heading whose lines all went
        following = index + 1
        if following >= len(lines) or (lines[following][2] == lines[index][2] and following not in kept):
            del kept[index]
    trimmed = "\n".join(kept[i] for i in sorted(kept))
    return Trimmed(trimmed, len(text) - len(trimmed))


_INSTRUCTIONS = """\
You label job postings for jobatlas, an atlas of the AI-engineering job market. Read the title and the whole \
description, then reply with a single JSON object and nothing else. What counts is what the candidate is \
asked for; the company's own products, customers and perks are not asks.

Fields:
- level: the rung of the AI-engineering ladder, one of "i" (about 0-2 years), "ii" (2-4), "senior" (4-7), \
"staff" (7+), or null.
  1. A level word in the title settles it, even against the years asked. i: intern, junior, entry-level, \
graduate or new grad, apprentice, associate, a trailing "I"/"1", L3/E3. ii: a trailing "II"/"2", mid-level, \
intermediate, L4/E4. senior: senior, "III", lead or tech lead, engineering manager, L5/E5. staff: staff, \
principal, distinguished, fellow, architect, head of, director, VP, CTO or another chief, L6/E6 and up. When \
the title offers two levels side by side ("Senior/Staff"), take the lower.
  2. Otherwise the minimum years the role requires as a whole: 0-1 gives i, 2-3 ii, 4-6 senior, 7 or more staff.
  3. Otherwise clear scope language: mentoring others or owning the architecture is senior, setting direction \
for the whole organisation is staff, working under guidance while learning is i. Otherwise null.
- track: "manager" for a people-management role (an engineering manager, a head of a function, a director, a VP \
or a CTO); otherwise "ic".
- role_family, exactly one: "ai_engineer" builds products on pre-trained foundation models (LLM applications, \
RAG, agents, prompting, applied GenAI) and trains little; "ml_engineer" trains, deploys and runs custom models \
or ML platforms (MLOps, ranking, recommendation, fraud, vision or NLP models); "data_scientist" does \
analysis, statistics, experiments and predictive models for business insight; "ai_researcher" advances methods \
(research scientist or research engineer, publications, PhD expected); "data_engineer" builds pipelines, ETL, \
warehouses and data platforms; "other" is everything else, including software roles without an AI or ML \
focus. An "AI/ML Engineer" title is settled by the work: building on LLMs is ai_engineer, training and serving \
own models is ml_engineer. When a post lists several roles, label level and role_family from the first one.
- specializations, zero or more, only for AI and ML roles, and only when the topic is a real focus (named in \
the title, or several duties or requirements), never for a single passing mention: "rag" (retrieval, search, \
embeddings, vector databases, grounding), "agents" (agentic systems, tool or function calling, planning, \
autonomous work in several steps, agent frameworks), "infrastructure" (model serving, inference optimisation, \
GPUs, ML platforms, MLOps, training or evaluation infrastructure), "safety" (AI safety and security, prompt \
injection, guardrails, moderation, red-teaming, responsible AI, governance), "multimodal" (vision, image, \
video, speech, audio, multimodal models).
- skills: each skill the posting asks for that is on the skill list at the end, spelled as listed. \
requirement is "preferred" when the posting calls it nice to have, preferred, a bonus or a plus, else \
"required" (requirements, qualifications, duties and the team's stated stack are required). evidence is a \
short quote copied character for character from the posting (one line or sentence, at most 200 characters) \
that shows the ask; never paraphrase it. Leave out skills you cannot quote.
- years_min: the fewest years of experience the role as a whole requires, ignoring a smaller number nested in \
the main one (2 years of one tool within 8 years overall gives 8); the lower end of a range; the largest of \
parallel requirements; the smallest when it depends on the degree; a preferred number when it is the only one; \
null when no number is given.
- education_min: the least degree that would meet the requirement, "bachelor", "master" or "phd" ("BS/MS" is \
bachelor, "MS or PhD" master, "PhD preferred" with a required BS bachelor), or null when none is stated.
- publications: "required" or "preferred" when the posting asks for research publications (for instance at \
NeurIPS, ICML, ICLR, ACL or CVPR, or first-author papers), else null.
- rationale: one short line on what decided the level and the role family.

Reply in this JSON shape:
{"level": "senior", "track": "ic", "role_family": "ai_engineer", "specializations": ["rag"], \
"skills": [{"name": "Python", "requirement": "required", "evidence": "5+ years of Python"}], "years_min": 5, \
"education_min": null, "publications": null, "rationale": "Senior in the title; builds RAG on hosted LLMs."}"""


def system_message(skill_names: Collection[str]) -> str:
    """The instructions and the skill vocabulary (the same for every posting, so providers can cache it)."""
    vocabulary = ", ".join(sorted(set(skill_names), key=str.casefold))
    return f"{_INSTRUCTIONS}\n\nSkill list: {vocabulary}" if vocabulary else _INSTRUCTIONS


def user_message(posting: Posting, *, max_description_chars: int) -> str:
    """The posting: title, company and location when known, and the description trimmed to the budget.

    >>> from pipeline.domain import Posting
    >>> p = Posting(id="s:1", source_id="s", raw_hash="", title="ML Engineer", company="Acme", description="Train.")
    >>> print(user_message(p, max_description_chars=1000))
    Title: ML Engineer
    Company: Acme
    <BLANKLINE>
    Description:
    Train.
    """
    head = [f"Title: {posting.title or '(none)'}"]
    if posting.company:
        head.append(f"Company: {posting.company}")
    if posting.location:
        head.append(f"Location: {posting.location}")
    trimmed = trim_description(posting.description, max_description_chars)
    note = ""
    if trimmed.omitted:
        total = len(posting.description)
        note = f" (trimmed: {trimmed.omitted:,} of {total:,} characters of lower-priority sections left out)"
    return "\n".join(head) + f"\n\nDescription{note}:\n{trimmed.text}"


def build_prompt(posting: Posting, skill_names: Collection[str], *, max_description_chars: int) -> list[Message]:
    """The chat messages asking the model to label ``posting``: a system message (instructions, answer shape,
    skill vocabulary) and a user message (the posting, trimmed to ``max_description_chars``)."""
    return [
        {"role": "system", "content": system_message(skill_names)},
        {"role": "user", "content": user_message(posting, max_description_chars=max_description_chars)},
    ]
