"""Find postings that describe the same job: pure functions, no database, no I/O.

The same job reaches us several times: one source re-lists it under a new id, or two sources carry
it. ``find_duplicates`` links such postings in three tiers, applied in order:

1. ``url``: the same non-null canonical URL (``pipeline.normalize.canonical_url``).
2. ``company_title_location``: the same normalized (company, title, location) key. Company: casefold,
   punctuation stripped, trailing legal suffixes (Inc, LLC, Ltd, GmbH, Corp, Co, ...) dropped,
   whitespace collapsed. Title: ``clean_title`` then casefold and punctuation stripped. Location:
   casefold, punctuation stripped, remote phrasings ("Fully Remote", "100% remote", "WFH", "Anywhere")
   folded to ``remote`` and word order ignored ("US Remote" == "Remote (US)"). A missing company or an
   empty title never matches by this rule; two missing locations do.
3. ``near_duplicate``: MinHash (datasketch, seed 1, ``num_perm`` permutations) of the word
   ``shingle_words``-grams of the normalized description (casefold, punctuation stripped; each shingle
   hashed to 32 bits from blake2b word hashes, see ``text.shingle_hashes``); MinHashLSH
   (banding chosen so a pair at the threshold is a candidate with probability >= 0.995) proposes
   pairs, which are kept when the estimated Jaccard >= ``threshold`` and the gates below pass.
   Descriptions under ``MIN_DESCRIPTION_WORDS`` words are not compared (placeholders such as "apply
   on our site" would otherwise match each other).

Gates. Text alone would merge different openings that share a template, so a pair found by text is kept
only when nothing says the postings differ (``keys.titles_compatible``, ``keys.locations_compatible``):
- titles (abbreviations expanded, plurals and filler such as "remote" or "m/f/d" dropped) name the same
  level words (Senior vs none vs Staff differ) and the other words are equal or one set contains the
  other ("ML Engineer" vs "ML Engineer, Ads"); "Data Engineer" vs "ML Engineer", or "... - German" vs
  "... - Italian", each add their own word and are not compared. When a title is missing, two known
  companies must match;
- locations share a word, unless one is missing, remote or country-level ("Chicago" vs "Bellevue" are
  two openings with one text; "Seattle, WA" vs "Kent, WA" or "United States" vs "Dallas, TX" pass).

Threshold 0.6 (estimated Jaccard), measured on the shared corpus (2,609 postings; the figures are
asserted by tests/pipeline/test_dedup_corpus.py). Verified gated pairs / near_duplicate links per
threshold: 0.5: 445/145, 0.6: 400/128, 0.7: 343/105, 0.8: 276/70, 0.9: 204/50 (plus ~194 key links,
0 URL links). Reading pairs: from 0.5 to 0.9 they are mostly one company re-posting its HN "Who is
hiring" ad each month with edits, or one client job re-posted by several staffing agencies or job
aggregators; the first template false merge is at 0.56 (two Adobe Document Cloud roles sharing a long
intro), hence 0.6. Of 19 pairs read at >= 0.6, 14 were the same job, 1 ambiguous, 4 different openings
that passed the gates at 0.76-0.90 (a title adding a team word: "Senior Back End Engineer" vs "...
- Fintech"; two cities in one state: "San Diego, California" vs "Cupertino, California"). Synthetic
check: 200 corpus postings with re-posted copies (1-5 words changed, whitespace reflowed, a sentence
added, no company) are all found at 0.6 (recall 0.98-0.995 at 0.7, 0.92-0.95 at 0.8, 0.47 at 0.9),
and none of 200 copies re-titled as an incompatible role is merged.

Groups. Links chain through a union-find, so A~B by URL and B~C by text put A, B, C in one group. The
canonical posting of a group is the earliest ``first_seen`` (unknown dates last), ties broken by the
smallest id, so the result does not depend on input order. Each other member gets one link to it,
labelled with the first tier at which it joined the canonical's group; ``similarity`` is the best
verified estimated Jaccard of the member's near-duplicate pairs (None for the other rules, or when the
member joined through another posting and has no verified pair of its own).
"""

from pipeline.dedup.groups import find_duplicates
from pipeline.dedup.keys import (
    locations_compatible,
    normalize_company,
    normalize_location,
    normalize_title,
    title_tokens,
    titles_compatible,
)
from pipeline.dedup.model import DEFAULT_THRESHOLD, RULES, DedupCandidate, DuplicateLink
from pipeline.dedup.text import MIN_DESCRIPTION_WORDS, lsh_params, near_duplicate_pairs, shingle_hashes

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_DESCRIPTION_WORDS",
    "RULES",
    "DedupCandidate",
    "DuplicateLink",
    "find_duplicates",
    "locations_compatible",
    "lsh_params",
    "near_duplicate_pairs",
    "normalize_company",
    "normalize_location",
    "normalize_title",
    "shingle_hashes",
    "title_tokens",
    "titles_compatible",
]
