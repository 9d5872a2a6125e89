"""Every site form with errors shows the error summary first in main, linking to
each field, which carries its own error through aria-describedby, and the page
title starts with "Error: "."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from content.models import ResourceIndexPage
from tests.factories import CohortPageFactory, MembershipFactory, UserFactory
from tests.test_grantwriting import assignment, people, workshop  # noqa: F401

pytestmark = pytest.mark.django_db


def check_summary(response, *expected: str) -> BeautifulSoup:
    """The summary's checks; `expected` are texts the summary must list."""
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.string.strip().startswith("Error: ")
    main = page.find("main")
    summary = main.find(True)  # the first element in main
    assert "error-summary" in summary["class"], main.prettify()[:2000]
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert len(page.select("[autofocus]")) == 1  # nothing else takes the focus
    listed = summary.get_text(" ", strip=True)
    for text in expected:
        assert text in listed
    links = summary.select("a[href^='#']")
    assert links
    for link in links:
        field = page.find(id=link["href"][1:])
        assert field is not None, f"{link['href']} goes nowhere"
        assert field.name in ("input", "select", "textarea")
        # A choice list's errors describe its fieldset (Django's field template).
        described_one = field if field.has_attr("aria-describedby") else None
        described_one = described_one or field.find_parent("fieldset")
        described = described_one.get("aria-describedby", "").split()
        assert described, f"{field} has no aria-describedby"
        errors = " ".join(page.find(id=i).get_text(" ") for i in described)
        assert link.get_text().split(": ", 1)[-1] in errors
        assert field.get("aria-invalid") == "true"
    return page


def test_join_by_email(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    response = client.post(
        f"/cohorts/{circle.pk}/join-by-email/", {"name": "", "email": "nope"}
    )
    assert response.status_code == 400
    page = check_summary(
        response, "Your name: This field is required.", "E-mail address"
    )
    # A way back, not a dead end.
    assert page.find("a", string="Back to the group")["href"] == circle.url


def test_newsletter_page_and_its_footer_form_keep_their_own_ids(client, home_page):
    response = client.post("/newsletter/", {"email": "nope", "language": "en"})
    page = check_summary(response, "E-mail address: Enter a valid email address.")
    assert page.select_one(".error-summary a")["href"] == "#page-email"
    assert page.find(id="footer-email") is not None  # the footer's, unbound


def test_announcement(client, home_page):
    circle = CohortPageFactory(parent=home_page)
    client.force_login(MembershipFactory(cohort=circle, role="facilitator").user)
    response = client.post(
        reverse("cohorts:announcements", args=[circle.pk]), {"subject": ""}
    )
    check_summary(response, "Subject: This field is required.", "Message")


def test_log_in_lists_the_form_s_own_error_without_a_link(client, home_page):
    UserFactory(email="rosa@example.org")
    response = client.post(
        reverse("account_login"), {"login": "rosa@example.org", "password": "bad"}
    )
    page = BeautifulSoup(response.content, "html.parser")
    assert page.title.string.startswith("Error: ")
    summary = page.select_one("main > .error-summary")
    assert "not correct" in summary.get_text()
    # A wrong password is the form's error, not a field's: no link, no focus lost.
    assert not summary.select("a")


def test_sign_up(client, home_page):
    response = client.post(
        reverse("account_signup"),
        {"email": "x", "password1": "a", "password2": "b", "first_name": ""},
    )
    check_summary(response, "First name: This field is required.")


def test_erase_your_data(client, home_page):
    client.force_login(UserFactory(email="rosa@example.org"))
    response = client.post(reverse("delete_account"), {"email": "other@example.org"})
    check_summary(response, "This is not the account's e-mail address.")


def test_a_plugin_form(client, people, assignment):  # noqa: F811
    client.force_login(people["author"])
    response = client.post(
        reverse("grantwriting:assignment", args=[assignment.pk]),
        {"text": "x", "status": "published"},
    )
    check_summary(response, "Select a valid choice")


def test_a_filter_form(client, home_page):
    """django-filter's forms too (a filter set in the context)."""
    index = home_page.add_child(instance=ResourceIndexPage(title="Library"))
    response = client.get(index.url + "?language=klingon")
    check_summary(response, "Select a valid choice")


def test_a_page_without_errors_has_no_summary(client, home_page):
    response = client.get("/newsletter/")
    page = BeautifulSoup(response.content, "html.parser")
    assert not page.select(".error-summary")
    assert not page.title.string.startswith("Error")
