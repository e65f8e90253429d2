"""Job titles: whitespace, abbreviations, requisition ids, trailing locations, ALL-CAPS."""

from __future__ import annotations

import re
from functools import lru_cache

_ACRONYMS = {
    word.upper(): word
    for word in str.split(
        "AI ML LLM LLMs NLP NLU MLOps LLMOps GenAI II III IV SRE iOS QA UX UI CV AWS GCP API SDK RAG GPU CPU HR VP"
        " SVP EVP AVP CTO CEO CFO COO CIO CISO CPO PM TPM SWE SDE SDET DevOps DataOps SaaS IT BI ETL SQL PhD MBA"
        " IoT AR VR XR HPC RL CUDA ERP CRM SEO GIS NET US UK EU EMEA APAC LATAM NYC SF DC"
    )
}
_SMALL_WORDS = frozenset(str.split("a an and at by for in of on or the to via with"))
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")

_ABBREVIATIONS = (
    (re.compile(r"\b(?:Sr|Snr)\b\.?", re.I), "Senior"),
    (re.compile(r"\bJr\b\.?", re.I), "Junior"),
    (re.compile(r"\bMgr\b\.?", re.I), "Manager"),
    (re.compile(r"\bEngr\b\.?", re.I), "Engineer"),
    (re.compile(r"\bEng\.(?=\s*(?:Manager|Lead|Leader|Director|Team)\b)", re.I), "Engineering"),
    (re.compile(r"\bEng(?:\.|\b(?=\s*$))", re.I), "Engineer"),
)

_REQ_ID = (
    r"(?:\b(?i:req(?:uisition)?\.?\s*(?:id|no\.?|number|#)?|(?:job|ref(?:erence)?)\s*(?:id|no\.?|number|#|:))\s*[:#]?\s*"
    r"[A-Za-z]{0,4}[-_]?\d[\w-]*"
    r"|\b(?i:R|JR|REQ|JOB)[-_]?\d{3,}[\w-]*|#\s?\d{3,})"
)
_REQ_BRACKETED = re.compile(rf"\s*[\(\[]\s*(?:{_REQ_ID}|\d{{5,}})\s*[\)\]]")
_REQ_TRAILING = re.compile(rf"\s*(?:[-–—|,:]\s*)?{_REQ_ID}\s*$")
_REQ_HASH = re.compile(r"\s*#\d{3,}\b")
_GENDER_TAG = re.compile(r"\s*[\(\[]\s*(?:(?:[mwfdhx*]\s*/\s*){1,3}[mwfdhx*]|all\s+genders|gn)\s*[\)\]]", re.I)

_US_STATES = str.split(
    "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok or"
    " pa ri sc sd tn tx ut vt va wa wv wi wy dc"
)
_COUNTRIES = str.split(
    "us|usa|united states|uk|united kingdom|england|scotland|canada|germany|france|spain|italy|netherlands|ireland"
    "|poland|portugal|sweden|norway|denmark|finland|switzerland|austria|belgium|india|singapore|japan|china|australia"
    "|new zealand|brazil|mexico|argentina|israel|uae|estonia|czech republic|czechia|romania|greece|hungary|ukraine"
    "|south korea|korea|taiwan|hong kong|philippines|vietnam|indonesia|malaysia|thailand|south africa|nigeria|kenya"
    "|egypt|colombia|chile|peru|turkey|serbia|croatia|bulgaria|lithuania|latvia|luxembourg",
    "|",
)
_CITIES = str.split(
    "san francisco|sf|bay area|sf bay area|new york|new york city|nyc|seattle|boston|austin|chicago|los angeles"
    "|denver|atlanta|miami|washington|palo alto|mountain view|menlo park|sunnyvale|san jose|san mateo|redwood city"
    "|santa clara|cupertino|oakland|berkeley|san diego|pittsburgh|philadelphia|toronto|vancouver|montreal|waterloo"
    "|london|manchester|cambridge|oxford|edinburgh|dublin|berlin|munich|hamburg|paris|amsterdam|zurich|geneva"
    "|stockholm|copenhagen|oslo|helsinki|madrid|barcelona|lisbon|milan|warsaw|krakow|kraków|prague|vienna|tel aviv"
    "|bangalore|bengaluru|hyderabad|pune|mumbai|delhi|new delhi|gurgaon|gurugram|noida|chennai|tokyo|seoul|sydney"
    "|melbourne|sao paulo|são paulo|mexico city",
    "|",
)
_REMOTE_WORDS = str.split("remote|hybrid|onsite|on site|in office|wfh|anywhere|work from home|telecommute", "|")
_REGIONS = str.split("emea|apac|latam|americas|europe|eu|asia|north america|worldwide|global|dach|nordics", "|")
_FILLERS = str.split("fully 100% only based in first friendly optional ok possible preferred available area greater")
_STATES = frozenset(_US_STATES)
_STRONG = frozenset(_US_STATES + _COUNTRIES + _CITIES + _REMOTE_WORDS)
_WEAK = frozenset(_REGIONS + _FILLERS)  # only stripped together with a strong word: "Head of Sales, EMEA" keeps it
_LONGEST_PHRASE = 4
_SEPARATORS = re.compile(r"\s*[-–—|@]\s+|\s*,\s+|\s*[\(\[]")
_TOWN = re.compile(r"(?P<town>(?:[A-Z][\w.'’-]*\s?){1,3}),\s*(?P<tail>.+)")
_ROLE_WORDS = frozenset(
    str.split(
        "engineer engineering manager executive account director lead scientist developer analyst specialist sales head"
        " representative associate officer consultant designer architect intern researcher partner coordinator"
        " staff administrator technician support operations product marketing senior principal junior president"
    )
)
_PIECE_SPLIT = re.compile(r"\s*(?:[,/&;|()\[\]]|\s[-–—]\s|\bor\b|\band\b)\s*")


def _phrases(piece: str) -> list[str] | None:
    """Known location phrases covering every word of ``piece`` (longest first), or None.

    State codes only count in capitals ("- IN", not "in").
    """
    words = piece.replace(".", "").replace("-", " ").split()
    found: list[str] = []
    index = 0
    while index < len(words):
        for size in range(min(_LONGEST_PHRASE, len(words) - index), 0, -1):
            phrase = " ".join(words[index : index + size]).lower()
            if phrase in _STATES and not words[index].isupper():
                continue
            if phrase in _STRONG or phrase in _WEAK:
                found.append(phrase)
                index += size
                break
        else:
            return None
    return found


def _known(suffix: str) -> list[str] | None:
    phrases: list[str] = []
    for piece in _PIECE_SPLIT.split(suffix):
        if piece and piece.strip():
            found = _phrases(piece)
            if found is None:
                return None
            phrases += found
    return phrases


def _is_location(suffix: str) -> bool:
    """Whether ``suffix`` only names places or a workplace: "Remote, US", "San Francisco, CA", "Boise, ID".

    A town the vocabulary does not know counts when a capitalised state code follows it ("Boise, ID") and it has
    no role word ("Account Executive, NY" is not a place).
    """
    town = _TOWN.fullmatch(suffix)
    if town and not _ROLE_WORDS.intersection(town.group("town").lower().split()):
        tail = _known(town.group("tail"))
        if tail and tail[0] in _STATES:
            return True
    phrases = _known(suffix)
    return bool(phrases) and any(p in _STRONG for p in phrases or ())


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count("[") == text.count("]")


def _strip_location(title: str) -> str:
    """The title without one trailing location or workplace suffix, if it has one."""
    parens = re.search(r"\s*[\(\[]([^()\[\]]*)[\)\]]\s*$", title)
    if parens and _is_location(parens.group(1)):
        return title[: parens.start()]
    for separator in _SEPARATORS.finditer(title):  # leftmost first: the longest suffix that is all location
        head, suffix = title[: separator.start()], title[separator.end() :]
        if separator.group(0).strip() in "([":
            if not suffix.endswith((")", "]")):
                continue
            suffix = suffix[:-1]
        if _balanced(head) and _balanced(suffix) and _is_location(suffix):
            return head
    return title


def _title_case(title: str) -> str:
    words = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal words
        word = match.group(0)
        words += 1
        if word.upper() in _ACRONYMS:
            return _ACRONYMS[word.upper()]
        if words > 1 and word.lower() in _SMALL_WORDS:
            return word.lower()
        return word[:1].upper() + word[1:].lower()

    return _WORD.sub(fix, title)


def _expand(pattern: re.Pattern[str], word: str, title: str) -> str:
    def replace(match: re.Match[str]) -> str:
        following = title[match.end() : match.end() + 1]
        return word + (" " if following.isalnum() else "")

    return pattern.sub(replace, title)


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _clean_once(title: str) -> str:
    text = " ".join(title.split())
    for step in (
        lambda t: _REQ_BRACKETED.sub("", t),
        lambda t: _GENDER_TAG.sub("", t),
        lambda t: _REQ_HASH.sub("", t),
        lambda t: _REQ_TRAILING.sub("", t),
        _strip_location,
    ):
        stripped = " ".join(step(text).split()).rstrip(" -–—|,:")
        if _has_letter(stripped):
            text = stripped
    letters = [char for char in text if char.isalpha()]
    cased = [char for char in letters if char.isupper() or char.islower()]
    if cased and 2 * len(cased) >= len(letters) and all(char.isupper() for char in cased):
        text = _title_case(text)
    for pattern, word in _ABBREVIATIONS:
        text = _expand(pattern, word, text)
    return " ".join(text.split())


def clean_title(title: str) -> str:
    """A tidy title: whitespace collapsed, "Sr."/"Jr."/"Mgr"/"Eng." spelled out, requisition ids and trailing
    locations ("- Remote", "(Remote, US)", "| San Francisco, CA") removed, ALL-CAPS titles in title case with
    acronyms kept. Role words after a separator stay ("Staff Engineer, Search"). Idempotent.

    >>> clean_title("  Sr.  ML\\tEngineer - Remote (R-12345)")
    'Senior ML Engineer'
    >>> clean_title("HEAD OF GENAI PLATFORM | San Francisco, CA")
    'Head of GenAI Platform'
    """
    return _clean_cached(title)


@lru_cache(maxsize=32_768)  # titles repeat across postings and runs; cleaning one is about 0.2 ms
def _clean_cached(title: str) -> str:
    text = title
    for _ in range(8):  # repeat until nothing changes, so that cleaning a clean title is a no-op
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text
