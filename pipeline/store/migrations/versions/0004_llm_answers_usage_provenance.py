"""llm tagger: answer cache, usage per run, tag provenance and disagreements

New tables only (nothing existing changes): ``llm_answers`` caches checked answers by model, prompt version and
the hash of the messages sent; ``llm_usage`` keeps what each run asked and spent (totals per run and per month);
``tag_provenance`` says where each field of a hybrid tag came from; ``tag_disagreements`` lists the fields on
which the rules and the model disagreed, for review. Downgrading drops them and what they hold.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 09:34:41.460554
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "llm_answers",
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_version", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("posting_id", sa.String(length=300), nullable=True),
        sa.Column("answer", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("hallucinations", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("model", "prompt_version", "content_hash", name=op.f("pk_llm_answers")),
    )
    op.create_table(
        "llm_usage",
        sa.Column("run_key", sa.String(length=100), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_version", sa.String(length=40), nullable=False),
        sa.Column("postings", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("cache_hits", sa.Integer(), nullable=False),
        sa.Column("prompt_tokens", sa.BigInteger(), nullable=False),
        sa.Column("completion_tokens", sa.BigInteger(), nullable=False),
        sa.Column("cost_usd", sa.Numeric(precision=12, scale=6), nullable=False),
        sa.Column("hallucinations", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("mode in ('llm', 'hybrid')", name=op.f("ck_llm_usage_mode")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["ingest_runs.id"], name=op.f("fk_llm_usage_run_id_ingest_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("run_key", name=op.f("pk_llm_usage")),
    )
    op.create_index("ix_llm_usage_started_at", "llm_usage", ["started_at"], unique=False)
    op.create_table(
        "tag_disagreements",
        sa.Column("posting_id", sa.String(length=300), nullable=False),
        sa.Column("field", sa.String(length=200), nullable=False),
        sa.Column("rules_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("llm_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("chosen", sa.String(length=10), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_version", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("chosen in ('rules', 'llm')", name=op.f("ck_tag_disagreements_chosen")),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["postings.id"], name=op.f("fk_tag_disagreements_posting_id_postings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("posting_id", "field", name=op.f("pk_tag_disagreements")),
    )
    op.create_index("ix_tag_disagreements_field", "tag_disagreements", ["field"], unique=False)
    op.create_table(
        "tag_provenance",
        sa.Column("posting_id", sa.String(length=300), nullable=False),
        sa.Column("provenance", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reasons", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_version", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"], ["postings.id"], name=op.f("fk_tag_provenance_posting_id_postings"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("posting_id", name=op.f("pk_tag_provenance")),
    )


def downgrade() -> None:
    op.drop_table("tag_provenance")
    op.drop_index("ix_tag_disagreements_field", table_name="tag_disagreements")
    op.drop_table("tag_disagreements")
    op.drop_index("ix_llm_usage_started_at", table_name="llm_usage")
    op.drop_table("llm_usage")
    op.drop_table("llm_answers")
