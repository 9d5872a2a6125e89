"""A personal calendar feed of 200 sessions against a bare Wagtail page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from bench.conftest import best_of_interleaved
from cohorts.calendar import feeds
from cohorts.models import CalendarFeed, Session, SessionSeries
from cohorts.scheduling import sync_series
from tests.factories import CohortPageFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_calendar_feed_speed(client, home_page):
    bare = home_page.add_child(instance=Page(title="Bare", slug="bare"))
    person = UserFactory()
    now = timezone.now()
    one_off = CohortPageFactory(parent=home_page)
    MembershipFactory(cohort=one_off, user=person)
    Session.objects.bulk_create(
        Session(
            cohort=one_off,
            starts_at=now + timedelta(days=day),
            ends_at=now + timedelta(days=day, hours=1),
        )
        for day in range(1, 101)
    )
    weekly = CohortPageFactory(parent=home_page)
    MembershipFactory(cohort=weekly, user=person)
    series = SessionSeries.objects.create(
        cohort=weekly, first_start=now, rrule="FREQ=DAILY;COUNT=100"
    )
    sync_series(series)
    token = CalendarFeed.objects.create(user=person, token=CalendarFeed.new_token())
    feed = reverse("cohorts:calendar_feed", args=[token.token])
    assert client.get(feed).content.count(b"BEGIN:VEVENT") == 101

    def nothing():
        pass

    def rebuilt():
        feeds.invalidate()
        client.get(feed)

    best = best_of_interleaved(
        {
            "bare": (nothing, lambda: client.get(bare.url)),
            "feed": (nothing, lambda: client.get(feed)),
            "built": (nothing, rebuilt),
        }
    )

    def line(label, name):
        return (
            f"  {label:<38}{best[name] * 1000:7.2f} ms"
            f"  ({best['bare'] / best[name]:.2f}x the bare page's speed)\n"
        )

    print(
        "\ncalendar feed, 100 one-off sessions + 100 in a series"
        " (best of 15 interleaved rounds)\n"
        + line("bare Wagtail page", "bare")
        + line("feed, unchanged since the last poll", "feed")
        + line("feed, rebuilt after a change", "built")
        + "  goal: the feed faster than the bare page"
    )
