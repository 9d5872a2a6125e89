"""Calendars' part of a person's data download (in the cohorts section,
through cohorts.personal_data.export_sections)."""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser

from calendars.models import CalendarFeed


def calendar_feed_created(user: AbstractBaseUser) -> datetime | None:
    """When the person made their calendar address."""
    feed = CalendarFeed.objects.filter(user=user).first()
    return feed.created_at if feed else None
