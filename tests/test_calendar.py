import hashlib
import json
import re
import time
from dataclasses import FrozenInstanceError
from datetime import datetime, timedelta
from importlib import import_module
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from django.contrib.auth.models import Group
from django.core.cache.backends import base as cache_base
from django.core.cache.backends import locmem
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from api.models import TokenTerms
from api.tokens import create_token
from calendars import ics as calendar
from calendars.ics import event_texts, feeds, plugin_items
from calendars.models import CalendarFeed
from cohorts.models import Membership
from cohorts.permissions import as_request, privacy_refuses
from content.models import StandardPage
from lms.hookspecs import CalendarItem, hookimpl
from lms.plugins import plugin_manager
from scheduling.models import RSVP, Session, SessionSeries
from scheduling.sessions import cancel_session, move_session, sync_series
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.helpers import restrict_to

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")


def feed_of(user) -> str:
    """The user's calendar address, the same each time (only its hash is
    stored, so the test makes the secret from the user)."""
    token = f"test-address-{user.pk}-{user.email}"
    CalendarFeed.objects.get_or_create(
        user=user, defaults={"token_hash": CalendarFeed.hash_token(token)}
    )
    return reverse("cohorts:calendar_feed", args=[token])


def address_in(response) -> str:
    """The secret of the calendar address shown on the page."""
    return re.search(r"/cohorts/calendar/([^/\"]+)\.ics", response.content.decode())[1]


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    content = response.content.decode()
    vobject.readOne(content)  # raises on anything vobject cannot read
    return icalendar.Calendar.from_ical(content)


@pytest.fixture
def weekly(home_page):
    """Five Tuesday 18:00 meetings in Los Angeles across the March DST change,
    with one date skipped, one meeting moved and one cancelled."""
    circle = CohortPageFactory(parent=home_page, area="Eastside")
    year = timezone.now().year + 1
    series = SessionSeries.objects.create(
        cohort=circle,
        title="Grant clinic",
        first_start=datetime(year, 3, 2, 18, 0, tzinfo=LA),
        duration_minutes=90,
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        excluded_dates=[f"{year}-03-23"],
        address="455 Elm Street",
    )
    sync_series(series)
    sessions = list(series.sessions.order_by("starts_at"))
    moved, cancelled = sessions[1], sessions[2]
    move_session(
        moved, moved.starts_at + timedelta(hours=1), moved.ends_at + timedelta(hours=1)
    )
    cancel_session(cancelled)
    return circle, series, moved, cancelled


def test_a_series_is_one_repeating_event_that_expands_to_the_sessions(client, weekly):
    circle, series, moved, cancelled = weekly
    member = MembershipFactory(cohort=circle).user
    calendar = parse(client.get(feed_of(member)))

    masters = [e for e in calendar.walk("VEVENT") if "RRULE" in e]
    assert len(masters) == 1
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Los_Angeles"

    year = series.first_start.year
    occurrences = recurring_ical_events.of(calendar).between(
        datetime(year, 1, 1), datetime(year, 12, 31)
    )
    shown = {e["DTSTART"].dt: str(e.get("STATUS")) for e in occurrences}
    expected = {
        s.starts_at: "CANCELLED" if s.status == "cancelled" else "CONFIRMED"
        for s in series.sessions.all()
    }
    assert shown == expected
    assert len(expected) == 5  # six by the rule, one date skipped
    # Local time holds across the daylight-saving change, except the moved one.
    hours = {start.astimezone(LA).hour for start in shown if start != moved.starts_at}
    assert hours == {18}
    sequences = {
        e["DTSTART"].dt: e["SEQUENCE"]
        for e in calendar.walk("VEVENT")
        if "RECURRENCE-ID" in e
    }
    assert sequences[moved.starts_at] == 1
    assert sequences[cancelled.starts_at] == 1


def test_the_place_is_in_the_feed_only_for_sessions_the_person_is_going_to(
    client, weekly
):
    circle, series, moved, _ = weekly
    member = MembershipFactory(cohort=circle).user
    going = series.sessions.exclude(pk=moved.pk).filter(status="scheduled").first()
    RSVP.objects.create(session=going, user=member, status=RSVP.Status.GOING)
    calendar = parse(client.get(feed_of(member)))
    locations = {
        e["DTSTART"].dt: str(e.get("LOCATION", ""))
        for e in recurring_ical_events.of(calendar).between(
            datetime(2000, 1, 1), datetime(2100, 1, 1)
        )
    }
    assert "455 Elm Street" in locations.pop(going.starts_at)
    assert set(locations.values()) == {"Eastside"}

    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    text = client.get(feed_of(facilitator)).content.decode()
    assert "455 Elm Street" in text


def test_a_person_sees_only_their_own_cohorts_and_answered_events(client, home_page):
    mine = CohortPageFactory(parent=home_page, title="Mine")
    theirs = CohortPageFactory(parent=home_page, title="Theirs")
    event = CohortPageFactory(parent=home_page, title="Open talk", kind="event")
    SessionFactory(cohort=mine, title="My meeting")
    SessionFactory(cohort=theirs, title="Their meeting")
    talk = SessionFactory(cohort=event, title="The talk")
    me, them = UserFactory(), UserFactory()
    MembershipFactory(cohort=mine, user=me)
    MembershipFactory(cohort=theirs, user=them)
    RSVP.objects.create(session=talk, user=me, status=RSVP.Status.GOING)

    mine_feed = client.get(feed_of(me)).content.decode()
    theirs_feed = client.get(feed_of(them)).content.decode()
    assert "My meeting" in mine_feed and "The talk" in mine_feed
    assert "Their meeting" not in mine_feed
    assert "Their meeting" in theirs_feed
    assert "My meeting" not in theirs_feed and "The talk" not in theirs_feed


def test_a_new_address_replaces_the_old_and_turning_it_off_gives_404(client, home_page):
    person = UserFactory()
    client.force_login(person)
    assert client.get(reverse("cohorts:email_settings")).status_code == 200
    first = address_in(
        client.post(reverse("cohorts:calendar_address"), {"action": "new"})
    )
    assert client.get(reverse("cohorts:calendar_feed", args=[first])).status_code == 200

    second = address_in(
        client.post(reverse("cohorts:calendar_address"), {"action": "new"})
    )
    assert second != first
    assert client.get(reverse("cohorts:calendar_feed", args=[first])).status_code == 404
    assert (
        client.get(reverse("cohorts:calendar_feed", args=[second])).status_code == 200
    )

    client.post(reverse("cohorts:calendar_address"), {"action": "off"})
    assert (
        client.get(reverse("cohorts:calendar_feed", args=[second])).status_code == 404
    )
    assert client.get(reverse("cohorts:calendar_feed", args=[first])).status_code == 404
    assert (
        client.get(reverse("cohorts:calendar_feed", args=["made-up"])).status_code
        == 404
    )


def test_the_address_page_asked_by_get_leads_to_the_settings(client, home_page):
    """The language switch on the page showing a new address asks it by GET."""
    client.force_login(UserFactory())
    for path in ("/es/cohorts/my-emails/calendar/", "/cohorts/my-emails/calendar/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url == path.replace("calendar/", "#calendar")


def test_addresses_are_stored_hashed_and_shown_only_when_made(client, home_page):
    person = UserFactory()
    client.force_login(person)
    made = client.post(reverse("cohorts:calendar_address"), {"action": "new"})
    token = address_in(made)
    stored = CalendarFeed.objects.get(user=person).token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored
    page = client.get(reverse("cohorts:email_settings")).content.decode()
    assert token not in page
    assert "make a new address" in page and "Make a new address" in page


def test_the_migration_hashes_the_addresses_already_given(home_page):
    person = UserFactory()
    # A row as the old schema left it: the secret itself in the column.
    CalendarFeed.objects.create(user=person, token_hash="an-old-secret")
    migration = ("cohorts", "0005_calendar_feed_token_hash")
    hash_addresses = import_module(f"{migration[0]}.migrations.{migration[1]}")
    # The models as that migration knew them (CalendarFeed was in cohorts).
    state = MigrationLoader(connection).project_state(migration)
    hash_addresses.hash_tokens(state.apps, None)
    assert CalendarFeed.objects.get(user=person).token_hash == CalendarFeed.hash_token(
        "an-old-secret"
    )
    assert calendar.feed_owner("an-old-secret")[0] == person


def test_the_cohort_calendar_is_for_its_members_only(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    SessionFactory(cohort=circle, title="Circle meeting")
    member, outsider = MembershipFactory(cohort=circle).user, UserFactory()
    urls = {}
    for person, status in ((member, 200), (outsider, 404)):
        token = CalendarFeed.issue(person)
        urls[person] = reverse("cohorts:cohort_calendar_feed", args=[token, circle.pk])
        assert client.get(urls[person]).status_code == status
    Membership.objects.filter(user=member).update(status="left")
    assert client.get(urls[member]).status_code == 404


def calendar_plugins() -> int:
    """Enabled plugins adding calendar items: each costs its own one query."""
    return len(plugin_manager.hook.lms_calendar_events.get_hookimpls())


def test_feed_of_200_sessions_takes_at_most_four_queries(
    client, home_page, django_assert_max_num_queries
):
    person = UserFactory()
    now = timezone.now()
    for number in range(4):
        cohort = CohortPageFactory(parent=home_page)
        MembershipFactory(cohort=cohort, user=person)
        Session.objects.bulk_create(
            Session(
                cohort=cohort,
                starts_at=now + timedelta(days=day),
                ends_at=now + timedelta(days=day, hours=1),
                title=f"Meeting {number}-{day}",
            )
            for day in range(50)
        )
    url = feed_of(person)
    client.get(url)  # Wagtail caches the site's root paths on first use
    feeds.invalidate()
    event_texts.invalidate()  # built from nothing: no feed, event or item cached
    plugin_items.invalidate()
    # The bar's four: token, sessions, units missing from the cache, and one
    # plugin's items; the suite enables more than one plugin with items.
    with django_assert_max_num_queries(3 + calendar_plugins()):
        calendar = parse(client.get(url))
    assert len(calendar.walk("VEVENT")) == 200


def test_a_rebuilt_feed_renders_again_only_what_changed_and_shares_the_rest(
    client, home_page, monkeypatch, django_assert_max_num_queries
):
    built = []
    build_units = calendar._build_units
    monkeypatch.setattr(
        calendar,
        "_build_units",
        lambda user, missing: built.append(len(missing)) or build_units(user, missing),
    )
    circle = CohortPageFactory(parent=home_page)
    _, second, third = (
        SessionFactory(cohort=circle, address="455 Elm Street") for _ in range(3)
    )
    me, neighbour = (MembershipFactory(cohort=circle).user for _ in range(2))
    client.get(feed_of(me))
    assert built == [3]
    # Someone who sees the sessions the same way gets the same text, without
    # fetching the sessions again: the token, the rows, the plugins' items.
    neighbours = feed_of(neighbour)
    with django_assert_max_num_queries(2 + calendar_plugins()):
        assert parse(client.get(neighbours)) is not None
    assert built == [3]

    later = second.starts_at + timedelta(hours=1)
    move_session(second, later, second.ends_at + timedelta(hours=1))
    RSVP.objects.create(session=third, user=me, status=RSVP.Status.GOING)
    mine = parse(client.get(feed_of(me)))
    assert built == [3, 2]  # the moved session, and the one I now see the place of
    starts = {str(e["UID"]): e["DTSTART"].dt for e in mine.walk("VEVENT")}
    assert starts[f"session-{second.pk}@{calendar._domain()}"] == later
    assert "455 Elm Street" in client.get(feed_of(me)).content.decode()
    assert "455 Elm Street" not in client.get(neighbours).content.decode()
    assert built == [3, 2]  # the neighbour's changed feed reuses my moved session


def test_plugin_items_join_the_personal_feed(client, home_page):
    from lms_example_plugin.models import ReadingNote

    person = UserFactory()
    note = ReadingNote.objects.create(user=person, text="Chapter 2")
    calendar = parse(client.get(feed_of(person)))
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert f"example-note-{note.pk}@learning-commons" in uids


def test_add_to_calendar_gives_one_session_and_the_place_only_to_people_going(
    client, home_page
):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, address="455 Elm Street")
    url = reverse("cohorts:session_ics", args=[session.pk])
    anonymous = parse(client.get(url))
    (event,) = anonymous.walk("VEVENT")
    assert str(event["UID"]).startswith(f"session-{session.pk}@")
    assert "455 Elm Street" not in client.get(url).content.decode()

    person = MembershipFactory(cohort=circle).user
    RSVP.objects.create(session=session, user=person, status=RSVP.Status.GOING)
    client.force_login(person)
    assert "455 Elm Street" in client.get(url).content.decode()
    assert client.get(reverse("cohorts:session_ics", args=[99999])).status_code == 404


def test_a_cached_feed_changes_as_soon_as_its_sessions_or_answers_do(
    client, home_page, django_assert_max_num_queries
):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, address="455 Elm Street")
    person = MembershipFactory(cohort=circle).user
    url = feed_of(person)
    client.get(url)
    with django_assert_max_num_queries(1):  # the address lookup only
        assert "455 Elm Street" not in client.get(url).content.decode()
    RSVP.objects.create(session=session, user=person, status=RSVP.Status.GOING)
    assert "455 Elm Street" in client.get(url).content.decode()
    cancel_session(session)
    assert "STATUS:CANCELLED" in client.get(url).content.decode()
    Membership.objects.get(user=person).delete()
    RSVP.objects.all().delete()
    assert "BEGIN:VEVENT" not in client.get(url).content.decode()


def test_series_revision_rises_when_a_lead_changes_the_rule(admin_client, weekly):
    _, series, _, _ = weekly
    url = reverse("cohort_series:edit", args=[series.pk])
    form = admin_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["first_start"] = series.first_start.astimezone(LA).strftime("%Y-%m-%d %H:%M")
    data["rrule"] = "FREQ=WEEKLY;BYDAY=TU;COUNT=7"
    data["excluded_dates"] = json.dumps(series.excluded_dates)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    series.refresh_from_db()
    assert series.sequence == 1
    # Seven by the rule, one date skipped, one meeting cancelled by hand.
    assert series.sessions.filter(status="scheduled").count() == 5


def test_feed_events_follow_a_group_whose_address_changed(
    client, home_page, django_capture_on_commit_callbacks
):
    groups = home_page.add_child(instance=StandardPage(title="Groups", slug="groups"))
    circle = CohortPageFactory(parent=groups, slug="circle")
    SessionFactory(cohort=circle)
    url = feed_of(MembershipFactory(cohort=circle).user)

    def address() -> str:
        (event,) = parse(client.get(url)).walk("VEVENT")
        return str(event["URL"])

    assert address().endswith("/groups/circle/")
    groups.slug = "circles"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail signals then
        groups.save()
    assert address().endswith("/circles/circle/")


def test_a_change_that_moves_text_between_fields_still_rebuilds_the_event(
    client, home_page
):
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, location_name="Hall|", address="")
    member = MembershipFactory(cohort=circle, role="facilitator").user
    url = feed_of(member)
    client.get(url)
    session.location_name, session.address = "Hall", "|"
    session.save()
    (event,) = parse(client.get(url)).walk("VEVENT")
    assert str(event["LOCATION"]) == "Hall, |"


def test_a_feed_is_kept_through_changes_that_are_not_in_it(
    client, home_page, django_assert_max_num_queries
):
    mine, other = (CohortPageFactory(parent=home_page) for _ in range(2))
    session = SessionFactory(cohort=mine, address="455 Elm Street")
    elsewhere = SessionFactory(cohort=other)
    me, neighbour = (MembershipFactory(cohort=mine).user for _ in range(2))
    stranger = MembershipFactory(cohort=other).user
    url = feed_of(me)
    client.get(url)

    def kept() -> str:
        with django_assert_max_num_queries(1):  # the address lookup only
            return client.get(url).content.decode()

    # Another group's meeting moves, people answer and join: not in my feed.
    move_session(
        elsewhere,
        elsewhere.starts_at + timedelta(hours=1),
        elsewhere.ends_at + timedelta(hours=1),
    )
    RSVP.objects.create(session=elsewhere, user=stranger, status=RSVP.Status.GOING)
    RSVP.objects.create(session=session, user=neighbour, status=RSVP.Status.GOING)
    MembershipFactory(cohort=mine)
    assert "455 Elm Street" not in kept()
    # My own answer, and my group's meetings, are.
    RSVP.objects.create(session=session, user=me, status=RSVP.Status.GOING)
    assert "455 Elm Street" in client.get(url).content.decode()
    kept()
    later = session.starts_at + timedelta(days=1)
    move_session(session, later, later + timedelta(hours=1))
    (event,) = parse(client.get(url)).walk("VEVENT")
    assert event["DTSTART"].dt == later
    # An event in another group I answer joins my feed, and follows its changes.
    RSVP.objects.create(session=elsewhere, user=me, status=RSVP.Status.MAYBE)
    assert len(parse(client.get(url)).walk("VEVENT")) == 2
    cancel_session(elsewhere)
    assert "Cancelled" in client.get(url).content.decode()


def test_plugin_items_are_asked_for_at_most_every_ten_minutes(
    client, home_page, register_plugin, monkeypatch
):
    from django.core.cache.backends import locmem

    asked = []

    class Deadlines:
        @hookimpl
        def lms_calendar_events(self, user):
            asked.append(time.time())  # the items are kept from about then
            start = timezone.now() + timedelta(days=2)
            return [CalendarItem("deadline-1@test", "Deadline", start, start)]

    register_plugin(Deadlines(), name="deadlines")
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle)
    url = feed_of(MembershipFactory(cohort=circle).user)
    assert "deadline-1@test" in client.get(url).content.decode()
    move_session(
        session,
        session.starts_at + timedelta(hours=1),
        session.ends_at + timedelta(hours=1),
    )
    content = client.get(url).content.decode()
    assert "deadline-1@test" in content and content.count("BEGIN:VEVENT") == 2
    assert len(asked) == 1  # the feed was rebuilt for its session alone
    for seconds, times_asked in ((599.5, 1), (600.5, 2)):
        later = asked[0] + seconds
        monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda t=later: t))
        client.get(url)
        assert len(asked) == times_asked


def test_the_feed_leaves_out_groups_whose_page_privacy_refuses_its_owner(
    client, home_page, django_assert_max_num_queries
):
    """A feed has no browser session: a password-protected group's sessions
    are left out; login and group restrictions are judged for the owner, on
    the group's page or a page above it, as Wagtail judges the page itself."""
    person = UserFactory()
    staff = Group.objects.create(name="Staff only")
    private_section = StandardPage(title="Private", slug="private")
    home_page.add_child(instance=private_section)
    circles = {
        name: CohortPageFactory(parent=parent, title=name)
        for name, parent in [
            ("open", home_page),
            ("login", home_page),
            ("staff", home_page),
            ("password", home_page),
            ("below", private_section),
        ]
    }
    for circle in circles.values():
        MembershipFactory(cohort=circle, user=person)
        SessionFactory(cohort=circle, title=f"Meeting of {circle.title}")
    url = feed_of(person)
    assert len(parse(client.get(url)).walk("VEVENT")) == 5

    def restrict(page, kind, **fields):
        return PageViewRestriction.objects.create(
            page=page, restriction_type=kind, **fields
        )

    restrict(circles["login"], PageViewRestriction.LOGIN)
    restrict(circles["password"], PageViewRestriction.PASSWORD, password="open")
    restrict(circles["staff"], PageViewRestriction.GROUPS).groups.add(staff)
    restrict(private_section, PageViewRestriction.GROUPS).groups.add(staff)

    def listed() -> set[str]:
        calendar = parse(client.get(url))
        return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}

    def refused() -> set[str]:
        request = as_request(person)
        return {
            f"Meeting of {name}"
            for name, circle in circles.items()
            if privacy_refuses(circle, request)
        }

    assert listed() == {"Meeting of open", "Meeting of login"}
    assert refused() == {
        "Meeting of staff",
        "Meeting of password",
        "Meeting of below",
    }
    person.groups.add(staff)
    assert listed() == {f"Meeting of {name}" for name in circles} - refused()
    assert listed() == {f"Meeting of {name}" for name in circles} - {
        "Meeting of password"
    }
    # Whatever the number of groups, the feed takes the same few queries.
    feeds.invalidate()
    event_texts.invalidate()
    plugin_items.invalidate()
    with django_assert_max_num_queries(3 + calendar_plugins()):
        parse(client.get(url))


def test_plugin_items_of_groups_the_owner_may_not_see_leave_the_feed(
    client, home_page, register_plugin, django_assert_max_num_queries
):
    """Core, not each plugin, leaves out an item of a group whose page the
    person may no longer see (its privacy settings refuse them, or it was
    unpublished and they do not run it), at once, as it leaves out its
    sessions; an item of no group stays."""
    person = UserFactory()
    circles = {
        name: CohortPageFactory(parent=home_page, title=name)
        for name in ("open", "private", "draft", "run")
    }
    for name, circle in circles.items():
        role = "facilitator" if name == "run" else "participant"
        MembershipFactory(cohort=circle, user=person, role=role)
    start = timezone.now() + timedelta(days=2)

    class Deadlines:
        @hookimpl
        def lms_calendar_events(self, user):
            return [
                CalendarItem(
                    f"due-{name}@test", f"Due in {name}", start, start, cohort_id=c.pk
                )
                for name, c in circles.items()
            ] + [CalendarItem("mine@test", "My own", start, start)]

    register_plugin(Deadlines(), name="deadlines")
    url = feed_of(person)

    def listed() -> set[str]:
        calendar = parse(client.get(url))
        return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}

    everything = {f"Due in {name}" for name in circles} | {"My own"}
    assert listed() == everything
    board = restrict_to(circles["private"])
    circles["draft"].unpublish()
    circles["run"].unpublish()
    assert listed() == {"Due in open", "Due in run", "My own"}
    person.groups.add(board)
    assert listed() == everything - {"Due in draft"}
    # A kept feed costs what it did: the verdict is kept with its sessions.
    with django_assert_max_num_queries(1):  # the address lookup only
        parse(client.get(url))
    # Built from nothing: one query more than the bar, for the items' groups.
    feeds.invalidate()
    event_texts.invalidate()
    plugin_items.invalidate()
    with django_assert_max_num_queries(4 + calendar_plugins()):
        assert listed() == everything - {"Due in draft"}


def test_an_alias_of_a_group_made_private_is_left_out_of_the_feed(client, home_page):
    """An alias has its source page's privacy settings (Wagtail judges the
    source's): when the source of an alias is password-protected after the
    alias was made, the alias's sessions leave its members' feeds, as its page
    refuses them."""
    person = UserFactory()
    source = CohortPageFactory(parent=home_page, title="Source")
    alias = source.create_alias(parent=home_page, update_slug="alias-of-source")
    MembershipFactory(cohort=alias, user=person)
    SessionFactory(cohort=alias, title="Meeting of the alias")
    assert len(parse(client.get(feed_of(person))).walk("VEVENT")) == 1
    PageViewRestriction.objects.create(
        page=source, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    assert not alias.view_restrictions.exists()
    assert privacy_refuses(alias, as_request(person))
    assert parse(client.get(feed_of(person))).walk("VEVENT") == []


def test_a_group_made_private_leaves_cached_feeds_at_once(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    SessionFactory(cohort=circle, title="Weekly meeting")
    person = MembershipFactory(cohort=circle).user
    url = feed_of(person)
    assert "Weekly meeting" in client.get(url).content.decode()
    PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    assert "Weekly meeting" not in client.get(url).content.decode()


def test_an_unpublished_groups_sessions_leave_the_feed(client, home_page):
    """Like its page and its sessions' own calendar files: gone for everyone
    but its staff, who prepare it."""
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle, title="Weekly meeting")
    person = MembershipFactory(cohort=circle).user
    RSVP.objects.create(session=session, user=person, status=RSVP.Status.GOING)
    url = feed_of(person)
    staff_url = feed_of(MembershipFactory(cohort=circle, role="facilitator").user)
    assert "Weekly meeting" in client.get(url).content.decode()
    circle.unpublish()
    assert "Weekly meeting" not in client.get(url).content.decode()
    assert "Weekly meeting" in client.get(staff_url).content.decode()
    client.force_login(person)
    assert (
        client.get(reverse("cohorts:session_ics", args=[session.pk])).status_code == 404
    )


def test_only_meetings_that_differ_from_the_rule_get_an_override(client, weekly):
    """A meeting as the rule makes it is the series' own event; only the moved
    and the cancelled ones are overridden (RECURRENCE-ID)."""
    circle, _series, moved, cancelled = weekly
    member = MembershipFactory(cohort=circle).user
    calendar = parse(client.get(feed_of(member)))
    overridden = [
        event["RECURRENCE-ID"].dt
        for event in calendar.walk("VEVENT")
        if "RECURRENCE-ID" in event
    ]
    assert sorted(overridden) == [moved.original_start, cancelled.original_start]


def test_a_feed_keeps_the_last_180_days_of_sessions(client, home_page):
    """Of the person's group and of events they answered alike."""
    circle = CohortPageFactory(parent=home_page)
    event = CohortPageFactory(parent=home_page, kind="event")
    member = MembershipFactory(cohort=circle).user
    now = timezone.now()
    for cohort, title, days in (
        (circle, "Recent meeting", 179.5),
        (circle, "Old meeting", 180.5),
        (event, "Recent talk", 179.5),
        (event, "Old talk", 180.5),
    ):
        start = now - timedelta(days=days)
        session = SessionFactory(
            cohort=cohort,
            title=title,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
        )
        if cohort == event:
            RSVP.objects.create(session=session, user=member, status=RSVP.Status.GOING)
    text = client.get(feed_of(member)).content.decode()
    assert "Recent meeting" in text and "Recent talk" in text
    assert "Old meeting" not in text and "Old talk" not in text


def test_the_time_zone_runs_from_two_years_back_to_five_years_ahead(client, weekly):
    """Calendar apps place the sessions through the feed's VTIMEZONE: its
    daylight-saving changes run from two years back (past the feed's
    history) to five years ahead (a series may run for years)."""
    circle, *_ = weekly
    member = MembershipFactory(cohort=circle).user
    (zone,) = parse(client.get(feed_of(member))).walk("VTIMEZONE")
    text = zone.to_ical().decode().replace("\r\n ", "")  # unfolded
    year = timezone.now().year
    changes = sorted(re.findall(r"(\d{8})T\d{6}", text))
    assert changes[0] == f"{year - 2}0101"  # in force from the start of that year
    assert {change[:4] for change in changes[1:]} == {
        str(y) for y in range(year - 2, year + 5)
    }
    assert f"to {year + 5}-01-01 00:00:00" in text


def test_the_place_of_an_online_session_is_its_link_for_people_going(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    sessions = [
        SessionFactory(
            cohort=circle,
            title=title,
            location_name=name,
            address=address,
            online_url=f"https://meet.example.org/{title.lower()}",
        )
        for title, name, address in (
            ("Online", "", ""),
            ("Both", "Library", "1 Main Street"),
        )
    ]
    member = MembershipFactory(cohort=circle).user
    for session in sessions:
        RSVP.objects.create(session=session, user=member, status=RSVP.Status.GOING)
    calendar = parse(client.get(feed_of(member)))
    locations = {
        str(event["SUMMARY"]): str(event["LOCATION"])
        for event in calendar.walk("VEVENT")
    }
    assert locations == {
        "Online": "https://meet.example.org/online",
        "Both": "Library, 1 Main Street",
    }


def test_a_meeting_made_longer_by_hand_is_overridden_with_its_end(client, weekly):
    """An edit in the admin changes the end without raising the revision:
    the meeting still differs from the rule."""
    circle, series, moved, _cancelled = weekly
    longer = series.sessions.filter(status="scheduled").exclude(pk=moved.pk).first()
    longer.ends_at += timedelta(minutes=30)
    longer.save()
    member = MembershipFactory(cohort=circle).user
    calendar = parse(client.get(feed_of(member)))
    (override,) = [
        event
        for event in calendar.walk("VEVENT")
        if "RECURRENCE-ID" in event
        and event["RECURRENCE-ID"].dt == longer.original_start
    ]
    assert override["DTEND"].dt == longer.ends_at


def test_event_uids_name_the_sites_host(client, home_page, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://commons.example.org"
    circle = CohortPageFactory(parent=home_page)
    session = SessionFactory(cohort=circle)
    member = MembershipFactory(cohort=circle).user
    (event,) = parse(client.get(feed_of(member))).walk("VEVENT")
    assert str(event["UID"]) == f"session-{session.pk}@commons.example.org"


def test_a_feed_and_its_events_are_kept_a_day(client, home_page, monkeypatch):
    """A day bounds how stale a feed or an event's text can be where a change
    does not reach the cache (several processes without a shared cache)."""
    fetched, built = [], []
    sessions_for, build_units = calendar.sessions_for, calendar._build_units
    monkeypatch.setattr(
        calendar, "sessions_for", lambda *a: fetched.append(1) or sessions_for(*a)
    )
    monkeypatch.setattr(
        calendar,
        "_build_units",
        lambda user, missing: built.append(len(missing)) or build_units(user, missing),
    )
    circle = CohortPageFactory(parent=home_page)
    SessionFactory(cohort=circle)
    member = MembershipFactory(cohort=circle).user
    url = feed_of(member)
    start, day = time.time(), 24 * 3600

    def poll_at(seconds: float) -> tuple[int, int]:
        clock = SimpleNamespace(time=lambda: start + seconds)
        # The local-memory cache reads expiry times in one module, sets them
        # in the other.
        monkeypatch.setattr(locmem, "time", clock)
        monkeypatch.setattr(cache_base, "time", clock)
        parse(client.get(url))
        return len(fetched), len(built)

    assert poll_at(0) == (1, 1)
    assert poll_at(day - 3) == (1, 1)  # the feed kept
    assert poll_at(day + 3) == (2, 2)  # the feed and its event made again
    # The feed dropped by a change: its event, made a day ago less seconds,
    # is still kept.
    calendar.feeds.invalidate_scope(calendar.person_scope(member.pk))
    assert poll_at(2 * day) == (3, 2)


def test_a_meeting_the_rule_dropped_is_its_own_event_if_scheduled_again(client, weekly):
    """A shorter rule cancels the meetings it no longer has; one scheduled
    again by hand is an event of its own, the others stay out of the feed."""
    circle, series, _moved, _cancelled = weekly
    *_, kept, last = series.sessions.order_by("original_start")
    series.rrule = "FREQ=WEEKLY;BYDAY=TU;COUNT=3"
    series.save()
    sync_series(series)
    Session.objects.filter(pk=kept.pk).update(status=Session.Status.SCHEDULED)
    member = MembershipFactory(cohort=circle).user
    uids = {
        str(event["UID"]) for event in parse(client.get(feed_of(member))).walk("VEVENT")
    }
    assert f"session-{kept.pk}@{calendar._domain()}" in uids
    assert f"session-{last.pk}@{calendar._domain()}" not in uids


def test_a_series_whose_rule_cannot_be_read_lists_its_meetings_one_by_one(
    client, weekly
):
    circle, series, _moved, _cancelled = weekly
    SessionSeries.objects.filter(pk=series.pk).update(rrule="FREQ=FORTNIGHTLY")
    member = MembershipFactory(cohort=circle).user
    events = parse(client.get(feed_of(member))).walk("VEVENT")
    assert not [event for event in events if "RRULE" in event]
    assert sorted(str(event["UID"]) for event in events) == sorted(
        f"session-{session.pk}@{calendar._domain()}"
        for session in series.sessions.all()
    )


def overrides(calendar_: icalendar.Calendar) -> dict:
    """A series' overrides by their RECURRENCE-ID (the meeting's original start)."""
    return {
        event["RECURRENCE-ID"].dt: event
        for event in calendar_.walk("VEVENT")
        if "RECURRENCE-ID" in event
    }


def test_a_meeting_cancelled_by_hand_is_shown_cancelled(client, weekly):
    """Its status changed in the admin, without raising its revision."""
    circle, series, _moved, _cancelled = weekly
    by_hand = series.sessions.order_by("original_start").first()
    by_hand.status = Session.Status.CANCELLED
    by_hand.save()
    member = MembershipFactory(cohort=circle).user
    override = overrides(parse(client.get(feed_of(member))))[by_hand.original_start]
    assert str(override["STATUS"]) == "CANCELLED"


def test_a_meeting_moved_and_moved_back_keeps_its_raised_revision(client, weekly):
    """Calendars that showed it moved must see it move back."""
    circle, _series, moved, _cancelled = weekly
    start = moved.original_start
    move_session(moved, start, start + timedelta(minutes=90))
    member = MembershipFactory(cohort=circle).user
    override = overrides(parse(client.get(feed_of(member))))[start]
    assert override["SEQUENCE"] == 2 and override["DTSTART"].dt == start


def test_a_series_of_one_meeting_is_one_event(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    series = SessionSeries.objects.create(
        cohort=circle,
        title="Launch",
        first_start=datetime(timezone.now().year + 1, 5, 4, 18, 0, tzinfo=LA),
        duration_minutes=60,
        rrule="FREQ=WEEKLY;COUNT=1",
    )
    sync_series(series)
    member = MembershipFactory(cohort=circle).user
    (event,) = parse(client.get(feed_of(member))).walk("VEVENT")
    assert str(event["UID"]) == f"series-{series.pk}@{calendar._domain()}"


def test_a_poll_makes_a_feeds_head_and_time_zone_only_once(client, weekly, monkeypatch):
    """Every poll writes them: the same text for the same name and zone."""
    circle, *_ = weekly
    url = feed_of(MembershipFactory(cohort=circle).user)
    parse(client.get(url))
    made = []
    new_calendar, from_tzid = calendar._new_calendar, icalendar.Timezone.from_tzid
    monkeypatch.setattr(
        calendar, "_new_calendar", lambda name: made.append(name) or new_calendar(name)
    )
    monkeypatch.setattr(
        calendar,
        "Timezone",
        SimpleNamespace(from_tzid=lambda *a, **k: made.append(a) or from_tzid(*a, **k)),
    )
    calendar.feeds.invalidate()  # the feed rebuilt, all the same
    parse(client.get(url))
    assert made == []


def plugin_item_events(*fields: dict) -> list:
    """The events of plugin items with these fields (and a uid, title, time)."""
    start = timezone.now()
    items = [
        CalendarItem(
            uid=f"item-{n}@plugin",
            title="Item",
            start=start,
            end=start + timedelta(hours=1),
            **given,
        )
        for n, given in enumerate(fields)
    ]
    text = calendar.feed_text("Mine", calendar.items_part(items))
    return icalendar.Calendar.from_ical(text).walk("VEVENT")


def test_a_plugin_items_path_becomes_a_full_address_and_a_full_one_is_kept(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://commons.example.org"
    events = plugin_item_events(
        {"url": "/notes/1/"}, {"url": "https://elsewhere.example.net/a"}
    )
    assert [str(event["URL"]) for event in events] == [
        "https://commons.example.org/notes/1/",
        "https://elsewhere.example.net/a",
    ]


def test_a_plugin_item_cancelled_is_shown_cancelled():
    events = plugin_item_events({"cancelled": True}, {"cancelled": False})
    assert [str(event["STATUS"]) for event in events] == ["CANCELLED", "CONFIRMED"]


def test_a_plugin_items_place_and_description_are_given_when_it_has_them():
    given, bare = plugin_item_events(
        {"location": "Room 4", "description": "Bring your draft."}, {}
    )
    assert (str(given["LOCATION"]), str(given["DESCRIPTION"])) == (
        "Room 4",
        "Bring your draft.",
    )
    assert "LOCATION" not in bare and "DESCRIPTION" not in bare


def test_a_meeting_retitled_by_hand_is_overridden_with_its_title(client, weekly):
    """A new title raises no revision (it is not the time or the place)."""
    circle, series, _moved, _cancelled = weekly
    retitled = series.sessions.order_by("original_start").first()
    retitled.title = "Special guest"
    retitled.save()
    member = MembershipFactory(cohort=circle).user
    override = overrides(parse(client.get(feed_of(member))))[retitled.original_start]
    assert str(override["SUMMARY"]) == "Special guest"


def test_a_kept_feed_part_is_read_only():
    """One part of a feed is kept for everyone who sees it the same way."""
    part = calendar.items_part([])
    with pytest.raises(FrozenInstanceError):
        part.events = b""


def test_the_api_makes_shows_once_and_turns_off_a_calendar_address(home_page):
    person = UserFactory()
    group = CohortPageFactory(parent=home_page, title="Budget circle")
    MembershipFactory(cohort=group, user=person)
    SessionFactory(cohort=group, title="First meeting")
    MembershipFactory(
        cohort=CohortPageFactory(parent=home_page), user=person, status="left"
    )
    _token, writes = create_token(person, "App", TokenTerms.Scope.WRITE, 30)
    _token, reads = create_token(person, "App", TokenTerms.Scope.READ, 30)

    def call(method, plaintext=writes):
        return getattr(Client(), method)(
            "/api/v1/me/calendar", HTTP_AUTHORIZATION=f"Bearer {plaintext}"
        )

    assert call("get").json() == {"on": False, "made_at": None}
    assert call("post", reads).status_code == 403
    made = call("post").json()
    assert [(g["group_id"], g["group"]) for g in made["groups"]] == [
        (group.pk, "Budget circle")
    ]
    feed = Client().get(made["url"])
    assert feed.status_code == 200 and b"First meeting" in feed.content
    assert Client().get(made["groups"][0]["url"]).status_code == 200
    shown = call("get").json()
    assert shown["on"] is True and shown["made_at"]
    assert made["url"] not in json.dumps(shown)  # shown once: only its hash is kept
    # A new address: the old one stops working; turned off, so does the new.
    again = call("post").json()
    assert Client().get(made["url"]).status_code == 404
    assert call("delete", reads).status_code == 403
    assert call("delete").status_code == 204
    assert Client().get(again["url"]).status_code == 404
    assert call("get").json()["on"] is False
    assert call("delete").status_code == 204  # again: nothing changes
