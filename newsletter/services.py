from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from lms.mail import absolute_url, send_templated_email
from lms.task_queues import EMAIL_QUEUE
from newsletter.models import Subscriber
from newsletter.tokens import CONFIRM_SALT, UNSUBSCRIBE_SALT, make_token


def subscribe(email: str, name: str, language: str, site=None) -> Subscriber:
    """Record a sign-up to `site`'s list (a chapter's, or the network's) and
    send the confirmation e-mail.

    Someone already confirmed gets nothing new, so the form never reveals
    whether an address is on the list.
    """
    subscriber, created = Subscriber.objects.get_or_create(
        email=email, site=site, defaults={"name": name, "language": language}
    )
    if not created and subscriber.confirmed_at and not subscriber.unsubscribed_at:
        return subscriber
    if not created:
        subscriber.name = name or subscriber.name
        subscriber.language = language
        subscriber.save(update_fields=["name", "language"])
    transaction.on_commit(
        lambda: send_confirmation_email.enqueue(subscriber_id=subscriber.pk)
    )
    return subscriber


def confirm(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmed_at=timezone.now(), unsubscribed_at=None
    )


def unsubscribe(subscriber: Subscriber) -> None:
    Subscriber.objects.filter(pk=subscriber.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = make_token(subscriber.pk, UNSUBSCRIBE_SALT)
    return absolute_url(reverse("newsletter:unsubscribe", args=[token]))


@task(queue_name=EMAIL_QUEUE)
def send_confirmation_email(subscriber_id: int) -> None:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return
    with translation.override(subscriber.language):
        token = make_token(subscriber.pk, CONFIRM_SALT)
        unsubscribe = unsubscribe_url(subscriber)
        context = {
            "subscriber": subscriber,
            "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token])),
            "unsubscribe_url": unsubscribe,
        }
    send_templated_email(
        "newsletter/email/confirm",
        context,
        to=subscriber.email,
        language=subscriber.language,
        headers={"List-Unsubscribe": f"<{unsubscribe}>"},
    )
