"""On a 390 x 844 phone, every main page's content starts within the first 200 px.

The header's menu folds into a <details>; these measure where `main`'s first
piece of content lands as a visitor, a participant and a facilitator, and run
axe on each page, /patterns/ (every component) included.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from cohorts.models import CohortPage
from scheduling.models import Session
from tests.browser.test_participant import log_in
from tests.helpers import site_address

PHONE = {"width": 390, "height": 844}
FIRST_CONTENT_TOP = """() => {
    const main = document.querySelector("main");
    const shown = (child) => child.getBoundingClientRect().height > 0;
    const first = [...main.children].find(
        (child) => !child.matches(".messages") && shown(child)
    );
    return first.getBoundingClientRect().top + window.scrollY;
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def check(phone, url):
    phone.goto(url)
    top = phone.evaluate(FIRST_CONTENT_TOP)
    results = Axe().run(phone)
    assert (top <= 200, results.violations_count) == (True, 0), (
        f"{url}: content starts at {top} px\n{results.generate_report()}"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url


def test_phone_pages_start_near_the_top_for_every_role(phone, demo_server, settings):
    settings.DEBUG = True  # for /patterns/, development only
    circle = CohortPage.objects.get(slug="grantwriting-circle")
    lesson = circle.course.specific.lessons().first()
    session = (
        Session.objects.filter(cohort=circle, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    visitor = [
        "/",
        "/find-a-group/",
        site_address(circle)[1],
        site_address(lesson)[1],
        "/accounts/login/",
    ]
    participant = [
        "/dashboard/",
        f"/cohorts/{circle.pk}/course/{lesson.pk}/",
        "/cohorts/my-emails/",
        "/es/dashboard/",
        "/patterns/",
    ]
    facilitator = [
        f"/cohorts/{circle.pk}/dashboard/",
        f"/cohorts/sessions/{session.pk}/attendance/",
        f"/cohorts/{circle.pk}/attendance/",
    ]
    for url in visitor:
        check(phone, demo_server + url)

    # The menu opens without script and holds the links the header had.
    phone.goto(demo_server + "/")
    menu = phone.get_by_role("navigation", name="Main")
    assert not menu.is_visible()
    phone.locator(".site-menu > summary").click()
    assert menu.get_by_role("link", name="Find a group").is_visible()
    assert phone.get_by_role("navigation", name="Language").is_visible()
    # Escape folds it away, from a link inside it too, back on its button.
    menu.get_by_role("link", name="Find a group").focus()
    phone.keyboard.press("Escape")
    assert not menu.is_visible()
    assert phone.evaluate("document.activeElement.tagName") == "SUMMARY"

    # Filtering folds the panel away: the first result is on the first screen.
    phone.goto(demo_server + "/find-a-group/")
    phone.locator(".filters-toggle > summary").click()
    phone.get_by_label("Format").select_option(label="In person")
    phone.get_by_role("button", name="Show groups").click()
    phone.wait_for_url("**format=in_person**")
    first_result = phone.locator(".card-list .card").first.bounding_box()
    assert first_result["y"] + 100 <= PHONE["height"], first_result
    assert phone.locator(".filters-applied").is_visible()
    assert not phone.get_by_label("Format").is_visible()
    phone.locator(".filters-toggle > summary").click()  # still opens to change them
    assert phone.get_by_label("Format").input_value() == "in_person"

    log_in(phone, demo_server, "participant@example.org")
    for url in participant:
        check(phone, demo_server + url)

    phone.context.clear_cookies()
    log_in(phone, demo_server, "facilitator@example.org")
    for url in facilitator:
        check(phone, demo_server + url)
    # The group's tabs scroll sideways: the current one is brought into view.
    phone.goto(demo_server + f"/cohorts/{circle.pk}/attendance/")
    current = phone.locator(".cohort-nav [aria-current]")
    phone.wait_for_function(
        "() => { const box = document.querySelector('.cohort-nav [aria-current]')"
        ".getBoundingClientRect(); return box.left >= 0 && box.right <= 390; }"
    )
    assert current.inner_text() == "Attendance"
