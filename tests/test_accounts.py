import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from lms.roles import FACILITATORS, PROGRAM_LEADS
from newsletter.models import Subscriber
from tests.factories import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_requires_verifying_the_email_address(client, home_page):
    response = client.post(
        "/accounts/signup/",
        {
            "first_name": "Noor",
            "email": "new@example.org",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "new@example.org" in mail.outbox[0].to
    # Not verified yet: logging in is refused until the link is followed.
    response = client.post(
        "/accounts/login/",
        {"login": "new@example.org", "password": "a-long-pass-phrase-42"},
    )
    assert "/accounts/confirm-email/" in response["Location"]
    confirm_path = re.search(r"http://testserver(/\S+)", mail.outbox[-1].body)[1]
    client.post(confirm_path)
    response = client.post(
        "/accounts/login/",
        {"login": "new@example.org", "password": "a-long-pass-phrase-42"},
    )
    assert response.status_code == 302 and response["Location"] == "/"


def test_password_reset_sends_an_email(client, home_page):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="reset@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_participants_never_see_the_admin(client, home_page):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/pages/" not in response.get("Location", "")


def test_program_leads_edit_pages_and_export_subscribers(client, home_page):
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    Subscriber.objects.create(email="one@example.org", confirmed_at=timezone.now())
    client.force_login(lead)
    assert client.get("/admin/").status_code == 200
    assert client.get(f"/admin/pages/{home_page.pk}/edit/").status_code == 200
    response = client.get("/admin/newsletter_subscribers/?export=csv")
    assert response.status_code == 200
    assert "one@example.org" in b"".join(response.streaming_content).decode()


def test_facilitators_get_the_admin_but_cannot_edit_pages(client, home_page):
    client.force_login(UserFactory(groups=[Group.objects.get(name=FACILITATORS)]))
    assert client.get("/admin/").status_code == 200
    response = client.get(f"/admin/pages/{home_page.pk}/edit/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/newsletter_subscribers/").status_code in (302, 403)


def test_role_groups_are_recreated_idempotently():
    from lms.roles import ensure_role_groups

    ensure_role_groups()
    ensure_role_groups()
    assert Group.objects.filter(name__in=[PROGRAM_LEADS, FACILITATORS]).count() == 2
    assert Group.objects.get(name=PROGRAM_LEADS).permissions.filter(
        codename="view_subscriber"
    )


def test_program_leads_can_request_a_translation(client, demo_site):
    lead = UserFactory(groups=[Group.objects.get(name=PROGRAM_LEADS)])
    client.force_login(lead)
    english_home = Site.objects.get(is_default_site=True).root_page
    page = StandardPageFactory(parent=english_home, title="Only in English so far")
    response = client.get(f"/admin/localize/submit/page/{page.pk}/")
    assert response.status_code == 200
    assert "Español" in response.content.decode()


def test_log_in_and_sign_up_pages_use_the_sites_words(client, home_page, settings):
    login = client.get("/accounts/login/").content.decode()
    assert "<h1>Log in</h1>" in login
    for words in ("E-mail address", "Password", "Remember me", "Create an account"):
        assert words in login
    for stock in ("Sign In", "Email:", "Remember Me"):
        assert stock not in login
    signup = client.get("/accounts/signup/").content.decode()
    assert "<h1>Create an account</h1>" in signup
    assert "Password (again)" in signup and "Email:" not in signup
    # A field added to sign-up by settings shows without touching the template.
    settings.ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
    assert 'name="username"' in client.get("/accounts/signup/").content.decode()
    html = client.get("/es/accounts/login/").content.decode()
    assert '<html lang="es">' in html and 'name="login"' in html
