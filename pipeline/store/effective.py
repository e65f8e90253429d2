"""The tag each posting is counted by: its ``final`` tag (the rules reconciled with the model's answer) when it has
one, else its ``rules`` tag. Every reader of labels (the weekly aggregates, the market figures) selects from here
instead of naming a method.

``effective_tags()`` is the SQLAlchemy selectable; ``EFFECTIVE_TAGS_SQL`` is the same query as SQL text, for
readers written as ``sa.text`` (use it as a subquery: ``join (<EFFECTIVE_TAGS_SQL>) t on t.posting_id = p.id``).
Both have every column of ``posting_tags``; ``method`` says which tag was picked.

Skills need no such choice: ``posting_skills`` holds the rule skills and, beside a ``final`` tag only, the skills
the model added (``source = 'llm'``; written and removed together with that tag).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased

from pipeline.store.models import PostingTag
from pipeline.store.tags import FINAL, RULES


def effective_tags_query() -> sa.Select[Any]:
    """SELECT of one tag per tagged posting: the ``final`` row when there is one, else the ``rules`` row."""
    final = aliased(PostingTag, name="final_tag")
    has_final = sa.exists().where(final.posting_id == PostingTag.posting_id, final.method == FINAL)
    return sa.select(PostingTag).where(
        sa.or_(PostingTag.method == FINAL, sa.and_(PostingTag.method == RULES, ~has_final))
    )


def effective_tags(name: str = "effective_tags") -> sa.Subquery:
    """:func:`effective_tags_query` as a named subquery to join on ``posting_id``."""
    return effective_tags_query().subquery(name)


def _as_sql() -> str:
    dialect: Any = postgresql.dialect()  # type: ignore[no-untyped-call]
    compiled = effective_tags_query().compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return " ".join(str(compiled).split())


EFFECTIVE_TAGS_SQL = _as_sql()
