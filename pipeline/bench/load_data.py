"""Deterministic synthetic postings and their extractions for ``jobatlas bench load``: titles, companies, 2-4 KB
descriptions assembled from varied sentences (with the odd accent, quote, tab and backslash), salaries, dates, a
rule tag and about ten skills each. The same seed gives the same postings."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pipeline.domain import Extraction, Label, Posting, Requirement, SkillMention, Specialization

BENCH_SOURCE = "bench"
TITLES = (
    "AI Engineer",
    "Senior AI Engineer",
    "Staff Machine Learning Engineer",
    "ML Engineer II",
    "Applied Scientist",
    "Data Scientist",
    "LLM Platform Engineer",
    "Research Engineer, Agents",
    "Engineering Manager, ML Infrastructure",
    "Data Engineer (Feature Store)",
)
COMPANIES = ("Acme AI", "Nordlicht GmbH", "Café Numérique", "Tensorworks", "O'Reilly Labs", "Zürich Robotics", "Helix")
LOCATIONS = ("Berlin, Germany", "Zürich, Switzerland", "London, UK", "New York, NY", "Remote", "Montréal, QC", None)
SENTENCES = (
    "You will design, build and ship {skill} services used by {n} customers every day.",
    "Our team owns the retrieval stack: embeddings, {skill} indexes and evaluation harnesses.",
    "We expect {years}+ years of experience with {skill} and {skill} in production.",
    "Experience with {skill} is a plus; curiosity about {skill} matters more.",
    'You care about "boring" reliability: on-call, runbooks and \\clean\\ rollbacks.',
    "The role reports to the head of {area} and works closely with product and design.",
    "Salary band: {low}-{high} {currency} per year, plus equity and a learning budget.",
    "We run our models on {skill} with continuous evaluation against a golden set of {n} prompts.",
    "You will mentor engineers, review designs and raise the bar for {area} across the company.",
    "Nice to have: publications at NeurIPS, ICML or ACL, or open-source work on {skill}.",
    "We ship weekly; every change goes through code review, CI and a staged rollout.",
    "Our stack:\t{skill}, {skill}, {skill} and a lot of SQL.",
    "You will build agents that call tools, recover from errors and explain what they did.",
    "Fine-tuning, distillation and quantization of open models ({skill}) are part of the job.",
    "We value written communication — design docs over meetings, and naïve questions over guesses.",
    "Benefits include {n} days of paid leave, parental leave and a home-office budget.",
    "A bachelor's or master's degree in computer science, or equivalent experience, is required.",
    "You will partner with the {area} team to turn research prototypes into dependable products.",
    "Observability matters to us: traces, metrics and cost per request for every {skill} call.",
    "We are an equal-opportunity employer and welcome applicants from every background.",
)
AREAS = ("ML platform", "applied research", "data infrastructure", "safety", "search", "developer tools")
LEVELS = ("i", "ii", "senior", "staff", None)
FAMILIES = ("ai_engineer", "ml_engineer", "data_scientist", "ai_researcher", "data_engineer", "other")


@dataclass(frozen=True)
class BenchMarket:
    """The generated postings and one rule extraction per posting (same order)."""

    postings: list[Posting]
    extractions: list[Extraction]
    extractor_version: str

    @property
    def skills(self) -> int:
        return sum(len(e.skills) for e in self.extractions)


def sentence_pool(rng: random.Random, skills: Sequence[str], size: int = 3_000) -> list[str]:
    """``size`` sentences drawn from the templates with their blanks filled (descriptions are drawn from these)."""
    pool = []
    for _ in range(size):
        pool.append(
            rng.choice(SENTENCES).format(
                skill=rng.choice(skills),
                n=rng.randint(3, 5_000),
                years=rng.randint(1, 10),
                area=rng.choice(AREAS),
                low=rng.randint(60, 150) * 1_000,
                high=rng.randint(151, 300) * 1_000,
                currency=rng.choice(("EUR", "USD", "CHF")),
            )
        )
        if rng.random() < 0.1:
            pool.append("\n\n")
    return pool


def _description(rng: random.Random, pool: Sequence[str]) -> str:
    """2-4 KB of sentences from the pool."""
    target = rng.randint(2_000, 4_000)
    parts = rng.choices(pool, k=target // 100)
    text = " ".join(parts)
    while len(text) < target:
        text = f"{text} {rng.choice(pool)}"
    return text


def bench_posting(rng: random.Random, index: int, pool: Sequence[str], start: date) -> Posting:
    low = rng.randint(60, 200) * 1_000.0
    high = low + rng.randint(10, 80) * 1_000.0
    salaried = rng.random() < 0.6
    return Posting(
        id=f"{BENCH_SOURCE}:{index:08d}",
        source_id=BENCH_SOURCE,
        raw_hash=f"bench-raw-{index}",
        title=rng.choice(TITLES),
        company=rng.choice(COMPANIES),
        location=rng.choice(LOCATIONS),
        remote=rng.choice(("remote", "hybrid", "onsite", None)),
        salary_min=low if salaried else None,
        salary_max=high if salaried else None,
        salary_currency=rng.choice(("EUR", "USD", "CHF")) if salaried else None,
        salary_period="year" if salaried else None,
        salary_text=f"{low:,.0f} - {high:,.0f} per year" if salaried else None,
        salary_annual_min=low if salaried else None,
        salary_annual_max=high if salaried else None,
        employment_type=rng.choice(("full_time", "contract", "part_time")),
        posted_on=start + timedelta(days=rng.randint(0, 364)),
        url=f"https://jobs.example.com/{index}",
        canonical_url=f"https://jobs.example.com/{index}",
        description=_description(rng, pool),
    )


def bench_extraction(rng: random.Random, posting: Posting, skills: Sequence[str], version: str) -> Extraction:
    names = rng.sample(list(skills), k=min(len(skills), rng.randint(8, 12)))
    mentions = []
    for name in names:
        at = rng.randint(0, max(0, len(posting.description) - 40))
        mentions.append(
            SkillMention.model_construct(
                skill=name,
                requirement=rng.choice((Requirement.REQUIRED, Requirement.PREFERRED)),
                evidence=posting.description[at : at + 40],
                start=at,
                end=at + 40,
            )
        )
    specs = rng.sample([s.value for s in Specialization], k=rng.randint(0, 2))
    level = rng.choice(LEVELS)
    return Extraction.model_construct(  # trusted values: skip validation (10x faster)
        posting_id=posting.id,
        extractor_version=version,
        skills=tuple(mentions),
        level=Label.model_construct(value=level, confidence=0.9 if level else 0.0, evidence=f"title: {posting.title}"),
        track=Label.model_construct(value="ic", confidence=0.8),
        role_family=Label.model_construct(value=rng.choice(FAMILIES), confidence=0.7, evidence=posting.title),
        specializations={s: round(rng.uniform(0.3, 1.0), 3) for s in specs},
        years_min=rng.choice((None, 1, 2, 3, 5, 8)),
        evidence={"salary": posting.salary_text},
    )


def bench_market(count: int, skills: Sequence[str], *, seed: int = 0, taxonomy_version: str = "bench") -> BenchMarket:
    """``count`` postings of source ``bench`` with their extractions, drawn with ``seed``."""
    rng = random.Random(seed)
    version = f"rules-bench+taxonomy-{taxonomy_version}"
    start = date(2026, 1, 5)
    pool = sentence_pool(rng, skills)
    postings = [bench_posting(rng, i, pool, start) for i in range(count)]
    extractions = [bench_extraction(rng, p, skills, version) for p in postings]
    return BenchMarket(postings=postings, extractions=extractions, extractor_version=version)


def changed_copy(posting: Posting, note: str) -> Posting:
    """The posting with its description edited (a new content hash)."""
    return posting.model_copy(update={"description": f"{posting.description}\n\n{note}"})
