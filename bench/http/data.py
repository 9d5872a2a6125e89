"""The HTTP benchmark's scale data: `main()`, which bench/http/run.py runs
through `manage.py shell` after `manage.py load_demo`, with the server's
settings and database.

Adds to the demo: a bare StandardPage (the reference), 1,000 groups for the
catalogue, a 10- and a 10,000-member group with sessions and attendance and
one facilitator of both, a person with 200 calendar events, and a person
with something in each first-party plugin's My learning panel. Signs the
two people who browse in by making their sessions (as Django's test client
does), and prints what run.py measures as JSON on its last line: each
page's address, what its answer must contain, and the session cookies.
"""

import html
import json
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bench.scale import (
    PLUGIN_PANEL_TEXTS,
    analyze,
    busy_thread,
    calendar_of_200_events,
    crowd,
    many_groups,
    person_with_plugin_panels,
)
from calendars.models import CalendarFeed
from cohorts.models import CatalogueIndexPage, CohortPage, Membership
from content.models import LessonPage, StandardPage, Topic
from content.site import default_site
from tests.factories import CohortPageFactory, course_with_lessons

GROUPS = 1_000
# Three of the catalogue's filters: 1 in 12 of the generated groups (83) is
# a learning circle meeting online in Spanish (many_groups spreads them).
CATALOGUE_FILTERS = "kind=circle&format=online&language=es"
# The page cache keeps a visitor's catalogue filtered by two choices at most
# (content.listings.MOST_FILTERS_KEPT).
CATALOGUE_KEPT_FILTERS = "kind=circle&language=es"
DASHBOARD_SIZES = (10, 10_000)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def build() -> dict:
    home = default_site().root_page.specific
    bare = home.add_child(
        instance=StandardPage(title="Bench bare page", slug="bench-bare")
    )
    lesson = LessonPage.objects.live().public().filter(locale=home.locale).first()
    catalogue = CatalogueIndexPage.objects.live().filter(locale=home.locale).first()
    if lesson is None or catalogue is None:
        raise SystemExit("The demo has no public lesson or no catalogue in English.")
    many_groups(home, GROUPS, Topic.objects.filter(locale=home.locale))

    facilitator = get_user_model().objects.create_user("bench-facilitator@example.org")
    dashboards = {}
    for size in DASHBOARD_SIZES:
        group = CohortPageFactory(
            parent=home,
            title=f"Bench group of {size}",
            slug=f"bench-group-{size}",
            course=course_with_lessons(home),
        )
        crowd(group, size)
        Membership.objects.create(cohort=group, user=facilitator, role="facilitator")
        dashboards[size] = {
            "url": f"/cohorts/{group.pk}/dashboard/",
            "marker": html.escape(group.title),
        }

    reader = get_user_model().objects.create_user("bench-calendar@example.org")
    calendar_of_200_events(reader, home)
    feed = f"/cohorts/calendar/{CalendarFeed.issue(reader)}.ics"

    learner = person_with_plugin_panels(home)
    own_group = CohortPage.objects.filter(memberships__user=learner).first()
    talkers = [learner, *get_user_model().objects.exclude(pk=learner.pk)[:4]]
    thread = busy_thread(own_group, talkers)
    analyze()
    return {
        "cookie_name": settings.SESSION_COOKIE_NAME,
        "sessions": {
            "facilitator": session_cookie(facilitator),
            "learner": session_cookie(learner),
        },
        "pages": {
            "bare": {"url": path_of(bare), "marker": bare.title},
            "lesson": {"url": path_of(lesson), "marker": html.escape(lesson.title)},
            "catalogue": {
                "url": f"{path_of(catalogue)}?{CATALOGUE_FILTERS}",
                "marker": "Scale group ",
            },
            # Typed text is never kept: the catalogue listed afresh.
            "catalogue_searched": {
                "url": f"{path_of(catalogue)}?{CATALOGUE_FILTERS}&q=Scale",
                "marker": "Scale group ",
            },
            "catalogue_kept": {
                "url": f"{path_of(catalogue)}?{CATALOGUE_KEPT_FILTERS}",
                "marker": "Scale group ",
            },
            # The API's list of groups: the catalogue's filters, as JSON.
            "api_groups": {
                "url": f"/api/v1/groups?{CATALOGUE_FILTERS}",
                "marker": "Scale group ",
            },
            "dashboard_small": dashboards[10],
            "dashboard_large": dashboards[10_000],
            "my_learning_on": {
                "url": "/dashboard/",
                "marker": [html.escape(text) for text in PLUGIN_PANEL_TEXTS],
            },
            "my_learning_off": {
                "url": "/dashboard/",
                "marker": html.escape(own_group.title),
            },
            "calendar": {"url": feed, "marker": "BEGIN:VEVENT"},
            "thread": {
                "url": reverse("discussions:thread", args=[thread.pk]),
                "marker": html.escape(thread.title),
            },
        },
    }


def main() -> None:
    with transaction.atomic():
        built = build()
    print(json.dumps(built))


def path_of(page) -> str:
    """A page's path on its site: with the demo's chapters, Wagtail writes
    every address whole (outside a request), with the site's host name."""
    return urlsplit(page.url).path
