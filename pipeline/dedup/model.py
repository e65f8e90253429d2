"""The records ``find_duplicates`` reads and writes, and the names of its rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RULE_URL = "url"
RULE_KEY = "company_title_location"
RULE_TEXT = "near_duplicate"
RULES = (RULE_URL, RULE_KEY, RULE_TEXT)

RULES_VERSION = "1"  # bump when a rule, gate or threshold changes: the store then links everything again
DEFAULT_THRESHOLD = 0.6  # estimated Jaccard of description shingles; see the measurement in pipeline.dedup


@dataclass(frozen=True)
class DedupCandidate:
    id: str
    source_id: str
    canonical_url: str | None
    company: str | None
    title: str
    location: str | None
    description: str
    first_seen: date | None = None


@dataclass(frozen=True)
class DuplicateLink:
    id: str
    duplicate_of: str
    rule: str
    similarity: float | None = None
