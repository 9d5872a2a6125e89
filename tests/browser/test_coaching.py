from datetime import date, timedelta

from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_participant import log_in

COHORT = "/county-learning-community/communications-coaching/2026/"


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_coaching_session_from_the_coachs_log_to_the_coachees_view(page, demo_server):
    log_in(page, demo_server, "facilitator@example.org")
    page.goto(demo_server + COHORT)
    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Coaching"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Log a coaching session").click()
    coachee = page.get_by_label("Coachee:", exact=True)
    # Staff see each member's name with their address.
    grace = coachee.locator("option", has_text="Grace Okafor").get_attribute("value")
    coachee.select_option(value=grace)
    # Yesterday: newer than every demo session, so it heads the coachee's list.
    yesterday = date.today() - timedelta(days=1)
    page.get_by_label("Date and time").fill(f"{yesterday.isoformat()}T10:30")
    page.get_by_label("Length in minutes").fill("50")
    page.get_by_label("Storytelling").check()
    page.get_by_label("Notes shared with the coachee").fill(
        "Your funder page reads well; lead with the Mendoza family's story."
    )
    page.get_by_label("Private notes").fill("Ask about the board vote next time.")
    page.get_by_label("Goals set in this session").fill("Send the page to 3 funders")
    due = (date.today() + timedelta(days=9)).isoformat()
    page.get_by_label("Next step:", exact=True).first.fill(
        "Book a call with the county fund"
    )
    page.get_by_label("Due:", exact=True).first.fill(due)
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    assert "Coaching session saved." in page.locator(".messages").inner_text()
    assert "Ask about the board vote" in page.get_by_role("main").inner_text()
    session_url = page.url

    page.context.clear_cookies()
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + "/p/coaching/")
    page.get_by_role("link", name="With Luis Ramírez").first.click()
    assert page.url == session_url
    main = page.get_by_role("main").inner_text()
    assert "lead with the Mendoza family's story" in main
    assert "Send the page to 3 funders" in main
    assert "Book a call with the county fund" in main
    assert "board vote" not in main
    assert_accessible(page)

    page.get_by_role("listitem").filter(
        has_text="Book a call with the county fund"
    ).get_by_role("button", name="Mark as done").click()
    done = page.get_by_role("listitem").filter(has_text="Book a call")
    assert "Done:" in done.inner_text()
