"""A person's answer to a session, and the attendance register: taken for one
session, and read as the group's grid."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cohorts import permissions
from cohorts.group_pages import nav_context
from scheduling.models import RSVP, Attendance, Session
from scheduling.permissions import can_rsvp
from scheduling.register import (
    attendance_grid,
    is_register_open,
    record_attendance,
    register_members,
)
from scheduling.rsvp import RSVPError, respond

RSVP_MESSAGES = {
    RSVP.Status.GOING: gettext_lazy(
        "You are going. The place and link are now shown to you."
    ),
    RSVP.Status.MAYBE: gettext_lazy("Saved: maybe."),
    RSVP.Status.DECLINED: gettext_lazy("Saved: not going."),
    RSVP.Status.WAITLISTED: gettext_lazy(
        "The session is full, so you are on the waiting list. We will give you "
        "a seat as soon as one frees up."
    ),
}


def _live_session(request: HttpRequest, session_id: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("cohort"), pk=session_id, cohort__live=True
    )
    permissions.check_privacy(session.cohort, request)
    return session


@login_required
@require_POST
def rsvp(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _live_session(request, session_id)
    if not can_rsvp(request.user, session):
        raise PermissionDenied(_("Join this group to answer for its sessions."))
    try:
        result = respond(session, request.user, request.POST.get("answer", ""))
    except RSVPError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, RSVP_MESSAGES[result.status])
    return redirect(session.cohort.url + f"#session-{session.pk}")


@login_required
def attendance_report(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Members x past sessions, with totals per member and per session."""
    cohort = permissions.viewable_cohort(request, cohort_id)
    if not permissions.can_facilitate(request.user, cohort):
        raise PermissionDenied(_("Only this group's facilitators see attendance."))
    context = nav_context(cohort, request.user, facilitating=True)
    context.update(
        cohort=cohort, attendance_grid_page=True, report=attendance_grid(cohort)
    )
    return render(request, "scheduling/attendance_report.html", context)


@login_required
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """A phone-sized register: one row per participant, three choices each."""
    session = _live_session(request, session_id)
    if not permissions.can_facilitate(request.user, session.cohort):
        raise PermissionDenied(_("Only this group's facilitators take attendance."))
    members = register_members(session)
    is_open = is_register_open(session)
    if request.method == "POST" and not is_open:
        messages.error(
            request,
            _(
                "Attendance is taken once the session has started, and not "
                "for a cancelled session. Nothing was saved."
            ),
        )
    elif request.method == "POST":
        valid = set(Attendance.Status.values)
        records = record_attendance(
            session,
            {
                member.user_id: request.POST[f"member-{member.user_id}"]
                for member in members
                if request.POST.get(f"member-{member.user_id}") in valid
            },
            request.user,
        )
        messages.success(
            request,
            ngettext(
                "Attendance saved for %(count)d person.",
                "Attendance saved for %(count)d people.",
                len(records),
            )
            % {"count": len(records)},
        )
        return redirect(request.path)
    recorded = dict(session.attendance.values_list("user_id", "status"))
    rows = [(member, recorded.get(member.user_id, "")) for member in members]
    return render(
        request,
        "scheduling/attendance.html",
        {
            "session": session,
            "is_open": is_open,
            "rows": rows,
            "statuses": Attendance.Status.choices,
        },
        status=400 if request.method == "POST" else 200,
    )
