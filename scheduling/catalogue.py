"""Scheduling's part of the catalogue (`cohorts.filters`): groups meeting on
a weekday or starting on or after a date, and when each next meets."""

from datetime import date

from django.db.models import Min, Q, QuerySet
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


def next_start() -> Min:
    """Annotates a group with the start of its next coming session."""
    return Min("sessions__starts_at", filter=upcoming("sessions__"))
