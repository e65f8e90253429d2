"""Pure extraction rules, each with a docstring example and exact-output tests.

Label semantics follow the labeling guide: the ladder I (0-2 years), II (2-4), Senior (4-7), Staff (7+).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.domain import Level, Requirement, RoleFamily, Track

# -- sections -----------------------------------------------------------------------------------------

SECTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "preferred",
        re.compile(
            r"nice[- ]to[- ]have|preferred|bonus|plus(es)?\b|desirable|ideally|good to have|"
            r"extra credit|would be great|not required"
        ),
    ),
    (
        "benefits",
        re.compile(
            r"benefits|perks|what we offer|we offer|compensation|salary|\bpay\b|why join|"
            r"total rewards|what's in it|what you get"
        ),
    ),
    (
        "requirements",
        re.compile(
            r"requirements|qualifications|what you bring|you bring|you have|you'll need|"
            r"what we('re| are) looking for|who you are|must[- ]haves?|about you|your profile|"
            r"skills|experience you|what you need|we('re| are) looking for"
        ),
    ),
    (
        "responsibilities",
        re.compile(
            r"responsibilit|what you('ll| will) do|the role|your role|day[- ]to[- ]day|"
            r"what you('ll| will) work on|duties|the job|your impact|in this role|"
            r"you will|what you('ll| will) be doing|the opportunity|the work"
        ),
    ),
    (
        "about",
        re.compile(
            r"^about|who we are|our mission|the company|company overview|our story|our team|"
            r"equal opportunity|eeo|diversity"
        ),
    ),
)


def classify_heading(line: str) -> str | None:
    """The section a heading line opens (about, responsibilities, requirements, preferred, benefits), or None
    when the line is not a heading.

    >>> classify_heading("Nice to have:"), classify_heading("What you'll do"), classify_heading("- Python")
    ('preferred', 'responsibilities', None)
    """
    text = line.strip().strip("#*").strip()
    if not text or text.startswith(("-", "•", "*")) or len(text) > 60 or len(text.split()) > 8:
        return None
    if text.endswith((".", ",", ";")):
        return None
    lowered = text.lower().rstrip(":").strip()
    for kind, pattern in SECTION_PATTERNS:
        if pattern.search(lowered):
            return kind
    return None


_PREFERRED_CUE = re.compile(
    r"\b(nice[- ]to[- ]have|preferred|preferably|bonus|a plus|is a plus|are a plus|plus if|ideally|desirable|"
    r"good to have|not required|would be great|familiarity with is helpful)\b",
    re.I,
)


def requirement_for(section: str | None, line: str) -> Requirement:
    """Required or preferred, from the section a mention sits in and cue words on its line.

    >>> requirement_for("requirements", "- Kubernetes experience is a plus")
    <Requirement.PREFERRED: 'preferred'>
    >>> requirement_for("requirements", "- 3+ years of Python")
    <Requirement.REQUIRED: 'required'>
    """
    if section == "preferred" or _PREFERRED_CUE.search(line):
        return Requirement.PREFERRED
    return Requirement.REQUIRED


# -- level and track ----------------------------------------------------------------------------------

_TITLE_LEVELS: tuple[tuple[Level, re.Pattern[str]], ...] = (
    (
        Level.STAFF,
        re.compile(
            r"\b(staff|principal|distinguished|fellow|architect|head of|director|vp|"
            r"vice president|cto|chief|l[6-9]|e[6-9])\b",
            re.I,
        ),
    ),
    (Level.SENIOR, re.compile(r"\b(senior|sr\.?|iii|lead|manager|l5|e5)\b", re.I)),
    (
        Level.II,
        re.compile(r"\b(ii|mid[- ]level|intermediate|l4|e4)\b|\b(engineer|scientist|developer)\s+2\b", re.I),
    ),
    (
        Level.I,
        re.compile(
            r"\b(intern|internship|junior|jr\.?|entry[- ]level|graduate|new grad|apprentice|"
            r"associate|l3|e3)\b|\b(engineer|scientist|developer)\s+(i|1)\b",
            re.I,
        ),
    ),
)


def level_from_title(title: str) -> tuple[Level, str] | None:
    """The ladder level a title names, with the cue that names it; None when the title names no level.

    >>> level_from_title("Sr. Machine Learning Engineer")
    (<Level.SENIOR: 'senior'>, 'Sr')
    >>> level_from_title("AI Engineer II"), level_from_title("Founding Engineer")
    ((<Level.II: 'ii'>, 'II'), None)
    """
    for level, pattern in _TITLE_LEVELS:
        match = pattern.search(title)
        if match:
            return level, match.group(0)
    return None


def level_from_years(years: int) -> Level:
    """The ladder level for a minimum-years requirement: 0-1 I, 2-3 II, 4-6 Senior, 7+ Staff.

    >>> [level_from_years(y).value for y in (0, 2, 4, 7)]
    ['i', 'ii', 'senior', 'staff']
    """
    if years >= 7:
        return Level.STAFF
    if years >= 4:
        return Level.SENIOR
    if years >= 2:
        return Level.II
    return Level.I


_MANAGER = re.compile(r"\b(manager|head of|director|vp|vice president|cto|chief)\b", re.I)
_NOT_PEOPLE_MANAGER = re.compile(r"\b(product|program|project|account|marketing|community|success)\s+manager\b", re.I)


def track_from_title(title: str) -> Track:
    """Manager when the title manages people (Engineering Manager, Head of, Director, VP, CTO); else IC.

    >>> track_from_title("Engineering Manager, ML Platform").value, track_from_title("Product Manager").value
    ('manager', 'ic')
    """
    if _MANAGER.search(title) and not _NOT_PEOPLE_MANAGER.search(title):
        return Track.MANAGER
    return Track.IC


# -- years of experience ------------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
}
_NUM = r"(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"
_YEARS_RE = re.compile(
    rf"\b{_NUM}\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*{_NUM}\s*\+?\s*)?(?:\(\s*\d+\s*\)\s*)?years?\b(?!\s+(?:ago|old))",
    re.I,
)


@dataclass(frozen=True)
class YearsMention:
    years: int
    start: int
    end: int
    text: str


def _to_int(token: str) -> int:
    return int(token) if token.isdigit() else _NUMBER_WORDS[token.lower()]


def years_mentions(text: str) -> list[YearsMention]:
    """Every "N years", "N+ years", "N-M years" (digits or words) in the text, taking a range's lower bound.

    >>> [m.years for m in years_mentions("3-5 years of Python; five years in ML; founded 10 years ago")]
    [3, 5]
    """
    found = []
    for match in _YEARS_RE.finditer(text):
        years = _to_int(match.group(1))
        if years <= 30:
            found.append(YearsMention(years=years, start=match.start(), end=match.end(), text=match.group(0)))
    return found


def primary_years(sentences: list[str]) -> YearsMention | None:
    """The minimum years required for the role: in each sentence the first mention is the primary one (a later
    "including 2+ years of X" is nested in it); across sentences, parallel requirements take the largest.

    >>> primary_years(["8+ years of software engineering, including 2+ years of ML", "3+ years of Python"]).years
    8
    """
    best: YearsMention | None = None
    for sentence in sentences:
        mentions = years_mentions(sentence)
        if mentions and (best is None or mentions[0].years > best.years):
            best = mentions[0]
    return best


# -- role family --------------------------------------------------------------------------------------

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


# -- specializations ----------------------------------------------------------------------------------


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
