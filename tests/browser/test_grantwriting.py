from tests.browser.test_coaching import assert_accessible
from tests.browser.test_participant import CIRCLE, log_in


def test_a_draft_from_submission_to_feedback(page, demo_server):
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + CIRCLE)
    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Drafts and feedback"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Logic model").click()
    page.get_by_role("textbox", name="Your draft").fill(
        "Inputs: two volunteers. Activities: a second pick-up day. "
        "Outcome: families wait one week, not six."
    )
    page.get_by_label("Ask the group for feedback").check()
    assert_accessible(page)
    page.get_by_role("button", name="Submit").click()
    assert "Version 1 saved." in page.locator(".messages").inner_text()
    draft_url = page.url

    page.context.clear_cookies()
    log_in(page, demo_server, "facilitator@example.org")
    page.goto(draft_url)
    assert "a second pick-up day" in page.get_by_role("main").inner_text()
    page.get_by_label("Your feedback").fill("Add how you will count the wait.")
    page.get_by_role("button", name="Post feedback on version 1").click()
    assert "Feedback posted." in page.locator(".messages").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, demo_server, "participant@example.org")
    page.goto(draft_url)
    feedback = page.get_by_role("main").inner_text()
    assert "Add how you will count the wait." in feedback
    assert "Luis Ramírez on version 1" in feedback
