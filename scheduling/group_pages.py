"""Scheduling's part of a group's page (`cohorts.group_pages`): its coming sessions
with the person's answer and seats, and when its last meeting ends."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Max, Q
from django.utils import timezone

from cohorts.models import CohortPage, Membership
from cohorts.permissions import may_answer
from scheduling.models import RSVP, Session
from scheduling.permissions import answers_of, sees_place
from scheduling.rsvp import ANSWER_CHOICES

UPCOMING_SHOWN = 20


@dataclass(frozen=True)
class SessionRow:
    session: Session
    going: int
    my_answer: str
    show_place: bool
    can_answer: bool
    # Attendance is taken once it has started (scheduling.register).
    register_open: bool


def session_rows(
    cohort: CohortPage, user: AbstractBaseUser, membership: Membership | None
) -> dict:
    upcoming = list(
        cohort.sessions.filter(ends_at__gte=timezone.now())
        .annotate(going=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING)))
        .prefetch_related("co_hosts")
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    answers = answers_of(user, upcoming)
    answering = may_answer(user, cohort, membership)
    now = timezone.now()
    rows = [
        SessionRow(
            session=session,
            going=session.going,
            my_answer=answers.get(session.pk, ""),
            show_place=sees_place(user, membership, answers.get(session.pk, "")),
            can_answer=answering and session.status == Session.Status.SCHEDULED,
            register_open=session.status == Session.Status.SCHEDULED
            and session.starts_at <= now,
        )
        for session in upcoming
    ]
    return {"session_rows": rows, "rsvp_choices": ANSWER_CHOICES}


def last_meeting_end(cohort: CohortPage) -> datetime | None:
    """When the group's last scheduled session ends."""
    return cohort.sessions.filter(status=Session.Status.SCHEDULED).aggregate(
        last=Max("ends_at")
    )["last"]
