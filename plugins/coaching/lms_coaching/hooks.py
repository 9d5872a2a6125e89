from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms_coaching import access
from lms_coaching.api import router
from lms_coaching.models import Attachment, CoachingSession, Goal, dashboard_panels
from lms_coaching.notices import KINDS
from lms_coaching.rollup import Rollup, by_group, rollup
from lms_coaching.views import open_steps
from sdk import (
    CalendarItem,
    Measure,
    OrganisationWork,
    Panel,
    Report,
    Tab,
    display_name,
    groups_using_plugin,
    hookimpl,
    latest_per_person,
)

STEPS_ON_PANEL = 5


@hookimpl
def lms_cohort_tabs(cohort, user):
    if not user.is_authenticated:
        return []
    return [Tab(label=_("Coaching"), url=reverse("coaching:group", args=[cohort.pk]))]


@hookimpl
def lms_dashboard_panels(user, cohort, request):
    if not user.is_authenticated:
        return []

    def context():
        sessions = access.sessions_of(user)
        if cohort is not None:
            sessions = sessions.filter(cohort=cohort)
        else:
            # My learning: only the groups that use coaching now.
            sessions = sessions.filter(
                cohort__in=groups_using_plugin(user, access.LABEL)
            )
        # The panel shows the steps alone, not their sessions.
        steps = open_steps(user, sessions).select_related(None)
        return {"steps": list(steps.only("text", "due_on", "done_at")[:STEPS_ON_PANEL])}

    return [
        Panel(
            title=_("Coaching: next steps"),
            template="lms_coaching/panel.html",
            context=context,
            cache=dashboard_panels,
            cache_key=f"{user.pk}:{cohort.pk if cohort else ''}",
            cache_scope=str(user.pk),
        )
    ]


def _partner(session: CoachingSession, user) -> str:
    if session.coach_id == user.pk:
        return (
            display_name(session.coachee)
            if session.coachee
            else session.organisation_name
        )
    return display_name(session.coach) if session.coach else ""


@hookimpl
def lms_calendar_events(user):
    sessions = access.sessions_of(user).select_related("coach", "coachee")
    return [
        CalendarItem(
            uid=f"coaching-{session.pk}@learning-commons",
            title=_("Coaching: %(with)s") % {"with": _partner(session, user)},
            start=session.held_at,
            end=session.held_at + timedelta(minutes=session.minutes),
            url=reverse("coaching:session", args=[session.pk]),
            sequence=session.sequence,
            cohort_id=session.cohort_id,
        )
        for session in sessions
    ]


@hookimpl
def lms_activity(cohort, since):
    held = CoachingSession.objects.filter(
        held_at__gte=since, held_at__lte=timezone.now(), coachee__isnull=False
    )
    if cohort is not None:
        held = held.filter(cohort=cohort)
    return latest_per_person(held, person="coachee", at="held_at", kind="coaching")


@hookimpl
def lms_measures(program, period):
    if program is None:  # only the keys and labels are asked for
        numbers, groups = Rollup(), []
    else:
        sessions = CoachingSession.objects.filter(cohort__program=program)
        if period is not None:
            sessions = period.filter(sessions, "held_at")
        numbers, groups = rollup(sessions), by_group(sessions)
    return [
        Measure(
            key="coaching.hours",
            label=_("Coaching hours"),
            value=numbers.hours,
            unit=_("hours"),
            by_group={group.cohort_id: group.hours for group in groups},
            adds_up=True,
        ),
        Measure(
            key="coaching.goals_met",
            label=_("Coaching goals met"),
            value=numbers.goals_met,
            unit=_("goals"),
            by_group={group.cohort_id: group.goals_met for group in groups},
            adds_up=True,
        ),
    ]


@hookimpl
def lms_organisation_work(organisation_ids, period):
    """Coaching sessions held with each organisation (counted only: what
    was said in them stays between coach and coachee)."""
    sessions = CoachingSession.objects.filter(organisation__in=organisation_ids)
    if period is not None:
        sessions = period.filter(sessions, "held_at")
    counts = sessions.values_list("organisation").annotate(n=Count("pk")).order_by()
    return [
        OrganisationWork(
            key="coaching.sessions",
            label=_("Coaching sessions"),
            counts=dict(counts),
        )
    ]


@hookimpl
def lms_reports(cohort):
    """One row per session with no names and no note text."""
    sessions = (
        CoachingSession.objects.filter(cohort=cohort)
        .annotate(
            goals_set=Count("goals", distinct=True),
            goals_met=Count(
                "goals", filter=Q(goals__status=Goal.Status.MET), distinct=True
            ),
            steps=Count("next_steps", distinct=True),
        )
        .prefetch_related("topics")
        .order_by("held_at")
    )
    rows = [
        [
            session.held_at.date().isoformat(),
            session.minutes,
            session.get_format_display(),
            ", ".join(topic.name for topic in session.topics.all()),
            session.goals_set,
            session.goals_met,
            session.steps,
        ]
        for session in sessions
    ]
    columns = [
        _("date"),
        _("minutes"),
        _("format"),
        _("topics"),
        _("goals set"),
        _("goals met"),
        _("next steps"),
    ]
    return [Report(name=_("Coaching sessions"), columns=columns, rows=rows)]


@hookimpl
def lms_export_user_data(user):
    """The coachee gets what was shared with them; the coach what they logged,
    without notes: notes are about another person, and private ones are
    never exported."""
    received = (
        CoachingSession.objects.filter(coachee=user)
        .select_related("coach")
        .prefetch_related("topics", "goals", "next_steps", "attachments")
    )
    given = CoachingSession.objects.filter(coach=user).prefetch_related("topics")
    return {
        "coaching_received": [
            {
                **_facts(session),
                "coach": display_name(session.coach) if session.coach else "",
                "notes": session.shared_notes,
                "goals": [
                    {"goal": goal.text, "status": goal.status}
                    for goal in session.goals.all()
                ],
                "next_steps": [
                    {
                        "step": step.text,
                        "due": step.due_on.isoformat(),
                        "done": step.done_at is not None,
                    }
                    for step in session.next_steps.all()
                ],
                # Core puts each file itself in the person's download.
                "attachments": [
                    {"title": attachment.title, "file": attachment.file}
                    for attachment in session.attachments.all()
                    if attachment.shared
                ],
            }
            for session in received
        ],
        "coaching_given": [_facts(session) for session in given],
    }


def _facts(session: CoachingSession) -> dict:
    return {
        "date": session.held_at.isoformat(),
        "minutes": session.minutes,
        "format": session.format,
        "topics": [topic.name for topic in session.topics.all()],
    }


@hookimpl
def lms_erase_user_data(user):
    # Sessions about the person go; those they coached lose the coach and
    # everything only the coach could see, so coachees keep what was shared.
    # Deleting through querysets still sends post_delete, which removes files.
    CoachingSession.objects.filter(coachee=user).delete()
    Attachment.objects.filter(session__coach=user, shared=False).delete()
    CoachingSession.objects.filter(coach=user).update(coach=None, private_notes="")
    dashboard_panels.invalidate_scope(str(user.pk))


@hookimpl
def lms_notification_kinds():
    return KINDS


@hookimpl
def lms_api_routes():
    return router
