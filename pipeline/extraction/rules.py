"""Pure extraction rules, each with a docstring example and exact-output tests.

Label semantics follow the labeling guide: the ladder I (0-2 years), II (2-4), Senior (4-7), Staff (7+).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

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


# -- language -----------------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Function words that are English and not also common words of the other languages postings come in.
_ENGLISH_STOPWORDS = _word_set(
    "the and of for with you we our your are will this that from have has who what can all their they more "
    "about into which was were been be is it its not but or by at as us if when how would should could these "
    "those than then there also other such any each"
)
# The most frequent function words of German, French, Spanish, Portuguese, Italian and Dutch (none is English).
_FOREIGN_STOPWORDS = _word_set(
    "und der die das mit wir für nicht ist sind eine einen ein auf auch sie bei zu von den dem oder "
    "les des est une pour avec nous vous dans sur qui sont pas aux du au et "
    "los las el una para con por que del somos es se su sus como "
    "uma com não são os nas nos pelo pela "
    "il della delle che per sono gli nel degli "
    "het een van voor zijn wij niet met ook"
)
_URL = re.compile(r"(?:https?://|www\.)\S*", re.I)
_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
LANGUAGE_SAMPLE_CHARS = 20_000
MIN_WORDS_TO_JUDGE = 20


def non_english_reason(text: str) -> str | None:
    """Why the text is not English, or None when it is English (or too short to tell).

    The rule, on the first 20,000 characters with URLs removed: a text of fewer than 20 words is not judged;
    a text whose letters are mostly outside the Latin script is not English; otherwise it is not English when
    the common function words of German, French, Spanish, Portuguese, Italian or Dutch outnumber the English
    ones and make up at least 5% of its words. Terse English (HN one-liners, skill lists) has few stopwords of
    either kind and stays English.

    >>> non_english_reason("Wir suchen eine Data Engineer mit Erfahrung in Python und SQL für unser Team in "
    ...                    "Berlin. Du bist verantwortlich für die Pipelines und arbeitest mit dem Team.")
    'not English: 41% German/French/Spanish/Portuguese/Italian/Dutch function words vs 0% English'
    >>> non_english_reason("Python, SQL, Kubernetes") is None
    True
    """
    sample = _URL.sub(" ", text[:LANGUAGE_SAMPLE_CHARS])
    if not sample.isascii():
        non_latin = len(_NON_LATIN_LETTER.findall(sample))
        letters = len(_LETTER.findall(sample)) if non_latin >= 20 else 0
        if letters >= 40 and non_latin / letters > 0.5:
            return f"not English: {non_latin / letters:.0%} of the letters are not in the Latin script"
    words = [w.lower() for w in _WORD.findall(sample)]
    if len(words) < MIN_WORDS_TO_JUDGE:
        return None
    english = sum(1 for w in words if w in _ENGLISH_STOPWORDS) / len(words)
    foreign = sum(1 for w in words if w in _FOREIGN_STOPWORDS) / len(words)
    if foreign > english and foreign >= 0.05:
        return (
            f"not English: {foreign:.0%} German/French/Spanish/Portuguese/Italian/Dutch function words "
            f"vs {english:.0%} English"
        )
    return None


# -- education ----------------------------------------------------------------------------------------

EDUCATION_LEVELS = ("bachelor", "master", "phd")
_BELOW_BACHELOR = "below_bachelor"  # associate's degree, high-school diploma: satisfies no level of the scale
_RANK = {_BELOW_BACHELOR: -1, "bachelor": 0, "master": 1, "phd": 2}
_APOS = "['’]"
_DEGREE_WORD = r"(?:\s+degrees?)?"
_MASTER_SUBJECT = (
    r"(?:science|arts|engineering|business|computer|technology|data|applied|information|mathematics|statistics|"
    r"public|philosophy|research|professional)"
)
_PEOPLE = r"(?:s\b|-?\s?(?:level|caliber|calibre|quality|style|grade)\b|\s+(?:researchers?|scientists?|teams?|staff)\b)"
_EDUCATION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "phd",
        re.compile(
            rf"(?:\bph\.?\s?d\b\.?|\bd\.?\s?phil\b\.?|\bdoctorates?\b|\bdoctoral(?:\s+degrees?)?\b|"
            rf"\bdoctor\s+of\s+philosophy\b)(?!{_PEOPLE}){_DEGREE_WORD}",
            re.I,
        ),
    ),
    (
        _BELOW_BACHELOR,
        re.compile(
            rf"\bassociate(?:{_APOS}s|s{_APOS}?)?\s+(?:degrees?|of\s+(?:science|arts|applied))\b|"
            r"\bhigh[- ]school\s+(?:diploma|degree|education)\b|(?-i:\bGED\b)",
            re.I,
        ),
    ),
    (
        "bachelor",
        re.compile(
            rf"\bbachelor(?:{_APOS}s|s{_APOS}?|{_APOS})?(?!\w)(?:\s+of\s+(?:science|arts|engineering|technology|"
            rf"computer\s+science)\b)?{_DEGREE_WORD}|"
            rf"\bundergrad(?:uate)?\s+degrees?\b|\b(?:4|four)[- ]year\s+(?:college\s+|university\s+)?degrees?\b|"
            rf"(?-i:\bB\.\s?S\.(?:\s?c\.?)?|\bB\.\s?Sc\b\.?|\bBSc\b|\bB\.\s?A\.|\bB\.?\s?Tech\b\.?|\bB\.\s?E\.|"
            rf"\bB\.\s?Eng\b\.?|\bBEng\b){_DEGREE_WORD}",
            re.I,
        ),
    ),
    (
        "master",
        re.compile(
            rf"\bmaster{_APOS}s?(?!\w){_DEGREE_WORD}|"
            rf"\bmasters?(?=\s+degrees?\b|\s+in\b|\s+or\b|\s*/|\s+of\s+{_MASTER_SUBJECT}\b){_DEGREE_WORD}|"
            rf"\b(?:post[- ]?graduate|graduate|advanced)\s+degrees?\b|"
            rf"(?-i:\bM\.\s?S\.(?:\s?c\.?)?|\bM\.\s?Sc\b\.?|\bMSc\b|\bM\.?\s?Tech\b\.?|\bM\.\s?Eng\b\.?|\bMEng\b|"
            rf"\bMBA\b|\bM\.B\.A\.){_DEGREE_WORD}",
            re.I,
        ),
    ),
)
# BS, BA and MS are degrees only next to degree words: not "MS Office", "50 MS", "BA team" or "(BA)".
_AMBIGUOUS_ABBREVIATION = re.compile(r"(?-i:\b(BS|BA|MS)\b)(?:\s+degrees?\b)?")
_ABBREVIATION_BEFORE = re.compile(r"(?:/|\bor|\band|\bdegree|\beducation|:)\s*$", re.I)
_ABBREVIATION_AFTER = re.compile(
    r"^(?:\s*(?:/|\+|$)|\s*,\s*(?:(?-i:BS|BA|MS|B\.|M\.)|ph\.?\s?d|bachelor|master|doctor)|"
    r"\s+(?:or|and|in|degree|degrees|with|required|preferred|plus)\b)",
    re.I,
)
_NOT_A_DEGREE_AFTER = re.compile(
    r"^[\s-]*(?:office|word|excel|teams|access|powerpoint|outlook|project|visio|sql|azure|dynamics|windows|"
    r"exchange|fabric|power|365|copilot|graph|edge|dos|paint|sharepoint|visual|dynamics)\b",
    re.I,
)
# A bare "degree" (in CS, from a university...) is the first degree: a bachelor's.
_GENERIC_DEGREE = re.compile(
    r"(?<![\w-])(?:(?:a|an|university|college|technical|relevant|related|academic|stem|engineering|science|"
    r"formal|tertiary)\s+)?degrees?\b(?!\s+of\b)(?=\s+(?:in|or|from|required|preferred|and|with|is)\b|\s*[,.;:)(]|\s*$)",
    re.I,
)
_NOT_GENERIC = re.compile(r"\b(?:to|some|the|high|certain|any)\s+(?:a\s+)?$", re.I)
_SCRUM = re.compile(r"\b(?:scrum|agile|quiz|grand|web|ring|chess)\s+$", re.I)
# Alternatives of one requirement: "BS/MS", "MS or PhD", "Bachelor's, Master's or PhD", "Advanced degree (PhD".
_JOINER = re.compile(
    r"^[\s/,()\-&+.]*(?:(?:or|and/or|and|a|an|equivalent|higher|degree|degrees)\b[\s/,()\-&+.]*)*$", re.I
)
_HARD_BOUNDARY = re.compile(r";|•|(?<![A-Z.])[.!?](?=\s+[A-Z(])|\s[-–—]\s")
_NEGATION_BEFORE = re.compile(
    r"\b(?:no|not|without|don['’]?t\s+need|do\s+not\s+need|doesn['’]?t\s+require|does\s+not\s+require|"
    r"never)\b(?:\s+\w+){0,3}\s*$",
    re.I,
)
_NEGATION_AFTER = re.compile(
    r"^\W*(?:is\s+|are\s+)?(?:not\s+(?:required|necessary|needed|a\s+must|mandatory)|unnecessary|optional)\b", re.I
)
_PREFERRED_AFTER = re.compile(
    r"\b(?:preferred|preferable|a\s+plus|plus|desired|desirable|nice[- ]to[- ]have|advantageous|an?\s+advantage|"
    r"a\s+bonus|bonus|helpful|beneficial|highly\s+valued|welcome)\b(?!\s+(?:majors?|fields?|disciplines?|areas?)\b)",
    re.I,
)
_REQUIRED_AFTER = re.compile(r"\b(?:required|is\s+a\s+must|mandatory|must)\b", re.I)
_PREFERRED_BEFORE = re.compile(
    r"\b(?:preferably|ideally|even\s+better|preferred(?:\s+(?:qualifications?|education|requirements?))?\s*[:\-–]|"
    r"nice[- ]to[- ]have\s*[:\-–]?|bonus(?:\s+points?)?\s*(?:[:\-–]|for\b|if\b)|plus\s*[:\-–]|desired\s*[:\-–]|"
    r"a\s+plus\s+if)",
    re.I,
)
_REQUIRED_BEFORE = re.compile(
    r"\b(?:required\s*[:\-–]|must|minimum(?:\s+of)?|at\s+least|requires?|mandatory\s*[:\-–])", re.I
)
_EDUCATION_SKIPPED_SECTIONS = frozenset({"about", "benefits"})


class EducationRequirement(NamedTuple):
    level: str | None  # "bachelor" | "master" | "phd"
    requirement: str | None  # "required" | "preferred"
    evidence: str | None


@dataclass(frozen=True)
class _Degree:
    start: int
    end: int
    level: str


def degree_mentions(line: str) -> list[tuple[str, str]]:
    """The degrees a line names, as ``(level, surface)`` in order; ``below_bachelor`` for associate's degrees and
    high-school diplomas.

    >>> degree_mentions("BS/MS in CS, MS Office, Masters of their craft, PhD-level problems, or a PhD")
    [('bachelor', 'BS'), ('master', 'MS'), ('phd', 'PhD')]
    """
    return [(d.level, line[d.start : d.end]) for d in _degrees(line)]


# Every degree pattern above contains one of these: lines without any are skipped at once. (Case-sensitive literal
# alternatives over the lowercased line scan far faster than one re.I pattern.)
_DEGREE_HINT = re.compile(r"bachelor|master|degree|doctor|graduate|diploma|associate|school|phd|ph\.|ph d|phil")
_DEGREE_EXACT_HINT = re.compile(r"BS|BA|MS|B\.|M\.|B |M |BT|MT|BE|ME|MBA|GED")


def _has_hint(line: str, lower_hint: re.Pattern[str], exact_hint: re.Pattern[str]) -> bool:
    return bool(lower_hint.search(line.lower()) or exact_hint.search(line))


def _degrees(line: str) -> list[_Degree]:
    if not _has_hint(line, _DEGREE_HINT, _DEGREE_EXACT_HINT):
        return []
    found: list[_Degree] = []
    taken = bytearray(len(line))  # 1 where a degree was already found: overlaps are checked in C, not O(n^2)

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) == -1

    def take(start: int, end: int) -> None:
        taken[start:end] = b"\x01" * (end - start)

    for level, pattern in _EDUCATION_PATTERNS:
        for match in pattern.finditer(line):
            if level == "master" and _SCRUM.search(line[: match.start()]):
                continue
            if free(match.start(), match.end()):
                found.append(_Degree(match.start(), match.end(), level))
                take(match.start(), match.end())
    for match in _AMBIGUOUS_ABBREVIATION.finditer(line):
        before, after = line[max(0, match.start() - 20) : match.start()], line[match.end() : match.end() + 20]
        if _NOT_A_DEGREE_AFTER.match(after) or not free(match.start(), match.end()):
            continue
        if _ABBREVIATION_AFTER.match(after) or _ABBREVIATION_BEFORE.search(before):
            level = "master" if match.group(1) == "MS" else "bachelor"
            found.append(_Degree(match.start(), match.end(), level))
            take(match.start(), match.end())
    for match in _GENERIC_DEGREE.finditer(line):
        if free(match.start(), match.end()) and not _NOT_GENERIC.search(
            line[max(0, match.start() - 12) : match.start()]
        ):
            found.append(_Degree(match.start(), match.end(), "bachelor"))
            take(match.start(), match.end())
    return sorted(found, key=lambda d: d.start)


def _groups(line: str, degrees: list[_Degree]) -> list[list[_Degree]]:
    groups: list[list[_Degree]] = []
    for degree in degrees:
        if groups:
            between = line[groups[-1][-1].end : degree.start]
            if len(between) <= 40 and _JOINER.match(between):
                groups[-1].append(degree)
                continue
        groups.append([degree])
    return groups


def _nearest_cue(after: str, before: str) -> str | None:
    """The cue nearest after a degree ("MS preferred"), else the nearest before it ("preferably a PhD")."""
    post = [(m.start(), "preferred") for m in _PREFERRED_AFTER.finditer(after)]
    post += [(m.start(), "required") for m in _REQUIRED_AFTER.finditer(after)]
    if post:
        return min(post)[1]
    pre = [(m.end(), "preferred") for m in _PREFERRED_BEFORE.finditer(before)]
    pre += [(m.end(), "required") for m in _REQUIRED_BEFORE.finditer(before)]
    if pre:
        return max(pre)[1]
    return None


def _line_degrees(line: str, section: str | None) -> list[tuple[str, str, int, int]]:
    """``(level, requirement, start, end)`` for each degree requirement (a group of alternatives) of one line."""
    degrees = _degrees(line)
    if not degrees:
        return []
    boundaries = [m.start() for m in _HARD_BOUNDARY.finditer(line)]
    groups = _groups(line, degrees)
    out = []
    for index, group in enumerate(groups):
        start, end = group[0].start, group[-1].end
        left = groups[index - 1][-1].end if index else 0
        at = bisect.bisect_left(boundaries, start)
        if at:
            left = max(left, boundaries[at - 1] + 1)
        right = groups[index + 1][0].start if index + 1 < len(groups) else len(line)
        at = bisect.bisect_left(boundaries, end)
        if at < len(boundaries):
            right = min(right, boundaries[at])
        before, after = line[left:start], line[end:right]
        if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.match(after):
            continue
        cue = _nearest_cue(after, before)
        requirement = cue or ("preferred" if section == "preferred" else "required")
        lowest = min((d.level for d in group), key=_RANK.__getitem__)
        out.append((lowest, requirement, start, end))
    return out


def education_requirement(lines: Iterable[tuple[str, str | None]]) -> EducationRequirement:
    """The lowest degree that satisfies the posting's education requirement, from ``(line, section)`` pairs.

    Alternatives take the lowest ("BS/MS" -> bachelor, "MS or PhD" -> master); a required degree beats a
    preferred one ("BS required, PhD preferred" -> bachelor); when only preferred degrees are stated the lowest
    of them is returned as "preferred". A degree is preferred by its section (nice to have) or a cue next to it
    ("MS preferred", "preferably a PhD"); negated degrees ("no degree required") and degrees in about and
    benefits sections do not count. Associate's degrees and high-school diplomas satisfy no level: a
    requirement they satisfy gives None.

    >>> education_requirement([("- MS or PhD in Computer Science", "requirements")])
    EducationRequirement(level='master', requirement='required', evidence='- MS or PhD in Computer Science')
    >>> education_requirement([("- PhD preferred", "requirements"), ("- BS required", "requirements")]).level
    'bachelor'
    """
    best: tuple[tuple[int, int], str, int, int] | None = None  # required first, then the lowest degree
    for line, section in lines:
        if section in _EDUCATION_SKIPPED_SECTIONS:
            continue
        for level, requirement, start, end in _line_degrees(line, section):
            key = (0 if requirement == "required" else 1, _RANK[level])
            if best is None or key < best[0]:
                best = (key, line, start, end)
    if best is None:
        return EducationRequirement(None, None, None)
    (priority, rank), line, start, end = best
    evidence = snippet(line, start, end)
    if rank < 0:  # an associate's degree or a diploma satisfies it: no degree of the scale is required
        return EducationRequirement(None, None, evidence)
    return EducationRequirement(EDUCATION_LEVELS[rank], "required" if priority == 0 else "preferred", evidence)


def snippet(line: str, start: int, end: int, *, width: int = 240) -> str:
    """The stripped line when it is short, else a ``width``-character window of it around ``[start, end)``.

    >>> snippet("  - BS in CS  ", 4, 6), snippet("x" * 300 + " PhD " + "y" * 300, 301, 304, width=11)
    ('- BS in CS', 'xxx PhD yyy')
    """
    if len(line) <= width * 2:  # a long line is not stripped whole: this runs once per mention
        stripped = line.strip()
        if len(stripped) <= width:
            return stripped
    left = max(0, min(start - (width - (end - start)) // 2, len(line) - width))
    return line[left : left + width].strip()


# -- publications -------------------------------------------------------------------------------------

# Venue -> pattern. ACL, RSS, KDD, NIPS and CoRL match only in their exact case ("acl" is an access list,
# "RSS" a feed); they also count only on lines that ask for publications (see publications_requirement).
PUBLICATION_VENUES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.I))
    for name, pattern in (
        ("NeurIPS", r"\bneurips\b|(?-i:\bNIPS\b)"),
        ("ICML", r"\bicml\b"),
        ("ICLR", r"\biclr\b"),
        ("ACL", r"(?-i:\bACL\b)"),
        ("EMNLP", r"\bemnlp\b"),
        ("NAACL", r"\bnaacl\b"),
        ("CVPR", r"\bcvpr\b"),
        ("ICCV", r"\biccv\b"),
        ("ECCV", r"\beccv\b"),
        ("AAAI", r"\baaai\b"),
        ("IJCAI", r"\bijcai\b"),
        ("KDD", r"(?-i:\bKDD\b|\bSIGKDD\b)"),
        ("SIGIR", r"\bsigir\b"),
        ("CoRL", r"(?-i:\bCoRL\b|\bCORL\b)"),
        ("RSS", r"(?-i:\bRSS\b)"),
        ("Interspeech", r"\binterspeech\b"),
        ("ICASSP", r"\bicassp\b"),
    )
)
_PUBLICATION_ASK = re.compile(
    r"\bpublications?\b(?!-|\s+(?:team|industry|platforms?|tools?|dates?|process|pipelines?|workflows?)\b)|"
    r"\bpublish(?:ed|ing|es)?\b(?:\s+\w+)?\s+(?:research|papers?|work|results|findings|articles|at|in)\b|"
    r"\b(?:first|co|lead)[- ]authou?r(?:ed|ship|s)?\b|\bpeer[- ]reviewed\b|"
    r"\bpapers?\s+(?:at|in|published|accepted)\b|\bconference\s+papers?\b|"
    r"\b(?:top|top[- ]tier|leading|premier|major|relevant)\s+(?:(?:ml|ai|machine\s+learning|research|academic)\s+)?"
    r"(?:venues|conferences|journals)\b|\btrack\s+record\s+of\s+publish",
    re.I,
)
# Reading or following papers is not publishing them; "our team has published" describes the company.
_NOT_AN_ASK = re.compile(
    r"\b(?:stay(?:ing)?\s+(?:current|up[- ]to[- ]date|abreast|on\s+top)|keep(?:ing)?\s+up|follow(?:ing)?\s+the\s+"
    r"latest|(?:read|review)(?:ing)?\s+(?:and\s+\w+\s+)?(?:\w+\s+)?(?:papers|publications)|"
    r"\b(?:trade|industry|professional|marketing|media|news)\s+publications|implement(?:ing)?\s+(?:\w+\s+){0,3}from|"
    r"(?:our|we(?:['’]ve|\s+have)?)\s+(?:\w+\s+){0,3}(?:published|publish|publications))",
    re.I,
)
_STRONG_ASK = re.compile(
    r"\btrack\s+record|\bfirst[- ]author|\bpublication\s+record|\brecord\s+of\s+publi|\byour\s+(?:own\s+)?"
    r"(?:publications|papers)|\bauthored|\byou(?:['’]ve|\s+have)\s+published",
    re.I,
)
_PUBLICATION_SKIPPED_SECTIONS = frozenset({"about", "benefits"})


class PublicationsRequirement(NamedTuple):
    requirement: str | None  # "required" | "preferred"
    venues: list[str]
    evidence: str | None


def publication_venues(line: str) -> list[str]:
    """The publication venues a line names, canonical names in order of appearance.

    >>> publication_venues("Papers at NIPS, ICML or CVPR; an ACL-free ECCV")
    ['NeurIPS', 'ICML', 'CVPR', 'ACL', 'ECCV']
    """
    hits = sorted((match.start(), name) for name, pattern in PUBLICATION_VENUES for match in pattern.finditer(line))
    return list(dict.fromkeys(name for _, name in hits))


# Every publication cue and venue contains one of these: lines without any are skipped at once.
_PUBLICATION_HINT = re.compile(
    r"publi|author|peer|paper|venue|conference|journal|neurips|icml|iclr|emnlp|naacl|cvpr|iccv|eccv|aaai|ijcai|"
    r"sigir|interspeech|icassp"
)
_PUBLICATION_EXACT_HINT = re.compile(r"NIPS|ACL|KDD|CoRL|CORL|RSS")


def _publication_ask(line: str) -> tuple[int, int] | None:
    if not _has_hint(line, _PUBLICATION_HINT, _PUBLICATION_EXACT_HINT):
        return None
    venues = [(m.start(), m.end(), name) for name, pattern in PUBLICATION_VENUES for m in pattern.finditer(line)]
    unambiguous = sorted({(s, e) for s, e, name in venues if name not in ("ACL", "RSS", "KDD", "CoRL")})
    cue = _PUBLICATION_ASK.search(line)
    if cue is None and len(unambiguous) < 2:
        return None
    if _NOT_AN_ASK.search(line) and not _STRONG_ASK.search(line):
        return None
    return cue.span() if cue else unambiguous[0]


def is_publication_ask(line: str) -> bool:
    """Whether a line asks the candidate for publications: a publication cue (publications, first-author,
    peer-reviewed, papers at, top venues, track record of publishing) or two venues, and not a line about
    reading papers, trade publications or the company's own publications.

    >>> is_publication_ask("- First-author papers at NeurIPS or ICML"), is_publication_ask("Read papers at ICML")
    (True, False)
    """
    return _publication_ask(line) is not None


def publications_requirement(lines: Iterable[tuple[str, str | None]]) -> PublicationsRequirement:
    """Whether the posting asks for publications, required or preferred (section and cue words, as for skills),
    with the venues it names on those lines and the deciding line as evidence.

    >>> publications_requirement([("Nice to have", "preferred"), ("- Papers at NeurIPS, ICML", "preferred")])
    PublicationsRequirement(requirement='preferred', venues=['NeurIPS', 'ICML'], evidence='- Papers at NeurIPS, ICML')
    """
    requirement: str | None = None
    evidence: str | None = None
    venues: list[str] = []
    for line, section in lines:
        if section in _PUBLICATION_SKIPPED_SECTIONS:
            continue
        ask = _publication_ask(line)
        if ask is None:
            continue
        venues.extend(v for v in publication_venues(line) if v not in venues)
        found = requirement_for(section, line).value
        if requirement is None or (requirement == "preferred" and found == "required"):
            requirement, evidence = found, snippet(line, *ask)
    return PublicationsRequirement(requirement, venues, evidence)
