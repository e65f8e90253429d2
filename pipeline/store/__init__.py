"""PostgreSQL store: SQLAlchemy models, Alembic migrations, connections and idempotent loads."""
