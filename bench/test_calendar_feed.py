"""A personal calendar feed of 200 sessions against a bare Wagtail page."""

import pytest
from django.db.models import F
from django.urls import reverse
from wagtail.models import Page

from bench.conftest import best_of_interleaved, timing_line
from bench.scale import calendar_of_200_events
from calendars.ics import event_texts, feeds, group_scope, plugin_items
from calendars.models import CalendarFeed
from lms.plugins import plugin_manager
from scheduling.models import Session
from tests.factories import (
    CohortPageFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_calendar_feed_speed(client, home_page):
    bare = home_page.add_child(instance=Page(title="Bare", slug="bare"))
    person = UserFactory()
    one_off, _ = calendar_of_200_events(person, home_page)
    token = CalendarFeed.issue(person)
    feed = reverse("cohorts:calendar_feed", args=[token])
    assert client.get(feed).content.count(b"BEGIN:VEVENT") == 101

    elsewhere = SessionFactory(cohort=CohortPageFactory(parent=home_page))

    def nothing():
        pass

    def other_group_changed():
        # Saved, as the admin saves, so its signal drops that group's feeds.
        elsewhere.sequence += 1
        elsewhere.save(update_fields=["sequence"])
        client.get(feed)

    moving = Session.objects.filter(cohort=one_off).first()

    def one_moved():
        # The UPDATE is timed too; its signal-free form drops the scope by hand.
        Session.objects.filter(pk=moving.pk).update(sequence=F("sequence") + 1)
        feeds.invalidate_scope(group_scope(one_off.pk))
        client.get(feed)

    def items_expired():
        plugin_items.invalidate()  # as ten minutes after they were asked for
        client.get(feed)

    def from_nothing():
        feeds.invalidate()
        event_texts.invalidate()
        plugin_items.invalidate()
        client.get(feed)

    best = best_of_interleaved(
        {
            "bare": (nothing, lambda: client.get(bare.url)),
            "feed": (nothing, lambda: client.get(feed)),
            "elsewhere": (nothing, other_group_changed),
            "items": (nothing, items_expired),
            "moved": (nothing, one_moved),
            "cold": (nothing, from_nothing),
        }
    )

    plugins = len(plugin_manager.hook.lms_calendar_events.get_hookimpls())

    def line(label, name):
        return timing_line(label, best[name], best["bare"], 50)

    print(
        "\ncalendar feed, 100 one-off sessions + 100 in a series"
        f" ({plugins} plugins adding items; best of 60 interleaved rounds of 5)\n"
        + line("bare Wagtail page", "bare")
        + line("feed, unchanged since the last poll", "feed")
        + line("feed, another group's session saved (UPDATE too)", "elsewhere")
        + line("feed, plugins' items older than ten minutes", "items")
        + line("feed, one of its sessions moved (UPDATE too)", "moved")
        + line("feed, built with nothing cached", "cold")
        + "  goal: the feed faster than the bare page"
    )
