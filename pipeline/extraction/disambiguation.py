"""Pure tests deciding whether a mention of an ambiguous skill name is the skill.

Each test reads the posting text around a mention given by character offsets ``start``/``end``. ``rejection``
combines them under a skill's :class:`~pipeline.extraction.taxonomy.AmbiguityRule` (declared under
``ambiguous:`` in skills.yaml); the ``jobatlas_skills`` component drops every mention it rejects.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from pipeline.extraction.taxonomy import AmbiguityRule

_WORD = re.compile(r"[^\W_][\w+#.'’-]*")
_JOINERS = "-&+#"
_JOIN_OK = frozenset({"based", "powered", "native", "first", "heavy", "centric", "only", "backed", "driven", "like"})
_SEPARATOR = re.compile(
    r"[\s,;/|&()\[\]+:*•·-]*"
    r"(?:(?:and/or|and|or|as well as|plus|e\.g\.|i\.e\.|eg|ie|such as|like|including|incl\.|etc\.?|nor)"
    r"[\s,;/|&()\[\]+:*•·-]*)*",
    re.IGNORECASE,
)
_MAX_GAP = 24
_FUNCTION_WORDS = frozenset(
    ("a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "of", "on", "or", "the", "to", "with")
)
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=[A-Z0-9*•(\"'])|\n")
_DEGREE = re.compile(
    r"\b(?:degrees?|bachelor(?:'s|’s|s)?|master(?:'s|’s|s)?|ph\.?\s?d|doctorate|b\.?\s?sc?|m\.?\s?sc?|b\.?a|"
    r"b\.?tech|m\.?tech|majors?|majored|diploma)\b",
    re.IGNORECASE,
)
_NOT_A_FIELD = re.compile(
    r"\b(?:experience|knowledge|skills?|proficien\w*|familiar\w*|understanding|expertise|background|years?|"
    r"ability|hands-on|working|plus|strong|solid|deep)\b",
    re.IGNORECASE,
)
_AFTER_FIELD = ("degree", "degrees", "major", "majors", "program", "phd", "ph.d", "graduate")


def _normal(text: str) -> str:
    """Lower case, hyphens and underscores read as spaces, runs of spaces squashed."""
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def _starts_with(text: str, phrase: str) -> bool:
    return text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalnum())


def followed_by(text: str, end: int, phrases: Iterable[str]) -> str | None:
    """The phrase of ``phrases`` that the text right after ``end`` begins with (a hyphen reads as a space).

    >>> followed_by("our Go-to-Market team", 6, ["to market", "live"])
    'to market'
    >>> followed_by("Go live on day one", 2, ["live"])
    'live'
    >>> followed_by("Go, Rust", 2, ["rust"]) is None
    True
    """
    after = _normal(text[end : end + 80])
    candidates = tuple(phrases)
    if not after.startswith(candidates):  # one test in C rules out the usual case: no phrase follows at all
        return None
    return next((phrase for phrase in candidates if _starts_with(after, phrase)), None)


def preceded_by(text: str, start: int, phrases: Iterable[str]) -> str | None:
    """The phrase of ``phrases`` that the text right before ``start`` ends with (a hyphen reads as a space).

    >>> preceded_by("closed our Series C round", 18, ["series"])
    'series'
    >>> preceded_by("real-estate agents", 12, ["real estate"])
    'real estate'
    >>> preceded_by("Java, C and Go", 6, ["series"]) is None
    True
    """
    before = _normal(text[max(0, start - 80) : start])
    candidates = tuple(phrases)
    if not before.endswith(candidates):  # as in followed_by
        return None
    for phrase in candidates:
        if before.endswith(phrase) and (len(before) == len(phrase) or not before[-len(phrase) - 1].isalnum()):
            return phrase
    return None


def joined(text: str, start: int, end: int) -> str | None:
    """The word glued to the mention by ``-``, ``&``, ``+`` or ``#`` (``C-suite``, ``R-CNN``, ``X-Ray``), or None;
    suffixes such as ``-based`` or ``-native`` do not count.

    >>> joined("talk to the C-suite", 12, 13)
    'C-suite'
    >>> joined("Faster R-CNN models", 7, 8)
    'R-CNN'
    >>> joined("an X-Ray image", 5, 8)
    'X-Ray'
    >>> joined("Go-based services; (R) and C.", 0, 2) is None
    True
    """
    after = text[end : end + 1]
    if after and after in "+#":
        stop = end
        while stop < len(text) and text[stop] in "+#":
            stop += 1
        return text[start:stop]
    if after and after in "-&":
        word = _WORD.match(text, end + 1)
        if word is not None and word.group().lower().rstrip(".") not in _JOIN_OK:
            return text[start : word.end()]
    if start >= 2 and text[start - 1] in _JOINERS and text[start - 2].isalnum():
        word_start = start - 2
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        return text[word_start:end]
    return None


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


@lru_cache(maxsize=256)
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def context_word(text: str, start: int, end: int, words: Sequence[str], *, window: int = 8) -> str | None:
    """A word or phrase of ``words`` within ``window`` words before or after the mention, on its own line.

    >>> context_word("Strong programming skills in Go and gRPC", 29, 31, ["programming", "language"])
    'programming'
    >>> context_word("Go to the office\\nprogramming", 0, 2, ["programming"]) is None
    True
    """
    if not words:
        return None
    line_start, line_end = _line_bounds(text, start, end)
    left = _WORD.findall(text[max(line_start, start - 30 * window) : start])[-window:]
    right = _WORD.findall(text[end : min(line_end, end + 30 * window)])[:window]
    found = _phrase_regex(tuple(words)).search(_normal(" ".join((*left, "|", *right))))
    return found.group() if found else None


def listed_with(text: str, start: int, end: int, others: Sequence[tuple[int, int]]) -> bool:
    """True when another mention (``others``: ``(start, end)`` offsets, which may include this one) is the previous
    or next item of a list around this one, separated only by commas, slashes, brackets, "and", "or", "e.g."...

    >>> text = "Stack: Go, Kubernetes and Postgres. Go deep."
    >>> listed_with(text, 7, 9, [(11, 21), (26, 34)])
    True
    >>> listed_with(text, 36, 38, [(11, 21), (26, 34)])
    False
    """
    ends = sorted(other_end for _, other_end in others)
    before = bisect.bisect_right(ends, start) - 1
    if before >= 0 and _separates(text[ends[before] : start]):
        return True
    starts = sorted(other_start for other_start, _ in others)
    after = bisect.bisect_left(starts, end)
    return after < len(starts) and _separates(text[end : starts[after]])


def _separates(gap: str) -> bool:
    return len(gap) <= _MAX_GAP and gap.count("\n") <= 1 and _SEPARATOR.fullmatch(gap) is not None


def before_name(text: str, end: int, ok: Iterable[str] = ()) -> str | None:
    """The capitalised word right after the mention when it reads as a surname ("Ray Fitzgerald"), or None;
    words in ``ok``, acronyms and capitalised function words ("And", "With") do not count.

    >>> before_name("Founder Ray Fitzgerald", 11)
    'Fitzgerald'
    >>> before_name("Ray Serve and Ray. Kubernetes", 3, ["Serve"]) is None
    True
    """
    if text[end : end + 1] != " ":
        return None
    word = _WORD.match(text, end + 1)
    if word is None:
        return None
    value = word.group().rstrip(".,")
    if not value[:1].isupper() or value.isupper() or value in ok or value.lower() in _FUNCTION_WORDS:
        return None
    return value


def in_degree_field(text: str, start: int, end: int) -> bool:
    """True when the mention names a field of study of a degree, not a skill asked for.

    >>> in_degree_field("BS or MS in Computer Science, Statistics, or a related field", 29, 39)
    True
    >>> in_degree_field("Statistics degree preferred", 0, 10)
    True
    >>> in_degree_field("A degree in CS and strong knowledge of statistics", 39, 49)
    False
    """
    if followed_by(text, end, _AFTER_FIELD):
        return True
    line_start, _ = _line_bounds(text, start, end)
    sentence_start = line_start
    for boundary in _SENTENCE_END.finditer(text, line_start, start):
        sentence_start = boundary.end()
    degrees = list(_DEGREE.finditer(text, sentence_start, start))
    if not degrees:
        return False
    between = text[degrees[-1].end() : start]
    return len(between) <= 160 and not _NOT_A_FIELD.search(between)


def rejection(rule: AmbiguityRule, text: str, start: int, end: int, others: Sequence[tuple[int, int]]) -> str | None:
    """Why the mention ``text[start:end]`` is not the skill under ``rule``, or None when it counts. ``others`` are
    the sorted offsets of the other skills' mentions in the text (for ``listed``).

    >>> rule = AmbiguityRule(not_followed_by=("to market",), not_joined=True, context=("language",), listed=True)
    >>> rejection(rule, "our Go-to-market plan", 4, 6, [])
    'followed by "to market"'
    >>> rejection(rule, "Go and Rust", 0, 2, [(7, 11)]) is None
    True
    >>> rejection(rule, "Go big or go home", 0, 2, [])
    'no context word and not listed with another skill'
    >>> rejection(rule.model_copy(update={"trusted": ("Go",)}), "Go big or go home", 0, 2, []) is None
    True
    """
    if rule.not_followed_by and (phrase := followed_by(text, end, rule.not_followed_by)):
        return f'followed by "{phrase}"'
    if rule.not_preceded_by and (phrase := preceded_by(text, start, rule.not_preceded_by)):
        return f'preceded by "{phrase}"'
    if rule.not_joined and (word := joined(text, start, end)):
        return f'part of "{word}"'
    if rule.not_before_name and (name := before_name(text, end, rule.name_ok)):
        return f'a name: "{text[start:end]} {name}"'
    if rule.not_in_degree_field and in_degree_field(text, start, end):
        return "a degree's field of study"
    if not rule.needs_support or text[start:end] in rule.trusted:
        return None
    if rule.context and context_word(text, start, end, rule.context, window=rule.window):
        return None
    if rule.listed and listed_with(text, start, end, others):
        return None
    return "no context word and not listed with another skill" if rule.listed else "no context word"
