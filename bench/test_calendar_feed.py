"""A personal calendar feed of 200 sessions against a bare Wagtail page."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from bench.conftest import best_of_interleaved
from cohorts.calendar import events, feeds
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

    moving = Session.objects.filter(cohort=one_off).first()

    def one_moved():
        # The UPDATE is timed too; its signal-free form invalidates by hand.
        Session.objects.filter(pk=moving.pk).update(sequence=F("sequence") + 1)
        feeds.invalidate()
        client.get(feed)

    def from_nothing():
        feeds.invalidate()
        events.invalidate()
        client.get(feed)

    best = best_of_interleaved(
        {
            "bare": (nothing, lambda: client.get(bare.url)),
            "feed": (nothing, lambda: client.get(feed)),
            "built": (nothing, rebuilt),
            "moved": (nothing, one_moved),
            "cold": (nothing, from_nothing),
        }
    )

    def line(label, name):
        return (
            f"  {label:<46}{best[name] * 1000:7.2f} ms"
            f"  ({best['bare'] / best[name]:.2f}x the bare page's speed)\n"
        )

    print(
        "\ncalendar feed, 100 one-off sessions + 100 in a series"
        " (best of 15 interleaved rounds)\n"
        + line("bare Wagtail page", "bare")
        + line("feed, unchanged since the last poll", "feed")
        + line("feed, rebuilt after a change elsewhere", "built")
        + line("feed, rebuilt after one of its sessions moved", "moved")
        + line("feed, built with nothing cached", "cold")
        + "  goal: the feed faster than the bare page"
    )
