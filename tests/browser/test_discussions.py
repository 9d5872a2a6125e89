"""A session's thread on a 390 px phone: a participant asks, the facilitator
answers quoting the question and marks it the answer; axe finds nothing."""

import re

from axe_playwright_python.sync_playwright import Axe

from notifications.models import Notification
from tests.browser.test_participant import CIRCLE, log_in

PHONE = {"width": 390, "height": 844}


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_question_in_a_session_thread_answered_and_marked(page, demo_server):
    page.set_viewport_size(PHONE)
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + CIRCLE)
    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Discussions"
    ).click()
    assert_accessible(page)
    # The demo's talk is in the next meeting's thread: the latest activity.
    page.get_by_role("link", name=re.compile("^Session of")).first.click()
    assert "The session" in page.get_by_role("main").inner_text()
    page.get_by_label("Your reply").fill("Is there parking behind the library?")
    page.get_by_role("button", name="Post reply").click()
    assert "Your reply is posted." in page.locator(".messages").inner_text()
    assert_accessible(page)
    thread_url = page.url.split("#")[0]

    page.context.clear_cookies()
    log_in(page, demo_server, "facilitator@example.org")
    page.goto(thread_url)
    page.get_by_role("listitem").filter(has_text="parking behind").get_by_role(
        "link", name="Quote"
    ).click()
    page.get_by_label("Your reply").fill("Yes: free after 6 pm.")
    page.get_by_role("button", name="Post reply").click()
    answer = page.get_by_role("listitem").filter(has_text="free after 6 pm")
    assert "Grace" in answer.locator("blockquote").inner_text()
    answer.get_by_role("button", name="Mark as the answer").click()
    assert "Marked as the answer." in page.locator(".messages").inner_text()
    answer = page.get_by_role("listitem").filter(has_text="free after 6 pm")
    assert "The answer" in answer.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    kinds = Notification.objects.filter(
        recipient__email="participant@example.org", kind__startswith="discussions."
    ).values_list("kind", flat=True)
    assert set(kinds) == {"discussions.reply", "discussions.answered"}
