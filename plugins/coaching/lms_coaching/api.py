"""Coaching in the site's API (`/api/v1/p/coaching/`): a person's coaching
sessions, as coach or as coachee, with the same rules as the session page
(`access`): the coachee never sees the private notes. The coach's private
notes are their own writing, read with any token of theirs; a youth
coachee's full name only with the coach's staff rights."""

from datetime import date, datetime

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from lms_coaching import access
from lms_coaching.models import CoachingSession, Goal, NextStep
from sdk import display_name, shown_name
from sdk.api import (
    LIST_PROBLEMS,
    PERSON,
    PERSON_PROBLEMS,
    Field,
    Pages,
    Router,
    Schema,
    ShapedPages,
    answers,
    paginate,
    staff_rights,
)

router = Router(tags=["coaching"], auth=PERSON)


class GoalOut(Schema):
    text: str
    status: str


class NextStepOut(Schema):
    text: str
    due_on: date
    done: bool


class CoachingSessionOut(Schema):
    id: int
    group_id: int
    role: str = Field(description="The caller's part in it: coach or coachee.")
    coach: str
    coached: str = Field(description="The person coached, or the organisation.")
    held_at: datetime
    minutes: int
    format: str
    topics: list[str]
    shared_notes: str
    private_notes: str | None = Field(description="The coach's only; None to others.")
    goals: list[GoalOut]
    next_steps: list[NextStepOut]


def _shaped(session: CoachingSession, person, running: bool) -> CoachingSessionOut:
    coach_view = access.sees_private(person, session)
    return CoachingSessionOut(
        id=session.pk,
        group_id=session.cohort_id,
        role="coach" if coach_view else "coachee",
        coach=display_name(session.coach) if session.coach else "",
        coached=shown_name(session.coachee, session.cohort, to_staff=running)
        if session.coachee
        else session.organisation_name,
        held_at=session.held_at,
        minutes=session.minutes,
        format=session.format,
        topics=[topic.name for topic in session.topics.all()],
        shared_notes=session.shared_notes,
        private_notes=session.private_notes if coach_view else None,
        goals=[GoalOut(text=g.text, status=g.status) for g in session.goals.all()],
        next_steps=[
            NextStepOut(
                text=step.text, due_on=step.due_on, done=step.done_at is not None
            )
            for step in session.next_steps.all()
        ],
    )


def _sessions(request):
    return (
        access.sessions_of(request.user, request)
        .select_related("cohort", "coach", "coachee")
        .prefetch_related(
            "topics",
            Prefetch("goals", Goal.objects.order_by("pk")),
            Prefetch("next_steps", NextStep.objects.order_by("due_on", "pk")),
        )
    )


@router.get(
    "/sessions",
    response=answers(list[CoachingSessionOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
)
@paginate(Pages)
def sessions(request):
    """The person's coaching sessions, latest first: those they coached
    (with their private notes) and those they were coached in."""
    return ShapedPages(
        _sessions(request).order_by("-held_at", "-pk"),
        lambda page: [
            _shaped(session, request.user, staff_rights(request)) for session in page
        ],
    )


@router.get(
    "/sessions/{session_id}",
    response=answers(CoachingSessionOut, *PERSON_PROBLEMS, 404),
)
def session(request, session_id: int):
    """One of the person's coaching sessions; anyone else's is not found."""
    found = get_object_or_404(_sessions(request), pk=session_id)
    return _shaped(found, request.user, staff_rights(request))
