"""The API's public routes: programs, the groups "Find a group" lists, a
group's sessions (their places only for those who may see them)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import create_model
from wagtail.images.models import SourceImageIOError

from api.auth import ANYONE, staff_rights
from api.shapes import LIST_PROBLEMS, Pages, ShapedPages, answers
from cohorts.catalogue import catalogue_filter, with_next_start
from cohorts.filters import CatalogueFilter
from cohorts.models import CohortPage, Program, Speaker
from cohorts.permissions import membership, viewable_groups
from scheduling.models import Session
from scheduling.permissions import answers_of, sees_place

router = Router(tags=["public"], auth=ANYONE)


class ProgramOut(Schema):
    slug: str
    name: str
    description: str


@router.get(
    "/programs",
    response=answers(list[ProgramOut], *LIST_PROBLEMS),
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


class SpeakerOut(Schema):
    name: str
    organisation: str
    bio: str
    photo_url: str | None
    photo_alt_text: str


# As the group's page shows a speaker's photo.
SPEAKER_PHOTO = "fill-160x160"


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
    speakers: list[SpeakerOut] = Field(
        description="A speaker event's speakers, in the page's order."
    )

    @staticmethod
    def resolve_program(group: CohortPage) -> str | None:
        return group.program.slug if group.program_id else None

    @staticmethod
    def resolve_topic(group: CohortPage) -> str | None:
        return group.topic.name if group.topic_id else None

    @staticmethod
    def resolve_url(group: CohortPage, context) -> str:
        return group.get_full_url(context["request"])

    @staticmethod
    def resolve_speakers(group: CohortPage, context) -> list[dict]:
        if group.kind != CohortPage.Kind.SPEAKER_EVENT:
            return []
        request = context["request"]
        return [
            {
                "name": speaker.name,
                "organisation": speaker.organisation,
                "bio": speaker.bio,
                "photo_url": _photo_url(request, speaker.photo),
                "photo_alt_text": speaker.photo_alt_text,
            }
            for speaker in group.speakers.all()
        ]


def _photo_url(request: HttpRequest, photo) -> str | None:
    """The address of the photo as the group's page shows it; None without
    one, or when its file is lost (the page shows a broken image)."""
    if photo is None:
        return None
    try:
        return request.build_absolute_uri(photo.get_rendition(SPEAKER_PHOTO).url)
    except SourceImageIOError:
        return None


def with_speakers(groups):
    """Groups with their speakers and the speakers' photos' renditions read
    in three queries, whatever the number of groups."""
    return groups.select_related("program", "topic").prefetch_related(
        Prefetch(
            "speakers",
            Speaker.objects.select_related("photo").prefetch_related(
                "photo__renditions"
            ),
        )
    )


@router.get(
    "/groups",
    response=answers(list[GroupOut], *LIST_PROBLEMS),
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
    return with_speakers(filterset.qs)


@router.get(
    "/groups/{group_id}",
    response=answers(GroupOut, 404),
)
def one_group(request: HttpRequest, group_id: int):
    """A group the caller may see (one "Find a group" lists, or any other
    whose page admits them), as the list of groups shows it; else 404."""
    return get_object_or_404(
        with_speakers(with_next_start(viewable_groups(request.user, request))),
        pk=group_id,
    )


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


@router.get(
    "/groups/{group_id}/sessions",
    response=answers(list[SessionOut], 404, *LIST_PROBLEMS),
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
    # Running the group shows them its places: only with staff rights.
    found = membership(request.user, group) if staff_rights(request) else None

    def shaped(session, answer: str) -> SessionOut:
        shows_place = sees_place(request.user, found, answer)
        return SessionOut(**session_fields(session, group.time_zone, shows_place))

    return ShapedPages(
        group.sessions.order_by("starts_at", "pk"), answered(request.user, shaped)
    )


def answered(person, shape):
    """A page's shape (`ShapedPages`) for sessions: `shape(session, answer)`
    for each, with the person's answers to the page read in one query."""

    def shape_page(sessions: list) -> list:
        given = answers_of(person, sessions)
        return [shape(session, given.get(session.pk, "")) for session in sessions]

    return shape_page


def viewable_session(request: HttpRequest, session_id: int) -> Session:
    """A session of a group the caller may see, with its group; 404 for
    any other, so a private group's sessions are not known to exist."""
    return get_object_or_404(
        Session.objects.select_related("cohort").filter(
            cohort__in=viewable_groups(request.user, request)
        ),
        pk=session_id,
    )


def session_fields(session, time_zone: str, shows_place: bool) -> dict:
    """A session as `SessionOut` has it: times in UTC and in `time_zone` (its
    group's), the address and meeting link only when `shows_place`."""
    return {
        "id": session.pk,
        "title": session.title,
        "status": session.status,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "time_zone": time_zone,
        "starts_local": session.starts_at.astimezone(ZoneInfo(time_zone)).isoformat(),
        "place": session.location_name,
        "address": session.address if shows_place else None,
        "online_url": session.online_url if shows_place else None,
    }
