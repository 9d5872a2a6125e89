"""What a cohort's page shows to whom, gathered in a fixed number of queries."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest
from django.utils import timezone

from cohorts import permissions, privacy
from cohorts.forms import JoinByEmailForm
from cohorts.membership import unmet_requirement
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from lms.panels import render_panels
from lms.plugins import collect
from scheduling.models import RSVP, Session
from scheduling.permissions import sees_place
from scheduling.rsvp import ANSWER_CHOICES

UPCOMING_SHOWN = 20
ANNOUNCEMENTS_SHOWN = 3


@dataclass(frozen=True)
class SessionRow:
    session: Session
    going: int
    my_answer: str
    show_place: bool
    can_answer: bool


def cohort_space(cohort: CohortPage, request: HttpRequest) -> dict:
    user = request.user
    own = permissions.own_membership(user, cohort)
    membership = permissions.current(own)
    facilitating = permissions.facilitates(user, membership)
    is_member = permissions.insider(user, membership)
    upcoming = list(
        cohort.sessions.filter(ends_at__gte=timezone.now())
        .annotate(going=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING)))
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    answers = {}
    if user.is_authenticated and upcoming:
        answers = dict(
            RSVP.objects.filter(user=user, session__in=upcoming).values_list(
                "session_id", "status"
            )
        )
    may_answer = permissions.may_answer(user, cohort, membership)
    rows = [
        SessionRow(
            session=session,
            going=session.going,
            my_answer=answers.get(session.pk, ""),
            show_place=sees_place(user, membership, answers.get(session.pk, "")),
            can_answer=may_answer and session.status == Session.Status.SCHEDULED,
        )
        for session in upcoming
    ]
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
        "session_rows": rows,
        "rsvp_choices": ANSWER_CHOICES,
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
    if is_member:
        context["announcements"] = list(
            cohort.announcements.select_related("author")[:ANNOUNCEMENTS_SHOWN]
        )
        context["tabs"] = cohort_tabs(cohort, user, membership)
        context["panels"] = render_panels(request, cohort, plugins=cohort.plugins)
    return context


def nav_context(cohort: CohortPage, user, facilitating: bool) -> dict:
    """What a member-only page of the cohort needs for its header and tabs.

    A program lead reading a group's reports from outside it gets no tabs to
    the members' pages, which would refuse them."""
    found = permissions.membership(user, cohort)
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
    """True once the cohort's last scheduled session is over."""
    last = cohort.sessions.filter(status=Session.Status.SCHEDULED).aggregate(
        last=Max("ends_at")
    )["last"]
    return last is not None and last < timezone.now()


MEMBERS_PER_PAGE = 50


def visible_members(
    cohort: CohortPage, viewer_facilitates: bool, page_number: str | None
) -> Page:
    """One page of members as the viewer may see them (cohorts.privacy)."""
    members = (
        Membership.objects.filter(cohort=cohort, status__in=CURRENT_MEMBER_STATUSES)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "pk")
    )
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(page_number)
    page.object_list = [
        {
            "name": privacy.shown_name(
                member.user, cohort, to_staff=viewer_facilitates
            ),
            "role": member.get_role_display(),
            "email": member.user.email
            if privacy.sees_contact_details(to_staff=viewer_facilitates)
            else "",
        }
        for member in page.object_list
    ]
    return page
