"""Draw one batch of synthetic postings from a :class:`MarketModel` and render it as PostgreSQL COPY text.

Batch ``b`` of seed ``s`` is drawn from its own generator (``default_rng([s, b])``), so the rows depend only on the
seed, the model and the batch layout, never on timing or on what was drawn before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from pipeline.bench.seed_model import SEED_PREFIX, MarketModel, Prototype, company_count

WEEKS = 52
TREND = 0.6  # the last week has this much more postings than the first
DEFAULT_END = date(2026, 11, 27)  # the last posting day of a seeded market (a fixed day: seeding is reproducible)
SKILLS_PER_LINE = 3
_INTROS = (
    "{company} is hiring a {title} to build and ship AI features used by our customers every day.",
    "Join {company} as a {title} and work on models, data and the systems that serve them.",
    "As a {title} at {company} you will own projects from the first prototype to production.",
    "{company} is growing its AI team and is looking for a {title}.",
)
_REQUIRED = ("- Experience with {}.", "- Strong skills in {}.", "- Hands-on work with {} in production.")
_PREFERRED = ("- Familiarity with {} is a plus.", "- Nice to have: {}.", "- Bonus: exposure to {}.")
_WORDS_A = ("North", "Blue", "Quantum", "Bright", "Silver", "Open", "Deep", "Clear", "Rapid", "Vector", "Signal")
_WORDS_B = ("Labs", "Analytics", "Systems", "AI", "Robotics", "Health", "Data", "Cloud", "Works", "Bio", "Finance")


@dataclass
class CopyText:
    """Rows of one batch for each table, in PostgreSQL COPY text format."""

    postings: list[str]
    tags: list[str]
    skills: list[str]


def company_names(model: MarketModel, count: int) -> list[str]:
    """``count`` company names: the corpus's own, most frequent first, then made-up ones."""
    names = list(model.companies[:count])
    n = 0
    while len(names) < count:
        a, b = _WORDS_A[n % len(_WORDS_A)], _WORDS_B[(n // len(_WORDS_A)) % len(_WORDS_B)]
        names.append(f"{a} {b} {n // (len(_WORDS_A) * len(_WORDS_B)) + 1}")
        n += 1
    return names


def zipf_p(count: int, exponent: float) -> np.ndarray:
    weights = 1.0 / np.power(np.arange(1, count + 1, dtype=float), exponent)
    return np.asarray(weights / weights.sum())


def week_p() -> np.ndarray:
    weights = 1.0 + TREND * np.arange(WEEKS) / (WEEKS - 1)
    return np.asarray(weights / weights.sum())


def esc(value: object) -> str:
    r"""A value as COPY text: ``\N`` for None, backslash, tab, newline and carriage return escaped.

    >>> print(esc(None), esc("a\tb"), esc(3))
    \N a\tb 3
    """
    if value is None:
        return "\\N"
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def text_array(values: list[str]) -> str:
    """A text[] literal for COPY (values are plain words).

    >>> text_array(["agents", "rag"])
    '{agents,rag}'
    """
    return "{" + ",".join(values) + "}"


class BatchDrawer:
    """Draws the batches of a market of ``total`` postings; build once per seeding."""

    def __init__(self, model: MarketModel, *, total: int, seed: int, end: date, skill_ids: dict[str, int]) -> None:
        self.model = model
        self.seed = seed
        self.end = end
        self.companies = company_names(model, company_count(total))
        self.company_p = zipf_p(len(self.companies), model.zipf_exponent)
        self.week_p = week_p()
        self.skill_ids = [str(skill_ids[name]) for name in model.skill_names]
        self.protos = [(cell, proto) for cell, protos in enumerate(model.prototypes) for proto in protos]
        self.cell_first = np.cumsum([0] + [len(p) for p in model.prototypes])[:-1]
        self.cell_size = np.array([len(p) for p in model.prototypes])
        keys = sorted({(str(model.cells[c][0]), tuple(p.specializations)) for c, p in self.protos})
        self.proto_key = np.array(
            [keys.index((str(model.cells[c][0]), tuple(p.specializations))) for c, p in self.protos]
        )
        self.key_log_weights = [np.log(self._skill_weights(model.cells[self._cell_of(k)][0], k[1])) for k in keys]
        self.proto_skills = np.array([p.skills for _, p in self.protos])
        self.tag_middle = [self._tag_middle(cell, proto) for cell, proto in self.protos]
        last_monday = end - timedelta(days=end.weekday())
        self.first_monday = last_monday - timedelta(weeks=WEEKS - 1)

    def _cell_of(self, key: tuple[str, tuple[str, ...]]) -> int:
        return next(c for c, p in self.protos if (str(self.model.cells[c][0]), tuple(p.specializations)) == key)

    def _skill_weights(self, family: str | None, specs: tuple[str, ...]) -> np.ndarray:
        base = self.model.family_weights.get(family)
        weights = base.copy() if base is not None else np.ones(len(self.model.skill_names))
        weights /= weights.sum()
        for spec in specs:
            extra = self.model.spec_weights.get(spec)
            if extra is not None:
                weights += extra / extra.sum()
        return np.asarray(weights / weights.sum())

    def _tag_middle(self, cell: int, proto: Prototype) -> str:
        """The columns of a tag row between ``method`` and ``content_hash``."""
        family, level = self.model.cells[cell]
        confidence = {"level": 0.7 if level else 0.0, "track": 0.8, "role_family": 0.6}
        evidence = {"level": f"title: {proto.title}" if level else None, "role_family": "seeded", "track": proto.title}
        values = (
            level,
            proto.track,
            family,
            text_array(sorted(proto.specializations)),
            json.dumps(proto.specializations),
            proto.years_min,
            json.dumps(confidence),
            json.dumps(evidence),
            self.model.extractor_version,
            self.model.taxonomy_version,
        )
        return "\t".join(esc(v) for v in values)

    def _skills(self, rng: np.random.Generator, protos: np.ndarray) -> tuple[list[list[int]], list[list[bool]]]:
        """Per posting, distinct skill indices drawn without replacement by weight (Gumbel top-k, one matrix per
        family x specializations) and whether each is required."""
        size = len(protos)
        chosen: list[list[int]] = [[] for _ in range(size)]
        required: list[list[bool]] = [[] for _ in range(size)]
        keys = self.proto_key[protos]
        counts = self.proto_skills[protos]
        for key in np.unique(keys):
            rows = np.nonzero(keys == key)[0]
            top = int(counts[rows].max())
            if top == 0:
                continue
            scores = self.key_log_weights[key] + rng.gumbel(size=(len(rows), len(self.model.skill_names)))
            best = np.argpartition(-scores, top - 1, axis=1)[:, :top]
            order = np.argsort(-np.take_along_axis(scores, best, axis=1), axis=1)
            best = np.take_along_axis(best, order, axis=1)
            asked = rng.random((len(rows), top)) < self.model.required_rate[best]
            for j, row in enumerate(rows):
                n = int(counts[row])
                chosen[row] = best[j, :n].tolist()
                required[row] = asked[j, :n].tolist()
        return chosen, required

    def draw(self, batch: int, start: int, size: int) -> CopyText:
        """Postings ``start .. start + size - 1`` (batch number ``batch``) as COPY rows."""
        model = self.model
        rng = np.random.default_rng([self.seed, batch])
        cells = rng.choice(len(model.cells), size=size, p=model.cell_p)
        protos = self.cell_first[cells] + (rng.random(size) * self.cell_size[cells]).astype(int)
        companies = rng.choice(len(self.companies), size=size, p=self.company_p).tolist()
        places = rng.choice(len(model.places), size=size, p=model.place_p).tolist()
        sources = rng.choice(len(model.sources), size=size, p=model.source_p).tolist()
        days = (rng.choice(WEEKS, size=size, p=self.week_p) * 7 + rng.integers(0, 5, size=size)).tolist()
        open_days = rng.integers(0, 60, size=size).tolist()
        salary_u = rng.random((size, 2)).tolist()
        intros = rng.integers(0, len(_INTROS), size=size).tolist()
        chosen, required = self._skills(rng, protos)
        out = CopyText([], [], [])
        version = model.extractor_version
        for i, proto_index in enumerate(protos.tolist()):
            cell, proto = self.protos[proto_index]
            level = model.cells[cell][1]
            day = min(self.first_monday + timedelta(days=days[i]), self.end)
            last_seen = min(day + timedelta(days=open_days[i]), self.end)
            closed = (last_seen + timedelta(days=1)).isoformat() if (self.end - last_seen).days > 7 else None
            location, remote = model.places[places[i]]
            company = self.companies[companies[i]]
            posting_id = f"{SEED_PREFIX}{start + i:08d}"
            salary = None
            options = model.salaries.get(level)
            if options and salary_u[i][0] < model.salary_rate.get(level, 0.0):
                salary = options[int(salary_u[i][1] * len(options))]
            description, mentions = self._description(
                proto, company, location, remote, chosen[i], required[i], intros[i]
            )
            content_hash = hashlib.sha256(f"{posting_id}|{proto.title}|{company}|{description}".encode()).hexdigest()
            pay: tuple[object, ...] = (None,) * 7
            if salary is not None:
                text = f"{salary.currency} {salary.annual_min:,.0f} - {salary.annual_max:,.0f} a year"
                pay = (salary.annual_min, salary.annual_max, salary.currency, "year", text)
                pay += (salary.annual_min, salary.annual_max)
            values = (
                posting_id,
                SEED_PREFIX + model.sources[sources[i]],
                content_hash,
                proto.title,
                company,
                location,
                remote,
                *pay,
                "full_time",
                day.isoformat(),
                f"https://jobs.example.com/{posting_id}",
                description,
                day.isoformat(),
                last_seen.isoformat(),
                closed,
            )
            out.postings.append("\t".join(esc(v) for v in values))
            out.tags.append(f"{posting_id}\trules\t{self.tag_middle[proto_index]}\t{content_hash}")
            out.skills.extend(
                f"{posting_id}\t{sid}\t{'required' if req else 'preferred'}\t{esc(line)}\t{begin}\t{stop}\t{version}"
                for sid, req, line, begin, stop in mentions
            )
        return out

    def _description(
        self,
        proto: Prototype,
        company: str,
        location: str | None,
        remote: str | None,
        chosen: list[int],
        required: list[bool],
        intro: int,
    ) -> tuple[str, list[tuple[str, bool, str, int, int]]]:
        """The description and, per skill, (skill id, required, evidence line, start, end) of its mention."""
        names = self.model.skill_names
        lines = [f"{proto.title} - {company}", _INTROS[intro].format(company=company, title=proto.title), ""]
        lines.append("Requirements:")
        if proto.years_min is not None:
            lines.append(f"- {proto.years_min}+ years of professional experience.")
        mentions: list[tuple[str, bool, str, int, int]] = []
        offset = sum(len(line) + 1 for line in lines)
        for wanted, header, templates in ((True, "", _REQUIRED), (False, "Nice to have:", _PREFERRED)):
            picked = [k for k, r in zip(chosen, required, strict=True) if r is wanted]
            if not picked:
                continue
            if header:
                lines.append(header)
                offset += len(header) + 1
            for n in range(0, len(picked), SKILLS_PER_LINE):
                group = picked[n : n + SKILLS_PER_LINE]
                prefix, suffix = templates[(n // SKILLS_PER_LINE) % len(templates)].split("{}")
                pieces = [prefix]
                spans = []
                pos = offset + len(prefix)
                for j, k in enumerate(group):
                    if j:
                        sep = " and " if j == len(group) - 1 else ", "
                        pieces.append(sep)
                        pos += len(sep)
                    pieces.append(names[k])
                    spans.append((self.skill_ids[k], pos, pos + len(names[k])))
                    pos += len(names[k])
                line = "".join(pieces) + suffix
                mentions.extend((sid, wanted, line, begin, stop) for sid, begin, stop in spans)
                lines.append(line)
                offset += len(line) + 1
        lines += ["", f"Location: {location or 'Anywhere'}" + (f" ({remote})" if remote else "")]
        return "\n".join(lines), mentions
