"""A task left running by a worker that stopped is run again (lms/task_sweep.py)."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cohorts.membership import send_join_link_task
from lms import task_sweep
from lms.delivery import deliver_once
from lms.models import Delivery
from lms.task_queues import DEFAULT_QUEUE, EMAIL_QUEUE
from newsletter.services import send_confirmation_email
from notifications import emails, inbox_emails
from tests.factories import UserFactory
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)
from tests.test_rsvp import run_at_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("db_tasks")]


@task()
def say_hello(user_id: int) -> int:
    """An e-mail as core's tasks send them: at most once per person and key."""
    user = UserFactory._meta.model.objects.get(pk=user_id)
    return int(
        deliver_once(
            user,
            "tests:hello",
            lambda: mail.send_mail("Hello", "Hi", None, [user.email]),
        )
    )


def left_running(started_ago: timedelta) -> DBTaskResult:
    """A claimed task whose worker died after `started_ago`."""
    say_hello.enqueue(UserFactory().pk)
    result = DBTaskResult.objects.get()
    result.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=result.pk).update(
        started_at=timezone.now() - started_ago
    )
    return result


def test_the_worker_runs_again_what_a_dead_worker_left_running(caplog):
    stuck = left_running(timedelta(hours=2))
    with caplog.at_level(logging.WARNING, "lms.task_sweep"):
        run_worker()
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.SUCCESSFUL
    assert len(mail.outbox) == 1
    assert [r.fault for r in caplog.records] == ["task_worker"]


def test_a_task_still_within_its_time_is_left_to_its_worker():
    running = left_running(timedelta(minutes=5))
    assert task_sweep.requeue_stuck_tasks() == 0
    run_worker()
    running.refresh_from_db()
    assert running.status == TaskResultStatus.RUNNING
    assert not mail.outbox


def test_a_task_is_queued_again_once_and_its_e_mail_goes_once():
    stuck = left_running(timedelta(hours=2))
    # The dead worker had sent the e-mail before it died.
    say_hello.call(stuck.args_kwargs["args"][0])
    assert task_sweep.requeue_stuck_tasks() == 1
    assert task_sweep.requeue_stuck_tasks() == 0  # a second sweeper finds none
    run_worker()
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.SUCCESSFUL
    assert stuck.return_value == 0  # not sent again
    assert len(mail.outbox) == 1


def test_the_sweeping_thread_sweeps_until_stopped():
    left_running(timedelta(hours=2))
    # Two waits that time out (two sweeps), then the stop.
    stop = mock.Mock(wait=mock.Mock(side_effect=[False, False, True]))
    with (
        mock.patch.object(task_sweep, "requeue_stuck_tasks") as sweep,
        mock.patch("lms.task_sweep.close_old_connections"),
        mock.patch("lms.task_sweep.connection"),
    ):
        task_sweep.sweep_forever(stop, timedelta(minutes=5))
    assert sweep.call_count == 2
    assert stop.wait.call_args.args == (300.0,)


def test_e_mail_tasks_have_a_queue_of_their_own_and_a_plain_worker_takes_all():
    sending = [
        send_join_link_task,
        send_confirmation_email,
        emails.send_reminders,
        emails.send_cancellation_notices,
        emails.send_place_opened,
        emails.send_announcement,
        emails.send_digest,
        inbox_emails.send_notification_emails,
        inbox_emails.send_inbox_digest,
    ]
    assert {each.queue_name for each in sending} == {EMAIL_QUEUE}
    say_hello.using(queue_name=EMAIL_QUEUE).enqueue(UserFactory().pk)
    run_worker(queue_name=DEFAULT_QUEUE)  # a worker for the rest leaves it
    assert DBTaskResult.objects.get().status == TaskResultStatus.READY
    run_worker()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_an_e_mail_whose_worker_died_while_sending_it_is_sent_by_the_rerun():
    """The dead worker had recorded the e-mail and was talking to the mail
    server: nothing went. The task run again takes the record over and sends."""
    stuck = left_running(timedelta(hours=2))
    person = UserFactory._meta.model.objects.get(pk=stuck.args_kwargs["args"][0])
    Delivery.objects.create(user=person, key="tests:hello")
    Delivery.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert task_sweep.requeue_stuck_tasks() == 1
    run_worker()
    stuck.refresh_from_db()
    assert stuck.return_value == 1
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert Delivery.objects.get().sent_at is not None


def test_an_e_mail_on_its_way_is_left_to_the_attempt_sending_it():
    person = UserFactory()
    Delivery.objects.create(user=person, key="tests:hello")  # being sent now
    Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=9))
    assert deliver_once(person, "tests:hello", lambda: mail.send_mail(*HELLO)) is False
    assert not mail.outbox


HELLO = ("Hello", "Hi", None, ["someone@example.org"])


# serialized_rollback: the flush afterwards must not leave later tests on this
# worker without Wagtail's root page, site and locales.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_of_attempts_at_once_one_takes_an_abandoned_e_mail_over():
    person = UserFactory()
    Delivery.objects.create(user=person, key="tests:hello")
    Delivery.objects.update(created_at=timezone.now() - timedelta(hours=1))
    sent = []

    def attempt():
        sent.append(deliver_once(person, "tests:hello", lambda: None))

    assert run_at_once(*[attempt] * 8) == []
    assert sorted(sent) == [False] * 7 + [True]
    assert Delivery.objects.get().sent_at is not None
