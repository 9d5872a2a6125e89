"""Notifications' part of a person's data download (in the cohorts section,
through cohorts.personal_data.export_sections)."""

from django.contrib.auth.base_user import AbstractBaseUser

from notifications.models import Announcement


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
