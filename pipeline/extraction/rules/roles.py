"""Role family from the title and the skills asked, and specialization scores."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.domain import RoleFamily

LLM_APP_SKILLS = frozenset(
    {
        "LLMs",
        "RAG",
        "Agents",
        "Prompt engineering",
        "LangChain",
        "LlamaIndex",
        "OpenAI API",
        "Vector databases",
        "Embeddings",
        "LLM evaluation",
    }
)
MODEL_TRAINING_SKILLS = frozenset(
    {
        "PyTorch",
        "TensorFlow",
        "JAX",
        "Keras",
        "Deep learning",
        "scikit-learn",
        "XGBoost",
        "Computer vision",
        "Recommender systems",
        "MLOps",
        "Kubeflow",
        "MLflow",
        "Reinforcement learning",
        "CUDA",
        "Time series",
    }
)

_RESEARCH = re.compile(r"\bresearch(er)?\b|\bscientist,? (ai|ml|research)|\bapplied scientist\b", re.I)
_DATA_ENGINEER = re.compile(r"\b(data|analytics|etl|bi|data platform|big data) (engineer|developer|architect)\b", re.I)
_DATA_SCIENCE = re.compile(
    r"\bdata scien|\b(data|business|product|quantitative|bi) analyst\b|\banalytics\b|"
    r"\bstatistician\b",
    re.I,
)
_ML_WORDS = re.compile(
    r"\b(machine learning|ml|mlops|deep learning|computer vision|cv|nlp|perception|ranking|recommendation|"
    r"vllm|inference)\b",
    re.I,
)
_AI_ENGINEER = re.compile(
    r"\b(ai|a\.i\.|artificial intelligence|llm|genai|gen ai|generative ai|applied ai|prompt|agent|ai/ml|ml/ai|"
    r"conversational ai)\b",
    re.I,
)
_ROLE_LIST_ITEM = re.compile(
    r"\b(swes?|engineers?|scientists?|developers?|researchers?|analysts?|architects?|managers?)\b", re.I
)
_GENERIC_TITLE = re.compile(
    r"^\s*(?:multiple|several|various|many|open)?\s*(?:engineering|tech|technical)?\s*(?:roles|positions|openings)\s*$",
    re.I,
)
_AI_AND_ML = re.compile(r"\b(ai\s*/\s*ml|ml\s*/\s*ai|ai\s*(&|and)\s*(ml|machine learning))\b", re.I)
_SOFTWARE = re.compile(r"\b(engineers?|developers?|programmers?|architects?|swe|cto|devops|mlops)\b", re.I)
_LEADER = re.compile(r"\b(engineering manager|manager,? (?:\w+ )?engineering|head of|tech(?:nical)? lead)\b", re.I)


def first_listed_role(title: str, listed: Sequence[str] = ()) -> str:
    """The role a title stands for: the first of several roles it lists ("Fullstack Engineer, DevOps Engineer");
    for a title naming no role at all ("Multiple roles", "AI in healthcare") the first role listed in the
    description, when there is one; else the title itself.

    >>> first_listed_role("Senior/Staff Fullstack Engineer, DevOps Engineer, Applied Research Engineer")
    'Senior/Staff Fullstack Engineer'
    >>> first_listed_role("Staff Engineer - Infrastructure, Machine Learning / Senior Manager, Support Engineering")
    'Staff Engineer - Infrastructure, Machine Learning'
    >>> first_listed_role("Software Engineer, AI"), first_listed_role("Multiple roles", ["ML Infra Engineer"])
    ('Software Engineer, AI', 'ML Infra Engineer')
    """
    for separators in (r"\s+(?:/|\|)\s+|\s*;\s*", r"\s*,\s*"):  # " / " and ";" part roles before "," does
        parts = [part for part in re.split(separators, title) if part]
        if len(parts) > 1 and sum(bool(_ROLE_LIST_ITEM.search(part)) for part in parts) >= 2:
            return parts[0]
    if listed and (_GENERIC_TITLE.match(title) or not (_ROLE_LIST_ITEM.search(title) or _SOFTWARE.search(title))):
        return listed[0]
    return title


def role_family(
    title: str, skills: frozenset[str], *, preferred: frozenset[str] = frozenset()
) -> tuple[RoleFamily, str]:
    """The role family from the title, settled by the skills asked when the title is ambiguous; with the reason.
    A plain software title becomes an AI or ML role only on skills it requires (``preferred`` ones are a bonus).

    >>> role_family("AI/ML Engineer", frozenset({"LLMs", "RAG", "Python"}))
    (<RoleFamily.AI_ENGINEER: 'ai_engineer'>, 'title names AI; asks 2 LLM-application skills vs 0 model-training')
    >>> role_family("Senior Data Engineer", frozenset({"Spark"}))[0].value
    'data_engineer'
    """
    llm = len(skills & LLM_APP_SKILLS)
    training = len(skills & MODEL_TRAINING_SKILLS)
    balance = f"asks {llm} LLM-application skills vs {training} model-training"
    if _RESEARCH.search(title) and re.search(
        r"\b(ai|ml|machine learning|research|scientist|llm|nlp|vision)\b", title, re.I
    ):
        return RoleFamily.AI_RESEARCHER, "title names research"
    if _DATA_ENGINEER.search(title):
        return RoleFamily.DATA_ENGINEER, "title names data engineering"
    if _DATA_SCIENCE.search(title):
        return RoleFamily.DATA_SCIENTIST, "title names data science or analytics"
    mixed = _AI_AND_ML.search(title)
    engineering = _SOFTWARE.search(title) or _LEADER.search(title)
    generative = re.search(r"\b(llm|genai|generative)\b", title, re.I)
    if _ML_WORDS.search(title) and engineering and not mixed and not generative:
        if llm >= 2 and training == 0:  # an ML title over a posting that asks only for building on LLMs
            return RoleFamily.AI_ENGINEER, f"title names machine learning; {balance}"
        return RoleFamily.ML_ENGINEER, "title names machine learning engineering"
    if engineering and (mixed or _AI_ENGINEER.search(title)):
        if (mixed and llm <= training) or training > llm + 1:
            return RoleFamily.ML_ENGINEER, f"title names AI; {balance}"
        return RoleFamily.AI_ENGINEER, f"title names AI; {balance}"
    if _SOFTWARE.search(title):
        required = skills - preferred
        llm, training = len(required & LLM_APP_SKILLS), len(required & MODEL_TRAINING_SKILLS)
        balance = f"requires {llm} LLM-application skills vs {training} model-training"
        if llm >= 3 and llm >= training:
            return RoleFamily.AI_ENGINEER, f"software title; {balance}"
        if training >= 4:
            return RoleFamily.ML_ENGINEER, f"software title; {balance}"
    return RoleFamily.OTHER, "no AI, ML or data role in the title or the skills"


def specialization_scores(
    evidence_lines: dict[str, set[int]],
    title_hits: set[str],
    *,
    title_weight: float,
    line_weights: dict[int, float] | None = None,
) -> dict[str, float]:
    """Score each specialization by how many distinct lines of the asked text speak of it (a cue phrase or a skill
    that is evidence for it; several cues on one line count once, so a single passing mention in a long list stays
    one point), plus ``title_weight`` when the title names it. ``line_weights`` lowers lines that count for less
    (a nice-to-have line); a line is worth 1 by default.

    >>> specialization_scores({"rag": {3, 7}, "agents": {7}}, {"agents"}, title_weight=3.0)
    {'agents': 4.0, 'rag': 2.0}
    >>> specialization_scores({"rag": {3, 7}}, set(), title_weight=3.0, line_weights={7: 0.5})
    {'rag': 1.5}
    """
    weights = line_weights or {}
    names = sorted(set(evidence_lines) | title_hits)
    return {
        name: sum(weights.get(line, 1.0) for line in evidence_lines.get(name, set()))
        + (title_weight if name in title_hits else 0.0)
        for name in names
    }
