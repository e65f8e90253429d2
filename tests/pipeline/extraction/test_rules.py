import pytest

from pipeline.domain import Level, Requirement, RoleFamily, Track
from pipeline.extraction.rules import (
    classify_heading,
    level_from_title,
    level_from_years,
    primary_years,
    requirement_for,
    role_family,
    specialization_scores,
    track_from_title,
    years_mentions,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Requirements", "requirements"),
        ("What we're looking for:", "requirements"),
        ("About you", "requirements"),
        ("Preferred Qualifications", "preferred"),
        ("Nice to have", "preferred"),
        ("Bonus points", "preferred"),
        ("What you'll do", "responsibilities"),
        ("Responsibilities:", "responsibilities"),
        ("Benefits & perks", "benefits"),
        ("What we offer", "benefits"),
        ("About Acme", "about"),
        ("Who we are", "about"),
        ("## Qualifications", "requirements"),
        ("- 5+ years of Python", None),
        ("We are looking for an engineer who loves shipping LLM products to real users.", None),
        ("Experience with Kubernetes is required.", None),
        ("", None),
    ],
)
def test_classify_heading(line: str, expected: str | None) -> None:
    assert classify_heading(line) == expected


@pytest.mark.parametrize(
    ("section", "line", "expected"),
    [
        ("requirements", "- Python", Requirement.REQUIRED),
        ("preferred", "- Python", Requirement.PREFERRED),
        ("responsibilities", "- Ship RAG features", Requirement.REQUIRED),
        (None, "Terraform is a plus.", Requirement.PREFERRED),
        ("requirements", "- Ideally, experience with vLLM", Requirement.PREFERRED),
        ("requirements", "- Bonus: CUDA", Requirement.PREFERRED),
        (None, "Must know SQL", Requirement.REQUIRED),
    ],
)
def test_requirement_for(section: str | None, line: str, expected: Requirement) -> None:
    assert requirement_for(section, line) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Junior AI Engineer", (Level.I, "Junior")),
        ("Machine Learning Intern", (Level.I, "Intern")),
        ("AI Engineer I", (Level.I, "Engineer I")),
        ("Associate Data Scientist", (Level.I, "Associate")),
        ("AI Engineer II", (Level.II, "II")),
        ("Software Engineer 2, Applied AI", (Level.II, "Engineer 2")),
        ("Mid-level ML Engineer", (Level.II, "Mid-level")),
        ("Senior AI Engineer", (Level.SENIOR, "Senior")),
        ("Sr. Data Engineer", (Level.SENIOR, "Sr")),
        ("Tech Lead, LLM Platform", (Level.SENIOR, "Lead")),
        ("Engineering Manager, Agents", (Level.SENIOR, "Manager")),
        ("Staff ML Engineer", (Level.STAFF, "Staff")),
        ("Principal Applied Scientist", (Level.STAFF, "Principal")),
        ("Head of AI", (Level.STAFF, "Head of")),
        ("Director of Machine Learning", (Level.STAFF, "Director")),
        ("Senior Staff Engineer", (Level.STAFF, "Staff")),
        ("AI Engineer", None),
        ("Founding Engineer", None),
        ("Machine Learning Engineer (LLM Inference)", None),
    ],
)
def test_level_from_title(title: str, expected: tuple[Level, str] | None) -> None:
    assert level_from_title(title) == expected


@pytest.mark.parametrize(
    ("years", "level"),
    [(0, "i"), (1, "i"), (2, "ii"), (3, "ii"), (4, "senior"), (6, "senior"), (7, "staff"), (12, "staff")],
)
def test_level_from_years(years: int, level: str) -> None:
    assert level_from_years(years).value == level


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Engineering Manager, ML", Track.MANAGER),
        ("Head of AI", Track.MANAGER),
        ("VP of Data", Track.MANAGER),
        ("Product Manager, AI", Track.IC),
        ("Staff AI Engineer", Track.IC),
    ],
)
def test_track_from_title(title: str, expected: Track) -> None:
    assert track_from_title(title) is expected


def test_years_mentions_exact() -> None:
    text = (
        "5+ years of Python, 3-5 years in ML, seven years overall, 2 to 4 years of SQL, "
        "a 10-year-old company founded 12 years ago, 40 years of history"
    )
    assert [(m.years, m.text) for m in years_mentions(text)] == [
        (5, "5+ years"),
        (3, "3-5 years"),
        (7, "seven years"),
        (2, "2 to 4 years"),
    ]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["8+ years of software engineering, including 2+ years of ML"], 8),
        (["5+ years of backend work", "3+ years of ML"], 5),
        (["3-5 years of experience"], 3),
        (["Five years of experience building data pipelines"], 5),
        (["No experience needed"], None),
    ],
)
def test_primary_years(sentences: list[str], expected: int | None) -> None:
    found = primary_years(sentences)
    assert (found.years if found else None) == expected


@pytest.mark.parametrize(
    ("title", "skills", "expected"),
    [
        ("Research Scientist, LLM Alignment", set(), RoleFamily.AI_RESEARCHER),
        ("Research Engineer, Pretraining", set(), RoleFamily.AI_RESEARCHER),
        ("Senior Data Engineer", {"Spark"}, RoleFamily.DATA_ENGINEER),
        ("Analytics Engineer", {"dbt"}, RoleFamily.DATA_ENGINEER),
        ("Data Scientist, Growth", {"Statistics"}, RoleFamily.DATA_SCIENTIST),
        ("Senior Data Analyst", set(), RoleFamily.DATA_SCIENTIST),
        ("Machine Learning Engineer", {"LLMs"}, RoleFamily.ML_ENGINEER),
        ("MLOps Engineer", set(), RoleFamily.ML_ENGINEER),
        ("Senior AI Engineer", {"RAG"}, RoleFamily.AI_ENGINEER),
        ("GenAI Engineer", set(), RoleFamily.AI_ENGINEER),
        ("AI/ML Engineer", {"PyTorch", "Deep learning", "Computer vision", "MLflow"}, RoleFamily.ML_ENGINEER),
        ("AI/ML Engineer", {"LLMs", "RAG", "LangChain"}, RoleFamily.AI_ENGINEER),
        ("Software Engineer", {"LLMs", "RAG", "Agents", "Python"}, RoleFamily.AI_ENGINEER),
        ("Software Engineer", {"React", "Python"}, RoleFamily.OTHER),
        ("Account Executive", {"LLMs"}, RoleFamily.OTHER),
    ],
)
def test_role_family(title: str, skills: set[str], expected: RoleFamily) -> None:
    assert role_family(title, frozenset(skills))[0] is expected


def test_specialization_scores_exact() -> None:
    scores = specialization_scores(
        {"rag": {"retrieval", "semantic search"}, "safety": {"guardrails"}},
        {"rag": {"Vector databases"}, "infrastructure": {"vLLM", "CUDA"}},
        {"safety"},
        title_weight=3.0,
    )
    assert scores == {"infrastructure": 2.0, "rag": 3.0, "safety": 4.0}
