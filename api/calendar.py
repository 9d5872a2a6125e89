"""A person's secret calendar address, as their e-mail settings page keeps
it: whether they have one; a new one (shown once: only its hash is stored);
turning it off."""

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from api.auth import PERSON
from api.shapes import PERSON_PROBLEMS, answers
from calendars.models import CalendarFeed
from cohorts.models import CURRENT_MEMBER_STATUSES, Membership

router = Router(tags=["a person's own data"], auth=PERSON)


class CalendarStateOut(Schema):
    on: bool = Field(description="Whether the person has a calendar address.")
    made_at: datetime | None


@router.get(
    "/me/calendar",
    response=answers(CalendarStateOut, *PERSON_PROBLEMS),
)
def my_calendar(request: HttpRequest):
    """Whether the person has a calendar address, and since when. The
    address itself was shown once, when it was made."""
    found = CalendarFeed.objects.filter(user=request.user).first()
    return CalendarStateOut(on=found is not None, made_at=found and found.created_at)


class GroupFeedOut(Schema):
    group_id: int
    group: str
    url: str


class NewCalendarOut(Schema):
    url: str = Field(description="Every session of every group the person is in.")
    groups: list[GroupFeedOut] = Field(description="One group's sessions each.")


@router.post(
    "/me/calendar",
    response=answers(NewCalendarOut, *PERSON_PROBLEMS),
)
def new_calendar(request: HttpRequest):
    """A new secret calendar address, and one for each of the person's
    groups, shown in this answer only; any old address stops working. Needs
    a token that may write."""
    token = CalendarFeed.issue(request.user)
    memberships = (
        Membership.objects.filter(user=request.user, status__in=CURRENT_MEMBER_STATUSES)
        .select_related("cohort")
        .order_by("cohort__title", "pk")
    )

    def address(name: str, *args) -> str:
        return request.build_absolute_uri(reverse(name, args=[token, *args]))

    return NewCalendarOut(
        url=address("cohorts:calendar_feed"),
        groups=[
            GroupFeedOut(
                group_id=found.cohort_id,
                group=found.cohort.title,
                url=address("cohorts:cohort_calendar_feed", found.cohort_id),
            )
            for found in memberships
        ],
    )


@router.delete(
    "/me/calendar",
    response=answers(None, *PERSON_PROBLEMS, success=204),
)
def calendar_off(request: HttpRequest):
    """Turn the calendar address off: it, and every group's, stops working
    (again: nothing changes). Needs a token that may write."""
    CalendarFeed.objects.filter(user=request.user).delete()
    return Status(204, None)
