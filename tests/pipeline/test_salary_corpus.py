"""parse_salary on every real salary string of the shared corpus: the parsed share must not regress.

Reads ../shared/corpus/postings*.jsonl (read-only) and skips when it is absent. No corpus text is kept here.
Level reached when written: 759 of 760 strings parsed, all 759 with a plausible annualization (the one left is a
signing bonus, which is not pay).
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from pipeline.normalize import parse_salary

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
FILES = ("postings.jsonl", "postings_extra.jsonl")
MARGIN = 0.01
FLOORS = {  # source -> (parsed share, plausible-annualization share) reached, before the margin
    "ALL": (0.998, 0.998),
    "glassdoor_ds_2020": (1.0, 1.0),
    "hn_whoishiring": (0.996, 0.996),
    "hn_yc_jobstory": (1.0, 1.0),
    "remoteok_api_2026_03": (1.0, 1.0),
}

pytestmark = pytest.mark.shared


def _salary_texts() -> list[tuple[str, str]]:
    if not all((CORPUS / name).is_file() for name in FILES):
        pytest.skip("../shared/corpus is absent")
    rows = []
    for name in FILES:
        with (CORPUS / name).open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if row.get("salary_text") is not None:
                    rows.append((row["source"], row["salary_text"]))
    return rows


def test_parsed_share_does_not_regress() -> None:
    rows = _salary_texts()
    total, parsed, plausible = Counter[str](), Counter[str](), Counter[str]()
    for source, text in rows:
        salary = parse_salary(text)
        for key in (source, "ALL"):
            total[key] += 1
            parsed[key] += salary is not None
            plausible[key] += salary is not None and salary.annualized() is not None
    assert total["ALL"] >= 700, "the corpus shrank: re-measure the floors"
    for key, (parsed_floor, plausible_floor) in FLOORS.items():
        assert total[key], f"no salary strings from {key}"
        assert parsed[key] / total[key] >= parsed_floor - MARGIN, (key, parsed[key], total[key])
        assert plausible[key] / total[key] >= plausible_floor - MARGIN, (key, plausible[key], total[key])
