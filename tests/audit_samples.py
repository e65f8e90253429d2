"""Job descriptions written for the JD audit tests (fictional companies and roles), the extractor and word lists
built once, and a tiny fixture market for the store tests."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session

from pipeline.analysis.market import CountDistribution, MarketSnapshot, Segment, SegmentProfile, SkillDemand
from pipeline.audit.document import AuditDocument, read_document
from pipeline.audit.wordlists import Wordlists, load_wordlists
from pipeline.domain import Extraction, Label, Posting, Requirement, SkillMention
from pipeline.extraction.extractor import Extractor, build_extractor
from pipeline.extraction.taxonomy import load_taxonomy
from pipeline.store import loads

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 30)
SENIOR_AI = Segment("ai_engineer", "senior")

RESEARCH_IN_DISGUISE = """\
AI Engineer
About the role
You will build retrieval features for the Lumenfold assistant on top of large language models.
Requirements
- PhD in Computer Science, Machine Learning or a related field
- First-author papers at NeurIPS, ICML or ICLR
- Strong Python and PyTorch
Location: Lisbon, Portugal (hybrid). Salary: €90,000 - €120,000 per year.
"""

JUNIOR_SEVEN_YEARS = """\
Junior AI Engineer
What you'll do
- Build prompt pipelines and evaluation harnesses for our LLM features
Requirements
- 7+ years of professional software development
- Python and SQL
- Experience with RAG and embeddings
Nice to have
- Docker
Salary: $95,000 - $115,000 per year. Remote (US time zones).
"""

TOOLS = (
    "Python, TypeScript, Java, Scala, PyTorch, TensorFlow, JAX, Kubernetes, Docker, Terraform, AWS, GCP, Azure, "
    "PostgreSQL, Redis, Kafka, Airflow, dbt, Snowflake, LangChain, LlamaIndex, MLflow, React, FastAPI, Elasticsearch"
)
TOOL_OVERLOAD = f"""\
Senior AI Engineer
Requirements (all must-have)
{chr(10).join(f"- Production experience with {tool}" for tool in TOOLS.split(", "))}
Salary: $180,000 - $220,000 per year. Hybrid, two days a week in our Denver office.
"""

LANGCHAIN_YEARS = """\
AI Engineer II
Responsibilities
- Build agents and retrieval pipelines for customer support
Requirements
- 3+ years of Python
- 5+ years of LangChain
- Experience with vector databases
Nice to have
- LlamaIndex
Salary: $140,000 - $165,000 per year. Remote within Canada.
"""

WELL_WRITTEN = """\
Senior AI Engineer, Retrieval
About Quillmark
Quillmark helps legal teams search their own documents. Our team of twelve works together across Montreal and Toronto.
What you'll do
- Design, build and evaluate retrieval-augmented generation features on top of LLMs
- Work with product and design to understand what our users need
- Mentor other engineers and review their code
What we're looking for
- 4+ years of software engineering, including production Python
- Experience building RAG systems with embeddings and a vector database
- Experience evaluating LLM outputs
Nice to have
- Experience with Kubernetes
- Familiarity with LangChain or LlamaIndex
Compensation and location
- Salary: CA$165,000 - CA$195,000 per year, plus equity
- Hybrid: two days a week in our Montreal office
"""


@cache
def extractor() -> Extractor:
    return build_extractor(REPO / "data" / "taxonomy")


@cache
def wordlists() -> Wordlists:
    return load_wordlists(REPO / "data" / "audit")


def posting(text: str, **fields: object) -> Posting:
    """A posting whose title is the text's first line and whose description is the rest."""
    title, _, description = text.partition("\n")
    return Posting(id="audit:test", source_id="audit", raw_hash="", title=title, description=description, **fields)  # type: ignore[arg-type]


def document(text: str, **fields: object) -> AuditDocument:
    return read_document(posting(text, **fields), extractor())


def snapshot(
    *,
    postings: int = 40,
    segment: Segment = SENIOR_AI,
    skills: dict[str, tuple[int, int]] | None = None,
    p90: float = 12.0,
    median: float = 8.0,
    **profile: object,
) -> MarketSnapshot:
    """An in-memory market: ``skills`` maps a skill to (postings asking, postings requiring)."""
    taxonomy = extractor().taxonomy.by_name()
    demand = tuple(
        SkillDemand(
            skill=name,
            category=taxonomy[name].category if name in taxonomy else "concept",
            asked=asked,
            required=required,
            postings=postings,
        )
        for name, (asked, required) in sorted((skills or {}).items(), key=lambda kv: -kv[1][0])
    )
    return MarketSnapshot(
        segment=segment,
        profile=SegmentProfile(postings=postings, **profile),  # type: ignore[arg-type]
        skills=demand,
        required_counts=CountDistribution(postings=postings, median=median, p90=p90, maximum=int(p90) + 5),
    )


# The tiny fixture market: (id, role family, level, posted on, skills as (name, requirement), extra tag fields,
# extra posting fields). "m:a5" repeats "m:a1" (a duplicate, left out of every figure).
MARKET = (
    (
        "m:a1",
        "ai_engineer",
        "senior",
        date(2026, 11, 2),
        [("Python", "r"), ("LLMs", "r"), ("RAG", "r"), ("Docker", "p")],
        {"years_min": 5, "specializations": {"rag": 3.0}},
        {"salary_min": 150000.0, "salary_max": 180000.0, "location": "Toronto", "remote": "hybrid"},
    ),
    (
        "m:a2",
        "ai_engineer",
        "senior",
        date(2026, 11, 3),
        [("Python", "r"), ("LLMs", "r"), ("LangChain", "r")],
        {"years_min": 6},
        {"location": "Berlin"},
    ),
    (
        "m:a3",
        "ai_engineer",
        "senior",
        date(2026, 11, 4),
        [("Python", "r"), ("LLMs", "p"), ("Kubernetes", "r"), ("AWS", "r"), ("SQL", "r")],
        {"years_min": 4, "education": "phd", "specializations": {"rag": 2.0, "agents": 2.0, "infrastructure": 2.0}},
        {"salary_min": 160000.0, "salary_max": 190000.0},
    ),
    ("m:a4", "ai_engineer", "senior", date(2026, 11, 5), [("Python", "r")], {"publications": "preferred"}, {}),
    ("m:a5", "ai_engineer", "senior", date(2026, 11, 6), [("Python", "r"), ("Rust", "r")], {"years_min": 9}, {}),
    ("m:b1", "ai_engineer", "i", date(2026, 11, 2), [("Python", "r")], {"years_min": 1}, {}),
    ("m:c1", "ml_engineer", None, date(2026, 6, 1), [("PyTorch", "r"), ("Python", "r")], {"years_min": 7}, {}),
)


def _extraction(
    pid: str, family: str, level: str | None, skills: list[tuple[str, str]], tag: dict[str, object]
) -> Extraction:
    specs = tag.get("specializations", {})
    education = tag.get("education")
    publications = tag.get("publications")
    return Extraction(
        posting_id=pid,
        extractor_version="rules-test",
        skills=tuple(
            SkillMention(
                skill=name,
                requirement=Requirement.REQUIRED if kind == "r" else Requirement.PREFERRED,
                evidence=name,
                start=10 * i,
                end=10 * i + 5,
            )
            for i, (name, kind) in enumerate(skills)
        ),
        level=Label(value=level, confidence=0.9),
        track=Label(value="ic", confidence=0.8),
        role_family=Label(value=family, confidence=0.6),
        specializations=specs,  # type: ignore[arg-type]
        years_min=tag.get("years_min"),  # type: ignore[arg-type]
        education=Label(value=education, confidence=0.8),  # type: ignore[arg-type]
        education_requirement="required" if education else None,
        publications=Label(value=publications, confidence=0.7),  # type: ignore[arg-type]
    )


def seed_market(session: Session) -> None:
    """Load the tiny fixture market (the real taxonomy's skills, 7 postings, one duplicate) into a migrated store."""
    taxonomy = load_taxonomy(REPO / "data" / "taxonomy" / "skills.yaml")
    loads.upsert_sources([("m", "jsonl_file", "market.jsonl", {})], session=session)
    skill_ids = loads.upsert_skills(taxonomy, session=session)
    postings = [
        Posting(
            id=pid, source_id="m", raw_hash=pid, title=f"{family} {level}", description="...", posted_on=day, **extra
        )  # type: ignore[arg-type]
        for pid, family, level, day, _, _, extra in MARKET
    ]
    loads.upsert_postings(postings, raw_ids={}, seen_on=date(2026, 11, 20), session=session)
    extractions = [_extraction(pid, family, level, skills, tag) for pid, family, level, _, skills, tag, _ in MARKET]
    loads.save_extractions(
        extractions,
        content_hashes={p.id: p.content_hash for p in postings},
        skill_ids=skill_ids,
        taxonomy_version=taxonomy.version,
        session=session,
    )
    from pipeline.store.duplicates import set_duplicates

    set_duplicates({"m:a5": "m:a1"}, session=session)
