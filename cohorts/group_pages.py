"""What a cohort's page shows to whom, gathered in a fixed number of queries."""

from collections.abc import Callable
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone

from cohorts import permissions, privacy
from cohorts.forms import JoinByEmailForm
from cohorts.membership import unmet_requirement
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from lms.panels import render_panels
from lms.plugins import collect

ANNOUNCEMENTS_SHOWN = 3

# More of the group page's context from the apps above (scheduling's
# `session_rows`, the coming sessions with the person's answer and seats):
# name -> context(cohort, user, membership), added in their AppConfig.ready().
space_contexts: dict[
    str, Callable[[CohortPage, AbstractBaseUser, Membership | None], dict]
] = {}

# When a group's last meeting ends, or None without one (scheduling's
# answer): name -> ends(cohort), added in AppConfig.ready().
meetings_end: dict[str, Callable[[CohortPage], datetime | None]] = {}


def cohort_space(cohort: CohortPage, request: HttpRequest) -> dict:
    user = request.user
    own = permissions.own_membership(user, cohort)
    membership = permissions.current(own)
    facilitating = permissions.facilitates(user, membership)
    is_member = permissions.insider(user, membership)
    can_join = (
        user.is_authenticated
        and (own is None or own.status == Membership.Status.INVITED)
        and not facilitating
        and cohort.signup_open
    )
    missing = unmet_requirement(user, cohort) if can_join else ""
    context = {
        "membership": membership,
        "own_membership": own,
        "is_member": is_member,
        "facilitating": facilitating,
        "session_rows": [],
        "can_join": can_join and not missing,
        "complete_first": missing,
        "tabs": [],
        "panels": [],
        "join_form": JoinByEmailForm() if not user.is_authenticated else None,
        "resources": [
            link
            for link in cohort.resource_links.select_related("resource__document")
            if link.resource.live
        ],
        "speakers": list(cohort.speakers.select_related("photo"))
        if cohort.kind == CohortPage.Kind.SPEAKER_EVENT
        else [],
        "wrap_up": membership is not None
        and membership.role == Membership.Role.PARTICIPANT
        and has_finished(cohort),
    }
    for extra in space_contexts.values():
        context.update(extra(cohort, user, membership))
    if is_member:
        context["announcements"] = list(
            cohort.announcements.select_related("author")[:ANNOUNCEMENTS_SHOWN]
        )
        context["tabs"] = cohort_tabs(cohort, user, membership)
        context["panels"] = render_panels(request, cohort, plugins=cohort.plugins)
    return context


def insiders_context(cohort: CohortPage, user, refusal: str = "") -> dict:
    """The header's context for a page of the group's insiders (its members,
    facilitators and leads); 403, saying `refusal`, for anyone else."""
    found = permissions.membership(user, cohort)
    if not permissions.insider(user, found):
        raise PermissionDenied(refusal)
    facilitating = permissions.facilitates(user, found)
    return header_context(cohort, user, facilitating, found)


def nav_context(cohort: CohortPage, user, facilitating: bool) -> dict:
    """What a member-only page of the cohort needs for its header and tabs.

    A program lead reading a group's reports from outside it gets no tabs to
    the members' pages, which would refuse them."""
    found = permissions.membership(user, cohort)
    return header_context(cohort, user, facilitating, found)


def header_context(
    cohort: CohortPage, user, facilitating: bool, found: Membership | None
) -> dict:
    """`nav_context` for a view that has looked up the user's current
    membership already (`permissions.membership`): no query of its own
    but the plugins' tabs."""
    return {
        "page": cohort,
        "self": cohort,
        "is_member": True,
        "outsider": found is None and not facilitating,
        "facilitating": facilitating,
        "tabs": cohort_tabs(cohort, user, found),
    }


def plugin_space(
    user, cohort_id: int, label: str, request: HttpRequest | None = None
) -> tuple[CohortPage, Membership]:
    """A plugin's page inside a group's space: the live group, with plugin
    `label` switched on, and the user's current membership of it. Anyone
    outside the group gets 404, so they learn nothing about it, and so does
    anyone the group page's privacy settings refuse. Pass the browser's
    `request` from a view, so the password of a password-protected group,
    once typed, opens its plugin pages too; without it (hooks, tasks) such a
    group stays closed."""
    cohort = CohortPage.objects.live().filter(pk=cohort_id).first()
    found = permissions.membership(user, cohort) if cohort is not None else None
    if cohort is None or found is None or not cohort.uses_plugin(label):
        raise Http404
    if permissions.privacy_refuses(cohort, permissions.as_request(user, request)):
        raise Http404
    return cohort, found


def cohort_tabs(cohort: CohortPage, user, membership: Membership | None) -> list:
    """Tabs of the plugins switched on for this cohort, for its current
    members only: a plugin's pages admit no one else (`plugin_space`), so a
    superuser or a program lead running the group from outside it would be
    shown tabs that answer 404."""
    if membership is None:
        return []
    return collect("lms_cohort_tabs", plugins=cohort.plugins, cohort=cohort, user=user)


def has_finished(cohort: CohortPage) -> bool:
    """True once the cohort's last meeting is over (a group with no meetings
    never finishes)."""
    ends = [end for find in meetings_end.values() if (end := find(cohort))]
    return bool(ends) and max(ends) < timezone.now()


MEMBERS_PER_PAGE = 50


def current_members(cohort: CohortPage):
    """The group's current members, staff first, by name."""
    return (
        Membership.objects.filter(cohort=cohort, status__in=CURRENT_MEMBER_STATUSES)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "pk")
    )


def member_as_seen(
    member: Membership, cohort: CohortPage, viewer_facilitates: bool
) -> dict:
    """A member as the viewer may see them (cohorts.privacy): their name as
    shown, their role, their e-mail address only to those it is shown to."""
    return {
        "name": privacy.shown_name(member.user, cohort, to_staff=viewer_facilitates),
        "role": member.get_role_display(),
        "email": member.user.email
        if privacy.sees_contact_details(to_staff=viewer_facilitates)
        else "",
    }


def visible_members(
    cohort: CohortPage, viewer_facilitates: bool, page_number: str | None
) -> Page:
    """One page of members as the viewer may see them (cohorts.privacy)."""
    page = Paginator(current_members(cohort), MEMBERS_PER_PAGE).get_page(page_number)
    page.object_list = [
        member_as_seen(member, cohort, viewer_facilitates)
        for member in page.object_list
    ]
    return page
