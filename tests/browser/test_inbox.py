"""The bell and the notifications page in chromium: on a 390 px phone the
bell shares the header's row with the menu (the header is no taller than a
visitor's), on a desktop it sits after the menu; both pages pass axe in
English and Spanish. Screenshots go to $INBOX_SHOTS when it is set."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_participant import log_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
HEADER_HEIGHT = (
    "() => document.querySelector('.site-header').getBoundingClientRect().height"
)


def shoot(page, name: str) -> None:
    folder = os.environ.get("INBOX_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png")


def axe_clean(page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_bell_leads_to_the_inbox_and_following_one_reads_it(
    browser, demo_server, viewport
):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    name = "phone" if viewport is PHONE else "desktop"
    page.goto(demo_server + "/")
    visitors_header = page.evaluate(HEADER_HEIGHT)
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + "/")
    bell = page.get_by_role("link", name="Notifications: 1 unread")
    assert bell.is_visible()
    shoot(page, f"header-{name}-en")
    assert page.evaluate(HEADER_HEIGHT) <= visitors_header
    if viewport is PHONE:
        menu = page.locator(".site-menu > summary").bounding_box()
        box = bell.bounding_box()
        assert abs(box["y"] - menu["y"]) < menu["height"]  # the same row
        assert box["width"] >= 44 and box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shoot(page, f"header-{name}-en")

    bell.click()
    assert page.get_by_role("heading", name="Notifications").is_visible()
    axe_clean(page)
    shoot(page, f"inbox-{name}-en")
    page.get_by_role("button", name="Unread").first.click()  # the unread one
    assert "/grantwriting-circle/" in page.url
    assert page.get_by_role("link", name="Notifications: none unread").is_visible()

    page.goto(demo_server + "/es/cohorts/inbox/")
    assert page.locator("html").get_attribute("lang") == "es"
    axe_clean(page)
    shoot(page, f"inbox-{name}-es")
    page.goto(demo_server + "/es/")
    shoot(page, f"header-{name}-es")
    page.goto(demo_server + "/cohorts/my-emails/notifications/")
    axe_clean(page)
    shoot(page, f"choices-{name}-en")
    context.close()
