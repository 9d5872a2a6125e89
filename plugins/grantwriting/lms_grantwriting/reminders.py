"""Deadline reminders and feedback notices, sent by the task worker.

A deadline reminder is deferred until `reminder_hours` before the assignment
is due; when it runs it e-mails the workshop's participants who have not
submitted anything yet, unless the deadline has moved since (the move queued
its own reminder). `deliver_once` keeps re-runs and second workers from
sending anything twice.
"""

from datetime import timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django_tasks import task

from lms_grantwriting.models import Assignment, Feedback
from sdk import (
    CURRENT_MEMBER_STATUSES,
    EMAIL_QUEUE,
    Membership,
    admitted_by_privacy,
    day_and_time,
    deliver_once,
    email_language,
    email_member,
    link,
    zone_name,
)


def schedule_deadline_reminder(assignment: Assignment) -> None:
    if not remind_deadline.get_backend().supports_defer:
        return  # the core's cohorts.W001 check warns about such a backend
    hours = apps.get_app_config("grantwriting").plugin_settings["reminder_hours"]
    now = timezone.now()
    if assignment.due_at <= now:
        return
    transaction.on_commit(
        partial(
            remind_deadline.using(
                run_after=max(assignment.due_at - timedelta(hours=hours), now)
            ).enqueue,
            assignment_id=assignment.pk,
            due_at=assignment.due_at.isoformat(),
        )
    )


def still_to_submit(assignment: Assignment):
    """Current participants of the workshop with no version submitted, of
    those its page admits (its privacy settings, judged away from their
    browser); nobody while it is unpublished."""
    cohort = assignment.cohort
    if not cohort.live:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(
            admitted_by_privacy(cohort),
            memberships__cohort=assignment.cohort_id,
            memberships__role=Membership.Role.PARTICIPANT,
            memberships__status__in=CURRENT_MEMBER_STATUSES,
            is_active=True,
            session_reminders=True,
        )
        .exclude(pk__in=assignment.drafts.filter(versions_made__gt=0).values("author"))
        .order_by("pk")
    )


@task(queue_name=EMAIL_QUEUE)
def remind_deadline(assignment_id: int, due_at: str) -> int:
    assignment = (
        Assignment.objects.select_related("cohort").filter(pk=assignment_id).first()
    )
    if assignment is None or assignment.due_at.isoformat() != due_at:
        return 0
    if assignment.due_at <= timezone.now():
        return 0
    return sum(
        deliver_once(
            person,
            f"grantwriting-deadline:{assignment.pk}:{due_at}",
            partial(_deadline_email, assignment, person),
        )
        for person in still_to_submit(assignment)
    )


def _deadline_email(assignment: Assignment, person) -> None:
    cohort = assignment.cohort
    language = email_language(person, cohort)
    with translation.override(language):
        due = day_and_time(assignment.due_at.astimezone(ZoneInfo(cohort.time_zone)))
    email_member(
        "lms_grantwriting/email/deadline",
        person,
        cohort,
        {
            "assignment": assignment,
            "due": due,
            "time_zone": zone_name(cohort.time_zone),
            "assignment_url": link(
                "grantwriting:assignment", assignment.pk, language=language
            ),
        },
        language=language,
        unsubscribe=("reminders", person.pk),
    )


@task(queue_name=EMAIL_QUEUE)
def send_feedback_notice(feedback_id: int) -> int:
    feedback = (
        Feedback.objects.select_related(
            "draft__author", "draft__assignment__cohort", "author"
        )
        .filter(pk=feedback_id)
        .first()
    )
    if feedback is None:
        return 0
    person = feedback.draft.author
    cohort = feedback.draft.assignment.cohort
    language = email_language(person, cohort)

    def send() -> None:
        email_member(
            "lms_grantwriting/email/feedback",
            person,
            cohort,
            {
                "feedback": feedback,
                "assignment": feedback.draft.assignment,
                "draft_url": link(
                    "grantwriting:draft", feedback.draft_id, language=language
                ),
            },
            language=language,
        )

    return int(deliver_once(person, f"grantwriting-feedback:{feedback.pk}", send))
