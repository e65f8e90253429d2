"""Alembic environment: the engine comes from the caller (see pipeline.store.migrate)."""

from __future__ import annotations

from alembic import context

from pipeline.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    raise RuntimeError("run migrations through `jobatlas db upgrade` (pipeline.store.migrate)")

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
    context.run_migrations()
