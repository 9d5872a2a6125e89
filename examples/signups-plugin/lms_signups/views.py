from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms_signups.forms import JobActionForm, JobForm
from lms_signups.models import Job, Signup, upcoming
from sdk import Session, first_error, nav_context, plugin_space, staff_role

LABEL = "signups"


def sessions_on_sheet(group) -> list:
    shown = apps.get_app_config(LABEL).plugin_settings["sessions_on_sheet"]
    return list(
        upcoming(Session.objects.filter(cohort=group)).order_by("starts_at")[:shown]
    )


@login_required
def sheet(request, cohort_id):
    """The group's sign-up sheet: its next sessions and their jobs. Members
    take and release jobs; facilitators add and remove them."""
    group, membership = plugin_space(request.user, cohort_id, LABEL, request)
    facilitating = staff_role(membership)
    sessions = sessions_on_sheet(group)
    data = request.POST if request.method == "POST" else None
    form = JobForm(data, sessions=sessions)
    if request.method == "POST":
        if not facilitating:
            raise PermissionDenied
        if form.is_valid():
            Job.objects.create(**form.cleaned_data)
            messages.success(request, _("The job is on the sheet."))
            return redirect("signups:sheet", group.pk)
    people = Prefetch("signups", queryset=Signup.objects.select_related("user"))
    jobs = Job.objects.filter(session__in=sessions).prefetch_related(people)
    for session in sessions:
        session.jobs = [job for job in jobs if job.session_id == session.pk]
        for job in session.jobs:
            job.mine = any(
                signup.user_id == request.user.pk for signup in job.signups.all()
            )
            job.open = len(job.signups.all()) < job.places
    context = {
        **nav_context(group, request.user, facilitating),
        "tab_page": True,
        "sessions": sessions,
        "form": form if facilitating else None,
    }
    return render(request, "lms_signups/sheet.html", context)


@login_required
@require_POST
def job_action(request, cohort_id):
    """One button on the sheet; every answer goes back to the sheet with a message."""
    group, membership = plugin_space(request.user, cohort_id, LABEL, request)
    back = redirect("signups:sheet", group.pk)
    form = JobActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return back
    job = Job.objects.filter(
        pk=form.cleaned_data["job"],
        session__in=upcoming(Session.objects.filter(cohort=group)),
    ).first()
    if job is None:
        messages.error(request, _("That job is no longer on the sheet."))
        return back
    action = form.cleaned_data["action"]
    if action == "take":
        problem = job.take(request.user)
        if problem:
            messages.error(request, problem)
        else:
            messages.success(request, _("Thank you: the job is yours."))
    elif action == "release":
        if job.release(request.user):
            messages.success(
                request, _("You are off the job; someone else can take it.")
            )
    else:
        if not staff_role(membership):
            raise PermissionDenied
        job.delete()
        messages.success(request, _("The job is off the sheet."))
    return back
