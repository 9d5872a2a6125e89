"""The issue's journey on a 390 px phone: a participant asks in a session's
thread, mentioning the facilitator through the list that opens under the
text box; the facilitator finds it in the inbox, answers quoting it and
marks it the answer; the worker e-mails the participant a daily digest
with it; a third member flags the answer, which hides at the threshold (one
flag here, a setting); axe finds nothing along the way."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_participant import CIRCLE, log_in
from tests.test_reminders import db_tasks, run_worker  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("db_tasks")

PHONE = {"width": 390, "height": 844}


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_question_in_a_session_thread_from_mention_to_digest(
    page,
    demo_server,
    mailoutbox,
    settings,
):
    settings.LMS_PLUGINS_CONFIG = {"discussions": {"flags_to_hold": 1}}
    page.set_viewport_size(PHONE)
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + reverse("cohorts:notification_choices"))
    page.get_by_role(
        "group", name=re.compile("Your question is answered")
    ).get_by_label("Daily digest").check()
    page.get_by_role("button", name="Save").click()

    page.goto(demo_server + CIRCLE)
    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Discussions"
    ).click()
    assert_accessible(page)
    # The demo's talk is in the next meeting's thread: the latest activity.
    page.get_by_role("link", name=re.compile("^Session of")).first.click()
    expect(page.get_by_role("main")).to_contain_text("The session")
    box = page.get_by_label("Your reply")
    box.fill("Is there parking behind the library? ")
    box.press_sequentially("@Lu")
    choice = page.get_by_role("option", name="Luis Ramírez")
    choice.wait_for()
    assert box.get_attribute("aria-activedescendant") == choice.get_attribute("id")
    assert_accessible(page)  # with the list open
    box.press("Enter")
    assert re.fullmatch(r".*library\? @\[Luis Ramírez\]\(\d+\) ", box.input_value())
    page.get_by_role("button", name="Post reply").click()
    assert "Your reply is posted." in page.locator(".messages").inner_text()
    asked = page.get_by_role("listitem").filter(has_text="parking behind")
    assert asked.locator(".mention").inner_text() == "@Luis Ramírez"
    assert_accessible(page)
    thread_url = page.url.split("#")[0]

    page.context.clear_cookies()
    log_in(page, demo_server, "facilitator@example.org")
    page.get_by_role("link", name=re.compile(r"Notifications: \d+ unread")).click()
    page.get_by_role("button", name=re.compile("Grace Okafor mentioned you")).click()
    assert page.url.split("#")[0] == thread_url
    page.get_by_role("listitem").filter(has_text="parking behind").get_by_role(
        "link", name="Quote"
    ).click()
    page.get_by_label("Your reply").fill("Yes: free after 6 pm.")
    page.get_by_role("button", name="Post reply").click()
    answer = page.get_by_role("listitem").filter(has_text="free after 6 pm")
    assert "Grace" in answer.locator("blockquote").inner_text()
    assert "@Luis Ramírez" in answer.locator("blockquote").inner_text()
    answer.get_by_role("button", name="Mark as the answer").click()
    assert "Marked as the answer." in page.locator(".messages").inner_text()
    answer = page.get_by_role("listitem").filter(has_text="free after 6 pm")
    assert "The answer" in answer.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    run_worker()
    (digest,) = [m for m in mailoutbox if m.to == ["participant@example.org"]]
    assert "has an answer" in digest.body
    assert thread_url.removeprefix(demo_server) in digest.body

    page.context.clear_cookies()
    log_in(page, demo_server, "amara@example.org")
    page.goto(thread_url)
    page.get_by_role("listitem").filter(has_text="free after 6 pm").get_by_role(
        "link", name="Flag"
    ).click()
    page.get_by_label("What is wrong with this post?").fill("The lot is closed now.")
    page.get_by_role("button", name="Flag").click()
    assert "the moderators will look" in page.locator(".messages").inner_text()
    main = page.get_by_role("main").inner_text()
    assert "This post is hidden until a moderator looks at it." in main
    assert "free after 6 pm" not in main
    assert_accessible(page)
