"""E-mail settings (with the calendar address), unsubscribe and answer links,
and a group's announcements page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from calendars.models import CalendarFeed
from cohorts import permissions
from cohorts.group_pages import insiders_context
from cohorts.models import CURRENT_MEMBER_STATUSES, Membership
from lms.mail import absolute_url
from notifications.emails import (
    STOP_KINDS,
    post_announcement,
    read_answer_token,
    read_unsubscribe_token,
    stopped_kinds,
    unsubscribe,
)
from notifications.forms import AnnouncementForm, EmailSettingsForm
from notifications.models import Announcement
from scheduling.models import Session
from scheduling.permissions import can_rsvp
from scheduling.rsvp import ANSWER_CHOICES, RSVPError, respond
from scheduling.views import RSVP_MESSAGES

ANNOUNCEMENTS_PER_PAGE = 10


@login_required
@require_http_methods(["GET", "POST"])
def email_settings(request: HttpRequest) -> HttpResponse:
    """Calendar address and which e-mails the person gets."""
    user = request.user
    form = _email_settings_form(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user.session_reminders = form.cleaned_data["session_reminders"]
            user.save(update_fields=["session_reminders"])
            for membership in form.memberships:
                Membership.objects.filter(pk=membership.pk).update(
                    announcement_emails=form.cleaned_data[form.field_name(membership)]
                )
        messages.success(request, _("Your e-mail choices are saved."))
        return redirect("cohorts:email_settings")
    return _email_settings_page(
        request, form, status=400 if request.method == "POST" else 200
    )


def _email_settings_form(user, data=None) -> EmailSettingsForm:
    memberships = (
        Membership.objects.filter(user=user, status__in=CURRENT_MEMBER_STATUSES)
        .select_related("cohort")
        .order_by("cohort__title")
    )
    return EmailSettingsForm(
        data,
        memberships=memberships,
        initial={"session_reminders": user.session_reminders},
    )


def _email_settings_page(
    request: HttpRequest, form: EmailSettingsForm, token: str = "", status: int = 200
) -> HttpResponse:
    """The settings page; the calendar addresses are shown only with `token`,
    the secret just made (only its hash is kept)."""
    return render(
        request,
        "cohorts/email_settings.html",
        {
            "form": form,
            "has_feed": bool(token)
            or CalendarFeed.objects.filter(user=request.user).exists(),
            "feed_url": token
            and absolute_url(reverse("cohorts:calendar_feed", args=[token])),
            "cohort_feeds": token
            and [
                (
                    membership.cohort,
                    absolute_url(
                        reverse(
                            "cohorts:cohort_calendar_feed",
                            args=[token, membership.cohort_id],
                        )
                    ),
                )
                for membership in form.memberships
            ],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_address(request: HttpRequest) -> HttpResponse:
    """Create, replace or turn off the secret calendar address.

    A new address is shown in this response only: it is not stored in a form
    that can be shown again. Asked for by GET (the language switch on the
    page that showed it, a reload), this address leads to the settings.
    """
    if request.method == "GET":
        return redirect(reverse("cohorts:email_settings") + "#calendar")
    if request.POST.get("action") == "off":
        CalendarFeed.objects.filter(user=request.user).delete()
        messages.success(
            request, _("Your calendar address is turned off; it no longer works.")
        )
        return redirect(reverse("cohorts:email_settings") + "#calendar")
    token = CalendarFeed.issue(request.user)
    messages.success(
        request,
        _(
            "Your new calendar address is below. Copy it now: it is shown only "
            "once. Any old address no longer works: subscribe again with this one."
        ),
    )
    return _email_settings_page(
        request, _email_settings_form(request.user), token=token
    )


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "bad_link.html",
        {
            "retry_url": reverse("cohorts:email_settings"),
            "retry_label": _("Choose your e-mails after signing in"),
        },
        status=400,
    )


@require_http_methods(["GET", "POST"])
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks, POST stops the e-mails: no login needed."""
    found = read_unsubscribe_token(token)
    if found is None:
        return _bad_link(request)
    what, subject_id = found
    cohort = None
    if what == "announcements":
        membership = (
            Membership.objects.select_related("cohort").filter(pk=subject_id).first()
        )
        if membership is None:
            return _bad_link(request)
        cohort = membership.cohort
    elif not get_user_model().objects.filter(pk=subject_id).exists():
        return _bad_link(request)
    stop_kinds = what.startswith(STOP_KINDS)
    done = request.method == "POST" and unsubscribe(what, subject_id)
    return render(
        request,
        "cohorts/unsubscribe.html",
        {
            "what": what,
            "cohort": cohort,
            "done": done,
            "stop_kinds": stop_kinds,
            "kinds": stop_kinds and stopped_kinds(what),
        },
    )


@require_http_methods(["GET", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Change an answer from a reminder e-mail, without logging in.

    GET shows the choices; the click on one (a POST) records it, so a mail
    scanner opening the link changes nothing.
    """
    found = read_answer_token(token)
    session = found and (
        Session.objects.select_related("cohort")
        .filter(pk=found[0], cohort__live=True)
        .first()
    )
    user = (
        found and get_user_model().objects.filter(pk=found[1], is_active=True).first()
    )
    if not session or not user:
        return _bad_link(request)
    # The person is the link's; a password typed in this browser counts.
    permissions.check_privacy(session.cohort, permissions.as_request(user, request))
    if not can_rsvp(user, session):
        raise PermissionDenied(_("You are no longer in this group."))
    if request.method == "POST":
        try:
            result = respond(session, user, request.POST.get("answer", ""))
        except RSVPError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, RSVP_MESSAGES[result.status])
        return redirect(request.path)
    answer = session.rsvps.filter(user=user).values_list("status", flat=True).first()
    return render(
        request,
        "cohorts/answer_by_link.html",
        {"session": session, "answer": answer or "", "choices": ANSWER_CHOICES},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def announcements(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """A group's announcements: members read them; facilitators and leads
    write them."""
    cohort = permissions.viewable_cohort(request, cohort_id)
    context = insiders_context(
        cohort, request.user, _("Announcements are for the group's members.")
    )
    form = AnnouncementForm(request.POST or None) if context["facilitating"] else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only facilitators and leads post announcements."))
        if form.is_valid():
            post_announcement(cohort, request.user, **form.cleaned_data)
            messages.success(
                request, _("Posted. Members are being e-mailed as they chose.")
            )
            return redirect(request.path)
    page = Paginator(
        Announcement.objects.filter(cohort=cohort).select_related("author"),
        ANNOUNCEMENTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context.update(announcements_page=True, form=form, items=page)
    status = 400 if form is not None and form.errors else 200
    return TemplateResponse(
        request, "cohorts/announcements.html", context, status=status
    )
