from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cohorts.models import CatalogueIndexPage, CohortPage
from scheduling.models import Session
from scheduling.sessions import cancel_session
from tests.factories import (
    CohortPageFactory,
    SessionFactory,
    StandardPageFactory,
    TopicFactory,
    UserFactory,
)
from tests.test_pages import MAX_PAGE_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(home_page):
    page = CatalogueIndexPage(title="Find a group", slug="find-a-group")
    home_page.add_child(instance=page)
    return page


def titles(client, url) -> str:
    return client.get(url).content.decode()


def next_local(weekday: int, hour: int, zone: str) -> datetime:
    today = timezone.now().astimezone(ZoneInfo(zone)).date()
    day = today + timedelta(days=(weekday - today.isoweekday()) % 7 or 7)
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(zone))


def test_catalogue_filters_combine_and_stay_in_the_url(client, home_page, catalogue):
    budget = TopicFactory(name="Budgets", slug="budgets")
    spanish = CohortPageFactory(
        parent=home_page,
        title="Capacitación en español",
        kind="training",
        language="es",
        topic=budget,
        area="Riverside",
    )
    CohortPageFactory(parent=home_page, title="Online circle", format="online")
    url = catalogue.url
    html = titles(client, url + "?kind=training&language=es&topic=budgets")
    assert "Capacitación en español" in html and "Online circle" not in html
    html = titles(client, url + "?format=online")
    assert "Online circle" in html and "Capacitación" not in html
    html = titles(client, url + "?place=riverSIDE")
    assert "Capacitación en español" in html and "Online circle" not in html
    html = titles(client, url + "?q=nothing-like-this")
    assert "Nothing matches these filters" in html
    assert spanish.title in titles(client, url)


def test_day_of_week_means_the_cohorts_local_day(client, home_page, catalogue):
    circle = CohortPageFactory(
        parent=home_page,
        title="Thursday evening circle",
        time_zone="America/Los_Angeles",
    )
    # 18:00 Thursday in Los Angeles is already Friday in UTC.
    start = next_local(4, 18, "America/Los_Angeles")
    SessionFactory(cohort=circle, starts_at=start, ends_at=start + timedelta(hours=1))
    assert "Thursday evening circle" in titles(client, catalogue.url + "?day=4")
    assert "Thursday evening circle" not in titles(client, catalogue.url + "?day=5")


def test_starts_after_and_closed_or_past_groups(client, home_page, catalogue):
    soon = CohortPageFactory(parent=home_page, title="Starts soon")
    later = CohortPageFactory(parent=home_page, title="Starts later")
    CohortPageFactory(parent=home_page, title="Closed group", signup_open=False)
    now = timezone.now()
    SessionFactory(cohort=soon, starts_at=now + timedelta(days=2))
    SessionFactory(cohort=later, starts_at=now + timedelta(days=40))
    cancelled = SessionFactory(cohort=soon, starts_at=now + timedelta(days=41))
    Session.objects.filter(pk=cancelled.pk).update(status="cancelled")
    after = (now + timedelta(days=30)).date().isoformat()
    html = titles(client, catalogue.url + f"?starts_after={after}")
    assert "Starts later" in html and "Starts soon" not in html
    html = titles(client, catalogue.url)
    assert "Closed group" not in html
    assert html.index("Starts soon") < html.index("Starts later")


def test_bad_filter_values_are_explained_not_500(client, catalogue):
    for query in ("?day=9", "?starts_after=yesterday", "?kind=party", "?page=x"):
        assert client.get(catalogue.url + query).status_code == 200, query
    assert "Enter a valid date" in titles(client, catalogue.url + "?starts_after=x")


def test_catalogue_query_count_is_flat_and_paginated(client, home_page, catalogue):
    def build(count):
        topic = TopicFactory()
        for _ in range(count):
            circle = CohortPageFactory(parent=home_page, topic=topic)
            SessionFactory(cohort=circle)

    def visit_twice(url: str) -> tuple[int, int, str]:
        """Queries made afresh, then with the listing, cards and form kept."""
        with CaptureQueriesContext(connection) as afresh:
            client.get(url)
        with CaptureQueriesContext(connection) as kept:
            html = client.get(url).content.decode()
        return len(afresh), len(kept), html

    build(10)
    # The site's menus, settings and pages are kept: only the listing is not.
    client.get(catalogue.url + "?kind=training")
    small_afresh, small_kept, _html = visit_twice(catalogue.url + "?kind=cohort")
    build(40)
    client.get(catalogue.url + "?kind=training")
    large_afresh, large_kept, html = visit_twice(catalogue.url + "?kind=cohort&page=2")
    assert large_afresh == small_afresh <= MAX_PAGE_QUERIES
    assert large_kept == small_kept < small_afresh
    assert "?kind=cohort&amp;page=3" in html


def test_catalogue_keeps_its_query_count_with_a_thousand_sessions(
    client, home_page, catalogue
):
    circle = CohortPageFactory(parent=home_page)
    now = timezone.now()

    def add_sessions(count):
        Session.objects.bulk_create(
            Session(
                cohort=circle,
                starts_at=now + timedelta(hours=i + 1),
                ends_at=now + timedelta(hours=i + 2),
            )
            for i in range(count)
        )

    add_sessions(10)
    client.get(catalogue.url)
    with CaptureQueriesContext(connection) as small:
        client.get(catalogue.url)
    add_sessions(990)
    with CaptureQueriesContext(connection) as large:
        client.get(catalogue.url)
    assert len(small) == len(large)


def spanish_version(topic, name):
    from content.site import ensure_locales

    translation = topic.copy_for_translation(ensure_locales()["es"])
    translation.name = name
    translation.save()
    return translation


def test_topic_filter_with_translated_topics(client, home_page, catalogue):
    """Each language has its own row of a topic, with the same slug."""
    legal = TopicFactory(name="Legal", slug="legal")
    spanish_version(legal, "Legal (es)")
    budget = TopicFactory(name="Budgets", slug="budget")
    spanish_version(budget, "Presupuestos")
    CohortPageFactory(parent=home_page, title="Legal clinic", topic=legal)
    CohortPageFactory(parent=home_page, title="Budget circle", topic=budget)
    response = client.get(catalogue.url + "?topic=legal")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Legal clinic" in html and "Budget circle" not in html
    assert html.count('<option value="legal"') == 1
    assert "Presupuestos" not in html and "Legal (es)" not in html
    assert html.count('<option value="budget"') == 1


def test_the_filtered_catalogue_counts_groups_without_joining_their_sessions(
    client, home_page, catalogue
):
    """When each group next meets is a subquery per group, not MIN() over all
    their sessions: the count of matching groups reads no session and groups
    nothing, and the listing groups nothing either."""
    for number in range(3):
        circle = CohortPageFactory(
            parent=home_page,
            title=f"Online circle {number}",
            kind="circle",
            format="online",
            language="es",
        )
        SessionFactory(cohort=circle)
    url = catalogue.url + "?kind=circle&format=online&language=es"
    with CaptureQueriesContext(connection) as queries:  # listed afresh
        html = titles(client, url)
    assert "3 groups open for sign-up" in html
    sessions = Session._meta.db_table
    (count,) = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    assert sessions not in count and "GROUP BY" not in count
    (listing,) = [
        sql
        for sql in (query["sql"] for query in queries)
        if '"page_ptr_id" AS "pk"' in sql and "LIMIT" in sql
    ]
    assert "GROUP BY" not in listing


def topic_choice_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "content_topic"' in q["sql"]]


def test_the_filter_form_is_kept_between_visits_with_the_values_chosen(
    client, home_page, catalogue
):
    TopicFactory(name="Budgets", slug="budgets")
    CohortPageFactory(parent=home_page, kind="training", format="online")
    url = catalogue.url + "?kind=training&format=online&language=en"
    with CaptureQueriesContext(connection) as first:
        titles(client, url)
    with CaptureQueriesContext(connection) as again:
        html = titles(client, url)
    # The topics the form offers are read once; the count is pinned.
    assert len(topic_choice_queries(first)) == 1
    assert topic_choice_queries(again) == []
    # The locale, the page, its privacy (two): the listing, its cards and
    # the learning paths are kept too.
    assert len(again) == 4
    assert '<option value="training" selected>' in html
    assert '<option value="online" selected>' in html
    html = titles(client, catalogue.url + "?kind=circle")
    assert '<option value="circle" selected>' in html
    assert '<option value="training" selected>' not in html
    assert '<option value="online" selected>' not in html


def test_the_kept_filter_form_offers_a_topic_added_since(client, home_page, catalogue):
    TopicFactory(name="Budgets", slug="budgets")
    assert ">Housing</option>" not in titles(client, catalogue.url)
    TopicFactory(name="Housing", slug="housing")
    assert ">Housing</option>" in titles(client, catalogue.url)


def test_searches_and_wrong_values_are_never_kept(client, home_page, catalogue):
    for query in ("?q=budget", "?place=Riverside", "?starts_after=x"):
        titles(client, catalogue.url + query)
        with CaptureQueriesContext(connection) as again:
            html = titles(client, catalogue.url + query)
        assert len(topic_choice_queries(again)) == 1, query
    assert 'value="Riverside"' in html or "Enter a valid date" in html
    assert 'value="housing"' in titles(client, catalogue.url + "?q=housing")


def test_the_cards_load_no_body_and_look_up_no_choice_labels(
    client, home_page, catalogue, monkeypatch
):
    """Twenty cards a page: each group's body (a StreamField) is not read, and
    its kind and format are named without `get_kind_display`, which
    translates every choice's label to find one."""
    CohortPageFactory(parent=home_page, kind="training", format="online")

    def refuse(*args, **kwargs):
        raise AssertionError("a card looked its choice's label up the slow way")

    for name in ("get_kind_display", "get_format_display"):
        monkeypatch.setattr(CohortPage, name, refuse)
    with CaptureQueriesContext(connection) as queries:
        html = titles(client, catalogue.url)
    assert "Training · Online" in html
    listed = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("SELECT")
        and '"cohorts_cohortpage"."kind"' in query["sql"]
        and "COUNT(" not in query["sql"]
    ]
    assert listed
    assert all('"body"' not in sql for sql in listed)


def test_the_cards_addresses_are_kept_until_a_page_changes(
    client, home_page, catalogue, monkeypatch
):
    group = CohortPageFactory(parent=home_page, title="Budget circle")
    address, listing = group.url, catalogue.url
    assert f'href="{address}"' in titles(client, listing)

    def refuse(*args, **kwargs):
        raise AssertionError("a card's address was worked out again")

    with monkeypatch.context() as patched:
        patched.setattr(CohortPage, "get_url", refuse)
        assert f'href="{address}"' in titles(client, listing)

    group.slug = "budget-circle-2027"
    group.save_revision().publish()
    group.refresh_from_db()
    html = titles(client, catalogue.url)
    assert f'href="{group.url}"' in html
    assert "budget-circle-2027" in group.url


def kept_listing_shows(client, url: str) -> str:
    """The catalogue at `url` as a visit listing nothing afresh shows it."""
    with CaptureQueriesContext(connection) as queries:
        html = titles(client, url)
    assert not [query for query in queries if "COUNT(" in query["sql"]]
    return html


def test_a_kept_listing_is_listed_afresh_when_a_group_or_its_meetings_change(
    client, home_page, catalogue
):
    later = CohortPageFactory(parent=home_page, title="Meets later", kind="circle")
    SessionFactory(cohort=later, starts_at=timezone.now() + timedelta(days=9))
    sooner = CohortPageFactory(parent=home_page, title="Meets sooner", kind="circle")
    url = catalogue.url + "?kind=circle"
    titles(client, url)
    html = kept_listing_shows(client, url)
    # A group with no meeting yet lists last.
    assert html.index("Meets later") < html.index("Meets sooner")

    session = SessionFactory(
        cohort=sooner, starts_at=timezone.now() + timedelta(days=2)
    )
    html = titles(client, url)
    assert html.index("Meets sooner") < html.index("Meets later")

    cancel_session(session)  # an update, no model signal
    html = titles(client, url)
    assert html.index("Meets later") < html.index("Meets sooner")

    later.title = "Meets later, renamed"
    later.save_revision().publish()
    assert "Meets later, renamed" in titles(client, url)  # its card made afresh

    sooner.unpublish()
    assert "Meets sooner" not in titles(client, url)
    assert "Meets sooner" not in kept_listing_shows(client, url)


def test_a_kept_listing_is_listed_afresh_when_a_topic_changes(
    client, home_page, catalogue
):
    budgets = TopicFactory(name="Budgets", slug="budgets")
    housing = TopicFactory(name="Housing", slug="housing")
    CohortPageFactory(parent=home_page, title="Budget circle", topic=budgets)
    CohortPageFactory(parent=home_page, title="Housing circle", topic=housing)
    url = catalogue.url + "?topic=budgets"
    titles(client, url)
    assert "Budget circle" in kept_listing_shows(client, url)
    # The slug now names the other topic.
    budgets.slug = "public-budgets"
    budgets.save()
    housing.slug = "budgets"
    housing.save()
    html = titles(client, url)
    assert "Housing circle" in html and "Budget circle" not in html


def test_a_kept_listing_is_dropped_once_a_listed_meeting_starts(
    client, home_page, catalogue, monkeypatch
):
    """Groups are ordered by their next meeting, and a meeting that has
    started is no longer anyone's next: the listing kept before it is not
    used after, though nothing was saved."""
    now = timezone.now()
    first = CohortPageFactory(parent=home_page, title="First to meet", kind="circle")
    SessionFactory(cohort=first, starts_at=now + timedelta(hours=1))
    SessionFactory(cohort=first, starts_at=now + timedelta(days=9))
    second = CohortPageFactory(parent=home_page, title="Then this", kind="circle")
    SessionFactory(cohort=second, starts_at=now + timedelta(days=2))
    url = catalogue.url + "?kind=circle"
    titles(client, url)
    html = kept_listing_shows(client, url)
    assert html.index("First to meet") < html.index("Then this")

    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(hours=2))
    html = titles(client, url)
    assert html.index("Then this") < html.index("First to meet")


def test_only_choices_and_plain_page_numbers_are_kept(client, home_page, catalogue):
    CohortPageFactory(parent=home_page, title="A circle", kind="circle")
    for query in ("?kind=circle", "?kind=circle&page=1", "?kind=circle&page=2"):
        titles(client, catalogue.url + query)
        kept_listing_shows(client, catalogue.url + query)
    for query in ("?kind=circle&page=01", "?kind=circle&page=1e1", "?q=circle"):
        titles(client, catalogue.url + query)
        with CaptureQueriesContext(connection) as queries:
            assert "A circle" in titles(client, catalogue.url + query)
        assert [query for query in queries if "COUNT(" in query["sql"]], query
        # Not kept, so not asked until when it would stay true.
        assert not [query for query in queries if "MIN(" in query["sql"]], query


def test_a_private_group_is_listed_to_no_one(client, home_page, catalogue):
    """Its page private (signed-in people, some groups, a password), or a
    page above it, or the page it is an alias of: not in the catalogue,
    signed in or not; made private once kept, it leaves the kept listing."""
    public = CohortPageFactory(
        parent=home_page, title="Open budget circle", kind="circle"
    )
    hidden = {}
    for kind in ("login", "groups", "password"):
        group = CohortPageFactory(
            parent=home_page, title=f"Closed {kind} circle", kind="circle"
        )
        restriction = PageViewRestriction.objects.create(
            page=group,
            restriction_type=kind,
            password="secret" if kind == "password" else "",
        )
        if kind == "groups":
            restriction.groups.add(Group.objects.create(name="Board"))
        hidden[kind] = group
    section = StandardPageFactory(parent=home_page, title="Members area")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    hidden["below"] = CohortPageFactory(parent=section, title="Closed below circle")
    hidden["alias"] = hidden["login"].create_alias(
        parent=home_page, update_slug="closed-alias-circle"
    )
    url = catalogue.url + "?kind=circle"
    for person in (None, UserFactory(), UserFactory(is_superuser=True)):
        client.logout()
        if person is not None:
            client.force_login(person)
        html = titles(client, url)
        assert "Open budget circle" in html
        assert "Closed" not in html, person
    # A listing kept, then the open group made private: it leaves the list.
    client.logout()
    kept_listing_shows(client, url)
    PageViewRestriction.objects.create(page=public, restriction_type="login")
    assert "Open budget circle" not in titles(client, url)
