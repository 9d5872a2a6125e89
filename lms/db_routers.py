"""Reports read from a read replica when there is one (DATABASE_REPLICA_URL).

A replica lags its primary by a moment, so only reads that can bear that go
there: the report pages and downloads of facilitators and leads, whose
sums over thousands of rows would otherwise compete with everyone's pages
on the primary. They ask for it around the report's making only
(`replica_reads()`), after the permission checks, which read the primary: a
person whose role was just taken away is refused at once. Writes always go
to the primary, as does everything else.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica, when one is configured."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


class ReportsFromReplica:
    """Installed by the settings when DATABASE_REPLICA_URL is set."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_reports.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Even for a row read from the replica.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two connections to it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # the replica copies the primary
