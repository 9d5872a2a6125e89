"""A participant answers a check-in from an e-mail link on a phone, without
logging in; the facilitator then sees the response rate; the program lead
opens a logic model and downloads the funder report."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from lms_surveys.invitations import send_survey_emails
from lms_surveys.models import Moment
from pypdf import PdfReader

from sdk import Session
from tests.browser.test_participant import log_in

PARTICIPANT = "participant@example.org"


def assert_accessible(page):
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_check_in_answered_from_an_e_mail_on_a_phone(page, demo_server, mailoutbox):
    page.set_viewport_size({"width": 390, "height": 844})
    moment = Moment.objects.get(
        cohort__slug="grantwriting-circle", kind="after_session"
    )
    held = (
        Session.objects.filter(cohort=moment.cohort_id, ends_at__lt=timezone.now())
        .order_by("-ends_at")
        .first()
    )
    # Ended an hour ago whatever the weekday (the demo meets weekly): the
    # invitation a worker sends as it ends, not one overtaken by a reminder.
    Session.objects.filter(pk=held.pk).update(
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    held.refresh_from_db()
    # The e-mail the worker sends when the session ends.
    assert send_survey_emails.call(moment.pk, held.pk, 0) >= 1
    message = next(m for m in mailoutbox if PARTICIPANT in m.to)
    link = re.search(r"https?://\S+/p/surveys/a/\S+/", message.body)[0]
    page.goto(demo_server + urlsplit(link).path)
    assert page.get_by_role("heading", level=1).inner_text() == "Session check-in"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.get_by_label("4", exact=True).check()
    page.get_by_label("About right").check()
    page.get_by_label("One thing you will use").fill("Read the funder's priorities")
    page.get_by_role("button", name="Send my answers").click()
    assert "Your answers are in" in page.get_by_role("main").inner_text()
    assert "Log in" in page.content()  # never signed in

    log_in(page, demo_server, "facilitator@example.org")
    page.goto(demo_server + reverse("surveys:group", args=[moment.cohort_id]))
    attached = page.get_by_role("region", name="Surveys attached to this group")
    row = attached.get_by_role("row").filter(has_text="After each session")
    assert re.search(rf"{held.starts_at:%-d %b}: 1 of \d+ \(\d+%\)", row.inner_text())
    # The group's automated e-mails, with how many people each went to.
    emails = page.get_by_role("region", name="Survey e-mails")
    invitation = emails.get_by_role("row").filter(has_text="Invitation")
    assert re.search(
        r"when each session ends\s+[1-9]\d* (person|people)", invitation.inner_text()
    )
    assert_accessible(page)

    # The program lead opens the program's logic model on the phone and
    # downloads the funder report; its text is read back.
    page.context.clear_cookies()
    log_in(page, demo_server, "lead@example.org")
    page.goto(demo_server + reverse("cohorts:programs"))
    page.get_by_role("listitem").filter(
        has_text="Civic Power Coalition 2026"
    ).get_by_role("link", name="Logic model and funder report").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Logic model")
    shown = page.get_by_role("main").inner_text()
    for standing in (
        "Below the target",
        "On target",
        "Above the target",
        "Not started",
    ):
        assert standing in shown, standing
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Funder report (PDF)").click()
    pdf = PdfReader(download.value.path())
    text = " ".join(" ".join(each.extract_text() for each in pdf.pages).split())
    assert "Civic Power Coalition 2026" in text
    assert (
        "Have 8-12 elected officials and their staffers attend our Poverty Hearing"
        in text
    )
    assert "Budget training: Eastside" in text  # attendance per group
