"""A person's own data: who they are, their groups, their answers to
sessions. Their token, or their session on the site."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from wagtail.api.v3.errors import ProblemDetail

from api.auth import PERSON, staff_rights
from api.public import SessionOut, answered, session_fields, viewable_session
from api.shapes import (
    LIST_PROBLEMS,
    PERSON_PROBLEMS,
    Pages,
    PlainText,
    ShapedPages,
    answers,
)
from cohorts.membership import JoinError, join, leave
from cohorts.models import CURRENT_MEMBER_STATUSES, CohortPage, Membership
from cohorts.permissions import own_membership, viewable_groups
from lms.personal_data_views import data_download
from scheduling.models import Session
from scheduling.permissions import can_rsvp, sees_place
from scheduling.rsvp import RSVPError, respond

router = Router(tags=["a person's own data"], auth=PERSON)


class RSVPIn(Schema):
    answer: Literal["going", "maybe", "declined"]


class RSVPOut(Schema):
    session_id: int
    status: str


@router.put(
    "/sessions/{session_id}/rsvp",
    response=answers(RSVPOut, *PERSON_PROBLEMS, 404, 409, 422),
)
def answer_session(request: HttpRequest, session_id: int, given: RSVPIn):
    """The person's answer to a session of their group: going, maybe or
    declined (not going). Going to a full session puts them on its waiting
    list ("waitlisted"). Needs a token that may write (or the site's session
    with its CSRF token)."""
    session = viewable_session(request, session_id)
    if not can_rsvp(request.user, session):
        raise PermissionDenied(_("Join this group to answer for its sessions."))
    try:
        found = respond(session, request.user, given.answer)
    except RSVPError as error:
        raise HttpError(409, str(error)) from error
    return RSVPOut(session_id=session.pk, status=found.status)


class PersonOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    language: str


@router.get(
    "/me",
    response=answers(PersonOut, *PERSON_PROBLEMS),
)
def me(request: HttpRequest):
    """Who the token or session belongs to."""
    person = request.user
    return PersonOut(
        id=person.pk,
        first_name=person.first_name,
        last_name=person.last_name,
        email=person.email,
        language=person.preferred_language or settings.LANGUAGE_CODE,
    )


class MembershipOut(Schema):
    group_id: int
    group: str
    role: str
    status: str
    joined_at: datetime

    @staticmethod
    def resolve_group_id(membership: Membership) -> int:
        return membership.cohort_id

    @staticmethod
    def resolve_group(membership: Membership) -> str:
        return membership.cohort.title


@router.get(
    "/me/memberships",
    response=answers(list[MembershipOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
)
@paginate(Pages)
def my_memberships(request: HttpRequest):
    """The groups the person is in, with their role and standing."""
    return (
        Membership.objects.filter(user=request.user)
        .select_related("cohort")
        .order_by("-joined_at", "-pk")
    )


class JoinIn(Schema):
    goal: PlainText = Field(
        "",
        max_length=2000,
        description="What the person hopes to get out of the group, if they say.",
    )


@router.put(
    "/me/memberships/{group_id}",
    response=answers(MembershipOut, *PERSON_PROBLEMS, 404, 409, 422),
)
def join_group(request: HttpRequest, group_id: int, given: JoinIn):
    """Join a group "Find a group" lists (or any the person may see) as a
    participant: "active", or "waitlisted" when its places are taken.
    Joining again changes nothing and answers the membership they have;
    sign-up closed, or a course the group asks for not done, is a 409
    saying so. Needs a token that may write."""
    group = get_object_or_404(
        viewable_groups(request.user, request).specific(), pk=group_id
    )
    try:
        found = join(group, request.user, given.goal.strip())
    except JoinError as error:
        raise HttpError(409, str(error)) from error
    found.cohort = group
    return found


@router.delete(
    "/me/memberships/{group_id}",
    response=answers(None, *PERSON_PROBLEMS, 404, success=204),
)
def leave_group(request: HttpRequest, group_id: int):
    """Leave a group: their place goes to the first person waiting, their
    seats at coming sessions to those sessions' waiting lists. A member may
    always leave, whatever the group's page allows now; a group they are
    not in (or no longer) is not found. Needs a token that may write."""
    group = CohortPage.objects.live().filter(pk=group_id).first()
    found = None if group is None else own_membership(request.user, group)
    if found is None:
        # The same answer whether the group exists: a private one is not
        # known to exist to those outside it.
        raise Http404(_("You are not in this group."))
    leave(found)
    return Status(204, None)


class MySessionOut(SessionOut):
    group_id: int
    group: str
    answer: Literal["going", "maybe", "declined", "waitlisted"] | None = Field(
        description="The person's answer; None: not answered yet."
    )


@router.get(
    "/me/sessions",
    response=answers(list[MySessionOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
)
@paginate(Pages)
def my_sessions(request: HttpRequest, past: bool = False):
    """The sessions of the groups the person is in, with their answer to
    each: those not over yet, soonest first (`past=true`: those over, the
    latest first). The address and meeting link as on the group's page."""
    person = request.user
    current = Membership.objects.filter(user=person, status__in=CURRENT_MEMBER_STATUSES)
    memberships = {found.cohort_id: found for found in current}
    now = timezone.now()
    sessions = Session.objects.filter(
        cohort__in=viewable_groups(person, request).filter(
            pk__in=current.values("cohort_id")
        )
    ).select_related("cohort")
    if past:
        sessions = sessions.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")

    def shaped(session, answer: str) -> MySessionOut:
        # Running the group shows them its places: only with staff rights.
        found = memberships[session.cohort_id] if staff_rights(request) else None
        return MySessionOut(
            **session_fields(
                session,
                session.cohort.time_zone,
                sees_place(person, found, answer),
            ),
            group_id=session.cohort_id,
            group=session.cohort.title,
            answer=answer or None,
        )

    return ShapedPages(sessions, answered(person, shaped))


@router.get(
    "/me/export",
    response={**dict.fromkeys((*PERSON_PROBLEMS, 429), ProblemDetail)},
    openapi_extra={
        "responses": {
            200: {
                "description": "A ZIP file: data.json and the person's files.",
                "content": {
                    "application/zip": {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
            }
        }
    },
)
def my_data(request: HttpRequest):
    """Everything the site holds about the person: the same file as "Your
    data" on the site (a ZIP of JSON and their files; the audit log notes
    the download)."""
    return data_download(request, request.user)
