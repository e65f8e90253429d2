"""Whether a description is English enough to label."""

from __future__ import annotations

import re


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
_URL = re.compile(r"(?:https?://|www\.)\S*")  # on the lower-cased sample (a re.I scan is slower)
_WORD = re.compile(r"[^\W\d_]{2,}")
_ASCII_WORD = re.compile(r"[a-z]{2,}")  # the same on lower-cased ASCII, where a class range is checked far faster
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
LANGUAGE_SAMPLE_CHARS = 1_000  # ~150 words: plenty for a share of function words
MIN_WORDS_TO_JUDGE = 20


def non_english_reason(text: str) -> str | None:
    """Why the text is not English, or None when it is English (or too short to tell).

    The rule, on the first 1,000 characters (lower-cased) with URLs removed: a text of fewer than 20 words is not
    judged; a text whose letters are mostly outside the Latin script is not English; otherwise it is not English when
    the common function words of German, French, Spanish, Portuguese, Italian or Dutch outnumber the English
    ones and make up at least 5% of its words. Terse English (HN one-liners, skill lists) has few stopwords of
    either kind and stays English.

    >>> non_english_reason("Wir suchen eine Data Engineer mit Erfahrung in Python und SQL für unser Team in "
    ...                    "Berlin. Du bist verantwortlich für die Pipelines und arbeitest mit dem Team.")
    'not English: 41% German/French/Spanish/Portuguese/Italian/Dutch function words vs 0% English'
    >>> non_english_reason("Python, SQL, Kubernetes") is None
    True
    """
    sample = text[:LANGUAGE_SAMPLE_CHARS].lower()  # lower-casing keeps every letter in its script
    if "http" in sample or "www." in sample:
        sample = _URL.sub(" ", sample)
    ascii_only = sample.isascii()
    if not ascii_only:
        non_latin = len(_NON_LATIN_LETTER.findall(sample))
        letters = len(_LETTER.findall(sample)) if non_latin >= 20 else 0
        if letters >= 40 and non_latin / letters > 0.5:
            return f"not English: {non_latin / letters:.0%} of the letters are not in the Latin script"
    words = (_ASCII_WORD if ascii_only else _WORD).findall(sample)
    if len(words) < MIN_WORDS_TO_JUDGE:
        return None
    english = sum(map(_ENGLISH_STOPWORDS.__contains__, words)) / len(words)
    foreign = sum(map(_FOREIGN_STOPWORDS.__contains__, words)) / len(words)
    if foreign > english and foreign >= 0.05:
        return (
            f"not English: {foreign:.0%} German/French/Spanish/Portuguese/Italian/Dutch function words "
            f"vs {english:.0%} English"
        )
    return None
