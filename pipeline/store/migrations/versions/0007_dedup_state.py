"""dedup state: the fingerprint of the open postings the last dedup pass read

One row (``id = 1``): a fingerprint of the open postings (count and an order-free sum of hashes of id, content
hash and first-seen day) with the dedup rules' version. The refresh compares it with the open postings of the
store before deduplicating and skips a pass that would read the same input (an unchanged weekly run). Downgrading
drops it: the next pass of the older code just deduplicates.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 13:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dedup_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_dedup_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dedup_state")),
    )


def downgrade() -> None:
    op.drop_table("dedup_state")
