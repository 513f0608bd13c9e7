"""Optimistic locking: a row's change counter, who moved it last, and the stale-save error.

Two editors saving from stale copies used to lose one change silently, and concurrent
keyword saves of one persona stored a keyword several times. A save now locks the row
first (`lock`: `SELECT ... FOR UPDATE` on PostgreSQL, the write lock on SQLite),
so concurrent saves run one after the other on fresh data; then `check` compares the
counter the client saw, if it sent one, and `bump` moves it on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from planner.errors import Conflict


class StaleVersion(Conflict):
    """The row changed since the client read it; `details` says to what and by whom.

    A 409; the API answers 412 instead when the expectation came in `If-Match`.
    """

    code = "stale"

    def __init__(
        self,
        what: str,
        field: str,
        current: int,
        changed_by: str | None,
        changed_at: datetime | None,
    ) -> None:
        who = changed_by or "someone else"
        super().__init__(
            f"This {what} was changed by {who} since you read it "
            f"({field} {current} now); reload it and apply your change again.",
            {
                field: current,
                "changed_by": changed_by,
                "changed_at": changed_at.isoformat() if changed_at else None,
            },
        )
        self.what = what
        self.field = field
        self.current = current
        self.changed_by = changed_by
        self.changed_at = changed_at


def lock(session: Session, row: Any) -> None:
    """Reload the row under a write lock, so what the save builds on is the latest commit.

    SQLite has no row locks and pysqlite opens the write transaction only at the first
    UPDATE, after the check; `BEGIN IMMEDIATE` takes the database's write lock first.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if driver is not None and not driver.in_transaction:
            driver.execute("BEGIN IMMEDIATE")
    session.refresh(row, with_for_update=True)


def check(row: Any, expected: int | None, *, what: str, field: str = "version") -> None:
    """Refuse the save when the client read another counter than the stored one."""
    if expected is None:
        return
    current = getattr(row, field)
    if expected != current:
        user = getattr(row, "updated_by", None)
        raise StaleVersion(what, field, current, user.email if user else None, row.updated_at)


def bump(row: Any, user_id: int | None, *, field: str = "version") -> None:
    """Count one more change, made by that user."""
    setattr(row, field, (getattr(row, field) or 1) + 1)
    row.updated_by_id = user_id
