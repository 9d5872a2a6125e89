from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from cohorts import dashboard, permissions
from cohorts.forms import JoinByEmailForm
from cohorts.membership import (
    JoinError,
    account_for_email,
    join,
    leave,
    read_join_token,
    send_join_link,
)
from cohorts.models import (
    CURRENT_MEMBER_STATUSES,
    RSVP,
    Attendance,
    CatalogueIndexPage,
    CohortPage,
    Membership,
    Session,
)
from cohorts.notifications import send_nudge
from cohorts.reports import attendance_grid
from cohorts.rsvp import RSVPError, respond
from cohorts.space import has_finished, nav_context
from lms.events import AttendanceRecorded, emit
from lms.panels import render_panels

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


def _live_session(session_id: int) -> Session:
    return get_object_or_404(
        Session.objects.select_related("cohort"), pk=session_id, cohort__live=True
    )


@login_required
@require_POST
def rsvp(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _live_session(session_id)
    if not permissions.can_rsvp(request.user, session):
        raise PermissionDenied(_("Join this group to answer for its sessions."))
    try:
        result = respond(session, request.user, request.POST.get("answer", ""))
    except RSVPError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, RSVP_MESSAGES[result.status])
    return redirect(session.cohort.url + f"#session-{session.pk}")


@login_required
@require_POST
def join_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    goal = request.POST.get("goal", "").strip()[:2000]
    join_and_tell(request, cohort, request.user, goal)
    return redirect(cohort.url)


def join_and_tell(request: HttpRequest, cohort: CohortPage, user, goal: str) -> None:
    """Join, then tell the person whether they are in or on the waiting list."""
    try:
        membership = join(cohort, user, goal)
    except JoinError as error:
        messages.error(request, str(error))
        return
    if membership.status == Membership.Status.WAITLISTED:
        messages.info(request, _("This group is full; you are on its waiting list."))
    else:
        messages.success(
            request, _("Welcome! You have joined %(title)s.") % {"title": cohort.title}
        )


@login_required
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """A phone-sized register: one row per participant, three choices each."""
    session = _live_session(session_id)
    if not permissions.can_facilitate(request.user, session.cohort):
        raise PermissionDenied(_("Only this group's facilitators take attendance."))
    members = list(
        Membership.objects.filter(
            cohort=session.cohort,
            role=Membership.Role.PARTICIPANT,
            status__in=CURRENT_MEMBER_STATUSES,
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    if request.method == "POST":
        valid = set(Attendance.Status.values)
        records = [
            Attendance(
                session=session,
                user=member.user,
                status=request.POST[f"member-{member.user_id}"],
                recorded_by=request.user,
            )
            for member in members
            if request.POST.get(f"member-{member.user_id}") in valid
        ]
        with transaction.atomic():
            # One upsert: two facilitators saving at once cannot duplicate rows.
            Attendance.objects.bulk_create(
                records,
                update_conflicts=True,
                unique_fields=["session", "user"],
                update_fields=["status", "recorded_by", "recorded_at"],
            )
            dashboard.standing_changed(session.cohort_id)
            for record in records:
                emit(
                    AttendanceRecorded(
                        session_id=session.pk,
                        user_id=record.user_id,
                        status=record.status,
                    )
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
        "cohorts/attendance.html",
        {
            "session": session,
            "rows": rows,
            "statuses": Attendance.Status.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def join_by_email(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Sign up with a name and e-mail; a magic link confirms and creates the account."""
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    if not cohort.signup_open:
        messages.error(request, _("Sign-up for this group is closed."))
        return redirect(cohort.url)
    form = JoinByEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        send_join_link(
            cohort,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            goal=form.cleaned_data["goal"],
            language=request.LANGUAGE_CODE,
        )
        return render(request, "cohorts/check_inbox.html", {"cohort": cohort})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "cohorts/join_by_email.html",
        {"cohort": cohort, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def confirm_join(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST acts: mail scanners follow links but never post."""
    payload = read_join_token(token)
    cohort = payload and CohortPage.objects.live().filter(pk=payload["c"]).first()
    if not cohort:
        catalogue = CatalogueIndexPage.objects.live().first()
        return render(
            request,
            "bad_link.html",
            {
                "retry_url": catalogue.url if catalogue else "/",
                "retry_label": _("Find the group again"),
            },
            status=400,
        )
    if request.method == "GET":
        return render(
            request,
            "cohorts/confirm_join.html",
            {"cohort": cohort, "email": payload["e"]},
        )
    user = account_for_email(payload["e"], payload["n"])
    join_and_tell(request, cohort, user, payload["g"])
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(cohort.url)


@login_required
@require_http_methods(["GET", "POST"])
def leave_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Leaving asks first; the place goes to the next person waiting."""
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    membership = permissions.own_membership(request.user, cohort)
    if membership is None:
        messages.info(request, _("You are not in this group."))
        return redirect(cohort.url)
    if request.method == "GET":
        return render(request, "cohorts/leave.html", {"cohort": cohort})
    leave(membership)
    messages.success(
        request,
        _("You have left %(title)s. You can join again while sign-up is open.")
        % {"title": cohort.title},
    )
    return redirect(cohort.url)


@login_required
@require_POST
def wrap_up(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """At the end, a participant says whether they met the goal they set."""
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    membership = permissions.membership(request.user, cohort)
    if membership is None or not has_finished(cohort):
        raise PermissionDenied(_("The wrap-up opens after the last session."))
    answer = request.POST.get("goal_met", "")
    if answer not in {"yes", "no"}:
        messages.error(request, _("Choose yes or no."))
        return redirect(cohort.url + "#wrap-up")
    Membership.objects.filter(pk=membership.pk).update(
        goal_met=answer == "yes",
        goal_reflection=request.POST.get("reflection", "").strip()[:2000],
        status=Membership.Status.COMPLETED,
    )
    messages.success(request, _("Thank you for telling us how it went."))
    return redirect(cohort.url)


@login_required
def attendance_report(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Members x past sessions, with totals per member and per session."""
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    if not permissions.can_facilitate(request.user, cohort):
        raise PermissionDenied(_("Only this group's facilitators see attendance."))
    context = nav_context(cohort, request.user, facilitating=True)
    context.update(
        cohort=cohort, attendance_grid_page=True, report=attendance_grid(cohort)
    )
    return render(request, "cohorts/attendance_report.html", context)


def _facilitated_cohort(request: HttpRequest, cohort_id: int) -> CohortPage:
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    if not permissions.can_facilitate(request.user, cohort):
        raise PermissionDenied(_("Only this group's facilitators see its dashboard."))
    return cohort


@login_required
def facilitator_dashboard(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Attendance, progress and who may need a word, for the people running it."""
    cohort = _facilitated_cohort(request, cohort_id)
    context = nav_context(cohort, request.user, facilitating=True)
    context.update(
        dashboard_page=True,
        dashboard=dashboard.facilitator_dashboard(cohort, request.GET.get("page")),
        panels=render_panels(request, cohort, plugins=cohort.plugins),
    )
    return render(request, "cohorts/dashboard.html", context)


@login_required
@require_POST
def nudge(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """A check-in e-mail to the participant whose button was pressed."""
    cohort = _facilitated_cohort(request, cohort_id)
    user_id = request.POST.get("user", "")
    if not user_id.isdigit():
        return HttpResponseBadRequest(_("Choose whom to send a check-in to."))
    member = get_object_or_404(
        Membership.objects.select_related("user"),
        cohort=cohort,
        user_id=user_id,
        status=Membership.Status.ACTIVE,
    ).user
    name = member.get_full_name() or member.email
    if send_nudge(cohort, member, request.user):
        messages.success(
            request, _("A check-in e-mail went to %(name)s.") % {"name": name}
        )
    else:
        messages.info(
            request,
            _("%(name)s already got a check-in today.") % {"name": name},
        )
    return redirect("cohorts:dashboard", cohort_id=cohort.pk)
