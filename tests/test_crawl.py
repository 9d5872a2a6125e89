"""The demo site crawled as each kind of person (tests/crawl.py).

From home, the dashboards, the catalogues and the person's own groups, in
English and Spanish: every internal link followed, every filter form tried
with each of its choices, and every filter form and query parameter met in a
link given the adversarial values (by the first person of `PEOPLE` to
reach them). The runs that switch a plugin off follow the links only: see
`plugins_switched_off`. Nothing answers with a server error, echoes a script
unescaped, writes to the database on a GET, or links to a page that is not
there."""

import re
import time

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path
from wagtail.models import Site

from cohorts.models import Program
from tests.adversarial import SCRIPT, VALUES
from tests.crawl import EVERY_KIND, Crawl, starting_points, with_query

# The people who crawl, in turn, in one test: a person later in the list
# gives the adversarial values only to the kinds of page that nobody before
# them reached (the facilitator's group pages are the participant's, the
# superuser's reports the program lead's): a filter parses its input alike
# for everyone, and the choices still render each person's version of the
# page. One test, not one per person: each would otherwise crawl as the
# visitor again to learn which kinds are left to it.
PEOPLE = [
    None,
    "participant@example.org",
    "facilitator@example.org",
    "lead@example.org",
    "admin@example.org",
]


@pytest.fixture(scope="module")
def demo_once(demo_data, django_db_blocker, tmp_path_factory):
    """The demo (the rows and files `load_demo` leaves, loaded once per
    process: tests/demo_data.py), written once for every crawl of this module
    and rolled back after them: each test runs in a savepoint inside this
    transaction, and a crawl's GETs change nothing (which the crawl checks)."""
    media = {
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "PRIVATE_MEDIA_ROOT": tmp_path_factory.mktemp("private-media"),
    }
    with (
        django_db_blocker.unblock(),
        override_settings(**media),
        transaction.atomic(),
    ):
        demo_data.write()
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_once, db, settings):
    for name, folder in demo_once.items():
        setattr(settings, name, folder)  # the demo's files, not this test's


def plugins_switched_off() -> bool:
    """Whether this run leaves a first-party plugin out (`make test`'s
    plugins-off stages). The run with every plugin has given each kind of
    page the adversarial values; a plugin switched off only takes pages and
    panels away, and each page parses its input with the same code, so these
    runs follow the links only: what they are for is that the pages left, as
    they are drawn without the plugin, answer (a filter's choices change which
    rows a page lists, not what a plugin adds to it)."""
    return not set(settings.FIRST_PARTY_PLUGINS) <= set(settings.LMS_PLUGINS)


@pytest.mark.long_running
def test_crawl_of_the_demo_meets_no_server_error(demo):
    adversarial = not plugins_switched_off()
    fuzzed_elsewhere = frozenset()
    for email in PEOPLE:
        client = Client()
        user = None
        if email:
            user = get_user_model().objects.get(email=email)
            client.force_login(user)
        crawl = crawl_as(client, user, fuzzed_elsewhere, adversarial)
        fuzzed_elsewhere |= crawl.fuzzed_kinds()


def crawl_as(client, user, fuzzed_elsewhere, adversarial) -> Crawl:
    started = time.process_time()
    crawl = Crawl(client, fuzzed_elsewhere=fuzzed_elsewhere)
    if not adversarial:
        crawl.per_kind = EVERY_KIND  # that every kind answers: these runs' point
    starts = starting_points(user)
    crawl.follow_links(starts)
    if adversarial:
        crawl.try_choices()
        crawl.try_adversarial_values()
        crawl.try_parameters()
    seconds = time.process_time() - started
    print(
        f"{user.email if user else 'visitor'}: {len(crawl.visits)} requests "
        f"({dict(crawl.count_by_language())}), {len(crawl.crawled)} by links, "
        f"{len(crawl.representatives())} kinds of page, {seconds:.1f} s of CPU"
    )

    assert crawl.server_errors == {}
    assert crawl.echoed_script == []
    assert crawl.writes_on_get == {}
    dead_links = {
        url: crawl.visits[url].status
        for url in crawl.crawled
        if crawl.visits[url].status >= 400 and url not in starts
    }
    assert dead_links == {}
    # The crawl went through the site: every filter form, in both languages.
    kinds = {kind.split()[0] + " " + kind.split()[1] for kind in crawl.forms}
    filtered_pages = ["CatalogueIndexPage", "ResourceIndexPage"]
    if apps.is_installed("lms_toolkits"):  # the plugins-off stage turns it off
        filtered_pages.append("ToolkitIndexPage")
    assert kinds >= {
        f"{language} {page}" for language in ("en", "es") for page in filtered_pages
    }
    assert len(crawl.crawled) > 50
    assert any(url.startswith("/documents/") for url in crawl.crawled)
    if user and Program.objects.led_by(user).exists():
        # From a program's report to its groups'.
        assert any(re.fullmatch(r"/cohorts/\d+/reports/", url) for url in crawl.crawled)
    return crawl


def _links(request):
    return HttpResponse(
        '<a href="/boom/">boom</a> <a href="/write/">write</a>'
        '<form method="get" action="/echo/"><select name="q">'
        '<option value="a">a</option></select></form>'
    )


def _boom(request):
    raise ZeroDivisionError


def _write(request):
    Site.objects.update(site_name="written on a GET")
    return HttpResponse("")


def _echo(request):
    return HttpResponse(request.GET.get("q", ""))  # unescaped on purpose


urlpatterns = [
    path("", _links),
    path("boom/", _boom),
    path("write/", _write),
    path("echo/", _echo),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_crawl_reports_errors_echoes_and_writes(client, home_page):
    """The crawl can fail: a 500, a script echoed and a GET that writes are
    each reported, with the server error's traceback."""
    crawl = Crawl(client, values=VALUES)
    crawl.follow_links(["/"])
    crawl.try_choices()
    crawl.try_adversarial_values()
    assert list(crawl.server_errors) == ["/boom/"]
    assert "ZeroDivisionError" in crawl.server_errors["/boom/"]
    assert crawl.echoed_script == [
        with_query("/echo/", {"q": value}) for value in VALUES if SCRIPT in value
    ]
    assert len(crawl.echoed_script) >= 2
    assert list(crawl.writes_on_get) == ["/write/"]
    assert crawl.filtered == ["/echo/?q=a"]
