"""postings marked seen in place: a weekly rerun's UPDATE of every posting becomes HOT

A refresh on a later day with unchanged input updates every posting still listed (``pipeline.store.seen.mark_seen``:
``last_seen_on``, ``raw_posting_id``, ``updated_at``; ``closed_on`` stays null). Through 0009 each of these updates
wrote a new version of the wide row wherever there was room (a full page has none) and an entry for it in every
index of ``postings``: 7 of them, three trigram GIN indexes among them, because ``last_seen_on`` was a column of
``ix_postings_source_company`` (INCLUDE, 0006). An update that changes no indexed column and finds room on the
row's page is HOT (heap-only): the new version goes on the same page, chained from the old one, and no index is
written. Two changes make the weekly one HOT:

- ``ix_postings_source_company`` is built again without ``last_seen_on`` (``source_id, company`` INCLUDE
  ``closed_on, duplicate_of``). Nothing reads that column through the index any more: the overview's counts and
  the sources table read ``source_company_counts`` (0008), whose update trigger reads the last-seen day of a group
  that lost its latest posting again from ``postings`` through this index, now fetching it from the heap (the
  rows it reads were just updated: their pages are not all-visible, so the index-only scan fetched them too).
- ``postings`` gets a fillfactor of 50: an INSERT, or an update that moves a row to another page, fills a page
  to half. The other half is the room for the new versions, and it has to hold all of them: one transaction marks
  a whole batch seen (5,000 postings, listed and so stored together), and an old version becomes free space only
  once the transaction that replaced it has committed (the next update of the page prunes it). A weekly rerun
  thus finds every page with about half of it dead versions of the week before, which it prunes, and writes all
  its new versions beside the live ones. Through 0009 the heap came to the same size by itself: the first
  weekly rerun moved every row to new pages and left the old ones empty for the next. A row that grew after it
  was inserted (deduplication sets ``duplicate_of``) can leave its page a little short: that update is not HOT
  and moves the row to a page with room, where it is HOT the week after.

``jobatlas bench refresh --postings 20000`` (README, "End-to-end refresh"; load average 2.5-4 on this shared
2-core machine): the rerun a week later took 33.2 s (9.7% of the first run; its load step 25.4 s) with 0 of its
20,000 updates of ``postings`` HOT, and takes 10.3 s (3.0%; load step 2.9 s) with 19,306 of them HOT. ``mark_seen``
alone on 50,000 of the bench's postings (batches of 5,000, about 3 in 4 made longer by a ``duplicate_of``,
vacuumed between weeks): 65.8 s with 0 HOT before; now 10.7 s with 46,260 HOT the first week, 4.7 s with 49,766
HOT the next.

Existing stores: the fillfactor applies to pages written from now on, so full pages stay full. The first later-day
rerun after the upgrade updates their rows as before (not HOT), moving each one to a page filled to half (the
free space vacuum found, else new pages); from the rerun after that one on, the updates are HOT. ``VACUUM FULL
postings`` (or ``CLUSTER``) would repack the table at once, but it locks the table and rebuilds every index,
minutes on a million postings: the migration does not do it. Rebuilding ``ix_postings_source_company`` is one
B-tree build (seconds on a million postings).

Downgrading restores 0009: the index with ``last_seen_on`` again and the default fillfactor (pages already written
keep their room until rewritten).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 20:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILLFACTOR = 50  # pipeline.store.models.POSTINGS_FILLFACTOR
INDEX = "ix_postings_source_company"


def _rebuild_index(include: list[str]) -> None:
    op.drop_index(INDEX, table_name="postings")
    op.create_index(INDEX, "postings", ["source_id", "company"], postgresql_include=include)


def upgrade() -> None:
    _rebuild_index(["closed_on", "duplicate_of"])
    op.execute(f"alter table postings set (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    op.execute("alter table postings reset (fillfactor)")
    _rebuild_index(["closed_on", "duplicate_of", "last_seen_on"])
