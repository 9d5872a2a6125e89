"""One way in: the admin's login and password reset are allauth's, throttled
in the shared cache, with the client's address taken only from trusted proxies."""

from uuid import uuid4

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from wagtail.models import PageViewRestriction

from lms.settings.base import cache_config
from tests.factories import PASSWORD, UserFactory
from tests.helpers import run_python

pytestmark = pytest.mark.django_db


def verified(**fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    return user


def log_in(client, email, password, path="/accounts/login/", **headers):
    return client.post(path, {"login": email, "password": password}, **headers)


def test_the_admin_sends_people_to_the_sites_login_and_back(client, home_page):
    assert client.get("/admin/")["Location"] == "/accounts/login/?next=/admin/"
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"
    admin = verified(is_superuser=True)
    response = log_in(client, admin.email, PASSWORD, "/accounts/login/?next=/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_login_form_no_longer_signs_anyone_in(client, home_page):
    unverified = UserFactory()
    response = client.post(
        "/admin/login/", {"username": unverified.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_unverified_accounts_cannot_sign_in(client, home_page):
    unverified = UserFactory()
    log_in(client, unverified.email, PASSWORD)
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_the_admin_password_reset_is_allauths(client, home_page):
    response = client.get("/admin/password_reset/")
    assert response["Location"] == "/accounts/password/reset/"
    response = client.post("/admin/password_reset/", {"email": "a@example.org"})
    assert response["Location"] == "/accounts/password/reset/"


def test_wrong_passwords_are_throttled(client, home_page):
    person = verified()
    for _ in range(5):
        log_in(client, person.email, "wrong-password")
    response = log_in(client, person.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get("/dashboard/").status_code == 302


def test_the_client_address_is_taken_from_trusted_proxies_only(
    client, home_page, settings
):
    def refused_after_ten(headers):
        for number in range(10):
            log_in(client, f"nobody{number}@example.org", "wrong", **headers(number))
        response = log_in(client, "someone@example.org", "wrong", **headers(10))
        return "Too many failed login attempts" in response.content.decode()

    # Without a trusted proxy, a forged header does not hide the address...
    assert refused_after_ten(lambda n: {"HTTP_X_FORWARDED_FOR": f"10.0.0.{n}"})
    # ...and behind one, the address it saw is the client's.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert not refused_after_ten(lambda n: {"HTTP_X_FORWARDED_FOR": f"10.0.1.{n}"})
    assert refused_after_ten(
        lambda n: {"HTTP_X_FORWARDED_FOR": f"10.0.{n}.1, 192.0.2.7"}
    )


LOGIN_ATTEMPTS = """
import sys
import django
django.setup()
from django.test import Client
client = Client()
for password in sys.argv[2:]:
    data = {"login": sys.argv[1], "password": password}
    response = client.post("/accounts/login/", data)
    refused = "Too many failed login attempts" in response.content.decode()
    print("refused" if refused else response.status_code)
"""


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"]
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


# The other processes read the account; serialized_rollback: the flush
# afterwards must not leave later tests without Wagtail's root page and site.
# The throttle's counts live in the shared cache, not in the database.
@pytest.mark.backend_independent
@pytest.mark.long_running
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_login_throttle_holds_across_server_processes():
    person = verified()
    shared_cache = f"redis://127.0.0.1:6379/3?key_prefix=tests-login-{uuid4().hex}"
    # The SQLite and PostgreSQL runs share this Redis and make the same
    # addresses: only the prefix keeps their failed attempts apart.
    assert cache_config(shared_cache)["KEY_PREFIX"].startswith("tests-login-")

    def attempts(*passwords):
        result = run_python(
            "-c",
            LOGIN_ATTEMPTS,
            person.email,
            *passwords,
            env={
                "DJANGO_SETTINGS_MODULE": "lms.settings.test",
                "CACHE_URL": shared_cache,
                "DATABASE_URL": database_url(),
            },
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    # Five failures in one process: the right password in another is refused.
    assert attempts(*(f"wrong-{n}" for n in range(5))) == ["200"] * 5
    assert attempts(PASSWORD, PASSWORD) == ["refused"] * 2


def test_pages_private_to_logged_in_people_send_them_to_allauths_login(
    client, home_page
):
    PageViewRestriction.objects.create(
        page=home_page, restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get("/")["Location"] == "/accounts/login/?next=/"
    unverified = UserFactory()
    response = client.post(
        "/_util/login/?next=/", {"username": unverified.email, "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/login/?next=/"
    assert client.get("/")["Location"] == "/accounts/login/?next=/"


def test_passwords_and_addresses_change_only_through_allauth(client, home_page):
    admin = verified(is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/account/").content.decode()
    assert "new_password1" not in page and 'type="email"' not in page
    client.post(
        "/admin/account/",
        {
            "password-old_password": PASSWORD,
            "password-new_password1": "another-pass-phrase-7",
            "password-new_password2": "another-pass-phrase-7",
            "name_email-email": "someone-else@example.org",
        },
    )
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD) and admin.email != "someone-else@example.org"


def test_a_cache_url_keeps_its_key_prefix_and_timeout():
    config = cache_config("redis://127.0.0.1:6379/3?key_prefix=site-a&timeout=60")
    assert (config["KEY_PREFIX"], config["TIMEOUT"]) == ("site-a", 60)
    assert "key_prefix" not in config and "timeout" not in config
