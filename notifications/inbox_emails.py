"""E-mail at once: a notification of a kind the person chose to have
e-mailed goes out by the task worker once the notifying transaction commits,
in the person's language, only while it is unread and theirs to see, and
never twice (`deliver_once`). The digests will read the same rows."""

from functools import partial

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cohorts.models import CohortPage
from lms.delivery import deliver_once
from lms.hookspecs import Delivery
from lms.mail import absolute_url
from notifications import inbox
from notifications.emails import email_language, email_member, link
from notifications.models import Notification


def notified(sender, notifications, **kwargs) -> None:
    ids = [each.pk for each in notifications if each.delivery == Delivery.EMAIL]
    if ids:
        transaction.on_commit(partial(send_notification_emails.enqueue, ids))


def _language(user: AbstractBaseUser, cohort: CohortPage | None) -> str:
    if cohort is not None:
        return email_language(user, cohort)
    languages = {code for code, _name in settings.LANGUAGES}
    return (
        user.preferred_language
        if user.preferred_language in languages
        else settings.LANGUAGE_CODE
    )


@task()
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
        )
        if deliver_once(user, f"notification:{notification.pk}", send):
            sent += 1
        Notification.objects.filter(pk=notification.pk).update(
            emailed_at=timezone.now()
        )
    return sent
