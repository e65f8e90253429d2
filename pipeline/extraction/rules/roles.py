"""Role family from the title and the skills asked, and specialization scores."""

from __future__ import annotations

import re

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
_ML_ENGINEER = re.compile(
    r"\b(machine learning|ml|mlops|deep learning|computer vision|cv|nlp|perception|"
    r"ranking|recommendation)\b.*\b(engineer|developer|architect|lead|manager|head)\b",
    re.I,
)
_AI_ENGINEER = re.compile(
    r"\b(ai|a\.i\.|llm|genai|gen ai|generative ai|applied ai|prompt|agent|ai/ml|ml/ai|"
    r"conversational ai)\b",
    re.I,
)
_AI_AND_ML = re.compile(r"\b(ai\s*/\s*ml|ml\s*/\s*ai|ai\s*(&|and)\s*(ml|machine learning))\b", re.I)
_SOFTWARE = re.compile(r"\b(engineer|developer|programmer|architect|swe|cto)\b", re.I)


def role_family(title: str, skills: frozenset[str]) -> tuple[RoleFamily, str]:
    """The role family from the title, settled by the skills asked when the title is ambiguous; with the reason.

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
    if _ML_ENGINEER.search(title) and not mixed and not re.search(r"\b(llm|genai|generative)\b", title, re.I):
        return RoleFamily.ML_ENGINEER, "title names machine learning engineering"
    if mixed or (_AI_ENGINEER.search(title) and _SOFTWARE.search(title)):
        if training > llm + 1:
            return RoleFamily.ML_ENGINEER, f"title names AI; {balance}"
        return RoleFamily.AI_ENGINEER, f"title names AI; {balance}"
    if _SOFTWARE.search(title):
        if llm >= 3 and llm >= training:
            return RoleFamily.AI_ENGINEER, f"software title; {balance}"
        if training >= 4:
            return RoleFamily.ML_ENGINEER, f"software title; {balance}"
    return RoleFamily.OTHER, "no AI, ML or data role in the title or the skills"


def specialization_scores(
    cue_hits: dict[str, set[str]],
    skill_hints: dict[str, set[str]],
    title_hits: set[str],
    *,
    title_weight: float,
) -> dict[str, float]:
    """Score each specialization: one point per distinct cue phrase in the text, one per distinct skill that is
    evidence for it, and ``title_weight`` when the title names it.

    >>> specialization_scores({"rag": {"retrieval", "reranking"}}, {"rag": {"Vector databases"}}, {"agents"},
    ...                       title_weight=3.0)
    {'agents': 3.0, 'rag': 3.0}
    """
    names = sorted(set(cue_hits) | set(skill_hints) | title_hits)
    return {
        name: float(len(cue_hits.get(name, set())) + len(skill_hints.get(name, set())))
        + (title_weight if name in title_hits else 0.0)
        for name in names
    }
