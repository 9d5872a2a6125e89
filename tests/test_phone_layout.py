"""The phone-first layout: what comes first on a small screen, and how it is built.

The browser test tests/browser/test_phone.py measures it at 390 px; these check
the markup the layout relies on, quickly and without a browser.
"""

import re

import pytest

from cohorts.models import CatalogueIndexPage
from tests.factories import CohortPageFactory, MembershipFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_the_header_menu_folds_into_a_details_without_script(client, home_page):
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    menu = header[header.index('<details class="site-menu">') :]
    assert "<summary>Menu</summary>" in menu
    for name in ('aria-label="Main"', 'aria-label="Your account"', "Log in"):
        assert name in menu
    assert "<script" not in html and " style=" not in html


def test_home_page_invites_people_to_find_a_group(client, home_page):
    catalogue = CatalogueIndexPage(title="Find a group", slug="find-a-group")
    home_page.add_child(instance=catalogue)
    html = client.get("/").content.decode()
    assert re.search(
        r'<a class="button" href="/find-a-group/">Find or join a group</a>', html
    )


def test_catalogue_lists_groups_before_filters_open_and_paths(client, demo_site):
    html = client.get("/find-a-group/").content.decode()
    main = html[html.index("<main") :]
    assert '<details class="filters-toggle">' in main  # closed until used
    first_group = main.index('<li class="card">')
    assert first_group < main.index("Learning paths")
    assert first_group < main.index('<label for="id_kind"')

    filtered = client.get("/find-a-group/?kind=circle").content.decode()
    assert '<details class="filters-toggle" open>' in filtered


def breadcrumbs(html: str) -> str:
    start = html.index('class="breadcrumbs"')
    return html[start : html.index("</nav>", start)]


@pytest.fixture
def course(home_page):
    return course_with_lessons(home_page)


def test_a_members_lesson_breadcrumb_headings_and_quiz_feedback(
    client, home_page, course
):
    circle = CohortPageFactory(parent=home_page, course=course)
    lesson = course.lessons().first()
    quiz = next(block.id for block in lesson.body if block.block_type == "quiz")
    url = f"/cohorts/{circle.pk}/course/{lesson.pk}/"
    client.force_login(MembershipFactory(cohort=circle).user)
    client.post(url, {"block": quiz, "choice": "0"})
    html = client.get(url).content.decode()

    crumbs = breadcrumbs(html)
    assert crumbs.count("<li>") == 2 and "<ol>" in crumbs
    assert f'<h2 id="block-{quiz}">' in html  # h1, then h2: no level skipped
    section = html[html.index(f'<h2 id="block-{quiz}">') :]
    # the feedback follows every choice instead of sitting between them
    assert section.index("</fieldset>") < section.index("The budget says how.")


def test_a_published_lesson_links_back_to_its_course_and_module(client, course):
    lesson = course.lessons().first()
    html = client.get(lesson.url).content.decode()
    crumbs = breadcrumbs(html)
    assert f'<a href="{course.url}">{course.title}</a>' in crumbs
    module = lesson.get_parent()
    assert f'<a href="{module.url}">{module.title}</a>' in crumbs
