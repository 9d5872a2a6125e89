"""Coaching pages. Each asks `access` who may see what; strangers get 404."""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms_coaching import access
from lms_coaching.forms import (
    AttachmentForm,
    CoachingSessionForm,
    GoalReviewForm,
    NextStepFormSet,
)
from lms_coaching.models import Attachment, CoachingSession, Goal, NextStep
from lms_coaching.records import mark_step, review_goal, save_session
from lms_coaching.rollup import by_group, rollup
from sdk import nav_context, serve_private, staff_role

PER_PAGE = 20


def _page(request: HttpRequest, sessions):
    return Paginator(
        sessions.select_related("coach", "coachee", "cohort"), PER_PAGE
    ).get_page(request.GET.get("page"))


def open_steps(user, sessions):
    """The user's next steps not done yet in `sessions`, soonest first."""
    return NextStep.objects.filter(
        session__in=sessions, done_at__isnull=True
    ).select_related("session")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Everything of coaching the signed-in person is part of, in any group."""
    sessions = access.sessions_of(request.user, request)
    return render(
        request,
        "lms_coaching/mine.html",
        {
            "items": _page(request, sessions),
            "steps": open_steps(request.user, sessions)[:10],
        },
    )


@login_required
def group(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The group's coaching tab: a coach's own log, a coachee's own sessions,
    and the de-identified numbers for leads."""
    cohort, found = access.cohort_for(request.user, cohort_id, request)
    mine_here = access.sessions_of(request.user, request).filter(cohort=cohort)
    context = {
        **nav_context(cohort, request.user, staff_role(found)),
        "tab_page": True,
        "coaches": staff_role(found),
        "items": _page(request, mine_here),
        "steps": open_steps(request.user, mine_here)[:10],
        "open_goals": Goal.objects.filter(
            session__in=mine_here.filter(coachee=request.user),
            status=Goal.Status.OPEN,
        ),
    }
    if access.reads_group_rollup(request.user, cohort, found):
        context["rollup"] = rollup(CoachingSession.objects.filter(cohort=cohort))
    return render(request, "lms_coaching/group.html", context)


def _session_form(request, cohort, instance=None):
    """The form and its next steps, bound on POST, in the group's time zone."""
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    form = CoachingSessionForm(
        *data, instance=instance, cohort=cohort, coach=request.user
    )
    steps = NextStepFormSet(
        *data, instance=instance or CoachingSession(), prefix="steps"
    )
    return form, steps


def _edit(request, cohort, found, instance=None):
    if not staff_role(found) and instance is None:
        raise PermissionDenied(_("Only the group's coaches log coaching sessions."))
    with timezone.override(ZoneInfo(cohort.time_zone)):
        form, steps = _session_form(request, cohort, instance)
        if request.method == "POST" and form.is_valid() and steps.is_valid():
            session = save_session(form, steps, cohort, request.user)
            messages.success(request, _("Coaching session saved."))
            return redirect("coaching:session", session.pk)
        response = render(
            request,
            "lms_coaching/session_form.html",
            {
                **nav_context(cohort, request.user, True),
                "tab_page": True,
                "form": form,
                "steps": steps,
                "object": instance,
            },
        )
    if request.method == "POST":
        response.status_code = 400
    return response


@login_required
def log_session(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort, found = access.cohort_for(request.user, cohort_id, request)
    return _edit(request, cohort, found)


def _coached_by(request: HttpRequest, session_id: int) -> CoachingSession:
    """The session if the signed-in person coached it; 404 to the coachee too."""
    session = access.session_for(request.user, session_id, request)
    if not access.sees_private(request.user, session):
        raise PermissionDenied(_("Only the coach who logged this session changes it."))
    return session


@login_required
def edit_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _coached_by(request, session_id)
    return _edit(request, session.cohort, None, session)


@login_required
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access.session_for(request.user, session_id, request)
    coach_view = access.sees_private(request.user, session)
    return _session_page(
        request, session, AttachmentForm() if coach_view else None, coach_view
    )


def _session_page(request, session, attachment_form, coach_view, status=200):
    if session.coachee_id:
        same_partner = Q(session__coachee=session.coachee)
    elif session.organisation_id:  # whatever case the name was typed in
        same_partner = Q(session__organisation=session.organisation_id)
    else:  # its organisation was deleted since
        same_partner = Q(session__organisation_name=session.organisation_name)
    context = {
        "object": session,
        "coach_view": coach_view,
        "goals": session.goals.all(),
        "earlier_goals": Goal.objects.filter(
            same_partner,
            session__cohort=session.cohort_id,
            session__coach=session.coach_id,
            status=Goal.Status.OPEN,
        ).exclude(session=session)
        if coach_view
        else [],
        "steps": session.next_steps.all(),
        "topics": session.topics.all(),
        "attachments": access.attachments_for(request.user, session),
        "attachment_form": attachment_form,
        "goal_statuses": Goal.Status.choices,
    }
    return render(request, "lms_coaching/session.html", context, status=status)


@login_required
@require_POST
def add_attachment(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _coached_by(request, session_id)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _session_page(request, session, form, True, status=400)
    attachment = form.save(commit=False)
    attachment.session = session
    attachment.save()
    messages.success(request, _("Attachment added."))
    return redirect("coaching:session", session.pk)


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """The file, to the coach, or to the coachee when it is shared; else 404."""
    found = get_object_or_404(
        Attachment.objects.filter(
            session__in=access.sessions_of(request.user, request)
        ),
        pk=attachment_id,
    )
    if found not in access.attachments_for(request.user, found.session):
        raise PermissionDenied  # the coachee asking for a private one
    return serve_private(found.file)


@login_required
def delete_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _coached_by(request, session_id)
    if request.method == "POST":
        cohort_id = session.cohort_id
        session.delete()
        messages.success(request, _("Coaching session deleted."))
        return redirect("coaching:group", cohort_id)
    return render(request, "lms_coaching/delete.html", {"object": session})


@login_required
@require_POST
def goal_review(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = get_object_or_404(Goal.objects.select_related("session"), pk=goal_id)
    _coached_by(request, goal.session_id)
    form = GoalReviewForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose met, not met or working on it."))
    review_goal(goal, form.cleaned_data["status"])
    # Earlier goals are reviewed from a later session's page: go back there.
    return redirect("coaching:session", form.cleaned_data["from"] or goal.session_id)


@login_required
@require_POST
def step_done(request: HttpRequest, step_id: int) -> HttpResponse:
    """Coach or coachee ticks a next step off (or back on)."""
    step = get_object_or_404(
        NextStep.objects.filter(
            session__in=access.sessions_of(request.user, request)
        ).select_related("session__cohort"),
        pk=step_id,
    )
    mark_step(step, request.POST.get("done") == "1")
    if request.POST.get("next") == "mine":
        return redirect("coaching:mine")
    return redirect("coaching:session", step.session_id)


@login_required
def program_rollup(request: HttpRequest) -> HttpResponse:
    """Coaching in the groups of the programs the visitor leads, in numbers."""
    if not access.reads_rollups(request.user):
        raise PermissionDenied(_("Coaching numbers are for program leads."))
    sessions = access.rollup_sessions(request.user)
    return render(
        request,
        "lms_coaching/rollup.html",
        {"total": rollup(sessions), "cohorts": by_group(sessions)},
    )
