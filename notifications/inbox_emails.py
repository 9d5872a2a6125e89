"""The inbox's e-mails, sent by the task worker in the person's language,
only for notifications still unread and theirs to see, never twice
(`deliver_once`), each with a link that stops that kind's e-mails without
logging in (also as List-Unsubscribe).

E-mail at once: queued when the notifying transaction commits.

Digests: the first notification waiting for a person's digest queues it
for the next digest time (7:00 in the group's time zone: daily, weekly on
Mondays, or the day before the group's next session); later ones join it.
The digest takes every notification of that period still waiting: those
read on the site since, or no longer theirs to see, are left out, and no
e-mail goes when none is left.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cohorts.models import CohortPage
from lms.delivery import deliver_once
from lms.hookspecs import Delivery
from lms.mail import absolute_url
from lms.task_queues import EMAIL_QUEUE
from notifications import inbox
from notifications.emails import (
    DIGEST_TIME,
    STOP_KINDS,
    email_language,
    email_member,
    link,
    unsubscribe_url,
)
from notifications.models import Notification
from scheduling.models import Session

DIGEST_PERIODS = (Delivery.DAILY, Delivery.WEEKLY, Delivery.MEETING)
MONDAY = 0


def notified(sender, notifications, **kwargs) -> None:
    ids = [each.pk for each in notifications if each.delivery == Delivery.EMAIL]
    if ids:
        transaction.on_commit(partial(send_notification_emails.enqueue, ids))
    for period in DIGEST_PERIODS:
        batch = [each for each in notifications if each.delivery == period]
        if batch:
            plan_digests(batch, period)


def next_digest_time(period: str, now: datetime, zone: str) -> datetime:
    """The next 7:00 in `zone` (for a weekly digest, the next Monday's)."""
    local = now.astimezone(ZoneInfo(zone))
    due = datetime.combine(local.date(), DIGEST_TIME, tzinfo=local.tzinfo)
    if due <= local:
        due += timedelta(days=1)
    if period == Delivery.WEEKLY:
        due += timedelta(days=(MONDAY - due.weekday()) % 7)
    return due


def before_next_session(cohort: CohortPage | None, now: datetime) -> datetime | None:
    """7:00 in the group's time zone the day before its next session (now,
    if that is past), or None when it has no session planned."""
    if cohort is None:
        return None
    starts_at = (
        Session.objects.filter(
            cohort=cohort, status=Session.Status.SCHEDULED, starts_at__gt=now
        )
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if starts_at is None:
        return None
    local = starts_at.astimezone(ZoneInfo(cohort.time_zone))
    day_before = datetime.combine(
        local.date() - timedelta(days=1), DIGEST_TIME, tzinfo=local.tzinfo
    )
    return max(day_before, now)


def waiting_for_digest(period: str) -> models.QuerySet:
    return Notification.objects.filter(delivery=period, emailed_at=None, read_at=None)


def _scope(period: str, user_id: int, cohort_id: int | None) -> tuple:
    """Whose digest a notification waits for: the person's (before a
    meeting: the person's for that group)."""
    return (user_id, cohort_id if period == Delivery.MEETING else None)


def plan_digests(batch: list[Notification], period: str) -> None:
    """Queue a digest for each recipient who has none waiting (one query)."""
    if not send_inbox_digest.get_backend().supports_defer:
        return
    firsts = {_scope(period, each.recipient_id, each.cohort_id): each for each in batch}
    already = {
        _scope(period, *waiting)
        for waiting in waiting_for_digest(period)
        .filter(recipient__in={each.recipient_id for each in batch})
        .exclude(pk__in=[each.pk for each in batch])
        .values_list("recipient_id", "cohort_id")
    }
    now = timezone.now()
    for scope, notification in firsts.items():
        if scope not in already:
            _queue_digest(notification.recipient_id, period, now, notification.cohort)


def _queue_digest(
    user_id: int, period: str, now: datetime, cohort: CohortPage | None
) -> None:
    due = period == Delivery.MEETING and before_next_session(cohort, now)
    if not due:
        # A daily or weekly digest; before a meeting, when there is none
        # planned, a weekly one.
        zone = cohort.time_zone if cohort else settings.TIME_ZONE
        due = next_digest_time(
            Delivery.DAILY if period == Delivery.DAILY else Delivery.WEEKLY, now, zone
        )
    transaction.on_commit(
        partial(
            send_inbox_digest.using(run_after=due).enqueue,
            user_id=user_id,
            period=period,
            due=due.isoformat(),
            cohort_id=cohort.pk if period == Delivery.MEETING and cohort else None,
        )
    )


def stop_link(user: AbstractBaseUser, kinds: Iterable[str], language: str) -> str:
    """Stops e-mail of these kinds (they stay in the inbox), without login."""
    return unsubscribe_url(STOP_KINDS + ",".join(sorted(set(kinds))), user.pk, language)


def _language(user: AbstractBaseUser, cohort: CohortPage | None) -> str:
    if cohort is not None:
        return email_language(user, cohort)
    languages = {code for code, _name in settings.LANGUAGES}
    return (
        user.preferred_language
        if user.preferred_language in languages
        else settings.LANGUAGE_CODE
    )


@task(queue_name=EMAIL_QUEUE)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification still unread and not yet e-mailed."""
    sent = 0
    waiting = Notification.objects.filter(
        pk__in=notification_ids,
        delivery=Delivery.EMAIL,
        read_at=None,
        emailed_at=None,
        recipient__is_active=True,
    ).select_related("recipient", "actor", "cohort")
    for notification in waiting:
        user = notification.recipient
        language = _language(user, notification.cohort)
        with translation.override(language):
            (entry,) = inbox.entries(user, [notification])
            url = absolute_url(entry.url or reverse("cohorts:inbox"))
        if not entry.text:
            continue  # no longer theirs to see
        send = partial(
            email_member,
            "notifications/email/notification",
            user,
            notification.cohort,
            {
                "text": entry.text,
                "url": url,
                "choices_url": link("cohorts:notification_choices", language=language),
            },
            language=language,
            unsubscribe=(STOP_KINDS + notification.kind, user.pk),
        )
        if deliver_once(user, f"notification:{notification.pk}", send):
            sent += 1
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=timezone.now()
        )
    return sent


@task(queue_name=EMAIL_QUEUE)
def send_inbox_digest(
    user_id: int, period: str, due: str, cohort_id: int | None = None
) -> int:
    """One e-mail with the person's notifications waiting for this period's
    digest (before a meeting: those about that group); 1 if it was sent."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    waiting = Notification.objects.filter(
        recipient=user, delivery=period, emailed_at=None
    )
    if period == Delivery.MEETING:
        waiting = waiting.filter(cohort=cohort_id)
    waiting = list(
        waiting.select_related("actor", "cohort")
        .prefetch_related("target")
        .order_by("created_at", "pk")
    )
    unread = [each for each in waiting if each.read_at is None]
    cohort = unread[0].cohort if unread else None
    language = _language(user, cohort)
    with translation.override(language):
        shown = [
            (entry, absolute_url(entry.url or reverse("cohorts:inbox")))
            for entry in inbox.entries(user, unread)
            if entry.text
        ]
    sent = bool(shown) and deliver_once(
        user,
        f"inbox-digest:{period}:{cohort_id or ''}:{due}",
        partial(_digest_email, user, period, cohort, shown, language),
    )
    if sent or not shown:
        Notification.objects.filter(pk__in=[each.pk for each in waiting]).update(
            emailed_at=timezone.now()
        )
    # Filed while this one was being made, and planned to join it.
    left = waiting_for_digest(period).filter(recipient=user)
    if period == Delivery.MEETING:
        left = left.filter(cohort=cohort_id)
    later = left.select_related("cohort").first()
    if later is not None:
        _queue_digest(user.pk, period, timezone.now(), later.cohort)
    return int(sent)


def _digest_email(
    user: AbstractBaseUser,
    period: str,
    cohort: CohortPage | None,
    shown: list,
    language: str,
) -> None:
    kinds = inbox.kinds()
    by_kind: dict[str, list] = {}
    for entry, url in shown:
        by_kind.setdefault(entry.notification.kind, []).append((entry.text, url))
    with translation.override(language):
        sections = [
            {
                "label": kinds[name].label,
                "items": items,
                "stop_url": stop_link(user, [name], language),
            }
            for name, items in by_kind.items()
        ]
    email_member(
        "notifications/email/digest",
        user,
        cohort if period == Delivery.MEETING else None,
        {
            "period": period,
            "count": len(shown),
            "sections": sections,
            "inbox_url": link("cohorts:inbox", language=language),
            "choices_url": link("cohorts:notification_choices", language=language),
        },
        language=language,
        unsubscribe=(STOP_KINDS + ",".join(sorted(by_kind)), user.pk),
    )
