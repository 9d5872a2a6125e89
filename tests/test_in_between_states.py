"""The states between the obvious ones, where a weakened rule would go
unnoticed: answers other than "going", memberships that are not (or no
longer) current, recurrence ends between meetings, sends that fail, plugins
that break with something other than ImportError, people who joined lately,
and joins racing for a group's last places.

Each test names, in its docstring, the mutation of the code it guards
against (issue #27); `make mutate` re-runs those mutations and more.
"""

from datetime import datetime, timedelta
from functools import partial
from importlib.metadata import EntryPoint
from smtplib import SMTPException
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cohorts.membership import join
from cohorts.models import CohortPage, Membership
from lms import plugins
from lms.delivery import deliver_once
from lms.events import MemberJoined
from lms.models import Delivery
from scheduling.models import RSVP, SessionSeries
from scheduling.recurrence import occurrence_starts
from scheduling.rsvp import respond
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.test_calendar import feed_of
from tests.test_rsvp import run_at_once

SECRET_ADDRESS = "455 Elm Street, Riverside"
SECRET_LINK = "https://meet.example.org/secret-room"


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(parent=home_page, plugins=["grantwriting"])


def session_of(circle, **fields):
    return SessionFactory(
        cohort=circle, address=SECRET_ADDRESS, online_url=SECRET_LINK, **fields
    )


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["maybe", "declined", "waitlisted"])
def test_only_going_reveals_the_place_on_the_page_and_in_the_feed(
    client, circle, answer
):
    """Kills `sees_place` accepting any answer but "going" (issue #27, 3)."""
    session = session_of(circle, capacity=1)
    member = MembershipFactory(cohort=circle).user
    if answer == "waitlisted":
        respond(session, MembershipFactory(cohort=circle).user, RSVP.Status.GOING)
        respond(session, member, RSVP.Status.GOING)
    else:
        respond(session, member, answer)
    assert RSVP.objects.get(session=session, user=member).status == answer

    client.force_login(member)
    page = client.get(circle.url).content.decode()
    feed = client.get(feed_of(member)).content.decode()
    assert "Learning circle" in page and "BEGIN:VEVENT" in feed
    for shown in (page, feed):
        assert "455 Elm Street" not in shown
        assert "secret-room" not in shown


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["invited", "waitlisted", "left"])
def test_members_not_current_are_refused_member_pages_answers_and_plugins(
    client, circle, status
):
    """Kills `permissions.current` ignoring the membership's status (issue #27,
    4): invited, waiting and departed people are not members yet (or any
    more)."""
    session = session_of(circle)
    person = MembershipFactory(cohort=circle, status=status).user
    client.force_login(person)

    assert client.get(reverse("cohorts:members", args=[circle.pk])).status_code == 403
    rsvp = client.post(reverse("cohorts:rsvp", args=[session.pk]), {"answer": "going"})
    assert rsvp.status_code == 403
    assert not RSVP.objects.exists()
    workshop = reverse("grantwriting:workshop", args=[circle.pk])
    assert client.get(workshop).status_code == 404
    assert 'name="answer"' not in client.get(circle.url).content.decode()


@pytest.mark.django_db
def test_members_who_completed_keep_the_member_pages_answers_and_plugins(
    client, circle
):
    """Completed is a current status: the other side of the test above."""
    session = session_of(circle)
    person = MembershipFactory(cohort=circle, status="completed").user
    client.force_login(person)

    assert client.get(reverse("cohorts:members", args=[circle.pk])).status_code == 200
    rsvp = client.post(reverse("cohorts:rsvp", args=[session.pk]), {"answer": "going"})
    assert rsvp.status_code == 302
    assert RSVP.objects.get(user=person).status == RSVP.Status.GOING
    workshop = reverse("grantwriting:workshop", args=[circle.pk])
    assert client.get(workshop).status_code == 200


@pytest.mark.django_db
def test_an_end_between_meetings_in_utc_on_the_next_day_stops_before_it(home_page):
    """Kills `_local_until` reading a UTC UNTIL as local wall-clock time (issue
    #27, 5): 01:00 UTC on 25 February is 17:00 on the 24th in Los Angeles, an
    hour before that day's meeting, so the 24th is not a meeting (read as
    local time, 01:00 on the 25th, it would be)."""
    circle = CohortPageFactory(parent=home_page, time_zone="America/Los_Angeles")
    series = SessionSeries(
        cohort=circle,
        first_start=datetime(2026, 2, 3, 18, 0, tzinfo=ZoneInfo("America/Los_Angeles")),
        rrule="FREQ=WEEKLY;UNTIL=20260225T010000Z",
    )
    assert [start.day for start in occurrence_starts(series)] == [3, 10, 17]


@pytest.mark.django_db
def test_an_end_in_utc_on_the_previous_day_east_of_greenwich_includes_the_meeting(
    home_page,
):
    """The same east of UTC: 23:00 UTC on 16 February is 08:00 on the 17th in
    Tokyo, after that day's 07:00 meeting, which is the last one."""
    circle = CohortPageFactory(parent=home_page, time_zone="Asia/Tokyo")
    series = SessionSeries(
        cohort=circle,
        first_start=datetime(2026, 2, 3, 7, 0, tzinfo=ZoneInfo("Asia/Tokyo")),
        rrule="FREQ=WEEKLY;UNTIL=20260216T230000Z",
    )
    assert [start.day for start in occurrence_starts(series)] == [3, 10, 17]


@pytest.mark.django_db
def test_a_plugin_raising_runtime_error_at_import_is_disabled_not_fatal(
    monkeypatch, saved_statuses
):
    """Kills narrowing the load-time `except Exception` to ImportError (issue
    #27, 6): a plugin that fails any other way is left out and reported."""
    raising = EntryPoint(
        name="raising", value="tests.raising_plugin", group=plugins.ENTRY_POINT_GROUP
    )
    available = {**plugins._entry_points(), "raising": raising}
    monkeypatch.setattr(plugins, "_entry_points", lambda: available)

    entries = plugins.plugin_apps(["example", "raising"])

    assert entries == ["lms_example_plugin.apps.ExamplePluginConfig"]
    assert "RuntimeError" in plugins.statuses["raising"].error
    assert "fails while its module loads" in plugins.statuses["raising"].error


@pytest.fixture
def saved_statuses():
    saved = dict(plugins.statuses)
    yield
    plugins.statuses.clear()
    plugins.statuses.update(saved)


@pytest.mark.django_db
def test_a_send_that_fails_is_sent_by_the_retry(mailoutbox):
    """Kills keeping the delivery record when sending raises (issue #27, 7):
    the message would be lost for good."""
    person = UserFactory()

    def failing_send():
        raise SMTPException("the mail server is down")

    def send():
        mail.send_mail("Reminder", "Tomorrow at 18:00", None, [person.email])

    with pytest.raises(SMTPException):
        deliver_once(person, "reminder:1", failing_send)
    assert not Delivery.objects.filter(user=person).exists()

    assert deliver_once(person, "reminder:1", send) is True
    assert deliver_once(person, "reminder:1", send) is False
    assert [message.to for message in mailoutbox] == [[person.email]]


@pytest.mark.django_db
def test_someone_who_joined_last_week_is_not_flagged_as_gone_quiet(client, circle):
    """Kills dropping `joined_at__lte=since` from the quiet warning (issue #27,
    8): two weeks without activity cannot have passed for a newcomer."""
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    newcomer = MembershipFactory(cohort=circle).user
    old_hand = MembershipFactory(cohort=circle).user
    Membership.objects.filter(user=newcomer).update(
        joined_at=timezone.now() - timedelta(days=7)
    )
    Membership.objects.filter(user=old_hand).update(
        joined_at=timezone.now() - timedelta(days=60)
    )
    client.force_login(facilitator)
    board = client.get(f"/cohorts/{circle.pk}/dashboard/").context["dashboard"]
    assert [m.user for m in board.quiet.members] == [old_hand]


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_people_joining_at_once_get_exactly_the_places(home_page):
    """Kills `join` counting places without its row lock on the group (issue
    #27, 2). On PostgreSQL the threads really overlap; on SQLite immediate
    transactions serialise them, so there only PostgreSQL catches the
    mutation (the test runs on both)."""
    circle = CohortPageFactory(parent=home_page)
    CohortPage.objects.filter(pk=circle.pk).update(capacity=5)
    people = [UserFactory() for _ in range(20)]

    errors = run_at_once(*(partial(join, circle, person) for person in people))

    assert errors == []
    statuses = Membership.objects.filter(cohort=circle).values_list("status", flat=True)
    assert sorted(statuses) == ["active"] * 5 + ["waitlisted"] * 15


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["maybe", "declined"])
def test_other_answers_to_a_full_session_are_kept_not_waitlisted(circle, answer):
    """Only "going" asks for a seat: "maybe" or "not going" to a full session
    is recorded as given (kills `wants_seat` with `or` for `and`)."""
    session = session_of(circle, capacity=1)
    respond(session, MembershipFactory(cohort=circle).user, RSVP.Status.GOING)
    person = MembershipFactory(cohort=circle).user
    assert respond(session, person, answer).status == answer


@pytest.mark.django_db
def test_seats_lowered_below_those_going_promote_nobody_when_one_leaves(circle):
    """A lead lowers the seats below the people going: a seat given back still
    leaves the session over its seats, so the waiting list waits (kills the
    `max(..., 0)` floor in `promote_waitlisted` raised or lowered)."""
    session = session_of(circle, capacity=3)
    going = [MembershipFactory(cohort=circle).user for _ in range(3)]
    waiting = MembershipFactory(cohort=circle).user
    for person in [*going, waiting]:
        respond(session, person, RSVP.Status.GOING)
    session.capacity = 1
    session.save(update_fields=["capacity"])

    respond(session, going[0], RSVP.Status.DECLINED)

    assert RSVP.objects.get(session=session, user=waiting).status == "waitlisted"
    assert session.rsvps.filter(status=RSVP.Status.GOING).count() == 2


@pytest.mark.django_db
def test_a_waitlisted_join_announces_no_member_joined(
    circle, captured_events, django_capture_on_commit_callbacks
):
    """Kills `join` sending MemberJoined for a waitlisted join instead of an
    active one (`make mutate` on cohorts/membership.py)."""
    CohortPage.objects.filter(pk=circle.pk).update(capacity=1)
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert join(circle, first).status == Membership.Status.ACTIVE
        assert join(circle, second).status == Membership.Status.WAITLISTED
    joined = [
        (event.cohort_id, event.user_id)
        for event in captured_events
        if isinstance(event, MemberJoined)
    ]
    assert joined == [(circle.pk, first.pk)]
