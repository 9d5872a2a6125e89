import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.scale import PLUGIN_PANEL_TEXTS, person_with_plugin_panels
from learning.progress import complete
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    UserFactory,
    course_with_lessons,
)

pytestmark = pytest.mark.django_db


def test_my_learning_lists_groups_sessions_courses_and_certificates(client, home_page):
    course = course_with_lessons(home_page, modules=1, lessons=2)
    circle = CohortPageFactory(parent=home_page, title="Budget circle", course=course)
    other = CohortPageFactory(parent=home_page, title="Not mine")
    SessionFactory(cohort=circle, title="Budget basics")
    SessionFactory(cohort=other, title="Their meeting")
    person = MembershipFactory(cohort=circle).user
    client.force_login(person)
    html = client.get("/dashboard/").content.decode()
    assert "Budget circle" in html and "Budget basics" in html
    assert "Not mine" not in html and "Their meeting" not in html
    assert "0 of 2 lessons done" in html

    for lesson in course.lessons():
        complete(person, circle, lesson)
    html = client.get("/dashboard/").content.decode()
    assert "2 of 2 lessons done" in html and "Certificate (PDF)" in html


def test_people_in_no_group_are_pointed_to_the_catalogue(client, home_page):
    client.force_login(UserFactory())
    assert "You are not in a group yet." in client.get("/dashboard/").content.decode()


def test_my_learning_queries_do_not_grow_with_groups(client, home_page):
    person = UserFactory()
    client.force_login(person)
    counts = []
    for _ in range(2):
        for _ in range(3):
            cohort = CohortPageFactory(
                parent=home_page, course=course_with_lessons(home_page, modules=1)
            )
            MembershipFactory(cohort=cohort, user=person)
            SessionFactory(cohort=cohort)
        client.get("/dashboard/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/dashboard/")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_persons_groups_come_before_plugins_panels(client, home_page):
    person = MembershipFactory(cohort=CohortPageFactory(parent=home_page)).user
    client.force_login(person)
    html = client.get("/dashboard/").content.decode()
    titles = re.findall(r'<h2 id="panel-\d+">([^<]+)</h2>', html)
    assert titles[0] == "My groups and next sessions"
    assert len(titles) > 1  # the plugins' panels follow


def test_every_plugin_panel_is_read_from_the_cache_in_one_round_trip(
    client, home_page, monkeypatch
):
    person = person_with_plugin_panels(home_page)
    client.force_login(person)
    client.get("/dashboard/")  # keeps each panel
    asked = []

    def counted(name, method):
        def call(key_or_keys, *args, **kwargs):
            keys = [key_or_keys] if isinstance(key_or_keys, str) else key_or_keys
            if not inside:
                asked.append((name, [key for key in keys if "panels" in key]))
            inside.append(name)
            try:
                return method(key_or_keys, *args, **kwargs)
            finally:
                inside.pop()

        return call

    inside = []
    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    html = client.get("/dashboard/").content.decode()
    monkeypatch.undo()
    assert all(text in html for text in PLUGIN_PANEL_TEXTS)
    panel_calls = [(name, keys) for name, keys in asked if keys]
    assert len(panel_calls) == 1 and panel_calls[0][0] == "get_many"
    namespaces = {key.split(":")[0] for key in panel_calls[0][1]}
    assert {"toolkits", "coaching", "grantwriting"} <= namespaces
