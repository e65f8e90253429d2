"""posting tags: education, publications and taxonomy version columns

Tags already stored keep their rows; their new columns stay empty (``taxonomy_version`` null), which marks them
stale, so ``jobatlas reextract`` (or the next ``jobatlas run``) tags those postings again and fills them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:12:40.512308
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("posting_tags", sa.Column("education_min", sa.String(length=20), nullable=True))
    op.add_column("posting_tags", sa.Column("education_requirement", sa.String(length=10), nullable=True))
    op.add_column("posting_tags", sa.Column("publications_required", sa.String(length=10), nullable=True))
    op.add_column(
        "posting_tags",
        sa.Column("publication_venues", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
    )
    op.add_column("posting_tags", sa.Column("taxonomy_version", sa.String(length=40), nullable=True))
    op.create_check_constraint(
        op.f("ck_posting_tags_education_requirement"),
        "posting_tags",
        "education_requirement in ('required', 'preferred')",
    )
    op.create_check_constraint(
        op.f("ck_posting_tags_publications_required"),
        "posting_tags",
        "publications_required in ('required', 'preferred')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_posting_tags_publications_required"), "posting_tags", type_="check")
    op.drop_constraint(op.f("ck_posting_tags_education_requirement"), "posting_tags", type_="check")
    op.drop_column("posting_tags", "taxonomy_version")
    op.drop_column("posting_tags", "publication_venues")
    op.drop_column("posting_tags", "publications_required")
    op.drop_column("posting_tags", "education_requirement")
    op.drop_column("posting_tags", "education_min")
