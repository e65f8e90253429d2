"""What a synthetic market is drawn from: distributions learned by running the real extractor over a sample of
real postings (the shared corpus, else the bundled sample).

Learned: sources; companies (their names by frequency, and the Zipf exponent of the company sizes); location and
remote policy together; role family x level; per family x level the real postings themselves as prototypes (their
title, specializations with scores, years asked and number of skills: so specializations follow the family and
years follow the level); the salary of each level where one is stated, at the rate it is stated; and per skill how
often each role family and each specialization asks it, and how often it is required rather than preferred.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.domain import Extraction, Posting, RawRecord, Reject, Requirement
from pipeline.extraction.extractor import build_extractor
from pipeline.sources.jsonl_file import parse_posting_line

SEED_PREFIX = "seed:"  # every seeded source id starts with this; their kind is SEED_KIND
SEED_KIND = "seed"
DEFAULT_SAMPLE_SIZE = 400
SMOOTHING = 0.05  # weight every skill keeps, relative to the rarest observed one, so the long tail appears


@dataclass(frozen=True)
class Prototype:
    """A real posting reduced to what a synthetic one copies from it."""

    title: str
    specializations: dict[str, float]
    years_min: int | None
    skills: int
    track: str | None


@dataclass(frozen=True)
class Salary:
    annual_min: float
    annual_max: float
    currency: str


@dataclass
class MarketModel:
    """Everything :mod:`pipeline.bench.seed_rows` samples from (arrays of weights sum to 1)."""

    sources: list[str]
    source_p: np.ndarray
    companies: list[str]  # real company names, most frequent first
    zipf_exponent: float
    places: list[tuple[str | None, str | None]]  # (location, remote)
    place_p: np.ndarray
    cells: list[tuple[str | None, str | None]]  # (role family, level)
    cell_p: np.ndarray
    prototypes: list[list[Prototype]]  # per cell
    salary_rate: dict[str | None, float]  # level -> share of postings stating a salary
    salaries: dict[str | None, list[Salary]]
    skill_names: list[str]
    family_weights: dict[str | None, np.ndarray]  # family -> weight per skill
    spec_weights: dict[str, np.ndarray]  # specialization -> weight per skill
    required_rate: np.ndarray  # per skill
    extractor_version: str
    taxonomy_version: str
    sample_size: int = 0
    origin: str = ""


def sample_lines(path: Path, size: int) -> list[str]:
    """``size`` lines spread evenly over the file (every k-th non-empty line), so every source is represented."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    step = max(len(lines) // max(size, 1), 1)
    return lines[::step][:size]


def zipf_exponent(counts: list[int]) -> float:
    """The exponent ``s`` of ``count ~ rank^-s`` fitted by least squares on the log-log ranks, kept in [0.6, 1.3].

    >>> round(zipf_exponent([100, 50, 33, 25, 20]), 2)
    1.0
    """
    ranked = sorted((c for c in counts if c > 0), reverse=True)
    if len(ranked) < 3:
        return 1.0
    x = np.log(np.arange(1, len(ranked) + 1))
    y = np.log(np.array(ranked, dtype=float))
    slope = float(np.polyfit(x, y, 1)[0])
    return min(max(-slope, 0.6), 1.3)


def _p(weights: list[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(weights, dtype=float)
    return np.asarray(array / array.sum())


def _parse(lines: list[str]) -> list[tuple[str, Posting]]:
    out = []
    for number, line in enumerate(lines, start=1):
        source = str(json.loads(line).get("source") or "corpus")
        parsed = parse_posting_line(RawRecord(source_id=f"{SEED_PREFIX}{source}", locator=str(number), payload=line))
        if not isinstance(parsed, Reject):
            out.append((source, parsed))
    return out


def learn_model(sample_file: Path, taxonomy_dir: Path, *, sample_size: int = DEFAULT_SAMPLE_SIZE) -> MarketModel:
    """Extract a sample of ``sample_file`` (postings JSONL) with the real extractor and learn the distributions."""
    extractor = build_extractor(taxonomy_dir)
    all_lines = [line for line in sample_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    company_counts = Counter(str(json.loads(line).get("company") or "").strip() for line in all_lines)
    company_counts.pop("", None)
    parsed = _parse(sample_lines(sample_file, sample_size))
    postings = [posting for _, posting in parsed]
    extractions = list(extractor.extract_many(postings))
    skill_names = [s.name for s in extractor.taxonomy.skills]
    index = {name: i for i, name in enumerate(skill_names)}

    cell_counts: Counter[tuple[str | None, str | None]] = Counter()
    protos: dict[tuple[str | None, str | None], list[Prototype]] = {}
    stated: Counter[str | None] = Counter()
    seen: Counter[str | None] = Counter()
    salaries: dict[str | None, list[Salary]] = {}
    family_weights: dict[str | None, np.ndarray] = {}
    spec_weights: dict[str, np.ndarray] = {}
    asked = np.zeros(len(skill_names))
    required = np.zeros(len(skill_names))
    for posting, extraction in zip(postings, extractions, strict=True):
        cell = (extraction.role_family.value, extraction.level.value)
        cell_counts[cell] += 1
        protos.setdefault(cell, []).append(_prototype(posting, extraction))
        level = extraction.level.value
        seen[level] += 1
        if posting.salary_annual_min is not None and posting.salary_currency:
            stated[level] += 1
            high = posting.salary_annual_max if posting.salary_annual_max is not None else posting.salary_annual_min
            salaries.setdefault(level, []).append(
                Salary(float(posting.salary_annual_min), float(high), posting.salary_currency)
            )
        weights = family_weights.setdefault(extraction.role_family.value, np.zeros(len(skill_names)))
        for mention in extraction.skills:
            i = index[mention.skill]
            weights[i] += 1
            asked[i] += 1
            required[i] += mention.requirement is Requirement.REQUIRED
            for spec in extraction.specializations:
                spec_weights.setdefault(spec, np.zeros(len(skill_names)))[i] += 1
    floor = SMOOTHING * (asked[asked > 0].min() if (asked > 0).any() else 1.0)
    overall = asked + floor
    for weights in (*family_weights.values(), *spec_weights.values()):
        weights += floor * overall / overall.sum()
    places = Counter((p.location, p.remote) for p in postings)
    sources = Counter(source for source, _ in parsed)
    cells = sorted(cell_counts, key=lambda c: (str(c[0]), str(c[1])))
    return MarketModel(
        sources=sorted(sources),
        source_p=_p([sources[s] for s in sorted(sources)]),
        companies=[name for name, _ in sorted(company_counts.items(), key=lambda kv: (-kv[1], kv[0]))],
        zipf_exponent=zipf_exponent(list(company_counts.values())),
        places=sorted(places, key=lambda p: (str(p[0]), str(p[1]))),
        place_p=_p([places[p] for p in sorted(places, key=lambda p: (str(p[0]), str(p[1])))]),
        cells=cells,
        cell_p=_p([cell_counts[c] for c in cells]),
        prototypes=[protos[c] for c in cells],
        salary_rate={level: stated[level] / n for level, n in seen.items()},
        salaries=salaries,
        skill_names=skill_names,
        family_weights=family_weights,
        spec_weights=spec_weights,
        required_rate=np.where(asked > 0, required / np.maximum(asked, 1), 0.7),
        extractor_version=extractor.version,
        taxonomy_version=extractor.taxonomy.version,
        sample_size=len(postings),
        origin=str(sample_file),
    )


def _prototype(posting: Posting, extraction: Extraction) -> Prototype:
    return Prototype(
        title=posting.title,
        specializations=dict(sorted(extraction.specializations.items())),
        years_min=extraction.years_min,
        skills=len(extraction.skills),
        track=extraction.track.value,
    )


def company_count(postings: int) -> int:
    """How many companies a market of ``postings`` has (about postings^0.75: 31,623 for a million).

    >>> company_count(1_000_000)
    31623
    """
    return max(20, round(math.pow(postings, 0.75)))
