from axe_playwright_python.sync_playwright import Axe

from lms.demo import DEMO_PASSWORD

CIRCLE = "/county-learning-community/grantwriting-circle/"


def log_in(page, server, email):
    page.goto(server + "/accounts/login/")
    page.get_by_role("main").get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_participant_finds_a_circle_says_going_and_sees_the_place(page, demo_server):
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + "/find-a-group/")
    page.get_by_text("Filter groups").click()  # the filters fold on a phone
    page.get_by_label("Kind").select_option(label="Learning circle")
    page.get_by_role("button", name="Show groups").click()
    page.get_by_role("link", name="Grantwriting learning circle").click()

    first = page.locator("li.card[id^=session-]").first
    assert "455 Elm Street" not in first.inner_text()
    first.get_by_role("button", name="Going", exact=True).click()
    first = page.locator("li.card[id^=session-]").first
    assert "455 Elm Street" in first.inner_text()
    assert first.get_by_role("button", name="Going", exact=True).get_attribute(
        "aria-pressed"
    ) == ("true")
    assert Axe().run(page).violations_count == 0

    page.locator(".site-menu > summary").click()  # the header's menu, on a phone
    page.get_by_role("link", name="My learning").click()
    assert "Grantwriting learning circle" in page.get_by_role("main").inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_facilitator_takes_attendance_on_a_phone(page, demo_server):
    log_in(page, demo_server, "facilitator@example.org")
    page.goto(demo_server + CIRCLE)
    page.get_by_role("link", name="Attendance", exact=True).first.click()
    # The latest session held: its register opens from the grid's column.
    page.locator(".attendance-grid thead a").last.click()
    page.get_by_role("group", name="Grace Okafor").get_by_label("Late").check()
    page.get_by_role("button", name="Save attendance").click()
    assert "Attendance saved for 1 person." in page.locator(".messages").inner_text()
    assert (
        page.get_by_role("group", name="Grace Okafor").get_by_label("Late").is_checked()
    )
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.goto(demo_server + CIRCLE)
    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Dashboard"
    ).click()
    participants = page.get_by_role("region", name="Participants")
    assert "Grace Okafor" in participants.inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Reports"
    ).click()
    assert page.get_by_role("table", name="Attendance per session").count() == 1
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_facilitator_announces_and_participant_reads_it_and_subscribes(
    page, demo_server, mailoutbox
):
    log_in(page, demo_server, "facilitator@example.org")
    page.goto(demo_server + CIRCLE)
    page.get_by_role("navigation", name="In this group").get_by_role(
        "link", name="Announcements"
    ).click()
    page.get_by_label("Subject").fill("No meeting next week")
    page.get_by_label("Message").fill("The library is closed; see you in two weeks.")
    page.get_by_role("button", name="Post and e-mail members").click()
    assert "Posted." in page.locator(".messages").inner_text()
    assert Axe().run(page).violations_count == 0
    assert "participant@example.org" in str([m.to for m in mailoutbox])

    page.context.clear_cookies()
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + CIRCLE)
    assert (
        "No meeting next week"
        in page.get_by_role("region", name="Announcements").inner_text()
    )
    page.get_by_role("link", name="See these sessions in your own calendar").click()
    page.get_by_role("button", name="Get my calendar address").click()
    address = page.get_by_label("Your calendar address").input_value()
    assert address.endswith(".ics")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_participant_follows_a_learning_path(page, demo_server):
    log_in(page, demo_server, "participant@example.org")
    page.goto(demo_server + "/find-a-group/")
    page.get_by_role("link", name="Ready to apply for a grant").click()
    steps = page.locator("ol.path > li")
    assert "In progress" in steps.nth(0).inner_text()  # a member of the circle
    assert "Complete first: Grantwriting basics" in steps.nth(1).inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
