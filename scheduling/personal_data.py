"""Scheduling's part of a person's data: their answers and attendance in the
download (`cohorts.personal_data.export_sections`), and their seats given up
before erasure (`erase_steps`), added in SchedulingConfig.ready()."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from scheduling.models import RSVP, Attendance, Session
from scheduling.rsvp import respond


def rsvps(user: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "session": rsvp.session.display_title,
            "starts": rsvp.session.starts_at,
            "answer": rsvp.status,
            "answered": rsvp.updated_at,
        }
        for rsvp in RSVP.objects.filter(user=user).select_related("session__cohort")
    ]


def attendance(user: AbstractBaseUser) -> list[dict[str, Any]]:
    return [
        {
            "session": record.session.display_title,
            "starts": record.session.starts_at,
            "attendance": record.status,
        }
        for record in Attendance.objects.filter(user=user).select_related(
            "session__cohort"
        )
    ]


def give_up_seats(user: AbstractBaseUser) -> None:
    """Seats at coming sessions go to those waiting, as if the person had
    answered "not going"."""
    going = Session.objects.filter(
        rsvps__user=user,
        rsvps__status=RSVP.Status.GOING,
        status=Session.Status.SCHEDULED,
        ends_at__gte=timezone.now(),
    )
    for session in going:
        respond(session, user, RSVP.Status.DECLINED)
