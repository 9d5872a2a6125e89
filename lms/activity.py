"""Helpers for plugins answering `lms_activity`."""

from django.db.models import Max, QuerySet

from lms.hookspecs import Activity


def latest_per_person(
    rows: QuerySet, *, person: str, at: str, kind: str
) -> list[Activity]:
    """Each person's latest moment among `rows`, in one query.

    `person` names the field holding the user's id (e.g. "user" or
    "draft__author"), `at` the date-time field.
    """
    latest = rows.order_by().values(person).annotate(moment=Max(at))
    return [
        Activity(user_id=row[person], kind=kind, at=row["moment"]) for row in latest
    ]
