"""Daily and weekly digests of the inbox, sent by the task worker
(notifications/inbox_emails.py): one e-mail per person and period, only of
what they have not read and may still see, never twice, none once stopped."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

import sdk
from lms.hookspecs import Delivery
from notifications import inbox
from notifications.inbox_emails import next_digest_time, send_inbox_digest
from notifications.models import Notification, NotificationPreference
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.test_inbox import GREETING, SECRET, greeter  # noqa: F401 (fixture)
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("db_tasks", "greeter")]


def digests_queued() -> list[dict]:
    return [
        task.args_kwargs["kwargs"]
        for task in DBTaskResult.objects.filter(
            task_path="notifications.inbox_emails.send_inbox_digest", status="READY"
        )
    ]


def test_one_digest_a_day_gathers_everything_waiting():
    person = UserFactory(first_name="Ana")
    for name in ("Bo", "Cy", "Di"):
        sdk.notify([person], GREETING.name, params={"name": name})  # daily by default
    (queued,) = digests_queued()  # the first planned it; the others joined
    assert queued["period"] == "daily" and "T07:00:00" in queued["due"]
    run_worker()
    (email,) = mail.outbox
    assert email.to == [person.email]
    assert email.subject == "Your day: 3 notifications"
    text = email.body
    assert "Hello Bo" in text and "Hello Cy" in text and "Hello Di" in text
    assert "A greeting" in text  # the kind's heading
    assert email.extra_headers["List-Unsubscribe"].startswith("<http")
    assert not Notification.objects.filter(emailed_at=None).exists()
    # Nothing waits any more: a later run sends nothing.
    send_inbox_digest.call(person.pk, "daily", queued["due"])
    assert len(mail.outbox) == 1


def test_nothing_goes_to_someone_who_read_it_on_the_site():
    person = UserFactory()
    sdk.notify([person], GREETING.name, params={"name": "Bo"})
    inbox.mark_read(person, Notification.objects.all())
    run_worker()
    assert not mail.outbox
    # A new one after that is planned again.
    sdk.notify([person], GREETING.name, params={"name": "Cy"})
    assert len(digests_queued()) == 1


def test_what_they_may_no_longer_see_is_left_out():
    person = UserFactory(first_name="Zoe")  # SECRET hides itself from Z…
    NotificationPreference.objects.create(
        user=person, kind=SECRET.name, delivery=Delivery.WEEKLY
    )
    sdk.notify([person], SECRET.name, params={"secret": "42"})
    (queued,) = digests_queued()
    assert datetime.fromisoformat(queued["due"]).weekday() == 0  # a Monday
    run_worker()
    assert not mail.outbox
    assert Notification.objects.get().emailed_at is not None


def test_two_workers_with_the_same_digest_send_it_once():
    person = UserFactory()
    sdk.notify([person], GREETING.name, params={"name": "Bo"})
    (queued,) = digests_queued()
    send_inbox_digest.enqueue(**queued)  # a second copy, as after a retry
    run_worker()
    assert len(mail.outbox) == 1


def test_stopping_a_kind_from_the_e_mail_keeps_it_in_the_inbox_only(client: Client):
    person = UserFactory()
    sdk.notify([person], GREETING.name, params={"name": "Bo"})
    run_worker()
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    asked = client.get(link)
    assert "A greeting" in asked.content.decode()
    assert not NotificationPreference.objects.exists()  # a GET changes nothing
    client.post(link)
    assert inbox.choices_of(person)[GREETING.name] == Delivery.INBOX
    sdk.notify([person], GREETING.name, params={"name": "Cy"})
    run_worker()
    assert len(mail.outbox) == 1 and not digests_queued()
    assert Notification.objects.filter(read_at=None).count() == 2  # both in the inbox


def test_e_mail_at_once_carries_a_link_that_stops_its_kind(client: Client):
    person = UserFactory()
    NotificationPreference.objects.create(
        user=person, kind=GREETING.name, delivery=Delivery.EMAIL
    )
    sdk.notify([person], GREETING.name, params={"name": "Bo"})
    run_worker()
    client.post(mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>"))
    assert inbox.choices_of(person)[GREETING.name] == Delivery.INBOX


@pytest.mark.parametrize(
    ("now", "period", "due"),
    [
        # Los Angeles, UTC-8 in winter: 06:59 local is before that day's 7:00.
        ("2030-01-09T14:59", "daily", "2030-01-09T07:00"),
        ("2030-01-09T15:00", "daily", "2030-01-10T07:00"),
        ("2030-01-09T15:00", "weekly", "2030-01-14T07:00"),  # Wednesday → Monday
        ("2030-01-14T14:00", "weekly", "2030-01-14T07:00"),  # Monday before 7:00
    ],
)
def test_digests_go_at_seven_in_the_groups_time_zone(now, period, due):
    moment = datetime.fromisoformat(now).replace(tzinfo=UTC)
    when = next_digest_time(period, moment, "America/Los_Angeles")
    assert when.replace(tzinfo=None).isoformat(timespec="minutes") == due


def test_the_digest_is_in_the_readers_language():
    person = UserFactory(preferred_language="es")
    sdk.notify([person], GREETING.name, params={"name": "Bo"})
    run_worker()
    (email,) = mail.outbox
    assert email.subject == "Su día: 1 notificación"
    assert "Hola Bo" in email.body and "Abrir sus notificaciones" in email.body


def test_before_the_next_session_members_get_what_their_group_said(home_page):
    """The day before the group's next session, at 7:00 its time, one e-mail
    per group with what was filed about it since; other groups wait for theirs."""
    circle = CohortPageFactory(parent=home_page, title="Budget circle")
    other = CohortPageFactory(parent=home_page, title="Youth council")
    person = MembershipFactory(cohort=circle).user
    MembershipFactory(cohort=other, user=person)
    NotificationPreference.objects.create(
        user=person, kind=GREETING.name, delivery=Delivery.MEETING
    )
    tuesday = datetime(2030, 1, 15, 2, 0, tzinfo=UTC)  # Monday 18:00 in LA
    SessionFactory(cohort=circle, starts_at=tuesday)
    for group, name in ((circle, "Bo"), (circle, "Cy"), (other, "Di")):
        sdk.notify([person], GREETING.name, cohort=group, params={"name": name})
    queued = sorted(digests_queued(), key=lambda each: each["cohort_id"])
    assert [each["cohort_id"] for each in queued] == [circle.pk, other.pk]
    # Sunday 7:00 in Los Angeles; the other group has no session: a week.
    assert queued[0]["due"] == "2030-01-13T07:00:00-08:00"
    assert datetime.fromisoformat(queued[1]["due"]).weekday() == 0
    send_inbox_digest.call(**queued[0])
    (email,) = mail.outbox
    assert email.subject == "Before your next session of Budget circle: 2 notifications"
    assert "Hello Bo" in email.body and "Hello Cy" in email.body
    assert "Hello Di" not in email.body
    assert Notification.objects.filter(emailed_at=None).get().cohort == other
