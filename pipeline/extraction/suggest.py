"""Candidate skills the taxonomy lacks: frequent short phrases of the lines that ask something of the candidate.

No parser is needed: a line is cut at punctuation, stop words and generic job-posting words, and each remaining
run of one to four words is a candidate (as in RAKE keyword extraction). A one-word candidate must look like a
name (``Gremlin``, ``gRPC``, ``k6``, ``c++``) rather than an ordinary word. Candidates that contain a taxonomy
skill are dropped; the rest are counted once per posting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS

from pipeline.extraction.components import line_sections

SKIPPED_SECTIONS = frozenset({"about", "benefits"})  # what the company offers or is, not what it asks
MAX_EXAMPLE = 160
_BREAK = re.compile(r"[,;:()\[\]{}!?•*|\"“”‘’…=<>]|(?<!\b[a-zA-Z])\.(?=\s|$)|\s[-–—]+\s|\s&\s")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#./'’-]*[A-Za-z0-9+#]|[A-Za-z0-9]")
_RANDOM = re.compile(r"(?=.*\d)(?=.*[a-z])(?=.*[A-Z])\w{12,}")  # tracking codes, base64 tags
_CONTRACTION = re.compile(r"['’](?:re|ll|ve|m|d|t)$", re.IGNORECASE)
_LABEL_LINE = re.compile(
    r"^\W*(?:location|job type|type|salary|pay|compensation|duration|position|schedule|employment|work location|"
    r"apply|email|job id|req|requisition|date posted|posted|visa|citizenship|clearance)\b[^:]{0,20}:",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"equal (?:employment )?opportunity|regardless of|without regard|sexual orientation|national origin|"
    r"veteran|disabilit|accommodation|e-verify|background check|drug test|mention the word|cover letter|"
    r"privacy (?:policy|notice)|applicants? (?:will|must)",
    re.IGNORECASE,
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GENERIC = _words(  # words that ask for nothing by themselves; they break a phrase like stop words do
    """
    ability able across advanced applicants apply ba bachelor bachelors bonus bs build building candidate
    candidates closely collaborate collaborating colleagues companies company computer contribute create creating
    day days deep degree degrees deliver demonstrated design designing desired develop developer developers
    developing drive e.g eg engineer engineers ensure environment equivalent etc excellent exceptional experience
    experienced expert expertise familiar familiarity fast-paced field full-time good great hands-on help hybrid
    i.e ideal ideally implement implementing including job join knowledge lead learn like looking maintain
    manager managers master masters member members minimum ms must nice office on-site onsite opportunity
    participate part-time people phd plus position practices preferred proficiency proficient proven provide
    qualifications record related remote required requirements responsibilities responsible role roles science
    scientist scientists similar skills skill solid strong support team teams understanding use using values
    various week will work working years year you your
    description summary title overview stack culture passion love mission vision languages time way
    senior sr staff principal junior lead director head ceo cto vp inc llc ltd
    tools tool customers customer clients client users daily applying latest existing broad wide range
    stay updated ph.d b.s m.s bsc msc
    """
)
PLACES = _words(  # where the job is, not what it asks
    """
    amsterdam atlanta austin bangalore bay berlin boston canada chicago dallas denver europe francisco germany
    india lisbon london los angeles munich new nyc paris remote san seattle sf singapore states sydney tokyo
    toronto uk united us usa york zurich
    """
)
STOP = frozenset(STOP_WORDS) | GENERIC | PLACES


@dataclass(frozen=True)
class Suggestion:
    """A phrase the taxonomy lacks, the number of postings using it and one line that does."""

    phrase: str
    postings: int
    example: str


def _looks_like_a_name(word: str, first: bool) -> bool:
    """A single word worth suggesting: mixed case, digits or symbols, or capitalised inside a sentence.

    >>> [_looks_like_a_name(w, first=False) for w in ("Gremlin", "gRPC", "k6", "c++", "fast", "AB")]
    [True, True, True, True, False, True]
    >>> _looks_like_a_name("Collaborate", first=True)
    False
    """
    if any(char.isdigit() for char in word) or any(char in "+#./" for char in word[1:]):
        return any(char.isalpha() for char in word)
    if word.isupper():
        return len(word) >= 2
    inner_capital = any(char.isupper() for char in word[1:])
    return inner_capital or (word[0].isupper() and not first)


def _content_word(word: str) -> str | None:
    """The word as a phrase part (a trailing possessive dropped), or None when it breaks a phrase."""
    word = word.rstrip(".'’")
    if word.lower().endswith(("'s", "’s")):
        word = word[:-2]
    lower = word.lower()
    if len(word) < 2 or lower in STOP or not any(char.isalpha() for char in word):
        return None
    if _CONTRACTION.search(word) or _RANDOM.fullmatch(word):
        return None
    return word


@dataclass(frozen=True)
class Candidate:
    """One phrase occurrence. ``name_like`` tells, for a one-word phrase, whether this occurrence is shaped
    like a name (None when its position proves nothing: a capital that starts a sentence)."""

    phrase: str
    surface: str
    name_like: bool | None = None


def candidate_phrases(line: str, *, max_words: int = 4) -> list[Candidate]:
    """Every run of 1 to ``max_words`` content words in ``line`` (label lines and legal boilerplate give none).

    >>> [c.phrase for c in candidate_phrases("Experience with feature flags and chaos engineering, e.g. Gremlin")]
    ['feature flags', 'chaos engineering', 'gremlin']
    >>> candidate_phrases("Location: Berlin")
    []
    """
    out: list[Candidate] = []
    if _LABEL_LINE.match(line) or _BOILERPLATE.search(line):
        return out
    for segment in _BREAK.split(line):
        run: list[str] = []
        first = True  # the run starts the segment (a capital there proves nothing)
        for index, match in enumerate(_WORD.finditer(segment)):
            word = _content_word(match.group())
            if word is None:
                _flush(run, first, out, max_words)
                run = []
                continue
            if not run:
                first = index == 0
            run.append(word)
        _flush(run, first, out, max_words)
    return out


def _flush(run: list[str], first: bool, out: list[Candidate], max_words: int) -> None:
    if not 1 <= len(run) <= max_words:
        return
    surface = " ".join(run)
    name_like = None
    if len(run) == 1:
        name_like = _looks_like_a_name(surface, first=first)
        if first and not name_like and surface[0].isupper():
            name_like = None
    out.append(Candidate(surface.lower(), surface, name_like))


def asked_lines(text: str) -> list[str]:
    """The non-blank lines of a description outside "about us" and benefits sections.

    >>> asked_lines("Requirements\\n- Kafka\\nBenefits\\n- Gym")
    ['Requirements', '- Kafka']
    """
    return [
        text[start:end].strip()
        for start, end, kind in line_sections(text)
        if kind not in SKIPPED_SECTIONS and text[start:end].strip()
    ]


@dataclass
class _Tally:
    surface: str
    example: str
    postings: int = 0
    lines: set[int] = field(default_factory=set)  # hashes of the distinct lines using it
    name_votes: int = 0
    word_votes: int = 0

    def is_name(self) -> bool:
        """A one-word phrase counts only when it is mostly written like a name (``Kafka``, never ``kafka``)."""
        return self.name_votes > 0 and self.name_votes >= 4 * self.word_votes


def suggest(
    descriptions: Iterable[str],
    is_known: Callable[[str], bool],
    *,
    top: int = 30,
    min_postings: int = 2,
) -> list[Suggestion]:
    """The ``top`` candidate phrases of at least ``min_postings`` descriptions that ``is_known`` (called with the
    phrase's first surface text) says the taxonomy lacks. The ranking counts distinct lines first, so a
    boilerplate paragraph repeated by fifty postings of one company weighs as one line; then postings.

    >>> texts = ["Requirements\\n- Chaos engineering and Python", "Nice to have: chaos engineering, Python"]
    >>> suggest(texts, lambda phrase: phrase.lower() == "python")
    [Suggestion(phrase='chaos engineering', postings=2, example='- Chaos engineering and Python')]
    """
    tallies: dict[str, _Tally] = {}
    for text in descriptions:
        seen: set[str] = set()
        for line in asked_lines(text):
            key = hash(" ".join(line.lower().split()))
            for candidate in candidate_phrases(line):
                tally = tallies.get(candidate.phrase)
                if tally is None:
                    tally = tallies[candidate.phrase] = _Tally(candidate.surface, line[:MAX_EXAMPLE])
                tally.lines.add(key)
                if candidate.name_like is not None:
                    tally.name_votes += candidate.name_like
                    tally.word_votes += not candidate.name_like
                if candidate.phrase not in seen:
                    seen.add(candidate.phrase)
                    tally.postings += 1
    ranked = sorted(
        (
            (phrase, tally)
            for phrase, tally in tallies.items()
            if tally.postings >= min_postings and (" " in phrase or tally.is_name())
        ),
        key=lambda item: (-len(item[1].lines), -item[1].postings, item[0]),
    )
    out: list[Suggestion] = []
    for phrase, tally in ranked:
        if not is_known(tally.surface):
            out.append(Suggestion(phrase, tally.postings, tally.example))
            if len(out) >= top:
                break
    return out
