"""The program lead's admin: the home panels and the lesson editor pass axe.

Nothing is excluded: the StreamField inputs Wagtail 8.0 leaves unnamed
(wagtail/wagtail#11179, #14205) are named by content/static/content/admin/
field_names.js, blocks added in the editor included.
"""

from axe_playwright_python.sync_playwright import Axe

from content.models import LessonPage
from tests.browser.test_participant import log_in


def violations(page) -> str:
    results = Axe().run(page)
    return "" if results.violations_count == 0 else results.generate_report()


def test_the_lead_s_admin_home_and_lesson_editor_pass_axe(page, demo_server):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, demo_server, "lead@example.org")
    page.goto(demo_server + "/admin/")
    assert page.get_by_role("heading", name="Your programs' groups").is_visible()
    assert page.get_by_role("link", name="New group").is_visible()
    assert not violations(page), violations(page)

    lesson = LessonPage.objects.filter(title="Writing a need statement").first()
    page.goto(demo_server + f"/admin/pages/{lesson.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert not violations(page), violations(page)

    # Blocks added now: a list's items and a rich text box, named as they come.
    for block in ("Checklist", "Text"):
        page.locator("button[title='Insert a block']").first.click()
        page.get_by_role("option", name=block).click()
    page.wait_for_timeout(500)
    textbox = page.locator("[role='textbox'][contenteditable='true']").first
    assert textbox.get_attribute("aria-labelledby")
    assert not violations(page), violations(page)


def test_the_lead_s_admin_home_on_a_phone(page, demo_server):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, demo_server, "lead@example.org")
    page.goto(demo_server + "/admin/")
    links = page.locator(".lead-links")
    box = links.bounding_box()
    assert box["x"] + box["width"] <= 390  # the quick links wrap, not overflow
    assert not violations(page), violations(page)
