"""`/api/v1/`: the site's REST API (django-ninja, in the style of Wagtail's
own v3 API: problem details for errors, limit and offset pagination).

Permissions come from the functions the site's views use; this module only
shapes what they allow into JSON. See docs/api.md.
"""

import math
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.pagination import paginate
from pydantic import create_model
from wagtail.api.v3.errors import (
    PROBLEM_JSON,
    ProblemDetail,
    problem_response,
    register_exception_handlers,
)
from wagtail.api.v3.pagination import WagtailLimitOffsetPagination

from api.auth import ANYONE, PERSON
from api.throttles import AnonymousRate, PersonRate
from cohorts.catalogue import catalogue_filter
from cohorts.filters import CatalogueFilter
from cohorts.models import CohortPage, Membership, Program
from cohorts.permissions import membership, viewable_groups
from scheduling.models import Session
from scheduling.permissions import answers_of, can_rsvp, sees_place
from scheduling.rsvp import RSVPError, respond


class LearningCommonsAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Errors are documented as what they are sent as: problem details."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {PROBLEM_JSON: content["application/json"]}
        return schema


# The furthest a list may be read into (far past any list here).
MAX_OFFSET = 10_000_000


class Pages(WagtailLimitOffsetPagination):
    """Wagtail's limit and offset, the offset bounded: a number past what a
    database counts in is a 422 naming it, not a server error."""

    class Input(WagtailLimitOffsetPagination.Input):
        offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


def answers(schema, *problems: int) -> dict:
    """An operation's responses: `schema` when it succeeds, a problem
    details document for each status in `problems` and for too many
    requests (429)."""
    return {200: schema, **dict.fromkeys((*problems, 429), ProblemDetail)}


# What a list may answer besides its page: a limit over the maximum (400),
# a parameter of the wrong kind (422).
LIST_PROBLEMS = (400, 422)
# A person's own data: not signed in (401), a read-only token writing (403).
PERSON_PROBLEMS = (401, 403)

api = LearningCommonsAPI(
    title="Learning Commons API",
    version="1",
    description="Programs and groups for everyone; a person's own data with "
    "their personal access token. See docs/api.md.",
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    throttle=[AnonymousRate(), PersonRate()],
)
register_exception_handlers(api)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled):
    answer = problem_response(
        status=429, detail="Too many requests: try again after Retry-After seconds."
    )
    answer["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
    return answer


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc: AuthenticationError):
    return problem_response(status=401, detail="Authentication required")


class ProgramOut(Schema):
    slug: str
    name: str
    description: str


@api.get(
    "/programs",
    response=answers(list[ProgramOut], *LIST_PROBLEMS),
    tags=["public"],
    auth=ANYONE,
)
@paginate(Pages)
def programs(request: HttpRequest):
    """Every program, by name."""
    return Program.objects.order_by("name", "pk")


def _catalogue_parameters() -> type[Schema]:
    """The catalogue's filters ("Find a group"), as the query parameters of
    the list of groups: read from its filter set, so both take the same."""
    return create_model(
        "GroupFilters",
        __base__=Schema,
        **{
            name: (str | None, Field(None, description=str(found.label)))
            for name, found in CatalogueFilter.base_filters.items()
        },
    )


GroupFilters = _catalogue_parameters()


class GroupOut(Schema):
    id: int
    title: str
    intro: str
    kind: str
    format: str
    language: str
    area: str
    program: str | None
    topic: str | None
    next_start: datetime | None
    url: str

    @staticmethod
    def resolve_program(group: CohortPage) -> str | None:
        return group.program.slug if group.program_id else None

    @staticmethod
    def resolve_topic(group: CohortPage) -> str | None:
        return group.topic.name if group.topic_id else None

    @staticmethod
    def resolve_url(group: CohortPage) -> str:
        return group.full_url


@api.get(
    "/groups",
    response=answers(list[GroupOut], *LIST_PROBLEMS),
    tags=["public"],
    auth=ANYONE,
)
@paginate(Pages)
def groups(request: HttpRequest, filters: Query[GroupFilters]):
    """The groups "Find a group" lists, open to sign-up and public, with
    its filters: those meeting next first."""
    filterset, _scope = catalogue_filter(request)
    if not filterset.is_valid():
        raise ValidationError(
            [
                {
                    "loc": ["query", name],
                    "msg": message,
                    "type": error.code or "invalid",
                }
                for name, errors in filterset.form.errors.as_data().items()
                for error in errors
                for message in error.messages
            ]
        )
    return filterset.qs.select_related("program", "topic")


class SessionOut(Schema):
    id: int
    title: str
    status: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    starts_local: str
    place: str
    address: str | None
    online_url: str | None


@api.get(
    "/groups/{group_id}/sessions",
    response=answers(list[SessionOut], 404, *LIST_PROBLEMS),
    tags=["public"],
    auth=ANYONE,
)
@paginate(Pages)
def group_sessions(request: HttpRequest, group_id: int):
    """A group's sessions in time order, in UTC and in the group's own time
    zone. The address and meeting link only for those the group's page shows
    them to (those going, those running it); a group the caller may not see
    is not found."""
    group = get_object_or_404(
        viewable_groups(request.user, request).specific(), pk=group_id
    )
    found = membership(request.user, group)
    sessions = list(group.sessions.order_by("starts_at", "pk"))
    answers_given = answers_of(request.user, sessions)
    zone = ZoneInfo(group.time_zone)
    return [
        SessionOut(
            id=session.pk,
            title=session.title,
            status=session.status,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            time_zone=group.time_zone,
            starts_local=session.starts_at.astimezone(zone).isoformat(),
            place=session.location_name,
            **(
                {"address": session.address, "online_url": session.online_url}
                if sees_place(request.user, found, answers_given.get(session.pk, ""))
                else {"address": None, "online_url": None}
            ),
        )
        for session in sessions
    ]


class RSVPIn(Schema):
    answer: Literal["going", "maybe", "declined"]


class RSVPOut(Schema):
    session_id: int
    status: str


@api.put(
    "/sessions/{session_id}/rsvp",
    response=answers(RSVPOut, *PERSON_PROBLEMS, 404, 409, 422),
    tags=["a person's own data"],
    auth=PERSON,
)
def answer_session(request: HttpRequest, session_id: int, given: RSVPIn):
    """The person's answer to a session of their group: going, maybe or
    declined (not going). Going to a full session puts them on its waiting
    list ("waitlisted"). Needs a token that may write (or the site's session
    with its CSRF token)."""
    session = get_object_or_404(
        Session.objects.select_related("cohort").filter(
            cohort__in=viewable_groups(request.user, request)
        ),
        pk=session_id,
    )
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


@api.get(
    "/me",
    response=answers(PersonOut, *PERSON_PROBLEMS),
    tags=["a person's own data"],
    auth=PERSON,
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


@api.get(
    "/me/memberships",
    response=answers(list[MembershipOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
    tags=["a person's own data"],
    auth=PERSON,
)
@paginate(Pages)
def my_memberships(request: HttpRequest):
    """The groups the person is in, with their role and standing."""
    return (
        Membership.objects.filter(user=request.user)
        .select_related("cohort")
        .order_by("-joined_at", "-pk")
    )
