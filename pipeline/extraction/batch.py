"""Tag a postings JSONL file into a tags JSONL file: one output line per input line, in input order.

Each input line (the corpus schema: id, title, description_text or description_html, optional company, location,
salary_text, ...) is parsed with ``parse_line_for_tagging`` and extracted; a posting without a title is still tagged
from its description (title null, so no title-based level). A line that cannot be parsed (or, should
it ever happen, extracted) becomes ``{"id": <id if recoverable, else null>, "line": N, "error": "<reason>"}``
and the run goes on; blank lines are skipped. With ``workers > 1`` chunks of raw lines go to worker processes,
each of which builds the extractor once (spaCy Docs never cross a process boundary: compact dicts come back).
"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.domain import Extraction, Posting, RawRecord, Reject
from pipeline.extraction.extractor import Extractor, build_nlp
from pipeline.extraction.taxonomy import SpecializationCues, Taxonomy, load_specialization_cues, load_taxonomy
from pipeline.sources.jsonl_file import parse_line_for_tagging

ProgressCallback = Callable[[int, int], None]  # (lines done, lines in total)
Line = tuple[int, str]  # (1-based line number in the file, raw text)

DEFAULT_CHUNK_SIZE = 32
ERRORS_KEPT = 5
SOURCE_ID = "file"


@dataclass(frozen=True)
class BatchSummary:
    lines: int  # non-blank input lines
    tagged: int
    errors: int
    seconds: float
    first_errors: tuple[str, ...] = ()  # "line N: reason" of the first few bad lines

    @property
    def postings_per_second(self) -> float:
        return self.lines / self.seconds if self.seconds > 0 else 0.0

    def describe(self) -> str:
        errors = f"{self.errors} error" + ("" if self.errors == 1 else "s")
        return (
            f"{self.lines} lines: {self.tagged} tagged, {errors} in {self.seconds:.2f} s "
            f"({self.postings_per_second:,.1f} postings/s)"
        )


def tag_record(posting: Posting, extraction: Extraction, categories: dict[str, str]) -> dict[str, Any]:
    """The output dict of one tagged posting."""
    salary = None
    if posting.salary_min is not None or posting.salary_max is not None:
        salary = {
            "min": posting.salary_min,
            "max": posting.salary_max,
            "currency": posting.salary_currency,
            "period": posting.salary_period,
            "annual_min": posting.salary_annual_min,
            "annual_max": posting.salary_annual_max,
        }
    return {
        "id": posting.id,
        "title": posting.title or None,
        "level": extraction.level.value,
        "track": extraction.track.value,
        "role_family": extraction.role_family.value,
        "specializations": sorted(extraction.specializations),
        "specialization_scores": dict(sorted(extraction.specializations.items())),
        "skills": [
            {
                "name": m.skill,
                "category": categories.get(m.skill),
                "requirement": m.requirement.value,
                "evidence": m.evidence,
                "start": m.start,
                "end": m.end,
            }
            for m in extraction.skills
        ],
        "years_experience_min": extraction.years_min,
        "education_min": extraction.education.value,
        "education_requirement": extraction.education_requirement,
        "publications_required": extraction.publications.value,
        "publication_venues": list(extraction.publication_venues),
        "salary": salary,
        "remote": posting.remote,
        "evidence": {
            "level": extraction.level.evidence,
            "track": extraction.track.evidence,
            "role_family": extraction.role_family.evidence,
            "specializations": extraction.evidence.get("specialization_lines", {}),
            "years": extraction.evidence.get("years"),
            "education": extraction.education.evidence,
            "publications": extraction.publications.evidence,
            "skipped": extraction.evidence.get("skipped"),
            "truncated": extraction.evidence.get("truncated"),
        },
        "confidence": {
            "level": extraction.level.confidence,
            "track": extraction.track.confidence,
            "role_family": extraction.role_family.confidence,
        },
        "extractor_version": extraction.extractor_version,
    }


def _recoverable_id(payload: str) -> str | None:
    try:
        data = json.loads(payload)
    except (json.JSONDecodeError, RecursionError):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def _error(number: int, payload: str, reason: str) -> dict[str, Any]:
    return {"id": _recoverable_id(payload), "line": number, "error": reason}


def tag_lines(extractor: Extractor, lines: list[Line], *, locator: str = "input") -> list[dict[str, Any]]:
    """One output dict per line, in order: tags for a good posting, an error dict for a bad line."""
    categories = {skill.name: skill.category for skill in extractor.taxonomy.skills}
    out: list[dict[str, Any] | None] = [None] * len(lines)
    postings: list[tuple[int, Posting]] = []
    for index, (number, payload) in enumerate(lines):
        record = RawRecord(source_id=SOURCE_ID, locator=f"{locator}:{number}", payload=payload)
        try:
            parsed = parse_line_for_tagging(record)
        except Exception as exc:  # a parser bug must not end the run
            out[index] = _error(number, payload, f"could not parse: {type(exc).__name__}: {exc}")
            continue
        if isinstance(parsed, Reject):
            out[index] = _error(number, payload, parsed.reason)
        else:
            postings.append((index, parsed))
    try:
        extractions = list(extractor.extract_many([posting for _, posting in postings]))
    except Exception:  # find the posting that fails, keep the others
        extractions = []
        for index, posting in postings:
            try:
                extractions.append(extractor.extract(posting))
            except Exception as exc:
                number, payload = lines[index]
                out[index] = _error(number, payload, f"extraction failed: {type(exc).__name__}: {exc}")
        postings = [(index, posting) for index, posting in postings if out[index] is None]
    for (index, posting), extraction in zip(postings, extractions, strict=True):
        out[index] = tag_record(posting, extraction, categories)
    return [item for item in out if item is not None]


Written = tuple[str, str | None]  # (an output line, "line N: reason" when it is an error line)


def written_lines(extractor: Extractor, lines: list[Line], *, locator: str = "input") -> list[Written]:
    """:func:`tag_lines`, serialized: the output lines, each with its error when it has one. A worker process
    returns these (a string crosses the process boundary far cheaper than a nested dict, and the parent, which
    shares the cores with the workers, then only writes)."""
    return [
        (json.dumps(item, ensure_ascii=False), f"line {item['line']}: {item['error']}" if "error" in item else None)
        for item in tag_lines(extractor, lines, locator=locator)
    ]


# -- worker processes ---------------------------------------------------------------------------------

_worker_extractor: Extractor | None = None


def _init_worker(taxonomy: Taxonomy, cues: SpecializationCues) -> None:
    """Build the extractor once per worker process from the taxonomy the parent read (a forked worker inherits
    it: no YAML to parse again), and keep it out of the collector's sight (see :func:`_frozen`; the worker ends
    with the pool)."""
    global _worker_extractor
    _worker_extractor = _frozen(Extractor(build_nlp(taxonomy, cues), taxonomy, cues))


def _frozen(extractor: Extractor) -> Extractor:
    """The extractor, with every object alive now moved to the collector's permanent generation (``gc.freeze``):
    the taxonomy, matchers and vocab are some 100,000 objects that live as long as the run, and every full
    collection the tagging triggers would walk them all again (about half of the time spent collecting)."""
    gc.freeze()
    return extractor


def _tag_chunk(lines: list[Line], locator: str) -> list[Written]:
    assert _worker_extractor is not None, "worker not initialised"
    return written_lines(_worker_extractor, lines, locator=locator)


def _chunks(path: Path, size: int) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    with path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            chunk.append((number, line))
            if len(chunk) >= size:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def count_lines(path: Path) -> int:
    """Non-blank lines of a file (what a progress bar counts to)."""
    with path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
        return sum(1 for raw in handle if raw.strip())


def start_method() -> str:
    """fork on Linux: workers start fast and never re-run the parent's ``__main__`` (``python -m flows.cli``
    has no main guard), and the parent holds no spaCy pipeline (each worker builds its own). Callers keep the
    parent free of threads while the pool starts (the CLI's progress bar does not auto-refresh). Elsewhere
    (macOS, Windows) fork is unsafe: spawn."""
    return "fork" if sys.platform == "linux" else "spawn"


def _parallel(
    chunks: Iterable[list[Line]], *, taxonomy: Taxonomy, cues: SpecializationCues, workers: int, locator: str
) -> Iterator[list[Written]]:
    """Results of each chunk in input order, with at most a few chunks per worker in flight."""
    context = multiprocessing.get_context(start_method())
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(taxonomy, cues)
    ) as pool:
        pending: deque[Future[list[Written]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_tag_chunk, chunk, locator))
            if len(pending) >= workers * 4:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def extract_file(
    input_path: Path,
    output_path: Path,
    *,
    taxonomy_dir: Path,
    workers: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: ProgressCallback | None = None,
) -> BatchSummary:
    """Tag every line of ``input_path`` into ``output_path`` (written whole or not at all), in input order.

    ``workers == 1`` runs in this process; more starts that many processes. ``progress`` is called with
    (lines done, lines in total) after each chunk.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    started = time.perf_counter()
    # read once, here: a broken taxonomy fails in one line, not in every worker
    taxonomy = load_taxonomy(taxonomy_dir / "skills.yaml")
    cues = load_specialization_cues(taxonomy_dir / "specializations.yaml")
    total = count_lines(input_path) if progress else 0
    chunks = _chunks(input_path, chunk_size)
    locator = input_path.name
    results: Iterator[list[Written]]
    if workers == 1:
        extractor = _frozen(Extractor(build_nlp(taxonomy, cues), taxonomy, cues))
        results = (written_lines(extractor, chunk, locator=locator) for chunk in chunks)
    else:
        results = _parallel(chunks, taxonomy=taxonomy, cues=cues, workers=workers, locator=locator)
    lines = errors = 0
    first_errors: list[str] = []
    output_path.parent.mkdir(parents=True, exist_ok=True)
    partial = output_path.with_name(f".{output_path.name}.{os.getpid()}.part")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            for items in results:
                for text, error in items:
                    out.write(text + "\n")
                    if error is not None:
                        errors += 1
                        if len(first_errors) < ERRORS_KEPT:
                            first_errors.append(error)
                lines += len(items)
                if progress:
                    progress(lines, total)
        partial.replace(output_path)
    finally:
        partial.unlink(missing_ok=True)
        if workers == 1:
            gc.unfreeze()  # this process goes on: what it froze can be collected again
    return BatchSummary(
        lines=lines,
        tagged=lines - errors,
        errors=errors,
        seconds=time.perf_counter() - started,
        first_errors=tuple(first_errors),
    )
