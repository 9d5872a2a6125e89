"""Scheduling's part of the catalogue (`cohorts.filters`): groups meeting on
a weekday or starting on or after a date, and when each next meets."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from scheduling.models import Session


def upcoming(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}starts_at__gte": timezone.now(),
            f"{prefix}status": Session.Status.SCHEDULED,
        }
    )


def meeting_on_weekday(groups: QuerySet, weekday: int) -> QuerySet:
    """Groups with a coming session on `weekday` (Monday is 1) in their zone."""
    sessions = Session.objects.filter(upcoming(), local_weekday=weekday)
    return groups.filter(pk__in=sessions.values("cohort_id"))


def meeting_from(groups: QuerySet, day: date) -> QuerySet:
    """Groups with a coming session on or after `day`."""
    sessions = Session.objects.filter(upcoming(), starts_at__date__gte=day)
    return groups.filter(pk__in=sessions.values("cohort_id"))


def next_start() -> Subquery:
    """Annotates a group with the start of its next coming session.

    A subquery per group, not MIN() over a join: an aggregate would group the
    catalogue's query (and its count) by every column of every group."""
    return Subquery(
        Session.objects.filter(upcoming(), cohort=OuterRef("pk"))
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
