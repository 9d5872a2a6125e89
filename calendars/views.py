"""Calendar feeds and a session's .ics file."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _

from calendars.ics import (
    cohort_feed,
    feed_owner,
    personal_feed,
    session_calendar,
    sessions_for,
)
from cohorts import permissions
from cohorts.models import CohortPage
from scheduling.models import Session


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # Feeds carry places meant for one person: never cached along the way.
    response["Cache-Control"] = "private, no-store"
    return response


def _feed_owner(token: str):
    """The address's owner and the groups in their feed, or 404."""
    found = feed_owner(token)
    if found is None or not found[0].is_active:
        raise Http404(_("This calendar address was turned off or never existed."))
    return found


def _feed_language(user) -> str:
    return user.preferred_language or translation.get_language()


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's sessions and plugin items: the address is the password."""
    user, groups = _feed_owner(token)
    return _ics(personal_feed(user, groups, _feed_language(user)), "sessions.ics")


def cohort_calendar_feed(
    request: HttpRequest, token: str, cohort_id: int
) -> HttpResponse:
    """A cohort's shared calendar, for its members only."""
    user, _groups = _feed_owner(token)
    cohort = get_object_or_404(CohortPage.objects.live(), pk=cohort_id)
    member = permissions.membership(user, cohort)
    if not permissions.insider(user, member) or permissions.privacy_refuses(
        cohort, permissions.as_request(user)
    ):
        raise Http404(_("This calendar is for the group's members."))
    content = cohort_feed(user, cohort, _feed_language(user))
    return _ics(content, f"{cohort.slug}.ics")


def session_ics(request: HttpRequest, session_id: int) -> HttpResponse:
    """ "Add to calendar" for one session: the place only for people going."""
    session = get_object_or_404(
        Session.objects.select_related("cohort"), pk=session_id, cohort__live=True
    )
    permissions.check_privacy(session.cohort, request)
    user = request.user
    if user.is_authenticated:
        session = sessions_for(user, session.cohort).filter(pk=session_id).first()
        if session is None:  # older than the feed's history
            raise Http404
    else:
        session.my_role = session.my_answer = None
    return _ics(session_calendar(user, session), f"session-{session_id}.ics")
