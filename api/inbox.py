"""A person's inbox: their notifications as the inbox page shows them (the
text in the request's language, and the address of what each is about only
while they may still see it), and marking them read."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from api.auth import PERSON, staff_rights
from api.shapes import LIST_PROBLEMS, PERSON_PROBLEMS, Pages, ShapedPages, answers
from notifications import inbox
from notifications.models import Notification

router = Router(tags=["a person's own data"], auth=PERSON)


class NotificationOut(Schema):
    id: int
    kind: str
    text: str = Field(
        description="Empty when its kind is gone or what it was about is no "
        "longer the person's to see."
    )
    url: str = Field(description="A path on this site, or empty (as `text`).")
    group_id: int | None
    created_at: datetime
    read_at: datetime | None


def _shown(request: HttpRequest, notifications: list) -> list[NotificationOut]:
    return [
        NotificationOut(
            id=entry.notification.pk,
            kind=entry.notification.kind,
            text=entry.text,
            url=entry.url,
            group_id=entry.notification.cohort_id,
            created_at=entry.notification.created_at,
            read_at=entry.notification.read_at,
        )
        for entry in inbox.entries(
            request.user, notifications, staff_rights=staff_rights(request)
        )
    ]


@router.get(
    "/me/notifications",
    response=answers(list[NotificationOut], *PERSON_PROBLEMS, *LIST_PROBLEMS),
)
@paginate(Pages)
def my_notifications(request: HttpRequest, unread: bool = False):
    """The person's notifications, the newest first; `unread=true` for the
    unread ones only."""
    mine = (
        Notification.objects.filter(recipient=request.user)
        .select_related("actor", "cohort")
        .prefetch_related("target")
    )
    if unread:
        mine = mine.filter(read_at=None)
    return ShapedPages(mine, lambda page: _shown(request, page))


class ReadOut(Schema):
    marked: int = Field(description="How many were unread until now.")


@router.put(
    "/me/notifications/{notification_id}/read",
    response=answers(NotificationOut, *PERSON_PROBLEMS, 404),
)
def read_notification(request: HttpRequest, notification_id: int):
    """Mark one of the person's notifications read (again: nothing changes).
    Needs a token that may write."""
    return _shown(request, [inbox.read_one(request.user, notification_id)])[0]


@router.put("/me/notifications/read", response=answers(ReadOut, *PERSON_PROBLEMS))
def read_all_notifications(request: HttpRequest):
    """Mark all the person's notifications read, as the inbox's button does.
    Needs a token that may write."""
    return ReadOut(marked=inbox.mark_read(request.user, Notification.objects.all()))
