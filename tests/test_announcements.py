"""Announcements to a cohort, e-mail choices, unsubscribe and answer links."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cohorts.models import EmailFrequency, Membership, Program
from notifications.emails import (
    answer_token,
    next_digest_time,
    post_announcement,
    send_digest,
    unsubscribe_url,
)
from notifications.models import Announcement
from scheduling.models import RSVP
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle(home_page):
    return CohortPageFactory(parent=home_page)


def announcements_url(circle) -> str:
    return reverse("cohorts:announcements", args=[circle.pk])


def test_facilitators_post_members_read_outsiders_are_refused(
    client, circle, django_capture_on_commit_callbacks
):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    member = MembershipFactory(cohort=circle).user
    client.force_login(facilitator)
    assert client.post(announcements_url(circle), {"subject": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            announcements_url(circle),
            {"subject": "Room change", "body": "We meet in room 4 <b>now</b>."},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject == f"[{circle.title}] Room change"
    assert "room 4 <b>now</b>" in mail.outbox[0].body  # plain text, not escaped

    client.force_login(member)
    page = client.get(circle.url).content.decode()
    assert "Room change" in page and "&lt;b&gt;now" in page
    assert client.get(announcements_url(circle)).status_code == 200
    response = client.post(announcements_url(circle), {"subject": "x", "body": "y"})
    assert response.status_code == 403

    client.force_login(UserFactory())
    assert client.get(announcements_url(circle)).status_code == 403
    assert "Room change" not in client.get(circle.url).content.decode()
    client.logout()
    assert client.get(announcements_url(circle)).status_code == 302


def test_announcements_are_paginated(client, circle):
    member = MembershipFactory(cohort=circle).user
    Announcement.objects.bulk_create(
        Announcement(cohort=circle, subject=f"News {n}", body="...") for n in range(25)
    )
    client.force_login(member)
    html = client.get(announcements_url(circle) + "?page=3").content.decode()
    assert "News 4" in html and "News 5" not in html and "Page 3 of 3" in html


def test_e_mail_choices_each_digest_or_none(
    db_tasks,  # noqa: F811
    circle,
):
    each = MembershipFactory(cohort=circle).user
    digest = MembershipFactory(cohort=circle, announcement_emails="daily").user
    MembershipFactory(cohort=circle, announcement_emails="none")
    post_announcement(circle, None, "First", "One")
    post_announcement(circle, None, "Second", "Two")
    run_worker(due_within=timedelta(0))  # the announcements, not the digests
    assert sorted(m.to[0] for m in mail.outbox) == [each.email, each.email]

    digests = DBTaskResult.objects.filter(task_path="notifications.emails.send_digest")
    assert digests.count() == 2  # one per announcement, the same key
    mail.outbox.clear()
    run_worker(due_within=timedelta(days=1))
    assert [m.to for m in mail.outbox] == [[digest.email]]
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert mail.outbox[0].subject == "2 new announcements"


def test_digest_covers_the_day_before_it_only(circle):
    reader = MembershipFactory(cohort=circle, announcement_emails="daily").user
    due = next_digest_time(timezone.now())
    old = Announcement.objects.create(cohort=circle, subject="Old", body="...")
    Announcement.objects.filter(pk=old.pk).update(
        created_at=due - timedelta(days=1, minutes=1)
    )
    Announcement.objects.create(cohort=circle, subject="New", body="...")
    assert send_digest.call(reader.pk, due.date().isoformat()) == 1
    assert "New" in mail.outbox[0].body and "Old" not in mail.outbox[0].body
    assert send_digest.call(reader.pk, due.date().isoformat()) == 0


def test_settings_page_saves_choices_for_the_person_only(client, circle):
    membership = MembershipFactory(cohort=circle)
    other = MembershipFactory(cohort=circle)
    client.force_login(membership.user)
    url = reverse("cohorts:email_settings")
    assert circle.title in client.get(url).content.decode()
    field = f"announcements-{membership.pk}"
    assert client.post(url, {field: "bogus"}).status_code == 400
    response = client.post(url, {field: "daily", f"announcements-{other.pk}": "none"})
    assert response.status_code == 302
    membership.refresh_from_db()
    membership.user.refresh_from_db()
    assert membership.announcement_emails == EmailFrequency.DAILY
    assert membership.user.session_reminders is False  # box left unticked
    assert Membership.objects.get(pk=other.pk).announcement_emails == "each"


@pytest.mark.parametrize("what", ["reminders", "announcements", "digest"])
def test_unsubscribe_links_work_without_logging_in(client, circle, what):
    membership = MembershipFactory(cohort=circle, announcement_emails="daily")
    subject = membership.pk if what == "announcements" else membership.user_id
    url = unsubscribe_url(what, subject, "en").removeprefix("http://testserver")
    page = client.get(url)
    assert page.status_code == 200 and b"Stop" in page.content
    membership.refresh_from_db()
    membership.user.refresh_from_db()
    assert membership.user.session_reminders
    assert membership.announcement_emails == "daily"  # GET changes nothing

    assert client.post(url).status_code == 200
    membership.refresh_from_db()
    membership.user.refresh_from_db()
    if what == "reminders":
        assert membership.user.session_reminders is False
    else:
        assert membership.announcement_emails == "none"


def test_forged_links_get_a_helpful_400(client):
    for name in ("cohorts:unsubscribe", "cohorts:answer_by_link"):
        response = client.get(reverse(name, args=["forged"]))
        assert response.status_code == 400
        assert b"link" in response.content


def test_answer_link_changes_the_answer_on_a_click_not_on_opening(client, circle):
    member = MembershipFactory(cohort=circle).user
    session = SessionFactory(cohort=circle)
    url = reverse("cohorts:answer_by_link", args=[answer_token(session, member)])
    assert client.get(url).status_code == 200
    assert not RSVP.objects.exists()
    assert client.post(url, {"answer": "going"}).status_code == 302
    assert RSVP.objects.get().status == RSVP.Status.GOING
    assert client.post(url, {"answer": "nonsense"}).status_code == 302
    assert RSVP.objects.get().status == RSVP.Status.GOING

    Membership.objects.filter(user=member).update(status="left")
    assert client.post(url, {"answer": "declined"}).status_code == 403


def test_program_leads_post_from_the_admin_and_members_are_e_mailed(
    client, circle, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from lms.roles import PROGRAM_LEADS

    member = MembershipFactory(cohort=circle).user
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    circle.program = Program.objects.create(name="Program", slug="program")
    circle.save()
    circle.program.leads.add(lead)
    client.force_login(lead)
    url = "/admin/cohorts/announcements/new/"
    assert client.post(url, {"cohort": circle.pk, "subject": ""}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"cohort": circle.pk, "subject": "Welcome", "body": "Hello all"}
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[member.email]]
    client.force_login(member)
    assert client.get(url).status_code in (302, 403)


def test_announcements_and_sessions_show_the_groups_time_by_its_everyday_name(
    client, home_page
):
    from zoneinfo import ZoneInfo

    from lms.timezones import zone_name

    circle = CohortPageFactory(parent=home_page, time_zone="America/Los_Angeles")
    SessionFactory(cohort=circle)
    member = MembershipFactory(cohort=circle).user
    posted = timezone.now().replace(microsecond=0)
    Announcement.objects.create(
        cohort=circle, author=member, subject="Room change", body="Room 3."
    )
    Announcement.objects.filter(cohort=circle).update(created_at=posted)
    client.force_login(member)
    local = posted.astimezone(ZoneInfo("America/Los_Angeles"))
    for url in (circle.url, announcements_url(circle)):
        html = client.get(url).content.decode()
        assert f'<time datetime="{local.isoformat()}">' in html
        assert "(Pacific time)" in html
        assert "(America/Los_Angeles)" not in html
    assert str(zone_name("Europe/Paris")) == "Paris time"
