"""The page cache (lms/page_cache.py): public pages kept whole for visitors who
are not signed in, dropped when anything they show changes, and never a page
that is private or someone's own."""

import re

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.checks import run_checks
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction

from cohorts.models import CatalogueIndexPage, CohortPage, Speaker
from content.listings import public
from content.models import NewsIndexPage, NewsPage, ProgramSettings, StandardPage
from lms import page_cache
from lms.page_cache import HEADER
from scheduling.models import RSVP
from scheduling.sessions import cancel_session
from sdk.factories import GroupFactory, MembershipFactory, SessionFactory, UserFactory
from tests.helpers import restrict_to, site_address

PASS_PHRASE = "a long pass phrase"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def visit(url: str, client: Client | None = None):
    """A GET by a new visitor (no cookies), or by `client`."""
    return (client or Client()).get(url)


def cached(url: str) -> str | None:
    """How the page cache answered a new visitor: "hit", "miss" or None."""
    return visit(url).get(HEADER)


def text_of(response) -> str:
    return TOKEN.sub(b"", response.content).decode()


@pytest.fixture
def page(home_page):
    page = StandardPage(title="Getting started", slug="getting-started")
    home_page.add_child(instance=page)
    return page


def test_a_public_page_is_kept_and_then_served_without_a_query(
    page, django_assert_num_queries
):
    first = visit(page.url)
    assert first.status_code == 200 and first[HEADER] == "miss"
    with django_assert_num_queries(0):
        again = visit(page.url)
    assert again[HEADER] == "hit"
    assert text_of(again) == text_of(first)
    assert "Getting started" in text_of(again)


def test_each_visitor_served_from_the_cache_gets_a_token_that_works(page):
    visit(page.url)
    tokens = set()
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        response = visit(page.url, visitor)
        assert response[HEADER] == "hit"
        assert "csrftoken" in response.cookies
        (token,) = set(TOKEN.findall(response.content))
        tokens.add(token)
        subscribed = visitor.post(
            reverse("newsletter:subscribe"),
            {"csrfmiddlewaretoken": token.decode(), "email": "a@example.org"},
        )
        assert subscribed.status_code != 403
    assert len(tokens) == 2


def test_signed_in_people_are_never_served_from_it_and_never_fill_it(page):
    signed_in = Client()
    signed_in.force_login(UserFactory())
    log_out = reverse("account_logout")
    first = visit(page.url, signed_in)
    assert first.status_code == 200 and HEADER not in first
    assert log_out in text_of(first)
    assert cached(page.url) == "miss"
    again = visit(page.url, signed_in)
    assert HEADER not in again and log_out in text_of(again)
    from_cache = visit(page.url)
    assert from_cache[HEADER] == "hit" and log_out not in text_of(from_cache)


def test_private_pages_are_never_kept(page, home_page):
    member = UserFactory()
    restrict_to(page, member)
    child = StandardPage(title="Inside", slug="inside")
    page.add_child(instance=child)
    for url in (page.url, child.url):
        assert visit(url).status_code == 302
        assert cached(url) is None
    protected = StandardPage(title="Staff room", slug="staff-room")
    home_page.add_child(instance=protected)
    PageViewRestriction.objects.create(
        page=protected, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert visit(protected.url).status_code == 200  # the password form
    assert cached(protected.url) is None


def test_only_pages_without_a_restriction_on_them_or_above_are_kept(page, rf):
    """Wagtail answers a visitor at a private page with a log-in redirect or a
    password form it marks uncacheable; the page's own privacy is the rule
    that holds even if a page answered 200 itself."""
    child = StandardPage(title="Inside", slug="inside")
    page.add_child(instance=child)
    request = rf.get(child.url)
    page_cache.may_keep_page(request, child)
    assert page_cache._may_keep(request, HttpResponse("a page"))
    restrict_to(page, UserFactory())
    for private in (page, child):
        request = rf.get(private.url)
        page_cache.may_keep_page(request, private)
        assert not page_cache._may_keep(request, HttpResponse("a page"))


def test_a_query_string_or_a_cookie_of_the_site_asks_afresh(page, settings):
    visit(page.url)
    assert visit(page.url + "?page=2").get(HEADER) is None
    for cookie in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        visitor = Client()
        visitor.cookies[cookie] = "anything"
        assert visit(page.url, visitor).get(HEADER) is None


def test_a_listing_filtered_by_its_choices_is_kept_and_nothing_else_is(home_page):
    """A catalogue filtered by one or two choices is kept, once for the same
    choices in any order or with empty fields beside them; typed text, a
    date, another page of results, a parameter the filter does not read (even
    empty: links on the kept page would carry it), three choices or more, or
    a value it refuses is always asked afresh (every one would be a copy)."""
    catalogue = home_page.add_child(
        instance=CatalogueIndexPage(title="Find a group", slug="groups")
    )
    GroupFactory(
        parent=home_page, title="Budget circle", kind=CohortPage.Kind.LEARNING_CIRCLE
    )
    url = catalogue.url
    first = visit(f"{url}?kind=circle&format=online")
    assert first[HEADER] == "miss"
    assert cached(f"{url}?format=online&kind=circle") == "hit"
    assert cached(f"{url}?q=&kind=circle&topic=&format=online&day=") == "hit"
    assert cached(f"{url}?kind=circle") == "miss"
    for fresh in (
        "q=budget",
        "kind=circle&q=budget",
        "starts_after=2026-12-01",
        "kind=circle&page=2",
        "kind=circle&utm_source=mail",
        "kind=circle&format=online&day=4",  # three choices: too many copies
        "kind=circle&kind=event",
        "kind=not-a-kind",
    ):
        visit(f"{url}?{fresh}")
        assert cached(f"{url}?{fresh}") is None, fresh
    # A name nobody reads, even empty, is not kept: the copy's links would
    # carry it to every visitor. The same choices without it are kept apart.
    visit(f"{url}?language=en&planted=")
    assert cached(f"{url}?language=en") == "miss"
    GroupFactory(
        parent=home_page, title="Newer circle", kind=CohortPage.Kind.LEARNING_CIRCLE
    )
    assert "Newer circle" in text_of(visit(f"{url}?kind=circle"))


def test_nothing_is_kept_when_the_cache_is_off(page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    visit(page.url)
    assert cached(page.url) is None


def test_publishing_a_change_shows_it(page):
    visit(page.url)
    page.title = "Start here"
    page.save_revision().publish()
    response = visit(page.url)
    assert response[HEADER] == "miss" and "Start here" in text_of(response)


def test_unpublishing_deleting_and_moving_drop_the_page(page, home_page):
    other = StandardPage(title="Elsewhere", slug="elsewhere")
    home_page.add_child(instance=other)
    visit(page.url)
    old_url = page.url
    page.move(other, pos="last-child")
    page.refresh_from_db()
    moved = visit(old_url)  # Wagtail made a redirect to the new address
    assert moved.status_code == 301 and moved.url == page.url
    visit(page.url)
    page.unpublish()
    assert visit(page.url).status_code == 404
    page.save_revision().publish()
    visit(page.url)
    url = page.url
    page.delete()
    assert visit(url).status_code == 404


def test_renaming_a_parent_drops_its_childrens_pages(page):
    child = StandardPage(title="Inside", slug="inside")
    page.add_child(instance=child)
    old_url = child.url
    assert cached(old_url) == "miss"
    page.slug = "begin"
    page.save_revision().publish()
    assert visit(old_url).status_code == 404


def test_the_menu_shows_a_newly_published_page_at_once(page, home_page):
    page.show_in_menus = True
    page.save_revision().publish()
    visit(home_page.url)
    news = StandardPage(title="Budget school", slug="budget-school", show_in_menus=True)
    home_page.add_child(instance=news)
    assert "Budget school" in text_of(visit(home_page.url))


def test_the_footer_shows_new_program_settings_at_once(page, home_page):
    visit(page.url)
    settings = ProgramSettings.for_site(home_page.get_site())
    settings.organisation_name = "Riverside Learning Commons"
    settings.save()
    assert "Riverside Learning Commons" in text_of(visit(page.url))


@pytest.fixture
def group(home_page):
    return GroupFactory(
        parent=home_page, title="Budget talks", kind=CohortPage.Kind.SPEAKER_EVENT
    )


def test_a_groups_page_shows_new_sessions_speakers_and_seats_at_once(
    group, django_capture_on_commit_callbacks
):
    visit(group.url)
    session = SessionFactory(cohort=group, title="Reading a budget", capacity=12)
    assert "Reading a budget" in text_of(visit(group.url))
    assert "0 of 12 seats taken" in text_of(visit(group.url))
    going = MembershipFactory(cohort=group).user
    RSVP.objects.create(session=session, user=going, status=RSVP.Status.GOING)
    assert "1 of 12 seats taken" in text_of(visit(group.url))
    Speaker.objects.create(cohort=group, name="Dolores Huerta")
    assert "Dolores Huerta" in text_of(visit(group.url))
    assert cached(group.url) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(session)  # an UPDATE: no model signal, an event
    assert "Cancelled" in text_of(visit(group.url))


# What the cache keeps and serves does not depend on the database: the
# PostgreSQL stage's crawl asks for each of these pages.
@pytest.mark.backend_independent
@pytest.mark.long_running
def test_the_demo_site_as_visitors_see_it_comes_from_the_cache_unchanged(demo_site):
    """Every public page of the demo, each chapter's at its own host name:
    kept after one visit, and what the cache serves is what the page showed,
    with none of a signed-in person's data."""
    person = UserFactory._meta.model.objects.get(email="participant@example.org")
    pages = [p for p in Page.objects.live().public().specific() if p.url]
    assert len(pages) > 30
    assert len({site_address(page)[0] for page in pages}) == 3  # two chapters
    visit("/")  # the first page made creates the site's settings: not kept
    for demo_page in pages:
        host, path = site_address(demo_page)
        participant = Client(HTTP_HOST=host)
        participant.force_login(person)
        first = visit(path, Client(HTTP_HOST=host))
        assert first.status_code == 200, (host, path)
        signed_in = visit(path, participant)
        assert HEADER not in signed_in, (host, path)
        again = visit(path, Client(HTTP_HOST=host))
        assert again[HEADER] == "hit", (host, path)
        assert text_of(again) == text_of(first), (host, path)
        assert "participant@example.org" not in text_of(again)


def test_the_cache_works_without_telling(page, settings, django_assert_num_queries):
    settings.PAGE_CACHE_HEADER = False
    assert HEADER not in visit(page.url)
    with django_assert_num_queries(0):
        assert HEADER not in visit(page.url)


def test_a_page_made_private_while_it_was_made_is_not_kept(page, monkeypatch):
    """The page is made under the version of the moment it was asked for: one
    whose privacy changed meanwhile is put where nobody reads it."""
    made = StandardPage.get_context

    def made_while_restricted(self, request, *args, **kwargs):
        context = made(self, request, *args, **kwargs)
        if not PageViewRestriction.objects.exists():
            PageViewRestriction.objects.create(
                page=self, restriction_type=PageViewRestriction.LOGIN
            )
        return context

    monkeypatch.setattr(StandardPage, "get_context", made_while_restricted)
    assert visit(page.url).status_code == 200  # asked just before the change
    again = visit(page.url)
    assert again.status_code == 302 and HEADER not in again


def test_what_a_visitor_does_leaves_the_cache_alone(page, home_page):
    """Subscribing, signing up or asking to join writes rows whatever the
    address: if that dropped the kept pages, the next page's speed would tell
    whether the address was already known."""
    visit(page.url)
    known = UserFactory(email="known@example.org")
    for email in ("known@example.org", "new@example.org"):
        visitor = Client()
        visitor.post(reverse("newsletter:subscribe"), {"email": email})
        visitor.post(
            reverse("account_signup"),
            {
                "email": email,
                "password1": "a long pass phrase",
                "password2": "a long pass phrase",
            },
        )
        assert cached(page.url) == "hit", email
    assert known.pk


def test_only_the_sites_own_address_is_kept(page):
    assert visit(page.url).get(HEADER) == "miss"
    for host in ("testserver:1", "testserver:8001"):
        assert Client(HTTP_HOST=host).get(page.url).get(HEADER) is None


def test_a_page_that_varies_by_another_header_is_not_kept(page, rf):
    request = rf.get(page.url)
    page_cache.may_keep_page(request, page)
    response = HttpResponse("a page")
    response["Vary"] = "Accept-Language, Cookie"
    assert page_cache._may_keep(request, response)
    response["Vary"] = "Cookie, User-Agent"
    assert not page_cache._may_keep(request, response)


def test_the_deploy_check_warns_of_a_page_cache_in_each_process(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    assert "lms.W002" in [m.id for m in run_checks(include_deployment_checks=True)]
    settings.PAGE_CACHE_SECONDS = 0
    assert "lms.W002" not in [m.id for m in run_checks(include_deployment_checks=True)]


def test_private_news_is_listed_to_nobody(home_page):
    news = NewsIndexPage(title="News", slug="news")
    home_page.add_child(instance=news)
    for title in ("Spring trainings", "Board minutes"):
        news.add_child(instance=NewsPage(title=title, slug=slugify(title)))
    restrict_to(NewsPage.objects.get(title="Board minutes"), UserFactory())
    for listing in (home_page.url, news.url):
        shown = text_of(visit(listing))
        assert "Spring trainings" in shown and "Board minutes" not in shown, listing


def test_public_pages_are_those_wagtail_calls_public(home_page):
    news = NewsIndexPage(title="News", slug="news")
    home_page.add_child(instance=news)
    for title in ("One", "Two", "Three"):
        news.add_child(instance=NewsPage(title=title, slug=slugify(title)))
    NewsPage.objects.get(title="Two").add_child(
        instance=NewsPage(title="Under two", slug="under-two")
    )
    restrict_to(NewsPage.objects.get(title="Two"), UserFactory())
    everything = Page.objects.all()
    assert set(public(everything)) == set(everything.public())
    assert "Under two" not in {page.title for page in public(everything)}
