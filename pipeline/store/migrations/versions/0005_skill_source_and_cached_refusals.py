"""posting skills: where each came from; the answer cache remembers refusals

``posting_skills.source`` says who found a skill: ``rules`` (every row stored so far, the server default) or
``llm`` (a skill only the model named, added beside a posting's ``final`` tag). ``llm_answers`` may now hold a
refusal instead of an answer (``refusal`` set, ``answer`` null): asking the same model the same messages again
would cost without changing the outcome.

Downgrading deletes what the code of 0004 would misread: the skills the model added (they would pass for rule
skills), the ``final`` tags built with them, and the cached refusals.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 10:02:17.184022
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("posting_skills", sa.Column("source", sa.String(length=10), server_default="rules", nullable=False))
    op.create_check_constraint(op.f("ck_posting_skills_source"), "posting_skills", "source in ('rules', 'llm')")
    op.add_column("llm_answers", sa.Column("refusal", sa.Text(), nullable=True))
    op.alter_column("llm_answers", "answer", existing_type=postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    op.create_check_constraint(
        op.f("ck_llm_answers_answer_or_refusal"), "llm_answers", "answer is not null or refusal is not null"
    )


def downgrade() -> None:
    op.execute("delete from posting_skills where source = 'llm'")
    op.execute("delete from posting_tags where method = 'final'")
    op.execute("delete from llm_answers where answer is null")
    op.drop_constraint(op.f("ck_llm_answers_answer_or_refusal"), "llm_answers", type_="check")
    op.alter_column("llm_answers", "answer", existing_type=postgresql.JSONB(astext_type=sa.Text()), nullable=False)
    op.drop_column("llm_answers", "refusal")
    op.drop_constraint(op.f("ck_posting_skills_source"), "posting_skills", type_="check")
    op.drop_column("posting_skills", "source")
