"""Notifications' part of a person's data download (in the cohorts section,
through cohorts.personal_data.export_sections)."""

from django.contrib.auth.base_user import AbstractBaseUser

from notifications.inbox import entries
from notifications.models import Announcement, Notification, NotificationPreference


def announcements_written(user: AbstractBaseUser) -> list[dict]:
    return [
        {
            "group": announcement.cohort.title,
            "subject": announcement.subject,
            "message": announcement.body,
            "posted": announcement.created_at,
        }
        for announcement in Announcement.objects.filter(author=user).select_related(
            "cohort"
        )
    ]


def notifications_received(user: AbstractBaseUser) -> list[dict]:
    """What the inbox holds for them, as stored (the kind, its parameters,
    where it led): the text is made only when shown. Of a notification the
    inbox no longer shows (they left the group, what it was about is gone)
    only that it was sent: its parameters speak of what they may not see."""
    received = list(
        Notification.objects.filter(recipient=user)
        .select_related("cohort", "actor")
        .prefetch_related("target")
        .order_by("created_at", "pk")
    )
    shown = {entry.notification.pk for entry in entries(user, received) if entry.text}
    return [
        {
            "kind": notification.kind,
            "group": notification.cohort.title if notification.cohort else None,
            "address": notification.url,
            "parameters": notification.params,
            "delivery": notification.delivery,
            "sent": notification.created_at,
            "read": notification.read_at,
        }
        if notification.pk in shown
        else {
            "kind": notification.kind,
            "delivery": notification.delivery,
            "sent": notification.created_at,
            "read": notification.read_at,
        }
        for notification in received
    ]


def notification_choices(user: AbstractBaseUser) -> dict[str, str]:
    return dict(
        NotificationPreference.objects.filter(user=user)
        .order_by("kind")
        .values_list("kind", "delivery")
    )
