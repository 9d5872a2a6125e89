"""How scheduling reacts to what the groups domain announces (connected in
SchedulingConfig.ready())."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from icalendar import vRecur

from cohorts.models import CohortPage, Membership
from scheduling.models import Session, SessionSeries
from scheduling.rsvp import withdraw
from scheduling.sessions import sync_series


def membership_left(sender, membership: Membership, **kwargs) -> None:
    """A member left: their answers to the group's coming sessions are
    cancelled, their seats going to those waiting. Runs inside `leave`'s
    transaction, which holds the group's lock."""
    withdraw(membership.cohort, membership.user)


def membership_lapsed(
    sender, cohort: CohortPage, user: AbstractBaseUser, **kwargs
) -> None:
    """Nobody outside a group keeps a seat at its sessions."""
    withdraw(cohort, user)


def term_copied(
    sender,
    cohort: CohortPage,
    source: CohortPage,
    moved: Callable[[datetime], datetime],
    shift: timedelta,
    **kwargs,
) -> None:
    """The new term (`cohort`) meets as the old one (`source`) did, moved to
    its dates: each repeating series with its rule, and each single meeting
    still scheduled. Skipped dates are left out: holidays differ from term
    to term."""
    for series in source.session_series.all():
        copy = SessionSeries.objects.create(
            cohort=cohort,
            title=series.title,
            first_start=moved(series.first_start),
            duration_minutes=series.duration_minutes,
            rrule=_moved_rule(series.rrule, shift),
            location_name=series.location_name,
            address=series.address,
            online_url=series.online_url,
            capacity=series.capacity,
        )
        sync_series(copy)
    for session in source.sessions.filter(
        series__isnull=True, status=Session.Status.SCHEDULED
    ):
        Session.objects.create(
            cohort=cohort,
            title=session.title,
            starts_at=moved(session.starts_at),
            ends_at=moved(session.ends_at),
            location_name=session.location_name,
            address=session.address,
            online_url=session.online_url,
            capacity=session.capacity,
        )


def _moved_rule(rule: str, shift: timedelta) -> str:
    """The same rule; an end date (UNTIL) moves with the term."""
    recur = vRecur.from_ical(rule)
    if "UNTIL" in recur:
        recur["UNTIL"] = [until + shift for until in recur["UNTIL"]]
    return recur.to_ical().decode()
