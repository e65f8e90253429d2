"""An external check of skill recall: the taxonomy matcher against SkillSpan's expert knowledge spans.

SkillSpan (Zhang et al., NAACL 2022) marks *skill* spans (what the candidate does) and *knowledge* spans (tools,
technologies, domains). Only knowledge spans are comparable with a taxonomy of tools and technologies. Each
posting's ``description_text`` is its tokenized sentences, tokens joined by a space and sentences by a newline,
so the BIO tags of ``sentences[*].tags_knowledge`` give each span's character range in that text.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError
from spacy.language import Language

from pipeline.evaluation.gold import EvaluationInputError
from pipeline.evaluation.metrics import ratio, spans_recalled


class SkillSpanSentence(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    tokens: tuple[str, ...]
    tags_knowledge: tuple[str, ...]


class SkillSpanLine(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    id: str
    source: str = "skillspan"
    description_text: str
    knowledge_spans: tuple[str, ...] = ()
    sentences: tuple[SkillSpanSentence, ...]


@dataclass(frozen=True)
class SpanPosting:
    """One SkillSpan posting: its text and its gold knowledge spans as ``(start, end)`` character ranges."""

    id: str
    source: str
    text: str
    spans: tuple[tuple[int, int], ...]

    def span_texts(self) -> list[str]:
        return [self.text[start:end] for start, end in self.spans]


def bio_spans(sentences: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[tuple[int, int]]:
    """Character ranges of BIO-tagged spans in the text ``"\\n".join(" ".join(tokens) ...)``.

    >>> text = "know Java and C ++\\nGit"
    >>> spans = bio_spans([(["know", "Java", "and", "C", "++"], ["O", "B", "O", "B", "I"]), (["Git"], ["B"])])
    >>> [text[s:e] for s, e in spans]
    ['Java', 'C ++', 'Git']
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for tokens, tags in sentences:
        if len(tokens) != len(tags):
            raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
        open_span: list[int] | None = None
        for token, tag in zip(tokens, tags, strict=True):
            end = offset + len(token)
            if tag == "B" or (tag == "I" and open_span is None):
                if open_span is not None:
                    spans.append((open_span[0], open_span[1]))
                open_span = [offset, end]
            elif tag == "I" and open_span is not None:
                open_span[1] = end
            elif open_span is not None:
                spans.append((open_span[0], open_span[1]))
                open_span = None
            offset = end + 1  # the joining space, or the newline after the last token
        if open_span is not None:
            spans.append((open_span[0], open_span[1]))
        if not tokens:
            offset += 1
    return spans


def parse_skillspan(text: str, *, name: str = "skillspan") -> list[SpanPosting]:
    """SkillSpan postings from JSONL text; checks that the tokens rebuild ``description_text`` exactly."""
    out: list[SpanPosting] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = SkillSpanLine.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise EvaluationInputError(f"{name}:{number}: not a SkillSpan posting ({type(exc).__name__})") from None
        rebuilt = "\n".join(" ".join(sentence.tokens) for sentence in row.sentences)
        if rebuilt != row.description_text:
            raise EvaluationInputError(f"{name}:{number}: description_text is not the joined tokens")
        try:
            spans = bio_spans([(s.tokens, s.tags_knowledge) for s in row.sentences])
        except ValueError as exc:
            raise EvaluationInputError(f"{name}:{number}: {exc}") from None
        out.append(SpanPosting(row.id, row.source, row.description_text, tuple(spans)))
    return out


class SpanCounts(BaseModel):
    """Knowledge spans found by the matcher (recall), and how many the taxonomy could match at all."""

    postings: int
    spans: int
    recalled: int  # overlapped by a matched skill span in the posting
    mappable: int  # the span names a taxonomy skill (see ``score_skillspan``): the upper bound of ``recalled``
    recalled_mappable: int
    recall: float
    upper_bound: float  # mappable / spans
    recall_of_mappable: float


class SkillSpanScores(BaseModel):
    overall: SpanCounts
    by_source: dict[str, SpanCounts]
    missed_mappable: dict[str, int]  # most frequent span texts that name a taxonomy skill the matcher missed
    unmappable: dict[str, int]  # most frequent span texts no taxonomy form matches


def span_counts(postings: int, recalled: Sequence[bool], mappable: Sequence[bool]) -> SpanCounts:
    """Counts and shares of recalled and mappable spans (parallel flags, one per gold span).

    >>> span_counts(1, [True, False, False, True], [True, True, False, False]).recall_of_mappable
    0.5
    """
    both = sum(r and m for r, m in zip(recalled, mappable, strict=True))
    return SpanCounts(
        postings=postings,
        spans=len(recalled),
        recalled=sum(recalled),
        mappable=sum(mappable),
        recalled_mappable=both,
        recall=ratio(sum(recalled), len(recalled)),
        upper_bound=ratio(sum(mappable), len(mappable)),
        recall_of_mappable=ratio(both, sum(mappable)),
    )


def form_key(text: str) -> str:
    """A surface form reduced to lower-case letters, digits, ``+`` and ``#`` (spacing and punctuation vary).

    >>> form_key("Amazon-Web-Services"), form_key("C ++"), form_key(". NET")
    ('amazonwebservices', 'c++', 'net')
    """
    return "".join(char for char in text.lower() if char.isalnum() or char in "+#")


def score_skillspan(
    nlp: Language, postings: Sequence[SpanPosting], forms: Iterable[str], *, top: int = 15
) -> SkillSpanScores:
    """Micro recall of ``nlp``'s ``skills`` spans over the gold knowledge spans, overall and per source.

    A gold span is *recalled* when a matched skill span overlaps it in the posting. It is *mappable* (names a
    taxonomy skill at all) when the matcher finds a skill in the span's own text, or when the span equals one of
    the taxonomy's surface ``forms`` up to case, spacing and punctuation (``amazon-web-services``, ``C ++``).
    """
    keys = {form_key(form) for form in forms} - {""}
    flags: dict[str, tuple[list[bool], list[bool]]] = {}
    counts: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    unmappable: Counter[str] = Counter()
    for posting, doc in zip(postings, nlp.pipe(p.text for p in postings), strict=True):
        matched = [(span.start_char, span.end_char) for span in doc.spans["skills"]]
        texts = posting.span_texts()
        recalled = spans_recalled(posting.spans, matched)
        mappable = [
            bool(span_doc.spans["skills"]) or form_key(text) in keys
            for text, span_doc in zip(texts, nlp.pipe(texts), strict=True)
        ]
        counts[posting.source] += 1
        recalled_flags, mappable_flags = flags.setdefault(posting.source, ([], []))
        recalled_flags.extend(recalled)
        mappable_flags.extend(mappable)
        for text, r, m in zip(texts, recalled, mappable, strict=True):
            if m and not r:
                missed[text.lower()] += 1
            elif not m and not r:
                unmappable[text.lower()] += 1
    every_recalled = [flag for r, _ in flags.values() for flag in r]
    every_mappable = [flag for _, m in flags.values() for flag in m]
    return SkillSpanScores(
        overall=span_counts(len(postings), every_recalled, every_mappable),
        by_source={name: span_counts(counts[name], r, m) for name, (r, m) in sorted(flags.items())},
        missed_mappable=dict(missed.most_common(top)),
        unmappable=dict(unmappable.most_common(top)),
    )
