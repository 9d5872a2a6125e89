"""The site and the page under each slug of an address, cached between edits
(lms/page_lookups.py): fewer queries per page, and never a page Wagtail
would not serve."""

import itertools

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from content.models import StandardPage
from lms.page_lookups import SiteLookupMiddleware, page_lookups, site_for_host
from lms.page_lookups import route as page_lookups_route
from tests.factories import course_with_lessons

pytestmark = pytest.mark.django_db


def standard_page(parent: Page, slug: str, **fields) -> StandardPage:
    return parent.add_child(
        instance=StandardPage(title=slug.title(), slug=slug, **fields)
    )


def test_a_bare_page_costs_four_queries_once_looked_up(
    client, home_page, django_assert_num_queries
):
    """The locale, the page itself and its privacy settings (two); the site,
    its home page and the lookup of the page under its slug come from the
    cache. Without it: seven."""
    page = standard_page(home_page, "bare")
    assert client.get(page.url).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(page.url).status_code == 200


def test_a_page_deep_in_the_site_costs_what_a_bare_page_costs(
    client, home_page, django_assert_num_queries
):
    """The levels between are passed through, not read: without the kept
    runs of slugs, a page three levels down cost two more queries."""
    parent = standard_page(home_page, "parent")
    child = standard_page(parent, "child")
    grandchild = standard_page(child, "grandchild")
    for page in (child, grandchild):
        client.get(page.url)
        with django_assert_num_queries(4):
            assert page.title.encode() in client.get(page.url).content


def test_a_page_reached_through_a_kept_ancestor_is_kept_whole(
    client, home_page, django_assert_num_queries
):
    """A run of slugs kept for a page above is not the end of the lookup:
    the page below is looked up and kept from the top as well."""
    parent = standard_page(home_page, "parent")
    child = standard_page(parent, "child")
    client.get(parent.url)
    client.get(child.url)
    with django_assert_num_queries(4):
        assert b"Child" in client.get(child.url).content


def test_a_page_routing_its_own_way_gets_the_rest_of_the_address(
    client, home_page, monkeypatch
):
    """The run of slugs stops at a page type with a route of its own (a
    routable page's own addresses come before its children)."""
    parent = standard_page(home_page, "parent")
    standard_page(parent, "child")
    asked = []

    def own_route(page, request, path_components):
        asked.append((page.slug, list(path_components)))
        return page_lookups_route(page, request, path_components)

    monkeypatch.setattr(StandardPage, "route", own_route)
    for _ in range(2):  # looked up, then kept
        asked.clear()
        assert b"Child" in client.get("/parent/child/").content
        assert asked[0] == ("parent", ["child"])


@pytest.mark.parametrize(
    "sites",
    [
        [("localhost", 80, True)],
        [("localhost", 80, True), ("example.org", 80, False)],
        [("localhost", 80, True), ("example.org", 8000, False)],
        [
            ("localhost", 80, True),
            ("example.org", 80, False),
            ("example.org", 8000, False),
        ],
        [("example.org", 80, True), ("example.org", 8000, False)],
        [("example.org", 80, False), ("other.org", 80, False)],
        [("example.org", 80, False), ("example.org", 8000, False)],
    ],
)
def test_the_site_for_a_host_is_the_one_wagtail_finds(home_page, sites):
    Site.objects.all().delete()
    for hostname, port, default in sites:
        Site.objects.create(
            hostname=hostname, port=port, is_default_site=default, root_page=home_page
        )
    for hostname, port in itertools.product(
        ["localhost", "example.org", "other.org", "unknown.net"], [80, 443, 8000]
    ):
        try:
            expected = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            expected = None
        assert site_for_host(hostname, port) == expected, (hostname, port)


def test_a_changed_site_is_found_at_once(client, home_page, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.org"]
    page = standard_page(home_page, "about")
    assert client.get(page.url, headers={"host": "example.org"}).status_code == 200
    other_home = standard_page(home_page, "other-home")
    standard_page(other_home, "about", intro="On the other site")
    site = Site.objects.create(hostname="example.org", port=80, root_page=other_home)
    response = client.get("/about/", headers={"host": "example.org"})
    assert b"On the other site" in response.content

    site.hostname = "example.net"
    site.save()
    response = client.get("/about/", headers={"host": "example.org"})
    assert b"On the other site" not in response.content

    site.hostname = "example.org"
    site.save()
    assert (
        b"On the other site"
        in client.get("/about/", headers={"host": "example.org"}).content
    )
    site.delete()
    response = client.get("/about/", headers={"host": "example.org"})
    assert response.status_code == 200
    assert b"On the other site" not in response.content


def gone_to(client, old_url: str, new_url: str) -> None:
    """The old address no longer serves the page: it is not found, or
    redirects to the new one (Wagtail makes a redirect when a page moves)."""
    response = client.get(old_url)
    assert response.status_code in (301, 404)
    if response.status_code == 301:
        assert response["Location"] == new_url


def cached_first(client, page: Page) -> str:
    url = page.url
    assert client.get(url).status_code == 200
    return url


def test_a_renamed_page_answers_at_its_new_address_only(client, home_page):
    page = standard_page(home_page, "old-name")
    old_url = cached_first(client, page)
    page.slug = "new-name"
    page.save_revision().publish()
    page.refresh_from_db()
    assert client.get(page.url).status_code == 200
    gone_to(client, old_url, page.url)


def test_a_page_under_a_renamed_or_moved_ancestor_answers_at_its_new_address_only(
    client, home_page
):
    section = standard_page(home_page, "section")
    page = standard_page(section, "page")
    old_url = cached_first(client, page)
    section.slug = "renamed"
    section.save_revision().publish()
    page.refresh_from_db()
    assert page.url == "/renamed/page/"
    assert client.get(page.url).status_code == 200
    gone_to(client, old_url, page.url)

    elsewhere = standard_page(home_page, "elsewhere")
    moved_from = cached_first(client, page)
    section.refresh_from_db()
    section.move(elsewhere, pos="last-child")
    page.refresh_from_db()
    assert client.get(page.url).status_code == 200
    gone_to(client, moved_from, page.url)


def test_an_unpublished_or_deleted_page_is_gone_at_once(client, home_page):
    page = standard_page(home_page, "going")
    url = cached_first(client, page)
    page.unpublish()
    assert client.get(url).status_code == 404
    page.save_revision().publish()
    assert client.get(url).status_code == 200
    page.delete()
    assert client.get(url).status_code == 404


def test_a_moved_page_answers_at_its_new_address_only(client, home_page):
    first = standard_page(home_page, "first")
    second = standard_page(home_page, "second")
    page = standard_page(first, "moving")
    old_url = cached_first(client, page)
    page.move(second, pos="last-child")
    page.refresh_from_db()
    assert client.get(page.url).status_code == 200
    gone_to(client, old_url, page.url)


def test_privacy_set_after_a_page_was_looked_up_applies_at_once(client, home_page):
    section = standard_page(home_page, "members-only")
    page = standard_page(section, "notes")
    url = cached_first(client, page)
    restriction = PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.create(name="Insiders")])
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_kept_lookup_no_signal_told_of_is_checked_against_the_page(client, home_page):
    """Rows changed without signals (a raw update, another process with its
    own cache): the page kept under a slug is served only if it still has it."""
    one = standard_page(home_page, "one")
    two = standard_page(home_page, "two")
    cached_first(client, one)
    cached_first(client, two)
    Page.objects.filter(pk=one.pk).update(slug="swap", url_path="/home/swap/")
    Page.objects.filter(pk=two.pk).update(slug="one", url_path="/home/one/")
    Page.objects.filter(pk=one.pk).update(slug="two", url_path="/home/two/")
    assert b"<h1>Two" in client.get("/one/").content
    assert b"<h1>One" in client.get("/two/").content


def test_a_deep_page_kept_is_checked_against_its_address_now(client, home_page):
    """An ancestor renamed without signals: the page kept under the old run
    of slugs is no longer at that address, and is looked up as Wagtail does."""
    section = standard_page(home_page, "section")
    page = standard_page(section, "page")
    url = cached_first(client, page)
    Page.objects.filter(pk=section.pk).update(slug="quiet", url_path="/home/quiet/")
    Page.objects.filter(pk=page.pk).update(url_path="/home/quiet/page/")
    assert client.get(url).status_code == 404
    assert client.get("/quiet/page/").status_code == 200


def test_a_slug_nobody_has_is_not_kept(client, home_page):
    section = standard_page(home_page, "section")
    assert client.get("/nothing-here/").status_code == 404
    assert client.get("/section/nothing-here/").status_code == 404
    for kept_as in (
        f"{home_page.pk}:nothing-here",
        f"{section.pk}:nothing-here",
        f"{home_page.pk}:section/nothing-here",
    ):
        key = page_lookups.versioned_key(f"path:{kept_as}")
        assert page_lookups.cache.get(key) is None


def test_the_home_page_itself_is_served_as_it_is_now(client, home_page):
    """The home page kept with its site is only a way to its children: asked
    for, it is read afresh, even after a change no signal told of."""
    assert client.get("/").status_code == 200
    Page.objects.filter(pk=home_page.pk).update(title="Renamed quietly")
    assert b"Renamed quietly" in client.get("/").content
    Page.objects.filter(pk=home_page.pk).update(live=False)
    assert client.get("/").status_code == 404


def test_a_home_page_routing_its_own_way_is_not_kept(home_page, monkeypatch):
    monkeypatch.setattr(type(home_page), "route", Page.route)
    site = site_for_host("localhost", 80)
    assert "specific" not in site.root_page.__dict__


def test_the_site_is_given_to_requests_at_a_port_wagtail_can_match(rf, home_page):
    seen = {}

    def view(request):
        seen["site"] = getattr(request, "_wagtail_site", "not looked up")
        return None

    middleware = SiteLookupMiddleware(view)
    middleware(rf.get("/", SERVER_PORT="80"))
    assert seen["site"] == home_page.get_site()
    middleware(rf.get("/", SERVER_PORT="eighty"))
    assert seen["site"] == "not looked up"


def test_a_lesson_with_its_breadcrumbs_costs_what_a_bare_page_costs(
    client, home_page, django_assert_num_queries
):
    """Its course and module are shown from the cache (they cost a query
    each, and the lookup of the lesson two more)."""
    lesson = course_with_lessons(home_page).lessons().first()
    client.get(lesson.url)
    with django_assert_num_queries(4):
        assert b"Module 1" in client.get(lesson.url).content
