import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.listings import INDEX_PAGE_SIZE
from tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    StandardPageFactory,
    TopicFactory,
)

MAX_PAGE_QUERIES = 10

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_home_page_renders_intro_and_program_contact(client, demo_site):
    response = client.get("/")
    html = response.content.decode()
    assert "Learning together, organizing together" in html
    assert "programs@learningcommons.example" in html
    assert "https://learningcommons.example/support" in html
    assert 'action="/newsletter/"' in html
    assert 'href="#main"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/county-learning-community/",
        "/resources/",
        "/resources/legal-toolkit-collaboration/",
        "/news/",
        "/news/budget-trainings-begin/",
        "/es/",
        "/es/resources/",
    ],
)
def test_every_page_type_stays_within_the_query_cap(client, demo_site, url):
    client.get(url)  # warm per-process caches (site root paths)
    assert count_queries(client, url) <= MAX_PAGE_QUERIES


def _resource_library(home_page, count):
    library = ResourceIndexPageFactory(parent=home_page)
    topic = TopicFactory()
    for _ in range(count):
        ResourcePageFactory(parent=library).topics.add(topic)
    return library


def _news_index(home_page, count):
    news = NewsIndexPageFactory(parent=home_page)
    for _ in range(count):
        NewsPageFactory(parent=news)
    return news


@pytest.mark.parametrize("build", [_resource_library, _news_index])
def test_index_pages_have_no_n_plus_one(client, home_page, build):
    small = build(home_page, 10)
    small_url = small.url
    client.get(small_url)
    small_count = count_queries(client, small_url)
    small.get_children().delete()
    small.delete()

    # Three full pages: twice the rows of the small index on each page (a
    # query per row shows), and a page past the first.
    large = build(home_page, 3 * INDEX_PAGE_SIZE)
    large_url = large.url
    client.get(large_url)
    assert count_queries(client, large_url) == small_count
    assert count_queries(client, large_url + "?page=3") == small_count
    assert small_count <= MAX_PAGE_QUERIES


def test_resource_library_filters_by_topic_language_and_file_type(client, home_page):
    library = ResourceIndexPageFactory(parent=home_page)
    legal = TopicFactory(name="Legal", slug="legal")
    spanish = ResourcePageFactory(
        parent=library, title="Guía legal", resource_language="es"
    )
    spanish.topics.add(legal)
    spanish.save_revision().publish()
    ResourcePageFactory(parent=library, title="Budget basics")

    html = client.get(library.url + "?topic=legal").content.decode()
    assert "Guía legal" in html and "Budget basics" not in html
    html = client.get(library.url + "?language=en").content.decode()
    assert "Budget basics" in html and "Guía legal" not in html
    html = client.get(library.url + "?file_type=xls").content.decode()
    assert "No resources match these filters" in html
    html = client.get(library.url + "?q=basics&file_type=pdf").content.decode()
    assert "Budget basics" in html and "Guía legal" not in html


def test_resource_library_survives_bad_filter_and_page_values(client, home_page):
    library = _resource_library(home_page, 25)
    for query in ["?topic=nope", "?page=abc", "?page=999", "?file_type=exe"]:
        response = client.get(library.url + query)
        assert response.status_code == 200, query
    assert (
        "Select a valid choice"
        in client.get(library.url + "?topic=nope").content.decode()
    )


def test_pagination_keeps_the_filters(client, home_page):
    library = _resource_library(home_page, 25)
    html = client.get(library.url + "?language=en").content.decode()
    assert "?language=en&amp;page=2" in html


def test_unpublished_pages_are_not_listed_or_served(client, home_page):
    library = ResourceIndexPageFactory(parent=home_page)
    draft = ResourcePageFactory(parent=library, title="Secret draft")
    draft.unpublish()
    assert "Secret draft" not in client.get(library.url).content.decode()
    assert client.get(draft.url_path.replace("/home", "", 1)).status_code == 404


def test_menu_lists_pages_marked_for_menus(client, home_page):
    StandardPageFactory(parent=home_page, title="About us", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Hidden page", show_in_menus=False)
    html = client.get("/").content.decode()
    assert "About us" in html and "Hidden page" not in html


def test_missing_page_gets_a_helpful_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
