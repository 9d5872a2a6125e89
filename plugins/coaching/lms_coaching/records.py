"""Writing coaching records: the views and the demo go through these."""

from django.db import transaction
from django.utils import timezone

from lms_coaching.forms import CoachingSessionForm, NextStepFormSet
from lms_coaching.models import (
    CoachingSession,
    Goal,
    NextStep,
    dashboard_panels,
    people,
)
from lms_coaching.notices import tell_coachee
from lms_coaching.reminders import schedule_follow_up

CALENDAR_FIELDS = {"held_at", "minutes"}


@transaction.atomic
def save_session(
    form: CoachingSessionForm, steps: NextStepFormSet, cohort, coach
) -> CoachingSession:
    """Save a logged (or edited) session, its new goals and its next steps,
    queue the follow-up reminder of every new or moved step, and tell the
    person coached of the new ones."""
    session = form.save(commit=False)
    if session.pk is None:
        session.cohort, session.coach = cohort, coach
    elif CALENDAR_FIELDS & set(form.changed_data):
        session.sequence += 1  # calendars update the event
    session.save()
    form.save_m2m()
    Goal.objects.bulk_create(Goal(session=session, text=text) for text in form.goals())
    steps.instance = session
    for step in steps.save():
        schedule_follow_up(step)
    tell_coachee(session, len(steps.new_objects))
    return session


def review_goal(goal: Goal, status: str) -> None:
    goal.status = status
    goal.reviewed_at = None if status == Goal.Status.OPEN else timezone.now()
    goal.save(update_fields=["status", "reviewed_at"])


def mark_step(step: NextStep, done: bool) -> None:
    """Done or not done again; a step reopened before its date is reminded."""
    # Conditional updates: a double click or two people at once change it once.
    steps = NextStep.objects.filter(pk=step.pk)
    if done:
        steps.filter(done_at__isnull=True).update(done_at=timezone.now())
    elif steps.filter(done_at__isnull=False).update(done_at=None):
        step.done_at = None
        schedule_follow_up(step)
    dashboard_panels.invalidate_scope(*people(step.session))  # updates send no signal
