"""Notifications' part of a person's data download (in the cohorts section,
through cohorts.personal_data.export_sections)."""

from django.contrib.auth.base_user import AbstractBaseUser

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
    where it led): the text is made only when shown."""
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
        for notification in Notification.objects.filter(recipient=user)
        .select_related("cohort")
        .order_by("created_at", "pk")
    ]


def notification_choices(user: AbstractBaseUser) -> dict[str, str]:
    return dict(
        NotificationPreference.objects.filter(user=user)
        .order_by("kind")
        .values_list("kind", "delivery")
    )
