"""The phone-first layout: what comes first on a small screen, and how it is built.

The browser test tests/browser/test_phone.py measures it at 390 px; these check
the markup the layout relies on, quickly and without a browser.
"""

import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from calendars.models import CalendarFeed
from cohorts.models import CatalogueIndexPage
from learning.models import LessonProgress
from lms import dates
from tests.factories import (
    CohortPageFactory,
    MembershipFactory,
    SessionFactory,
    course_with_lessons,
)
from tests.helpers import panel_of

pytestmark = pytest.mark.django_db


def test_the_header_menu_folds_into_a_details_without_script(client, home_page):
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    menu = header[header.index('<details class="site-menu">') :]
    assert "<summary>Menu</summary>" in menu
    for name in ('aria-label="Main"', 'aria-label="Your account"', "Log in"):
        assert name in menu
    # No inline script or style; one file, which only adds Escape to fold it.
    assert re.findall(r"<script[^>]*>", html) == [
        '<script src="/static/content/menu.js" defer>'
    ]
    assert "</script>" in html and " style=" not in html


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
    assert main.index('<label for="id_kind"') < main.index("</details>") < first_group


def test_applied_filters_fold_away_and_are_named_above_the_results(client, demo_site):
    url = "/find-a-group/?topic=grantwriting&format=in_person&page=1"
    main = client.get(url).content.decode().split("<main", 1)[1]
    assert '<details class="filters-toggle">' in main  # results first on a phone
    applied = re.search(r'<p class="filters-applied">(.*?)</p>', main).group(1)
    tags = re.findall(r'<span class="tag">([^<]+)</span>', applied)
    assert tags == ["Topic: Grantwriting", "Format: In person"]
    assert 'href="/find-a-group/">Clear filters</a>' in applied
    assert main.index("</details>") < main.index(applied) < main.index('class="card"')

    others = client.get("/find-a-group/?q=budget&day=1&starts_after=2030-01-02")
    applied = re.search(r'class="filters-applied">(.*?)</p>', others.content.decode())
    tags = re.findall(r'<span class="tag">([^<]+)</span>', applied.group(1))
    assert tags[:2] == ["Search: budget", "Day of the week: Monday"]
    assert tags[2].startswith("Starting on or after: ") and "2030" in tags[2]

    unfiltered = client.get("/find-a-group/?page=1").content.decode()
    assert "filters-applied" not in unfiltered
    wrong = client.get("/find-a-group/?starts_after=someday").content.decode()
    assert '<details class="filters-toggle" open>' in wrong  # to show the error
    assert "filters-applied" not in wrong


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
    module = lesson.get_parent().specific
    assert f'<a href="{module.url}">{module.title}</a>' in crumbs

    # Kept between views, and made afresh when the module is renamed.
    module.title, module.slug = "Budgets in practice", "practice"
    module.save_revision().publish()
    module.refresh_from_db()
    lesson.refresh_from_db()
    crumbs = breadcrumbs(client.get(lesson.url).content.decode())
    assert f'<a href="{module.url}">Budgets in practice</a>' in crumbs


@pytest.fixture
def circle(home_page, course):
    return CohortPageFactory(parent=home_page, course=course)


def test_facilitators_see_one_lesson_in_the_singular(client, circle):
    facilitator = MembershipFactory(cohort=circle, role="facilitator").user
    lessons = list(circle.course.lessons())
    for done in (0, 1, 2):
        person = MembershipFactory(cohort=circle).user
        for lesson in lessons[:done]:
            LessonProgress.objects.create(
                user=person, cohort=circle, lesson=lesson, status="completed"
            )
    client.force_login(facilitator)
    html = client.get(f"/cohorts/{circle.pk}/dashboard/").content.decode()
    assert "fewer than 1 lesson done" in html
    assert "1 lessons" not in html


def test_the_attendance_grid_has_the_groups_tabs(client, circle):
    client.force_login(MembershipFactory(cohort=circle, role="facilitator").user)
    SessionFactory(cohort=circle)
    html = client.get(f"/cohorts/{circle.pk}/attendance/").content.decode()
    nav = html[html.index('aria-label="In this group"') :]
    assert (
        f'<a href="/cohorts/{circle.pk}/attendance/" aria-current="page">Attendance'
        in nav
    )


def test_wagtails_editing_bar_stays_off_registers_and_dashboards(
    client, circle, admin_user
):
    client.force_login(admin_user)
    session = SessionFactory(cohort=circle)
    assert "wagtail-userbar" in client.get(circle.url).content.decode()
    for url in (
        f"/cohorts/{circle.pk}/dashboard/",
        f"/cohorts/sessions/{session.pk}/attendance/",
        f"/cohorts/{circle.pk}/attendance/",
    ):
        assert "wagtail-userbar" not in client.get(url).content.decode(), url


def test_email_settings_group_the_choices_and_show_the_whole_address(client, circle):
    membership = MembershipFactory(cohort=circle)
    client.force_login(membership.user)
    # The address is shown once, in the answer to making it.
    made = client.post(reverse("cohorts:calendar_address"), {"action": "new"})
    html = made.content.decode()

    legend = html.index("<legend>Announcements from each of your groups</legend>")
    fieldset = html[
        html.rindex("<fieldset", 0, legend) : html.index("</fieldset>", legend)
    ]
    assert f'name="announcements-{membership.pk}"' in fieldset
    assert 'name="session_reminders"' not in fieldset  # not described by the legend
    assert html.index('name="session_reminders"') < legend

    address = html[html.index('<textarea id="feed-url"') :]
    address = address[: address.index("</textarea>")]
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=membership.user)
    assert feed.token_hash == CalendarFeed.hash_token(token) and "readonly" in address
    assert 'data-copy="feed-url"' in html


def test_my_courses_names_the_course_and_the_group_it_is_taken_in(client, circle):
    client.force_login(MembershipFactory(cohort=circle).user)
    html = client.get("/dashboard/").content.decode()
    courses = html[html.index(">My courses</h2>") :]
    courses = courses[: courses.index("</section>")]
    assert (
        f'">{circle.course.title}</a> <span class="meta">({circle.title})</span>'
        in (courses)
    )


@pytest.mark.parametrize("plugin", ["coaching", "grantwriting", "toolkits"])
def test_a_newcomer_gets_no_empty_panel_from_a_plugin(home_page, plugin):
    person = MembershipFactory(cohort=CohortPageFactory(parent=home_page)).user
    html, _queries = panel_of(person, plugin)
    assert html == ""  # no panel at all, not an empty box


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Thu 3 Dec, 18:30"), ("es", "jue 3 dic, 18:30")],
)
def test_one_date_format_per_language(monkeypatch, language, expected):
    monkeypatch.setattr(dates.timezone, "localdate", lambda: date(2026, 6, 1))
    moment = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)  # a Thursday
    with translation.override(language):
        assert dates.day_and_time(moment) == expected
        assert dates.day(moment.replace(year=2027)) == expected.replace(
            "Thu", "Fri"
        ).replace("jue", "vie").replace(", 18:30", " 2027")


def test_spanish_dates_on_my_learning_are_in_lower_case(client, circle):
    SessionFactory(cohort=circle, title="Budget basics")
    person = MembershipFactory(cohort=circle).user
    client.force_login(person)
    html = client.get("/es/dashboard/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    shown = re.search(r"<time datetime=\"[^\"]+\">([^<]+)</time>", html).group(1)
    day = r"[a-záé]{3}"  # lun, mar, mié, jue, vie, sáb, dom
    assert re.fullmatch(rf"{day} \d{{1,2}} [a-z]{{3}}( \d{{4}})?, \d\d:\d\d", shown)
