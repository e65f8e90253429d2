"""Writing ``duplicate_of`` links: only rows that differ, in two statements, with more links than PostgreSQL takes
bind parameters in one statement (65,535)."""

import sqlalchemy as sa
from sqlalchemy.orm import Session

from pipeline.store import duplicates
from tests.store_samples import fill

MANY = 70_000  # more than 65,535


def links_in_store(session: Session) -> dict[str, str]:
    rows = session.execute(sa.text("select id, duplicate_of from postings where duplicate_of is not null"))
    return {str(posting_id): str(canonical) for posting_id, canonical in rows}


def test_set_duplicates_takes_more_links_than_bind_parameters(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        fill(session, MANY + 1)
    links = {f"s:{n}": "s:0" for n in range(1, MANY + 1)}
    with Session(migrated_engine) as session, session.begin():
        assert duplicates.set_duplicates(links, session=session) == MANY
    with Session(migrated_engine) as session:
        assert links_in_store(session) == links


def test_set_duplicates_writes_only_what_differs_and_clears_the_rest(migrated_engine: sa.Engine) -> None:
    with Session(migrated_engine) as session, session.begin():
        fill(session, 5)
    with Session(migrated_engine) as session, session.begin():
        assert duplicates.set_duplicates({"s:1": "s:0", "s:2": "s:0", "s:3": "s:0"}, session=session) == 3
    with Session(migrated_engine) as session, session.begin():  # s:1 stays, s:2 moves, s:3 is cleared, s:4 is new
        assert duplicates.set_duplicates({"s:1": "s:0", "s:2": "s:4", "s:4": "s:0"}, session=session) == 3
    with Session(migrated_engine) as session:
        assert links_in_store(session) == {"s:1": "s:0", "s:2": "s:4", "s:4": "s:0"}
    with Session(migrated_engine) as session, session.begin():
        assert duplicates.set_duplicates({"s:1": "s:0", "s:2": "s:4", "s:4": "s:0"}, session=session) == 0
        assert duplicates.set_duplicates({}, session=session) == 3
    with Session(migrated_engine) as session:
        assert links_in_store(session) == {}
