"""Reminders and cancellation notices, sent by the real database task worker."""

import threading
from datetime import timedelta
from io import StringIO
from unittest import mock

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageViewRestriction

from cohorts.models import Program
from lms.models import Delivery
from lms.task_queues import TASK_QUEUES
from notifications.emails import read_answer_token, recipients
from scheduling.models import RSVP
from scheduling.sessions import cancel_session, move_session
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
)
from tests.helpers import restrict_to

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}
}


@pytest.fixture
def db_tasks(settings, monkeypatch):
    """The database task backend, with on-commit work done at once.

    Tests run inside a transaction that never commits, so the tasks queued
    "on commit" are queued immediately instead.
    """
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, *args, **kwargs: func()
    )


def run_worker(due_within: timedelta = timedelta(days=30), **options) -> None:
    """Run the worker over every task due within `due_within` from now.

    Deferred tasks are made due now instead of waiting for their time.
    """
    DBTaskResult.objects.filter(run_after__lte=timezone.now() + due_within).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    # The worker recycles database connections between tasks; inside a test's
    # transaction that would close the test's own connection.
    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections"
    ):
        call_command(
            "db_worker",
            batch=True,
            interval=0,
            startup_delay=False,
            stdout=StringIO(),
            **options,
        )


def queued_reminders() -> list[dict]:
    return [
        task.args_kwargs["kwargs"]
        for task in DBTaskResult.objects.filter(
            task_path="notifications.emails.send_reminders", status="READY"
        ).order_by("run_after")
    ]


@pytest.fixture
def circle(home_page):
    program = Program.objects.create(name="Learning Community", slug="lc")
    return CohortPageFactory(parent=home_page, program=program, time_zone="UTC")


def tomorrow_evening(circle, **fields):
    start = timezone.now().replace(microsecond=0) + timedelta(days=2)
    return SessionFactory(
        cohort=circle, starts_at=start, ends_at=start + timedelta(hours=2), **fields
    )


@pytest.mark.django_db
def test_each_offset_is_queued_and_the_worker_sends_it_with_a_calendar_file(
    db_tasks, circle
):
    member = MembershipFactory(cohort=circle).user
    session = tomorrow_evening(circle)
    assert [task["minutes"] for task in queued_reminders()] == [24 * 60, 60]

    run_worker()
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert message.subject.startswith("Reminder:")
    assert "List-Unsubscribe" in message.extra_headers
    (_name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert event["DTSTART"].dt == session.starts_at

    # The answer link acts for this person and session only, without a login.
    link = next(line for line in message.body.splitlines() if "/answer/" in line)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert read_answer_token(token) == (session.pk, member.pk)


@pytest.mark.django_db
def test_program_offsets_and_people_who_declined_or_opted_out(db_tasks, circle):
    circle.program.reminder_hours = "48, 2"
    circle.program.save()
    coming = MembershipFactory(cohort=circle).user
    declined = MembershipFactory(cohort=circle).user
    opted_out = MembershipFactory(cohort=circle, user__session_reminders=False).user
    MembershipFactory(cohort=circle, status="left")
    start = timezone.now() + timedelta(days=3)
    session = SessionFactory(
        cohort=circle, starts_at=start, ends_at=start + timedelta(hours=1)
    )
    RSVP.objects.create(session=session, user=declined, status=RSVP.Status.DECLINED)
    assert [task["minutes"] for task in queued_reminders()] == [48 * 60, 120]
    run_worker()
    assert {tuple(m.to) for m in mail.outbox} == {(coming.email,)}
    assert opted_out.email not in str([m.to for m in mail.outbox])


@pytest.mark.django_db
def test_running_again_or_a_duplicate_task_sends_nothing_more(db_tasks, circle):
    MembershipFactory(cohort=circle)
    session = tomorrow_evening(circle)
    run_worker()
    assert len(mail.outbox) == 2
    session.save()  # queues the same reminders again
    run_worker()
    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 2


@pytest.mark.django_db
def test_a_moved_session_is_reminded_at_its_new_time_only(db_tasks, circle):
    MembershipFactory(cohort=circle)
    session = tomorrow_evening(circle)
    later = session.starts_at + timedelta(days=1)
    move_session(session, later, later + timedelta(hours=2))
    run_worker()
    # Two stale tasks did nothing; the two for the new time sent.
    assert len(mail.outbox) == 2
    assert all(
        icalendar.Calendar.from_ical(m.attachments[0][1])
        .walk("VEVENT")[0]["DTSTART"]
        .dt
        == later
        for m in mail.outbox
    )


@pytest.mark.django_db
def test_a_cancelled_session_sends_a_notice_and_never_its_reminder(db_tasks, circle):
    member = MembershipFactory(cohort=circle).user
    session = tomorrow_evening(circle)
    cancel_session(session)
    run_worker()
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.to == [member.email] and notice.subject.startswith("Cancelled:")
    (event,) = icalendar.Calendar.from_ical(notice.attachments[0][1]).walk("VEVENT")
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    run_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_reminders_follow_the_person_s_language(db_tasks, circle):
    MembershipFactory(cohort=circle, user__preferred_language="es")
    tomorrow_evening(circle, title="Taller")
    run_worker()
    assert mail.outbox[0].subject.startswith("Recordatorio:")


@pytest.mark.django_db
def test_only_people_the_groups_page_admits_are_reminded(db_tasks, circle, home_page):
    """Reminders go away from the person's browser, judged as the page would
    judge a link opened there: a groups restriction (on the group's page or
    a page above it) admits its groups' members and superusers, a login
    restriction everyone with an account, a password restriction nobody.
    A group made private after its reminders were queued reminds nobody it
    now refuses, answer or no answer."""
    insider = MembershipFactory(cohort=circle).user
    outsider = MembershipFactory(cohort=circle).user
    superuser = MembershipFactory(cohort=circle, user__is_superuser=True).user
    answered = MembershipFactory(cohort=circle).user
    session = tomorrow_evening(circle)
    RSVP.objects.create(session=session, user=answered, status=RSVP.Status.GOING)
    everyone = {insider.email, outsider.email, superuser.email, answered.email}

    def reminded() -> set[str]:
        return {person.email for person in recipients(session)}

    assert reminded() == everyone
    restrict_to(home_page, insider)
    run_worker()
    assert {message.to[0] for message in mail.outbox} == {
        insider.email,
        superuser.email,
    }
    PageViewRestriction.objects.update(restriction_type=PageViewRestriction.LOGIN)
    assert reminded() == everyone
    PageViewRestriction.objects.create(
        page=circle, restriction_type=PageViewRestriction.PASSWORD, password="open"
    )
    assert reminded() == set()


@pytest.mark.django_db
def test_an_unpublished_group_reminds_only_its_staff(db_tasks, circle):
    """Its page is gone for its members; its staff prepare it, and keep its
    sessions in their calendars, so they are reminded of them."""
    member = MembershipFactory(cohort=circle).user
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    outsider_going = UserFactory()
    session = tomorrow_evening(circle)
    RSVP.objects.create(session=session, user=outsider_going, status=RSVP.Status.GOING)
    circle.unpublish()
    session.refresh_from_db()
    assert {person.email for person in recipients(session)} == {facilitator.email}
    run_worker()
    assert {message.to[0] for message in mail.outbox} == {facilitator.email}
    assert member.email not in str([message.to for message in mail.outbox])


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_never_send_the_same_reminder(db_tasks, home_page):
    circle = CohortPageFactory(parent=home_page, time_zone="UTC")
    members = [MembershipFactory(cohort=circle).user for _ in range(8)]
    session = tomorrow_evening(circle)
    session.save()  # the same reminders queued twice: two tasks per reminder
    assert len(queued_reminders()) == 4
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    barrier = threading.Barrier(2)
    errors = []

    def worker(worker_id):
        try:
            barrier.wait()
            Worker(
                queue_names=["*"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(name,)) for name in "ab"]
    # Signal handlers (Ctrl-C) can only be set from the main thread.
    with mock.patch.object(Worker, "configure_signals"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    reminder_tasks = DBTaskResult.objects.filter(
        task_path="notifications.emails.send_reminders"
    )
    assert reminder_tasks.filter(status="SUCCESSFUL").count() == 4
    sent = sorted(message.to[0] for message in mail.outbox)
    assert sent == sorted([member.email for member in members] * 2)
    assert Delivery.objects.count() == 16
