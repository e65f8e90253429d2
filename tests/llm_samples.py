"""A project-written posting and answers about it, shared by the LLM tagger tests."""

from __future__ import annotations

import json
from typing import Any

from pipeline.domain import Posting

DESCRIPTION = """About us
Acme Search builds a search engine for legal documents.

What you'll do
- Build retrieval-augmented generation features on top of hosted LLMs
- Own the evaluation of answer quality

Requirements
- 5+ years of software engineering experience
- Strong Python skills
- Experience with vector databases such as pgvector

Nice to have
- Kubernetes experience is a plus

Benefits
- Free lunch and a Python conference budget"""

POSTING = Posting(
    id="test:1",
    source_id="test",
    raw_hash="",
    title="Senior AI Engineer, Retrieval",
    company="Acme Search",
    description=DESCRIPTION,
)

SKILL_NAMES = ("Python", "Kubernetes", "pgvector", "RAG", "LLMs")


def answer(**overrides: Any) -> dict[str, Any]:
    """A valid answer about POSTING whose evidence quotes are all in it."""
    data: dict[str, Any] = {
        "level": "senior",
        "track": "ic",
        "role_family": "ai_engineer",
        "specializations": ["rag"],
        "skills": [
            {"name": "Python", "requirement": "required", "evidence": "Strong Python skills"},
            {"name": "Kubernetes", "requirement": "preferred", "evidence": "Kubernetes experience is a plus"},
        ],
        "years_min": 5,
        "education_min": None,
        "publications": None,
        "rationale": "Senior in the title; builds RAG on hosted LLMs.",
    }
    data.update(overrides)
    return data


def answer_text(**overrides: Any) -> str:
    return json.dumps(answer(**overrides))
