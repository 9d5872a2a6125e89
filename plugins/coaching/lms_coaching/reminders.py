"""Follow-up reminders for agreed next steps, sent by the task worker.

One task per step and due date, deferred until `reminder_days` before it at
9:00 in the group's time zone. A task whose step has since been done, moved
or deleted sends nothing (a move queues its own), and `deliver_once` keeps a
second worker or a re-run from sending twice.
"""

from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from lms_coaching.models import NextStep
from sdk import (
    EMAIL_QUEUE,
    admitted_by_privacy,
    day,
    deliver_once,
    email_language,
    email_member,
    link,
)

REMIND_AT = time(9, 0)


def reminder_time(step: NextStep) -> datetime:
    days = apps.get_app_config("coaching").plugin_settings["reminder_days"]
    zone = ZoneInfo(step.session.cohort.time_zone)
    return datetime.combine(step.due_on - timedelta(days=days), REMIND_AT, zone)


def schedule_follow_up(step: NextStep) -> None:
    """Queue the step's reminder once the current transaction commits."""
    if not remind_next_step.get_backend().supports_defer:
        return  # the core's cohorts.W001 check warns about such a backend
    zone = ZoneInfo(step.session.cohort.time_zone)
    now = timezone.now()
    if step.done_at is not None or step.due_on < now.astimezone(zone).date():
        return
    transaction.on_commit(
        partial(
            remind_next_step.using(run_after=max(reminder_time(step), now)).enqueue,
            step_id=step.pk,
            due_on=step.due_on.isoformat(),
        )
    )


@task(queue_name=EMAIL_QUEUE)
def remind_next_step(step_id: int, due_on: str) -> int:
    """E-mail the coach and the coachee about an open step; how many were sent."""
    step = (
        NextStep.objects.select_related("session__cohort")
        .filter(pk=step_id, done_at__isnull=True)
        .first()
    )
    if step is None or step.due_on.isoformat() != due_on:
        return 0
    # Only those the group's page admits (away from their browser), as its
    # session page does: nobody while it is unpublished.
    session = step.session
    if not session.cohort.live:
        return 0
    people = get_user_model().objects.filter(
        admitted_by_privacy(session.cohort),
        pk__in=[pk for pk in (session.coach_id, session.coachee_id) if pk],
        is_active=True,
        session_reminders=True,
    )
    return sum(
        deliver_once(
            person, f"coaching-step:{step.pk}:{due_on}", partial(_email, step, person)
        )
        for person in people
    )


def _email(step: NextStep, person: AbstractBaseUser) -> None:
    cohort = step.session.cohort
    language = email_language(person, cohort)
    with translation.override(language):
        due = day(step.due_on)
    email_member(
        "lms_coaching/email/next_step",
        person,
        cohort,
        {
            "step": step,
            "due": due,
            "session_url": link("coaching:session", step.session_id, language=language),
        },
        language=language,
        unsubscribe=("reminders", person.pk),
    )
