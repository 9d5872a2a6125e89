from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cohorts.models import CohortPage, Membership
from cohorts.permissions import viewable_groups
from content.models import StandardPage
from lms import events
from notifications.models import Announcement
from scheduling.models import RSVP, Attendance, Session
from sdk.testing import group_with_people
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SECRET_ADDRESS = "455 Elm Street, Riverside"


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(
        parent=home_page,
        title="Grantwriting circle",
        goal_prompt="What do you hope to get out of this circle?",
    )


@pytest.fixture
def session(circle):
    return SessionFactory(cohort=circle, capacity=10)


def members_url(cohort) -> str:
    return reverse("cohorts:members", args=[cohort.pk])


def member_of(cohort, role="participant", **user):
    return MembershipFactory(cohort=cohort, role=role, user=UserFactory(**user)).user


def test_visitors_see_the_schedule_but_not_the_place(client, circle, session):
    html = client.get(circle.url).content.decode()
    assert "Upcoming sessions" in html
    assert SECRET_ADDRESS not in html
    assert "Log in to join" in html


def test_place_is_revealed_only_after_saying_going(client, circle, session):
    member = member_of(circle)
    client.force_login(member)
    assert SECRET_ADDRESS not in client.get(circle.url).content.decode()
    client.post(f"/cohorts/sessions/{session.pk}/rsvp/", {"answer": "going"})
    assert SECRET_ADDRESS in client.get(circle.url).content.decode()
    client.post(f"/cohorts/sessions/{session.pk}/rsvp/", {"answer": "declined"})
    assert SECRET_ADDRESS not in client.get(circle.url).content.decode()


def test_joining_records_the_goal_and_waitlists_when_full(client, circle):
    CohortPage.objects.filter(pk=circle.pk).update(capacity=1)
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    client.post(f"/cohorts/{circle.pk}/join/", {"goal": "Write our first grant"})
    client.force_login(second)
    client.post(f"/cohorts/{circle.pk}/join/", {"goal": ""})
    assert Membership.objects.get(user=first).goal == "Write our first grant"
    assert Membership.objects.get(user=first).status == "active"
    assert Membership.objects.get(user=second).status == "waitlisted"
    assert "waiting list" in client.get(circle.url).content.decode()


def test_non_members_cannot_rsvp_and_get_403_not_500(client, circle, session):
    client.force_login(UserFactory())
    response = client.post(f"/cohorts/sessions/{session.pk}/rsvp/", {"answer": "going"})
    assert response.status_code == 403
    assert not RSVP.objects.exists()


def test_bad_rsvp_input_is_a_message_not_an_error(client, circle, session):
    client.force_login(member_of(circle))
    response = client.post(
        f"/cohorts/sessions/{session.pk}/rsvp/", {"answer": "perhaps"}, follow=True
    )
    assert response.status_code == 200
    assert "Choose going, maybe or not going." in response.content.decode()
    assert client.get("/cohorts/sessions/999999/rsvp/").status_code == 405
    assert client.post("/cohorts/sessions/999999/rsvp/").status_code == 404


def test_members_page_is_for_members_and_hides_contact_details(client, circle):
    member_of(circle, email="youth@example.org", first_name="Dani")
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(members_url(circle)).status_code == 403
    client.force_login(member_of(circle))
    html = client.get(members_url(circle)).content.decode()
    assert "Dani" in html and "youth@example.org" not in html
    client.force_login(member_of(circle, role="facilitator"))
    assert "youth@example.org" in client.get(members_url(circle)).content.decode()


def test_another_cohorts_members_stay_hidden(client, home_page, circle):
    member_of(circle, first_name="Secretperson")
    other = CohortPageFactory(parent=home_page)
    client.force_login(member_of(other))
    assert client.get(members_url(circle)).status_code == 403
    assert "Secretperson" not in client.get(circle.url).content.decode()


def test_only_facilitators_take_attendance(client, circle):
    session = SessionFactory(
        cohort=circle, starts_at=timezone.now().replace(microsecond=0)
    )
    participant = member_of(circle, first_name="Amara")
    client.force_login(participant)
    url = f"/cohorts/sessions/{session.pk}/attendance/"
    assert client.get(url).status_code == 403
    assert client.post(url, {f"member-{participant.pk}": "present"}).status_code == 403
    facilitator = member_of(circle, role="facilitator")
    client.force_login(facilitator)
    assert "Amara" in client.get(url).content.decode()
    client.post(url, {f"member-{participant.pk}": "late"})
    client.post(url, {f"member-{participant.pk}": "present", "member-0": "bogus"})
    record = Attendance.objects.get()
    assert (record.user, record.status) == (participant, "present")
    assert record.recorded_by == facilitator


def test_attendance_is_refused_before_a_session_starts(client, circle):
    participant = member_of(circle)
    client.force_login(member_of(circle, role="facilitator"))
    future = SessionFactory(
        cohort=circle,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=2),
    )
    cancelled = SessionFactory(
        cohort=circle,
        starts_at=timezone.now().replace(microsecond=0) - timedelta(days=2),
        status=Session.Status.CANCELLED,
    )
    for session in (future, cancelled):
        url = f"/cohorts/sessions/{session.pk}/attendance/"
        assert "Save attendance" not in client.get(url).content.decode()
        response = client.post(url, {f"member-{participant.pk}": "present"})
        assert response.status_code == 400
        assert "Nothing was saved" in response.content.decode()
    assert not Attendance.objects.exists()

    held = SessionFactory(
        cohort=circle,
        starts_at=timezone.now().replace(microsecond=0) - timedelta(days=1),
    )
    url = f"/cohorts/sessions/{held.pk}/attendance/"
    assert client.post(url, {f"member-{participant.pk}": "late"}).status_code == 302
    report = client.get(f"/cohorts/{circle.pk}/attendance/")
    assert report.context["report"].sessions == [held]
    assert report.context["report"].rows[0].cells == ["late"]
    assert f'href="{url}"' in report.content.decode()


def test_plugin_tabs_and_panels_appear_only_where_switched_on(client, home_page):
    with_plugin = CohortPageFactory(parent=home_page, plugins=["example"])
    without_plugin = CohortPageFactory(parent=home_page)
    user = UserFactory()
    for cohort in (with_plugin, without_plugin):
        MembershipFactory(cohort=cohort, user=user)
    client.force_login(user)
    assert "/p/example/" in client.get(with_plugin.url).content.decode()
    assert "/p/example/" not in client.get(without_plugin.url).content.decode()


def test_plugin_tabs_are_shown_only_to_those_the_plugin_pages_admit(client, home_page):
    """A superuser runs any group from outside it, but a plugin's pages admit
    its current members only: no tab leading to a 404 (found by the crawl)."""
    cohort = CohortPageFactory(parent=home_page, plugins=["coaching"])
    member = member_of(cohort)
    tab = f"/p/coaching/groups/{cohort.pk}/"
    client.force_login(member)
    assert tab in client.get(cohort.url).content.decode()
    assert client.get(tab).status_code == 200

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for page in (cohort.url, f"/cohorts/{cohort.pk}/dashboard/"):
        response = client.get(page)
        assert response.status_code == 200
        assert tab not in response.content.decode()
    assert client.get(tab).status_code == 404


def test_cancelled_sessions_say_so_and_take_no_answers(client, circle, session):
    Session.objects.filter(pk=session.pk).update(status="cancelled")
    client.force_login(member_of(circle))
    html = client.get(circle.url).content.decode()
    assert "Cancelled" in html and 'name="answer"' not in html


def _populate(cohort, count):
    now = timezone.now()
    Session.objects.bulk_create(
        Session(
            cohort=cohort,
            starts_at=now + timedelta(days=i + 1),
            ends_at=now + timedelta(days=i + 1, hours=2),
        )
        for i in range(count)
    )
    users = [
        UserFactory.build(email=f"m{cohort.pk}-{i}@example.org") for i in range(count)
    ]
    from django.contrib.auth import get_user_model

    created = get_user_model().objects.bulk_create(users)
    Membership.objects.bulk_create(Membership(cohort=cohort, user=u) for u in created)
    Announcement.objects.bulk_create(
        Announcement(cohort=cohort, author=u, subject="News", body="Text")
        for u in created
    )


def test_cohort_page_query_count_does_not_grow_with_sessions_or_members(
    client, home_page
):
    small = CohortPageFactory(parent=home_page, plugins=["example"])
    large = CohortPageFactory(parent=home_page, plugins=["example"])
    _populate(small, 10)
    _populate(large, 1000)
    viewer = UserFactory()
    for cohort in (small, large):
        MembershipFactory(cohort=cohort, user=viewer)
    client.force_login(viewer)
    counts = []
    for cohort in (small, large):
        client.get(cohort.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(cohort.url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 18


def test_speakers_and_the_recording_are_shown(client, home_page):
    from cohorts.models import Speaker

    talk = CohortPageFactory(
        parent=home_page,
        kind="event",
        recording_url="https://video.example.org/talk",
    )
    Speaker.objects.create(cohort=talk, name="Dr. Ines Moreno", organisation="UCR")
    html = client.get(talk.url).content.decode()
    assert "Dr. Ines Moreno" in html and "UCR" in html
    assert "https://video.example.org/talk" in html


def test_speaker_photo_needs_a_description(home_page):
    from django.core.exceptions import ValidationError
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    from cohorts.models import Speaker

    photo = Image.objects.create(title="Ines", file=get_test_image_file())
    speaker = Speaker(name="Ines", photo=photo)
    with pytest.raises(ValidationError, match="Describe the photo"):
        speaker.clean()


def test_wrap_up_opens_after_the_last_session(client, circle):
    member = MembershipFactory(cohort=circle, goal="Write a budget narrative")
    client.force_login(member.user)
    upcoming = SessionFactory(cohort=circle)
    assert "Did you meet your goal?" not in client.get(circle.url).content.decode()
    url = f"/cohorts/{circle.pk}/wrap-up/"
    assert client.post(url, {"goal_met": "yes"}).status_code == 403

    Session.objects.filter(pk=upcoming.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-2),
    )
    assert "Write a budget narrative" in client.get(circle.url).content.decode()
    response = client.post(url, {"goal_met": "maybe"}, follow=True)
    assert "Choose yes or no." in response.content.decode()
    client.post(url, {"goal_met": "yes", "reflection": "Submitted it!"})
    member.refresh_from_db()
    assert (member.goal_met, member.goal_reflection) == (True, "Submitted it!")
    assert member.status == Membership.Status.COMPLETED


def test_completing_a_group_tells_plugins_once(
    client, circle, captured_events, django_capture_on_commit_callbacks
):
    member = MembershipFactory(cohort=circle)
    SessionFactory(
        cohort=circle,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
    )
    client.force_login(member.user)
    url = f"/cohorts/{circle.pk}/wrap-up/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"goal_met": "no"})
        client.post(url, {"goal_met": "yes", "reflection": "On second thought"})
    assert captured_events == [
        events.CohortCompleted(
            occurred_at=captured_events[0].occurred_at,
            cohort_id=circle.pk,
            user_id=member.user_id,
        )
    ]
    member.refresh_from_db()
    assert (member.goal_met, member.goal_reflection) == (True, "On second thought")


def test_staff_completing_a_membership_in_the_admin_tells_plugins(
    admin_client, circle, captured_events, django_capture_on_commit_callbacks
):
    member = MembershipFactory(cohort=circle)
    url = f"/admin/cohorts/memberships/edit/{member.pk}/"
    form = admin_client.get(url).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name in form.fields
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {**data, "status": "completed"})
        assert response.status_code == 302, response.context["form"].errors
        admin_client.post(url, {**data, "status": "completed", "goal": "Again"})
    assert [(type(e), e.user_id) for e in captured_events] == [
        (events.CohortCompleted, member.user_id)
    ]


def test_outsiders_cannot_wrap_up_someone_elses_cohort(client, circle):
    SessionFactory(
        cohort=circle,
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-1),
    )
    client.force_login(UserFactory())
    assert (
        client.post(f"/cohorts/{circle.pk}/wrap-up/", {"goal_met": "yes"}).status_code
        == 403
    )


def _past_sessions(cohort, count):
    now = timezone.now()
    return [
        SessionFactory(
            cohort=cohort,
            starts_at=now - timedelta(days=7 * (count - i)),
            ends_at=now - timedelta(days=7 * (count - i), hours=-2),
        )
        for i in range(count)
    ]


def test_attendance_report_totals_per_member_and_per_session(client, circle):
    amara = member_of(circle, first_name="Amara", last_name="A")
    ben = member_of(circle, first_name="Ben", last_name="B")
    first, second = _past_sessions(circle, 2)
    for session, person, status in [
        (first, amara, "present"),
        (second, amara, "late"),
        (first, ben, "absent"),
    ]:
        Attendance.objects.create(session=session, user=person, status=status)
    client.force_login(member_of(circle, role="facilitator"))
    report = client.get(f"/cohorts/{circle.pk}/attendance/").context["report"]
    assert [(row.name, row.attended) for row in report.rows] == [
        ("Amara A", 2),
        ("Ben B", 0),
    ]
    assert report.rows[1].cells == ["absent", ""]
    assert report.attended_per_session == [1, 1]


def test_attendance_report_is_for_facilitators_only(client, circle):
    client.force_login(member_of(circle))
    assert client.get(f"/cohorts/{circle.pk}/attendance/").status_code == 403


def test_attendance_report_query_count_is_flat(client, home_page):
    facilitator = UserFactory()

    def build(members, sessions):
        cohort = CohortPageFactory(parent=home_page)
        MembershipFactory(cohort=cohort, user=facilitator, role="facilitator")
        for session in _past_sessions(cohort, sessions):
            for _ in range(members):
                person = MembershipFactory(cohort=cohort).user
                Attendance.objects.create(
                    session=session, user=person, status="present"
                )
        return cohort

    small, large = build(2, 2), build(10, 6)
    client.force_login(facilitator)
    counts = []
    for cohort in (small, large):
        url = f"/cohorts/{cohort.pk}/attendance/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_offers_answers_only_to_those_the_rsvp_view_accepts(
    client, circle, session
):
    # A superuser may run any cohort, but answers only where they are a member.
    client.force_login(UserFactory(is_superuser=True))
    assert 'name="answer"' not in client.get(circle.url).content.decode()
    response = client.post(f"/cohorts/sessions/{session.pk}/rsvp/", {"answer": "going"})
    assert response.status_code == 403


def test_members_page_is_paginated_with_the_same_queries_at_any_size(client, home_page):
    small = CohortPageFactory(parent=home_page)
    large = CohortPageFactory(parent=home_page)
    _populate(small, 10)
    _populate(large, 1000)
    viewer = UserFactory()
    counts = []
    for cohort in (small, large):
        MembershipFactory(cohort=cohort, user=viewer)
        client.force_login(viewer)
        client.get(members_url(cohort))
        with CaptureQueriesContext(connection) as queries:
            html = client.get(members_url(cohort) + "?page=2").content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "Page 2 of 21" in html and html.count('class="card"') == 50


def test_resources_the_group_works_with_are_listed_live_ones_only(
    client, home_page, circle
):
    from cohorts.models import CohortResource
    from tests.factories import ResourceIndexPageFactory, ResourcePageFactory

    library = ResourceIndexPageFactory(parent=home_page)
    guide = ResourcePageFactory(parent=library, title="Budget guide")
    hidden = ResourcePageFactory(parent=library, title="Old draft")
    hidden.unpublish()
    CohortResource.objects.create(cohort=circle, resource=guide, note="Read first")
    CohortResource.objects.create(cohort=circle, resource=hidden)
    html = client.get(circle.url).content.decode()
    assert "Budget guide" in html and "Read first" in html
    assert "Old draft" not in html


def test_the_group_page_links_the_register_once_a_session_has_started(client, circle):
    client.force_login(member_of(circle, role="facilitator"))
    now = timezone.now().replace(microsecond=0)
    coming = SessionFactory(cohort=circle, starts_at=now + timedelta(days=2))
    under_way = SessionFactory(
        cohort=circle,
        starts_at=now - timedelta(minutes=30),
        ends_at=now + timedelta(minutes=60),
    )
    html = client.get(circle.url).content.decode()
    assert f"/cohorts/sessions/{under_way.pk}/attendance/" in html
    assert f"/cohorts/sessions/{coming.pk}/attendance/" not in html


@pytest.mark.parametrize(
    "on",
    ["group", "parent", "source of an alias above", "source of an alias's alias above"],
)
def test_a_group_s_own_views_follow_its_page_s_privacy_settings(on):
    """The group's views (members, dashboard) refuse whom its page's privacy
    settings refuse, those of a page above it too (and an alias above it has
    its source page's): a groups restriction lets in its groups' members and
    superusers; a password, once typed in that browser. A restriction on a
    page elsewhere changes nothing. (A group's own views judge it; the list
    and the list of groups the same way: `viewable_groups`, inside a query.)"""
    found = group_with_people()
    page = found.group if on == "group" else found.group.get_parent()
    if on.startswith("source"):
        home = found.group.get_parent().get_parent()
        source = home.add_child(instance=StandardPage(title="Source", slug="source"))
        alias = source.create_alias(parent=home, update_slug="alias-of-source")
        if on == "source of an alias's alias above":
            # Wagtail makes it an alias of the alias, and follows the chain.
            alias = alias.create_alias(parent=home, update_slug="alias-of-alias")
            assert alias.alias_of.alias_of.specific == source
        found.group.move(alias, pos="last-child")
        page = source
    elsewhere = found.group.get_parent().add_sibling(
        instance=StandardPage(title="Elsewhere", slug="elsewhere")
    )
    PageViewRestriction.objects.create(
        page=elsewhere, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    facilitator = found.client("facilitator")
    members = reverse("cohorts:members", args=[found.group.pk])
    dashboard = reverse("cohorts:dashboard", args=[found.group.pk])

    def answers() -> tuple[int, int]:
        browser = SimpleNamespace(session=facilitator.session)
        listed = viewable_groups(found.people["facilitator"], browser)
        seen = (
            facilitator.get(members).status_code,
            facilitator.get(dashboard).status_code,
        )
        assert listed.filter(pk=found.group.pk).exists() == (seen == (200, 200))
        return seen

    assert answers() == (200, 200)
    board = Group.objects.create(name="Board")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(board)
    assert answers() == (403, 403)
    assert found.client("superuser").get(members).status_code == 200
    found.people["facilitator"].groups.add(board)
    assert answers() == (200, 200)
    restriction.delete()
    password = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    assert answers() == (403, 403)
    session = facilitator.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [password.pk]
    session.save()
    assert answers() == (200, 200)
    password.delete()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    assert answers() == (200, 200)
    assert Client().get(members).status_code == 403  # signed out
