from allauth.account.utils import perform_login
from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from wagtail.models import Locale

from cohorts import permissions
from cohorts.forms import JoinByEmailForm, JoinForm, WrapUpForm
from cohorts.group_pages import has_finished, insiders_context, visible_members
from cohorts.membership import (
    JoinError,
    account_for_email,
    join,
    leave,
    pending_join,
    record_wrap_up,
    send_join_link,
)
from cohorts.models import (
    CatalogueIndexPage,
    CohortPage,
    Membership,
)
from lms.forms import first_error
from lms.throttle import may_send_mail


@login_required
@require_POST
def join_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = permissions.viewable_cohort(request, cohort_id)
    form = JoinForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(cohort.url)
    join_and_tell(request, cohort, request.user, form.cleaned_data["goal"].strip())
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
@require_http_methods(["GET", "POST"])
def leave_cohort(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Leaving asks first; the place goes to the next person waiting. A
    member may always leave, whatever the page's privacy says now; anyone
    else is sent to the group's page only if they may see it."""
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    membership = permissions.own_membership(request.user, cohort)
    if membership is None:
        permissions.check_privacy(cohort, request)
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
    cohort = permissions.viewable_cohort(request, cohort_id)
    membership = permissions.membership(request.user, cohort)
    if membership is None or not has_finished(cohort):
        raise PermissionDenied(_("The wrap-up opens after the last session."))
    form = WrapUpForm(request.POST)
    if not form.is_valid():
        if "goal_met" in form.errors:
            messages.error(request, _("Choose yes or no."))
        else:
            messages.error(request, first_error(form))
        return redirect(cohort.url + "#wrap-up")
    record_wrap_up(
        membership,
        goal_met=form.cleaned_data["goal_met"] == "yes",
        reflection=form.cleaned_data["reflection"].strip(),
    )
    messages.success(request, _("Thank you for telling us how it went."))
    return redirect(cohort.url)


@require_http_methods(["GET", "POST"])
def join_by_email(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Sign up with a name and e-mail; a magic link confirms and creates the account."""
    cohort = permissions.viewable_cohort(request, cohort_id)
    if not cohort.signup_open:
        messages.error(request, _("Sign-up for this group is closed."))
        return redirect(cohort.url)
    form = JoinByEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if may_send_mail(request, email):
            send_join_link(
                cohort,
                name=form.cleaned_data["name"],
                email=email,
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
    """GET asks, POST acts: mail scanners follow links but never post.

    Signing in is allauth's, so its signals, checks and later stages apply.
    Spending the link, making the account, joining and signing in are one
    transaction: a request cut off halfway (the database gone) leaves the
    link usable, not spent with no account or membership to show for it.
    """
    if request.method != "POST":
        return _confirm_join(request, token)
    with transaction.atomic():
        return _confirm_join(request, token)


def _confirm_join(request: HttpRequest, token: str) -> HttpResponse:
    acting = request.method == "POST"
    if acting and (refused := consume_or_429(request, action="login")):
        return refused
    pending = pending_join(token)
    cohort = pending and CohortPage.objects.live().filter(pk=pending.cohort_id).first()
    if cohort:
        # Asked before the link is spent, so a refusal leaves it usable.
        permissions.check_privacy(cohort, request)
        if acting and not (pending := pending_join(token, use=True)):
            cohort = None
    if not cohort:
        catalogues = CatalogueIndexPage.objects.live()
        catalogue = (
            catalogues.filter(locale=Locale.get_active()).first() or catalogues.first()
        )
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
            {"cohort": cohort, "email": pending.email},
        )
    user = account_for_email(pending.email, pending.name)
    join_and_tell(request, cohort, user, pending.goal)
    return perform_login(request, user, email=pending.email, redirect_url=cohort.url)


@require_safe
def members(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Members only: who is in the group, their names as cohorts.privacy
    allows. Others get a 403 page."""
    cohort = permissions.viewable_cohort(request, cohort_id)
    context = insiders_context(cohort, request.user)
    context.update(
        members=True,
        items=visible_members(cohort, context["facilitating"], request.GET.get("page")),
    )
    return TemplateResponse(request, "cohorts/cohort_members.html", context)
