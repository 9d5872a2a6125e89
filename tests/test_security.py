import os

import pytest

from tests.factories import DocumentFactory, UserFactory
from tests.helpers import run_python

pytestmark = pytest.mark.django_db


def test_public_pages_get_a_strict_content_security_policy(client, home_page):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_admin_gets_the_relaxed_policy_it_needs(client, home_page):
    client.force_login(UserFactory(is_superuser=True))
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy


def test_public_pages_load_no_inline_styles_or_scripts(client, demo_site):
    html = client.get("/").content.decode()
    assert "<style" not in html and "style=" not in html
    assert "<script>" not in html


def test_documents_are_served_only_through_wagtails_view(client, home_page, settings):
    settings.DEBUG = True  # the dev media route exists only with DEBUG
    document = DocumentFactory(title="Report")
    assert client.get(document.url).status_code == 200
    assert client.get(settings.MEDIA_URL + document.file.name).status_code == 404


LONG_KEY = "x" * 30 + "-not-a-real-key-but-long-enough-0123456789"


def run_with_production_settings(*args: str, secret_key: str, **env: str):
    return run_python(
        "manage.py",
        *args,
        env={
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "learning.example.org",
            "DATABASE_URL": "sqlite:////tmp/lms-check-deploy.sqlite3",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
            **env,
        },
    )


def test_production_settings_pass_check_deploy():
    result = run_with_production_settings(
        "check", "--deploy", "--fail-level", "WARNING", secret_key=LONG_KEY
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_asks_for_a_shared_cache():
    result = run_with_production_settings(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        secret_key=LONG_KEY,
        CACHE_URL="locmemcache://",
    )
    assert result.returncode != 0
    assert "lms.W001" in result.stdout + result.stderr


def test_production_refuses_a_short_secret_key():
    result = run_with_production_settings("check", secret_key="short")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50" in result.stderr


def test_dev_settings_are_safe_defaults():
    from lms.settings import base

    assert base.DEBUG is False
    assert base.SECRET_KEY == "" or "SECRET_KEY" in os.environ
    assert base.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert base.WAGTAIL_GRAVATAR_PROVIDER_URL is None
