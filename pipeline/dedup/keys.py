"""Keys and gates: normalized company/title/location for the exact-key rule, and the title and location
checks that decide whether two postings may be compared by text at all."""

from __future__ import annotations

import functools
import re

from pipeline.normalize import clean_title

_WORD = re.compile(r"\w+")
_LEGAL_SUFFIXES = frozenset({"inc", "llc", "ltd", "gmbh", "corp", "co", "corporation", "incorporated", "limited"})
_REMOTE_PHRASES = re.compile(
    r"\b(?:(?:fully|100|all|remote)\s+remote|remote\s+(?:first|only|friendly|anywhere|ok)"
    r"|work\s+from\s+home|wfh|anywhere|worldwide)\b"
)


_clean_title = functools.lru_cache(maxsize=1 << 16)(clean_title)  # titles repeat; clean_title is not cheap


def words_of(text: str | None) -> list[str]:
    """Casefolded words with punctuation removed."""
    return _WORD.findall((text or "").casefold())


def normalize_company(company: str | None) -> str | None:
    """Company key: casefold, no punctuation or trailing legal suffix; None when nothing is left.

    >>> normalize_company("  Acme, Inc. "), normalize_company("Foo Co., Ltd."), normalize_company(None)
    ('acme', 'foo', None)
    """
    words = words_of(company)
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words) or None


def normalize_title(title: str | None) -> str:
    """Title key: ``clean_title``, casefold, punctuation stripped.

    >>> normalize_title("  Senior  ML-Engineer ")
    'senior ml engineer'
    """
    return " ".join(words_of(_clean_title(title or "")))


def normalize_location(location: str | None) -> str:
    """Location key: casefold, no punctuation, remote phrasings folded, word order ignored.

    >>> normalize_location("100% REMOTE (US)"), normalize_location("US - Remote"), normalize_location(None)
    ('remote us', 'remote us', '')
    """
    text = _REMOTE_PHRASES.sub("remote", " ".join(words_of(location)))
    text = _REMOTE_PHRASES.sub("remote", text)  # "100 remote anywhere" needs a second pass
    return " ".join(sorted(set(text.split())))


_TITLE_EXPANSIONS = {
    "sr": ("senior",),
    "snr": ("senior",),
    "jr": ("junior",),
    "ml": ("machine", "learning"),
    "eng": ("engineer",),
    "engr": ("engineer",),
    "swe": ("software", "engineer"),
    "mgr": ("manager",),
    "mle": ("machine", "learning", "engineer"),
    "1": ("i",),
    "2": ("ii",),
    "3": ("iii",),
}
_TITLE_FILLER = frozenset(
    {"a", "an", "and", "the", "of", "for", "in", "at", "to", "with", "m", "f", "w", "d", "x", "all", "genders"}
    | {"remote", "hybrid", "onsite", "full", "time", "fulltime", "part", "parttime", "contract", "permanent"}
)
_LEVEL_WORDS = frozenset(
    {"intern", "junior", "associate", "senior", "staff", "principal", "distinguished", "lead", "head", "chief"}
    | {"director", "i", "ii", "iii", "iv", "v"}
)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def title_tokens(title: str | None) -> frozenset[str]:
    """Distinctive title words for the near-duplicate gate (abbreviations expanded, plurals folded).

    >>> sorted(title_tokens("Sr. ML Engineers (Remote, m/f/d)"))
    ['engineer', 'learning', 'machine', 'senior']
    """
    tokens: set[str] = set()
    for word in words_of(_clean_title(title or "")):
        tokens.update(_stem(token) for token in _TITLE_EXPANSIONS.get(word, (word,)))
    return frozenset(tokens - _TITLE_FILLER)


def titles_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two title token sets may name the same role: the same level words, and the other words
    equal or one set containing the other ("ML Engineer" vs "ML Engineer, Ads"). Titles that each add
    their own word ("... - German and English" vs "... - Italian and English") name different openings.

    >>> titles_compatible(title_tokens("Sr. ML Engineer"), title_tokens("Senior Machine Learning Engineer, Ads"))
    True
    >>> titles_compatible(title_tokens("Data Engineer"), title_tokens("ML Engineer"))
    False
    >>> titles_compatible(title_tokens("Data Scientist"), title_tokens("Senior Data Scientist"))
    False
    """
    if a & _LEVEL_WORDS != b & _LEVEL_WORDS:
        return False
    core_a, core_b = a - _LEVEL_WORDS, b - _LEVEL_WORDS
    if not core_a or not core_b:
        return core_a == core_b
    return core_a <= core_b or core_b <= core_a


_LOCATION_FILLER = frozenset(
    {"remote", "hybrid", "onsite", "on", "site", "office", "in", "or", "and", "the", "of", "only", "based"}
    | {"united", "states", "us", "usa", "u", "s", "america", "north", "anywhere", "worldwide", "global"}
    | {"area", "greater", "metropolitan", "metro", "county", "region", "city", "time", "zone", "timezone"}
)


def locations_compatible(a: str | None, b: str | None) -> bool:
    """False only when both locations name specific places and share no word (same text, two cities =
    two openings). Missing, remote-only or country-level ("United States") locations are compatible.

    >>> locations_compatible("Seattle, WA", "Kent, WA"), locations_compatible("Chicago, IL", "Bellevue, WA")
    (True, False)
    >>> locations_compatible("United States", "Dallas, TX"), locations_compatible(None, "Berlin")
    (True, True)
    """
    words_a = set(words_of(a)) - _LOCATION_FILLER
    words_b = set(words_of(b)) - _LOCATION_FILLER
    return not words_a or not words_b or bool(words_a & words_b)
